"""Stock corrections and transfers on the command line: `stock adjust … --reason CODE`, `stock reasons`, `stock approve`
and `stock refuse` (adjustments above the value limit), `stock release` (quarantine back to a bin), and the
`transfer` group (调拨单: create, check, refuse, cancel, show, list).

The names and JSON keys are issue 15's contract: `transfer create` gives {"transfer": "TRF-…"}.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from core import labels
from core.decimals import fmt_money, fmt_qty
from core.i18n import _
from tui.cli_support import emit_json, iso, local, say, state, table

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]
transfer_app = typer.Typer(help=_("Transfers between bins (调拨单): entered, then checked by a second person."),
                           rich_markup_mode=None)


# -- adjustments -------------------------------------------------------------------------------


def _adjusted_document(done) -> dict:
    return {"document": done.document, "part_no": done.part_no, "qty": fmt_qty(done.qty), "state": done.state,
            "reason": done.reason, "value": fmt_money(done.value), "lots": [str(lot) for lot in done.lots]}


def _say_adjusted(done, location: str | None = None) -> None:
    state_label = labels.label(labels.ADJUSTMENT_STATE, done.state)
    where = _(" at {location}").format(location=location.upper()) if location else ""
    say(_("{document}: {part_no} {qty}{where}, {reason}: {state}").format(
        document=done.document, part_no=done.part_no, qty=fmt_qty(done.qty), where=where,
        reason=labels.label(labels.ADJUST_REASON, done.reason), state=state_label))
    if done.state == "pending":
        say(_("worth {value}, above the station's limit: it waits for the parts manager's and the accountant's "
              "approval (partsdesk stock approve {document})").format(value=fmt_money(done.value),
                                                                     document=done.document))


def stock_adjust(
    ctx: typer.Context,
    part_no: str,
    location: Annotated[str, typer.Option(help=_("The location adjusted."))],
    qty: Annotated[str, typer.Option(help=_("Positive: a new lot (opening balance); negative: taken oldest first."))],
    reason: Annotated[str, typer.Option(help=_("Why: a code from `partsdesk stock reasons`."))],
    note: Annotated[Optional[str], typer.Option(help=_("A note beside the reason."))] = None,
    unit_cost: Annotated[
        Optional[str], typer.Option("--unit-cost", help=_("Cost of a new lot (default: list price)."))
    ] = None,
    json: JsonOption = False,
) -> None:
    """Correct stock with a reason code (parts manager); above adjust_value_limit it waits for approval."""
    from core.services.adjustments import adjust

    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        done = adjust(part_no, qty, location=location, reason=reason, note=note, unit_cost=unit_cost, actor=actor,
                      uow=uow)
    if json:
        emit_json(_adjusted_document(done))
    else:
        _say_adjusted(done, location)


def stock_reasons(ctx: typer.Context, json: JsonOption = False) -> None:
    """The reasons an adjustment may give, with their labels."""
    from core.services.adjustments import reasons

    del ctx  # a command of the stock group like the others (its help is extracted by tui.babel_extract)

    codes = reasons()
    if json:
        emit_json([{"code": code, "label": labels.label(labels.ADJUST_REASON, code)} for code in codes])
    else:
        table(None, [_("code"), _("reason")], [[code, labels.label(labels.ADJUST_REASON, code)] for code in codes])


def stock_approve(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """Approve an adjustment waiting for approval (parts manager, accountant); with both, it posts."""
    from core.services.adjustments import approve_adjustment

    cli = state(ctx)
    with cli.database().writing() as uow:
        done = approve_adjustment(number, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(_adjusted_document(done))
    else:
        _say_adjusted(done)


def stock_refuse(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """Refuse an adjustment waiting for approval: nothing moves."""
    from core.services.adjustments import refuse_adjustment

    cli = state(ctx)
    with cli.database().writing() as uow:
        done = refuse_adjustment(number, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(_adjusted_document(done))
    else:
        _say_adjusted(done)


def stock_pending(ctx: typer.Context, json: JsonOption = False) -> None:
    """The adjustments waiting for approval, oldest first."""
    from core.services.adjustments import pending_adjustments

    with state(ctx).database().reading() as uow:
        rows = pending_adjustments(uow=uow)
    if json:
        emit_json([{"document": r.number, "part_no": r.part_no, "location": r.location, "qty": fmt_qty(r.qty),
                    "value": fmt_money(r.value), "reason": r.reason, "note": r.note, "entered_by": r.entered_by,
                    "entered_at": iso(r.entered_at), "parts_manager": r.manager, "accountant": r.accountant}
                   for r in rows])
    else:
        table(None, [_("document"), _("part no"), _("location"), _("qty"), _("value"), _("reason"), _("entered by"),
                     _("approved by")],
              [[r.number, r.part_no, r.location, fmt_qty(r.qty), fmt_money(r.value),
                labels.label(labels.ADJUST_REASON, r.reason), r.entered_by,
                ", ".join(code for code in (r.manager, r.accountant) if code)] for r in rows], right={3, 4})


def stock_release(
    ctx: typer.Context,
    part_no: str,
    to: Annotated[str, typer.Option("--to", help=_("The bin the units go back to."))],
    qty: Annotated[str, typer.Option(help=_("How many units leave quarantine."))],
    note: Annotated[Optional[str], typer.Option(help=_("Why they are fit after all."))] = None,
    json: JsonOption = False,
) -> None:
    """Return quarantined units to a bin (parts manager): a transfer that moves once a second person checks it."""
    from core.services.transfers import release

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = release(part_no, qty, to_location=to, note=note, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"transfer": info.number})
    else:
        _say_transfer(info)


# -- transfers ---------------------------------------------------------------------------------


def _transfer_document(info) -> dict:
    return {
        "transfer": info.number, "part_no": info.part_no, "name": info.name, "from": info.from_location,
        "to": info.to_location, "to_station": info.to_station, "qty": fmt_qty(info.qty), "state": info.state,
        "release": info.release, "from_station": info.from_station, "direction": info.direction,
        "entered_by": info.entered_by, "entered_at": iso(info.entered_at), "checked_by": info.decided_by,
        "decided_at": iso(info.decided_at) if info.decided_at else None, "note": info.note,
        "lots": [{"from_lot": str(lot.from_lot), "to_lot": str(lot.to_lot), "qty": fmt_qty(lot.qty),
                  "unit_cost": fmt_money(lot.unit_cost), "received_at": iso(lot.received_at)} for lot in info.lots],
    }


def _say_transfer(info) -> None:
    say(_("{number}: {part_no} {qty} from {source} to {target}: {state}").format(
        number=info.number, part_no=info.part_no, qty=fmt_qty(info.qty), source=info.source,
        target=info.destination, state=labels.label(labels.TRANSFER_STATE, info.state)))


@transfer_app.command("create")
def transfer_create(
    ctx: typer.Context,
    part_no: str,
    source: Annotated[str, typer.Option("--from", help=_("The bin the units leave."))],
    target: Annotated[str, typer.Option("--to", help=_("The bin they go to."))],
    qty: Annotated[str, typer.Option(help=_("How many units."))],
    note: Annotated[Optional[str], typer.Option(help=_("A note on the transfer note."))] = None,
    to_station: Annotated[Optional[str], typer.Option(
        "--to-station", help=_("Another station of the dealer group (its PostgreSQL schema): --to is its bin."),
    )] = None,
    json: JsonOption = False,
) -> None:
    """Enter a transfer note (storekeeper, 一审): stock moves only when a second person checks it."""
    from core.services.transfers import create_transfer

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = create_transfer(part_no, qty, from_location=source, to_location=target, note=note,
                               to_station=to_station, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"transfer": info.number})
    else:
        _say_transfer(info)


# One decision on a waiting transfer (check, refuse, cancel) in a write, then the note as it is left. No docstring:
# the catalogue's extractor takes every docstring of the CLI modules as a command's help.
def _decide(ctx: typer.Context, json: bool, step) -> None:
    cli = state(ctx)
    with cli.database().writing() as uow:
        info = step(actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(_transfer_document(info))
    else:
        _say_transfer(info)


@transfer_app.command("check")
def transfer_check(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """Check a transfer (二审: dispatch checker or parts manager, not the one who entered it): the stock moves."""
    from core.services.transfers import check_transfer

    _decide(ctx, json, lambda **kw: check_transfer(number, **kw))


@transfer_app.command("refuse")
def transfer_refuse(
    ctx: typer.Context, number: str,
    note: Annotated[Optional[str], typer.Option(help=_("Why it is refused."))] = None,
    json: JsonOption = False,
) -> None:
    """Refuse a transfer waiting for its check: nothing moves."""
    from core.services.transfers import refuse_transfer

    _decide(ctx, json, lambda **kw: refuse_transfer(number, note=note, **kw))


@transfer_app.command("cancel")
def transfer_cancel(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """Withdraw a transfer you entered, before its check: nothing moves."""
    from core.services.transfers import cancel_transfer

    _decide(ctx, json, lambda **kw: cancel_transfer(number, **kw))


@transfer_app.command("show")
def transfer_show(ctx: typer.Context, number: str, json: JsonOption = False) -> None:
    """A transfer note and, once checked, the lots it split."""
    from core.services.transfers import show_transfer

    with state(ctx).database().reading() as uow:
        info = show_transfer(number, uow=uow)
    if json:
        emit_json(_transfer_document(info))
        return
    _say_transfer(info)
    say(_("direction: {direction}").format(direction=labels.label(labels.TRANSFER_DIRECTION, info.direction)))
    if info.from_station:  # who entered it is an operator of the sending station
        say(_("entered by {who} at station {station} {at}").format(
            who=info.entered_by, station=info.from_station, at=local(info.entered_at)))
    else:
        say(_("entered by {who} {at}").format(who=info.entered_by, at=local(info.entered_at)))
    if info.decided_by:
        say(_("decided by {who} {at}").format(who=info.decided_by, at=local(info.decided_at)))
    if info.note:
        say(_("note: {note}").format(note=info.note))
    if info.lots:
        table(None, [_("from lot"), _("to lot"), _("qty"), _("unit cost"), _("received")],
              [[str(lot.from_lot), str(lot.to_lot), fmt_qty(lot.qty), fmt_money(lot.unit_cost),
                local(lot.received_at)] for lot in info.lots], right={2, 3})


@transfer_app.command("list")
def transfer_list(
    ctx: typer.Context,
    state_: Annotated[Optional[str], typer.Option("--state", help=_("Only transfers in this state."))] = None,
    json: JsonOption = False,
) -> None:
    """Transfer notes, newest first."""
    from core.services.transfers import list_transfers

    with state(ctx).database().reading() as uow:
        rows = list_transfers(uow=uow, state=state_)
    if json:
        emit_json([_transfer_document(info) for info in rows])
    else:
        table(None, [_("transfer"), _("part no"), _("qty"), _("from"), _("to"), _("state"), _("entered by")],
              [[i.number, i.part_no, fmt_qty(i.qty), i.source, i.destination,
                labels.label(labels.TRANSFER_STATE, i.state), i.entered_by] for i in rows], right={2})


def register(app: typer.Typer, stock_app: typer.Typer) -> None:
    """Add the stock corrections to `stock` and the `transfer` group to the app."""
    stock_app.command("adjust")(stock_adjust)
    stock_app.command("reasons")(stock_reasons)
    stock_app.command("approve")(stock_approve)
    stock_app.command("refuse")(stock_refuse)
    stock_app.command("pending")(stock_pending)
    stock_app.command("release")(stock_release)
    app.add_typer(transfer_app, name="transfer")
