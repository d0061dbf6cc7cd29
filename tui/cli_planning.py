"""CLI commands for planning: shortages, the forecast, purchase-request drafts and their approvals,
orders from drafts, chasing orders in transit, and the station's settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from core import labels, request_events
from core.decimals import fmt_qty
from core.errors import BadInput
from core.i18n import _
from core.textwidth import cell_width
from tui.cli_receiving import po_app
from tui.cli_support import ForceOption, emit_json, iso, local, say, state, table

shortage_app = typer.Typer(
    help=_("Shortage registrations (缺件登记), answered within 30 minutes."), rich_markup_mode=None
)
request_app = typer.Typer(help=_("Purchase-request drafts (采购申请单) and their approvals."), rich_markup_mode=None)
setting_app = typer.Typer(help=_("Station settings."), rich_markup_mode=None)

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]
CommentOption = Annotated[Optional[str], typer.Option(help=_("A comment for the history."))]


def register(app: typer.Typer) -> None:
    """Add the planning commands to the top-level app."""
    app.add_typer(shortage_app, name="shortage")
    app.add_typer(request_app, name="request")
    app.add_typer(setting_app, name="setting")
    app.command("forecast")(forecast)
    part_app = next(group.typer_instance for group in app.registered_groups if group.name == "part")
    part_app.command("set-supplier")(part_set_supplier)


def _when(at) -> str | None:
    return iso(at) if at is not None else None


# -- shortages ---------------------------------------------------------------------------------


def _shortage_document(s) -> dict:
    return {"shortage": s.number, "part_no": s.part_no, "name": s.part_name, "qty": fmt_qty(s.qty), "ro": s.ro,
            "note": s.note, "status": s.state, "logged_at": iso(s.logged_at), "logged_by": s.logged_by,
            "respond_by": iso(s.respond_by), "answered_at": _when(s.answered_at), "answered_by": s.answered_by,
            "overdue": s.overdue, "minutes_left": str(s.minutes_left), "solution": s.solution, "eta": _when(s.eta),
            "answer_note": s.answer_note, "fulfilled_at": _when(s.fulfilled_at),
            "fulfilled_by": s.fulfilled_by_doc, "ordered_on": s.ordered_on}


@shortage_app.command("log")
def shortage_log(
    ctx: typer.Context, part_no: str,
    qty: Annotated[str, typer.Option(help=_("How many are short."))],
    ro: Annotated[str, typer.Option("--ro", help=_("The repair order that needs them."))],
    note: Annotated[Optional[str], typer.Option(help=_("What the workshop said."))] = None,
    json: JsonOption = False,
) -> None:
    """Log a shortage against a repair order (advisor, signed with their PIN)."""
    from core.services.shortages import log_shortage

    cli = state(ctx)
    with cli.database().writing() as uow:
        number = log_shortage(part_no, qty, ro, note=note, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"shortage": number})
    else:
        say(_("{number} logged: to be answered within 30 minutes").format(number=number))


@shortage_app.command("answer")
def shortage_answer(
    ctx: typer.Context, shortage: str,
    solution: Annotated[str, typer.Option(help=_("transfer, order, urgent_purchase or substitute."))],
    eta: Annotated[str, typer.Option(help=_("Expected time, e.g. '2026-11-27 14:00' (local)."))],
    note: Annotated[Optional[str], typer.Option(help=_("What was arranged."))] = None,
    json: JsonOption = False,
) -> None:
    """Answer a shortage with a solution and an expected time (planner, parts manager)."""
    from core.services.shortages import answer_shortage, parse_eta

    cli = state(ctx)
    when = parse_eta(eta)
    with cli.database().writing() as uow:
        info = answer_shortage(shortage, solution, when, note=note, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(_shortage_document(info))
    else:
        late = _(" (late)") if info.overdue else ""
        say(_("{number} answered: {solution}, expected {eta}{late}").format(
            number=info.number, solution=labels.label(labels.SOLUTION, info.solution), eta=local(info.eta), late=late))
        if info.ordered_on:
            say(_("on {document}").format(document=info.ordered_on))


@shortage_app.command("list")
def shortage_list(
    ctx: typer.Context,
    open_: Annotated[bool, typer.Option("--open", help=_("Only those not yet fulfilled."))] = False,
    ro: Annotated[Optional[str], typer.Option("--ro", help=_("Only this repair order's."))] = None,
    json: JsonOption = False,
) -> None:
    """Shortages, the most urgent first, with their 30-minute countdown."""
    from core.services.shortages import list_shortages

    with state(ctx).database().reading() as uow:
        rows = list_shortages(uow=uow, open_only=open_, ro=ro)
    if json:
        emit_json([_shortage_document(s) for s in rows])
        return
    table(None, [_("shortage"), _("part no"), _("qty"), _("ro"), _("status"), _("respond by"), _("left"),
                 _("solution"), _("eta")],
          [[s.number, s.part_no, fmt_qty(s.qty), s.ro,
            labels.label(labels.SHORTAGE_STATE, s.state) + (_(" OVERDUE") if s.overdue else ""),
            local(s.respond_by), _("{m} min").format(m=s.minutes_left) if s.state == "open" else "",
            labels.label(labels.SOLUTION_SHORT, s.solution, ""),
            local(s.eta) if s.eta else ""] for s in rows], right={2})


@shortage_app.command("show")
def shortage_show(ctx: typer.Context, shortage: str, json: JsonOption = False) -> None:
    """One shortage."""
    from core.services.shortages import get_shortage

    with state(ctx).database().reading() as uow:
        info = get_shortage(shortage, uow=uow)
    if json:
        emit_json(_shortage_document(info))
    else:
        _show_shortage(info)


def _show_shortage(s) -> None:
    """A shortage as a person reads it: labels, not codes, and times in the station's local time."""
    state_words = labels.label(labels.SHORTAGE_STATE, s.state) + (" " + _("OVERDUE") if s.overdue else "")
    rows = [
        (_("shortage"), s.number),
        (_("part"), f"{s.part_no} {labels.part_names(s.part_name, s.part_name_zh)}"),
        (_("qty"), fmt_qty(s.qty)),
        (_("repair order"), s.ro),
        (_("note"), s.note),
        (_("state"), state_words),
        (_("logged"), f"{local(s.logged_at)} {s.logged_by}"),
        (_("answer by"), local(s.respond_by) + (f" ({_('{m} min').format(m=s.minutes_left)})"
                                                if s.state == "open" else "")),
        (_("answered"), f"{local(s.answered_at)} {s.answered_by}" if s.answered_at else None),
        (_("solution"), labels.label(labels.SOLUTION, s.solution) if s.solution else None),
        (_("expected by"), local(s.eta) if s.eta else None),
        (_("answer note"), s.answer_note),
        (_("fulfilled"), f"{local(s.fulfilled_at)} {s.fulfilled_by_doc or ''}".strip() if s.fulfilled_at else None),
    ]
    width = max(cell_width(name) for name, _value in rows)
    for name, value in rows:
        say(name + " " * (width - cell_width(name)) + "  " + (value if value else "-"))


# -- forecast ----------------------------------------------------------------------------------


def forecast(
    ctx: typer.Context, part_no: str,
    cycle: Annotated[Optional[str], typer.Option(help=_("week or month (default: the setting)."))] = None,
    json: JsonOption = False,
) -> None:
    """A part's consumption over the last cycles, its forecast and the suggested order."""
    from core.services.forecasting import part_demand

    with state(ctx).database().reading() as uow:
        d = part_demand(part_no, uow=uow, cycle=cycle)
    document = {
        "part_no": d.part_no, "name": d.name, "history": [{"cycle": c.isoformat(), "qty": fmt_qty(q)}
                                                          for c, q in d.history],
        "forecast": fmt_qty(d.forecast),
        "seasonal_index": fmt_qty(d.seasonal_index) if d.seasonal_index is not None else None,
        "flagged": d.flagged, "safety_stock": fmt_qty(d.safety), "on_hand": fmt_qty(d.on_hand),
        "in_transit": fmt_qty(d.in_transit), "open_shortages": fmt_qty(d.open_shortages),
        "pack_qty": fmt_qty(d.pack_qty), "suggested": fmt_qty(d.suggested),
    }
    if json:
        emit_json(document)
        return
    table(None, [_("cycle"), _("consumed")], [[c.isoformat(), fmt_qty(q)] for c, q in d.history], right={1})
    flag = _("  FLAGGED: jumps against history") if d.flagged else ""
    say(_("forecast {forecast} + safety {safety} − on hand {on_hand} − in transit {transit} + shortages {short}"
          " → order {suggested}{flag}").format(
        forecast=fmt_qty(d.forecast), safety=fmt_qty(d.safety), on_hand=fmt_qty(d.on_hand),
        transit=fmt_qty(d.in_transit), short=fmt_qty(d.open_shortages), suggested=fmt_qty(d.suggested), flag=flag))


# -- purchase requests -------------------------------------------------------------------------


def _request_document(r) -> dict:
    return {
        "request": r.number, "state": r.state, "cycle": r.cycle, "cycle_start": r.cycle_start.isoformat(),
        "author": r.author, "created_at": iso(r.created_at), "waiting_for": list(r.waiting_for),
        "approved_by": list(r.approved_by),
        "lines": [{"part_no": line.part_no, "name": line.name, "forecast": fmt_qty(line.forecast),
                   "suggested": fmt_qty(line.suggested), "qty": fmt_qty(line.qty), "flagged": line.flagged,
                   "reason": line.reason, "changed": line.changed, "shortage": line.shortage, "ro": line.ro}
                  for line in r.lines],
        "history": [{"at": iso(h.at), "operator": h.operator, "action": h.action, "state": h.state,
                     "comment": h.comment, "detail": request_events.parse(h.detail)} for h in r.history],
    }


def _special(line) -> str:
    """The tag of a draft's line that answers a shortage: a special order for that repair order's customer."""
    if line.shortage is None:
        return ""
    return _("special order for {ro} ({shortage})").format(ro=line.ro, shortage=line.shortage)


def _show_request(r) -> None:
    waiting = labels.labels(labels.ROLE, r.waiting_for) or "-"
    say(f"{r.number}  {labels.label(labels.REQUEST_STATE, r.state)}  {labels.label(labels.CYCLE, r.cycle)} "
        f"{r.cycle_start}  " + _("waiting for: {who}").format(who=waiting))
    table(None, [_("part no"), _("name"), _("forecast"), _("suggested"), _("qty"), _("reason"), ""],
          [[line.part_no, labels.part_name(line.name, line.name_zh), fmt_qty(line.forecast), fmt_qty(line.suggested),
            fmt_qty(line.qty), _special(line) or line.reason or "",
            ("!" if line.flagged else "") + ("*" if line.changed else "")] for line in r.lines],
          right={2, 3, 4})
    for h in r.history:
        action = labels.label(labels.REQUEST_ACTION, h.action)
        action += " " * max(0, 9 - cell_width(action))  # Chinese takes two columns a character
        say(f"  {local(h.at)}  {h.operator:<8} {action} → {labels.label(labels.REQUEST_STATE, h.state)}  "
            f"{h.text}".rstrip())


@request_app.command("draft")
def request_draft(
    ctx: typer.Context,
    cycle: Annotated[Optional[str], typer.Option(help=_("week or month (default: the setting)."))] = None,
    json: JsonOption = False,
) -> None:
    """Draft a purchase request for the next cycle from the forecast (planner)."""
    from core.services.requests import draft_request

    cli = state(ctx)
    with cli.database().writing() as uow:
        number = draft_request(cycle=cycle, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"request": number})
    else:
        say(number)


@request_app.command("show")
def request_show(ctx: typer.Context, request: str, json: JsonOption = False) -> None:
    """A draft: state, lines (! flagged, * changed since the last step) and its history."""
    from core.services.requests import get_request

    with state(ctx).database().reading() as uow:
        info = get_request(request, uow=uow)
    if json:
        emit_json(_request_document(info))
    else:
        _show_request(info)


@request_app.command("list")
def request_list(
    ctx: typer.Context,
    state_: Annotated[Optional[str], typer.Option("--state", help=_("Only drafts in this state."))] = None,
    json: JsonOption = False,
) -> None:
    """Purchase requests, newest first."""
    from core.services.draft_pages import drafts_page
    from core.services.requests import list_requests

    with state(ctx).database().reading() as uow:
        if json:
            documents = [_request_document(r) for r in list_requests(uow=uow, state=state_)]
        else:
            # The table counts each draft's lines; a big station's drafts hold tens of thousands, never read here.
            drafts = drafts_page(uow=uow, limit=None, state=state_).rows
    if json:
        emit_json(documents)
    else:
        table(None, [_("request"), _("state"), _("cycle"), _("lines"), _("waiting for")],
              [[r.number, labels.label(labels.REQUEST_STATE, r.state),
                f"{labels.label(labels.CYCLE, r.cycle)} {r.cycle_start}", r.lines,
                labels.labels(labels.ROLE, r.waiting_for)]
               for r in drafts])


@request_app.command("line")
def request_line(
    ctx: typer.Context, request: str, line: Annotated[list[str], typer.Argument(help=_("PART_NO:QTY"))],
    reason: Annotated[Optional[str], typer.Option(help=_("Why (needed on a flagged line)."))] = None,
    comment: CommentOption = None, json: JsonOption = False,
) -> None:
    """Set or add lines (planner; the station manager at the order meeting)."""
    from core.services.requests import change_lines, edit_request, parse_line_change
    from core.services.supersession import redirect_notes

    cli = state(ctx)
    changes = [parse_line_change(text, reason) for text in line]
    # The JSON document is the whole draft, read back; the text says its state only, so the lines stay unread
    # (a big station's draft has tens of thousands).
    edit = edit_request if json else change_lines
    with cli.database().writing() as uow:
        info = edit(request, changes, comment=comment, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({**_request_document(info),
                   "redirected": {old: list(new) for old, new in info.redirected.items()}})
    else:
        for note in redirect_notes(info.redirected):
            say(note)
        say(_("{number} is {state}").format(number=info.number, state=labels.label(labels.REQUEST_STATE, info.state)))


@request_app.command("remove")
def request_remove(ctx: typer.Context, request: str, part_no: list[str], comment: CommentOption = None) -> None:
    """Take parts off a draft."""
    from core.services.requests import LineChange, change_lines

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = change_lines(request, [LineChange(p, remove=True) for p in part_no], comment=comment,
                            actor=cli.actor(uow), uow=uow)
    say(_("{number} is {state}").format(number=info.number, state=labels.label(labels.REQUEST_STATE, info.state)))


def _decide(ctx: typer.Context, request: str, comment: str | None, decide) -> None:
    cli = state(ctx)
    with cli.database().writing() as uow:
        info = decide(request, comment=comment, actor=cli.actor(uow), uow=uow)
    waiting = labels.labels(labels.ROLE, info.waiting_for) or "-"
    say(_("{number} is {state}; waiting for: {who}").format(
        number=info.number, state=labels.label(labels.REQUEST_STATE, info.state), who=waiting))


@request_app.command("review")
def request_review(ctx: typer.Context, request: str, comment: CommentOption = None) -> None:
    """Give the review due now (parts manager, then the station manager's meeting, then the accountant)."""
    from core.services.requests import review_request

    _decide(ctx, request, comment, review_request)


@request_app.command("approve")
def request_approve(ctx: typer.Context, request: str, comment: CommentOption = None) -> None:
    """Approve (station manager and service director, in either order)."""
    from core.services.requests import approve_request

    _decide(ctx, request, comment, approve_request)


@request_app.command("reject")
def request_reject(ctx: typer.Context, request: str,
                   comment: Annotated[str, typer.Option(help=_("Why it goes back to the planner."))]) -> None:
    """Send the draft back to the planner with the reason."""
    from core.services.requests import reject_request

    _decide(ctx, request, comment, reject_request)


@request_app.command("resubmit")
def request_resubmit(ctx: typer.Context, request: str, comment: CommentOption = None) -> None:
    """Send a returned draft back to the parts manager's review (the planner, after the rejection's reason)."""
    from core.services.requests import resubmit_request

    _decide(ctx, request, comment, resubmit_request)


@request_app.command("export")
def request_export(ctx: typer.Context, request: str,
                   out: Annotated[Path, typer.Option("--out", help=_("The .xlsx file to write."))],
                   force: ForceOption = False) -> None:
    """The draft as an XLSX sheet for the planner's spreadsheet."""
    from core.services.requests import export_request

    if out.suffix.lower() != ".xlsx":
        raise BadInput(_("the sheet is written as .xlsx, not {name}").format(name=out.name))
    with state(ctx).database().reading() as uow:
        written = export_request(request, out, uow=uow, force=force)
    say(_("written to {path}").format(path=written))


@request_app.command("import")
def request_import(ctx: typer.Context, request: str, file: Path) -> None:
    """Take back the adjusted quantities and reasons; refused whole if the sheet does not match the draft."""
    from core.services.requests import import_request

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = import_request(request, file, actor=cli.actor(uow), uow=uow)
    say(_("{number} is {state}").format(number=info.number, state=labels.label(labels.REQUEST_STATE, info.state)))


# -- orders ------------------------------------------------------------------------------------


@po_app.command("from-request")
def po_from_request(ctx: typer.Context, request: str, json: JsonOption = False) -> None:
    """One order per supplier from an approved draft (planner): approved by the draft's chain, sent with `po send`."""
    from core.services.ordering import orders_from_request, request_redirects
    from core.services.supersession import redirect_notes

    cli = state(ctx)
    with cli.database().writing() as uow:
        redirected = request_redirects(request, uow=uow)
        orders = orders_from_request(request, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"pos": orders, "redirected": {old: list(new) for old, new in redirected.items()}})
    else:
        for note in redirect_notes(redirected):
            say(note)
        for number in orders:
            say(number)


@po_app.command("export")
def po_export(ctx: typer.Context, po: str,
              out: Annotated[Path, typer.Option("--out", help=_("The .csv or .xlsx file to write."))],
              force: ForceOption = False) -> None:
    """The order file for the manufacturer (CSV or XLSX by the extension)."""
    from core.services.ordering import export_order

    with state(ctx).database().reading() as uow:
        written = export_order(po, out, uow=uow, force=force)
    say(_("written to {path}").format(path=written))


@po_app.command("chase")
def po_chase(
    ctx: typer.Context, po: str,
    note: Annotated[str, typer.Option(help=_("Who was called and what they said."))],
    eta: Annotated[Optional[str], typer.Option(help=_("The ETA they gave, e.g. '2026-12-01'."))] = None,
) -> None:
    """Log a follow-up (催货) on an order in transit."""
    from core.services.ordering import chase_order
    from core.services.shortages import parse_eta

    cli = state(ctx)
    when = parse_eta(eta) if eta else None
    with cli.database().writing() as uow:
        info = chase_order(po, note, eta=when, actor=cli.actor(uow), uow=uow)
    say(_("{number} chased; ETA {eta}").format(number=info.number, eta=local(info.eta) if info.eta else "-"))


@po_app.command("transit")
def po_transit(ctx: typer.Context, json: JsonOption = False) -> None:
    """Orders in transit with their ETA, when last chased and how many days late."""
    from core.services.ordering import transit_orders

    with state(ctx).database().reading() as uow:
        rows = transit_orders(uow=uow)
    if json:
        emit_json([{"po": t.number, "supplier": t.supplier, "state": t.state, "created_at": iso(t.created_at),
                    "eta": _when(t.eta), "last_chased": _when(t.last_chased), "last_note": t.last_note,
                    "days_late": str(t.days_late), "outstanding_lines": str(t.outstanding_lines)} for t in rows])
        return
    table(None, [_("order"), _("supplier"), _("state"), _("created"), _("eta"), _("last chased"), _("days late")],
          [[t.number, t.supplier, labels.label(labels.ORDER_STATE, t.state), local(t.created_at),
            local(t.eta) if t.eta else "-",
            local(t.last_chased) if t.last_chased else "-", t.days_late or ""] for t in rows], right={6})


# -- parts and settings ------------------------------------------------------------------------


def part_set_supplier(
    ctx: typer.Context, part_no: str,
    supplier: Annotated[Optional[str], typer.Argument(help=_("Supplier code; leave out for the manufacturer."))] = None,
) -> None:
    """Name the supplier a part is ordered from (planner, parts manager)."""
    from core.services.purchasing import set_part_supplier

    cli = state(ctx)
    with cli.database().writing() as uow:
        named = set_part_supplier(part_no, supplier, actor=cli.actor(uow), uow=uow)
    say(_("{part_no} is ordered from {supplier}").format(part_no=part_no.upper(),
                                                         supplier=named or _("the manufacturer")))


@setting_app.command("show")
def setting_show(ctx: typer.Context, json: JsonOption = False) -> None:
    """Every station setting and what it means."""
    from core.records.settings import SETTINGS
    from core.services.settings import get_settings

    with state(ctx).database().reading() as uow:
        values = get_settings(uow=uow)
    if json:
        emit_json(values)
    else:
        table(None, [_("setting"), _("current value"), _("meaning")],
              [[key, values[key], _(spec.meaning)] for key, spec in SETTINGS.items()])


@setting_app.command("set")
def setting_set(ctx: typer.Context, key: str, value: str) -> None:
    """Change a station setting (admin)."""
    from core.services.settings import set_setting

    cli = state(ctx)
    with cli.database().writing() as uow:
        stored = set_setting(key, value, actor=cli.actor(uow), uow=uow)
    say(f"{key} = {stored}")
