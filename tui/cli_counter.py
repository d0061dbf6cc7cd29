"""CLI commands for the counter: repair orders, requisitions (issue) and returns.

`partsdesk ro …` follows a car from intake to settlement; `partsdesk requisition write RO --line …` (parts
clerk) writes a requisition that reserves the parts and `partsdesk requisition issue REQ --to MECH` (storekeeper)
issues it oldest first; `partsdesk issue RO --line … --to MECH` is the one-step form where the station allows
it; `partsdesk return REQ --line …` takes intact parts back (a damaged one is refused: `partsdesk ro
damage-report` records it) and `partsdesk return show RET` shows a return slip (the `return` group runs its
`take` command when the first word is not one of its commands, and its --help is take's, with `show` listed
after). The mechanic who signs confirms with his own PIN: --confirm-pin, PARTSDESK_PIN_<CODE> or a hidden prompt,
never the acting operator's PARTSDESK_PIN.
"""

from __future__ import annotations

import os
import shlex
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from core import labels
from core.decimals import fmt_money, fmt_qty
from core.i18n import _
from core.textwidth import cell_width
from tui.cli_support import ENV_PIN, ask_pin, emit_json, iso, local, say, state, table, warn_visible_pin
from tui.cli_words import USAGE

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]
WidthOption = Annotated[int, typer.Option("--width", min=64, max=200, help=_("Width of the printed slip in columns."))]
ConfirmPin = Annotated[Optional[str], typer.Option(
    "--confirm-pin", help=_("The mechanic's PIN (default: PARTSDESK_PIN_<CODE>, else asked without echo)."))]


class ReturnGroup(TyperGroup):
    """`return REQ --line …` (the hidden `take` command) beside `return show RET`."""

    default_command = "take"

    def parse_args(self, ctx, args):
        """Run `take` when the first word is a requisition number rather than a command."""
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx, formatter) -> None:
        """`partsdesk return REQ [OPTIONS]`, then `partsdesk return show RET`."""
        formatter.write_usage(ctx.command_path, _("REQ --line PART_NO:QTY … [OPTIONS]"))
        formatter.write_usage(ctx.command_path, _("show RET [OPTIONS]"), prefix=" " * cell_width(_(USAGE) + " "))

    def format_options(self, ctx, formatter) -> None:
        """The options of `return REQ` (take's), then the group's commands (show)."""
        take = self.commands[self.default_command]
        take.format_options(type(ctx)(take, info_name=ctx.info_name, parent=ctx.parent), formatter)
        self.format_commands(ctx, formatter)


class ReturnTake(TyperCommand):
    """`return REQ …`: its usage says so, not `return take`, the name it runs under."""

    def format_usage(self, ctx, formatter) -> None:
        """`partsdesk return REQ --line PART_NO:QTY … [OPTIONS]`."""
        path = ctx.parent.command_path if ctx.parent is not None else ctx.command_path
        formatter.write_usage(path, _("REQ --line PART_NO:QTY … [OPTIONS]"))


ro_app = typer.Typer(help=_("Repair orders (任务委托书): intake to delivery and settlement."), rich_markup_mode=None)
requisition_app = typer.Typer(help=_("Requisitions (领料单): parts issued against repair orders."),
                              rich_markup_mode=None)
return_app = typer.Typer(
    cls=ReturnGroup, rich_markup_mode=None,
    help=_("Returns (退料单): `partsdesk return REQ --line PART_NO:QTY …` takes parts confirmed intact back on "
           "requisition REQ, signed by the mechanic; a part found damaged (--damaged) is refused and stays "
           "consumed on the repair order (`partsdesk ro damage-report` records it). `partsdesk return show RET` "
           "shows a return slip."),
)


def register(app: typer.Typer) -> None:
    """Add the counter commands to the top-level app."""
    app.add_typer(ro_app, name="ro")
    app.add_typer(requisition_app, name="requisition")
    app.add_typer(return_app, name="return")
    app.command("issue")(issue)


def confirm_pin(code: str, given: str | None) -> str:
    """The signing mechanic's PIN: --confirm-pin, else PARTSDESK_PIN_<CODE>, else asked without echo."""
    if given:
        warn_visible_pin("--confirm-pin", f"{ENV_PIN}_{code}")
        return given
    pin = os.environ.get(f"{ENV_PIN}_{code}")
    if pin:
        return pin
    return ask_pin(_("PIN for {code} (the mechanic signs)").format(code=code), code)


# -- repair orders -----------------------------------------------------------------------------


def _person(person) -> dict | None:
    return None if person is None else {"code": person.code, "name": person.name}


def _when(at) -> str | None:
    return None if at is None else iso(at)


def ro_document(view) -> dict:
    """A repair order as `ro show --json` prints it."""
    return {
        "ro": view.ro_no,
        "state": view.state,
        "state_at": iso(view.state_at),
        "next_states": [s.value for s in view.next_states],
        "opened_at": iso(view.opened_at),
        "advisor": _person(view.advisor),
        "technician": _person(view.technician),
        "customer": {"name": view.customer_name, "phone": view.customer_phone, "address": view.customer_address},
        "vehicle": {"vin": view.vin, "plate": view.plate, "series": view.series, "mileage": str(view.mileage)},
        "complaint": view.complaint,
        "inspection": {"notes": view.inspection, "checklist": dict(view.checklist)},
        "warranty": None if view.warranty is None else {"decision": view.warranty, "reason": view.warranty_reason},
        "sent_out": None if view.outside_repairer is None else {
            "repairer": view.outside_repairer, "out_at": _when(view.sent_out_at), "back_at": _when(view.back_at)},
        "reinspection": None if view.reinspection is None else {
            "result": view.reinspection, "at": _when(view.reinspected_at), "by": _person(view.reinspected_by)},
        "customer_confirmed": None if view.customer_confirmed_at is None else {
            "at": iso(view.customer_confirmed_at), "by": _person(view.customer_confirmed_by)},
        "settled": None if view.settled_at is None else {"at": iso(view.settled_at), "by": _person(view.settled_by)},
        "notes": [{"at": iso(e.at), "by": e.operator.code, "text": e.text} for e in view.notes],
        "history": [{"at": iso(e.at), "by": e.operator.code, "kind": e.kind, "from": e.from_state,
                     "to": e.to_state, "text": e.text} for e in view.events],
        "documents": [{"number": d.number, "kind": d.kind, "at": iso(d.at), "requisition": d.requisition,
                       "on_requisition": d.on_requisition, "mechanic": d.mechanic.code,
                       "storekeeper": d.storekeeper.code, "lines": str(d.lines), "value": fmt_money(d.value)}
                      for d in view.documents],
        "parts_cost": fmt_money(view.parts_cost),
        "damage_reports": [{"part_no": d.part_no, "note": d.note, "by": d.by.code, "at": iso(d.at)}
                           for d in view.damage_reports],
        **_charges(view),
    }


def _charges(view) -> dict:
    # The parts charged by payer and their cost (tui.cli_price): `charges`, `cost`, `charge_lines`.
    from tui.cli_price import charges_document

    return charges_document(view.charges) if view.charges is not None else {}


def _say_ro(view) -> None:
    from core.intake import checklist_title
    from core.repair_states import state_title

    say(f"{view.ro_no}  {state_title(view.state)}  {_('since')} {local(view.state_at)}")
    say(_("customer: {name}, {phone}{address}").format(
        name=view.customer_name, phone=view.customer_phone,
        address=f", {view.customer_address}" if view.customer_address else ""))
    say(_("vehicle: VIN {vin}, plate {plate}, {series}, {mileage} km").format(
        vin=view.vin, plate=view.plate, series=view.series, mileage=view.mileage))
    say(_("complaint: {text}").format(text=view.complaint))
    if view.inspection:
        say(_("inspection: {text}").format(text=view.inspection))
    if view.checklist:
        say(_("checklist: {items}").format(items=", ".join(
            f"{checklist_title(item)} {'✓' if present else '✗'}" for item, present in view.checklist.items())))
    say(_("advisor: {advisor}; technician: {technician}").format(
        advisor=f"{view.advisor.code} {view.advisor.name}",
        technician=f"{view.technician.code} {view.technician.name}" if view.technician else _("none yet")))
    if view.warranty:
        say(_("warranty: {decision} ({reason})").format(
            decision=labels.label(labels.WARRANTY, view.warranty), reason=view.warranty_reason))
    if view.outside_repairer:
        say(_("sent out to {repairer}: out {out}, back {back}").format(
            repairer=view.outside_repairer, out=local(view.sent_out_at),
            back=local(view.back_at) if view.back_at else _("not yet")))
    if view.reinspection:
        say(_("re-inspection: {result} ({who}, {at})").format(
            result=view.reinspection, who=view.reinspected_by.code, at=local(view.reinspected_at)))
    if view.customer_confirmed_at:
        say(_("customer confirmed: {at}, recorded by {who}").format(
            at=local(view.customer_confirmed_at), who=view.customer_confirmed_by.code))
    if view.settled_at:
        say(_("settled: {at} by {who}").format(at=local(view.settled_at), who=view.settled_by.code))
    if view.next_states:
        say(_("next: {states}").format(states=labels.labels(labels.REPAIR_STATE, view.next_states)))
    table(_("history"), [_("at"), _("by"), _("what"), _("note")],
          [[local(e.at), e.operator.code, _event_title(e), e.text or ""] for e in view.events])
    if view.documents:
        table(_("documents"), [_("number"), _("at"), _("mechanic"), _("lines"), _("value")],
              [[d.number, local(d.at), d.mechanic.code, d.lines, fmt_money(d.value)] for d in view.documents],
              right={3, 4})
        say(_("parts, net of returns: {cost}").format(cost=fmt_money(view.parts_cost)))
    if view.charges is not None and view.charges.lines:
        from tui.cli_price import charges_line

        say(charges_line(view.charges))
    if view.damage_reports:
        table(_("damaged parts reported (not returned)"), [_("at"), _("by"), _("part no"), _("name"), _("note")],
              [[local(d.at), d.by.code, d.part_no, d.name_zh or d.name, d.note] for d in view.damage_reports])


def _event_title(event) -> str:
    if event.kind == "state":
        return " → ".join(labels.label(labels.REPAIR_STATE, s) for s in (event.from_state, event.to_state))
    return {"opened": _("opened"), "assigned": _("technician"), "note": _("note"),
            "warranty": _("warranty")}.get(event.kind, event.kind)


def _done(view, json: bool, message: str) -> None:
    if json:
        emit_json(ro_document(view))
    else:
        say(message)


@ro_app.command("open")
def ro_open(
    ctx: typer.Context,
    customer: Annotated[str, typer.Option(help=_("The customer's name."))],
    phone: Annotated[str, typer.Option(help=_("The customer's phone."))],
    vin: Annotated[str, typer.Option(help=_("The vehicle's VIN (17 characters, no I, O or Q)."))],
    plate: Annotated[str, typer.Option(help=_("The licence plate."))],
    series: Annotated[str, typer.Option(help=_("The vehicle's model series."))],
    mileage: Annotated[str, typer.Option(help=_("The odometer in km."))],
    complaint: Annotated[str, typer.Option(help=_("What the customer reports."))],
    inspection: Annotated[Optional[str], typer.Option(help=_("Intake inspection: appearance notes."))] = None,
    address: Annotated[Optional[str], typer.Option(help=_("The customer's address."))] = None,
    present: Annotated[Optional[list[str]], typer.Option(
        "--present", help=_("A checklist item found in the car (spare_wheel, jack, …); repeat."))] = None,
    absent: Annotated[Optional[list[str]], typer.Option(
        "--absent", help=_("A checklist item missing from the car; repeat."))] = None,
    json: JsonOption = False,
) -> None:
    """Open a repair order at intake (advisor); prints its number."""
    from core.services.repair_orders import open_repair_order

    checklist = {item.strip().lower(): True for item in present or []}
    checklist.update({item.strip().lower(): False for item in absent or []})
    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        view = open_repair_order(customer=customer, phone=phone, vin=vin, plate=plate, series=series,
                                 mileage=mileage, complaint=complaint, inspection=inspection, address=address,
                                 checklist=checklist, actor=actor, uow=uow)
    if json:
        emit_json({"ro": view.ro_no})
    else:
        say(view.ro_no)


@ro_app.command("assign")
def ro_assign(ctx: typer.Context, ro: str, tech: str, json: JsonOption = False) -> None:
    """Assign the technician (a mechanic) to a repair order (advisor)."""
    from core.services.repair_orders import assign_technician

    cli = state(ctx)
    with cli.database().writing() as uow:
        view = assign_technician(ro, tech, actor=cli.actor(uow), uow=uow)
    _done(view, json, _("{ro}: technician {code}").format(ro=view.ro_no, code=view.technician.code))


@ro_app.command("note")
def ro_note(ctx: typer.Context, ro: str, text: str, json: JsonOption = False) -> None:
    """Add a note to the technician's process record (technician or advisor)."""
    from core.services.repair_orders import add_note

    cli = state(ctx)
    with cli.database().writing() as uow:
        view = add_note(ro, text, actor=cli.actor(uow), uow=uow)
    _done(view, json, _("{ro}: note recorded").format(ro=view.ro_no))


@ro_app.command("warranty")
def ro_warranty(
    ctx: typer.Context,
    ro: str,
    reason: Annotated[str, typer.Option(help=_("Why it is in or out of warranty."))],
    in_warranty: Annotated[Optional[bool], typer.Option("--in/--out", help=_("In or out of warranty."))] = None,
    json: JsonOption = False,
) -> None:
    """Record the warranty decision after diagnosis (advisor): --in or --out, with the reason."""
    from core.errors import BadInput
    from core.services.repair_orders import record_warranty

    if in_warranty is None:
        raise BadInput(_("say --in or --out of warranty"))
    cli = state(ctx)
    with cli.database().writing() as uow:
        view = record_warranty(ro, in_warranty, reason, actor=cli.actor(uow), uow=uow)
    _done(view, json, _("{ro}: {decision} warranty").format(ro=view.ro_no, decision=view.warranty))


@ro_app.command("state")
def ro_state(
    ctx: typer.Context,
    ro: str,
    new_state: str,
    note: Annotated[Optional[str], typer.Option(
        help=_("A note; the re-inspection result before ready; the reason to cancel."))] = None,
    repairer: Annotated[Optional[str], typer.Option(help=_("The outside repairer (sent_out)."))] = None,
    customer_confirmed: Annotated[bool, typer.Option(
        "--customer-confirmed", help=_("The customer has confirmed the repair (delivered)."))] = False,
    json: JsonOption = False,
) -> None:
    """Move a repair order to NEW_STATE: diagnosing, in_repair, sent_out, reinspection, ready, delivered, cancelled."""
    from core.services.repair_orders import change_state

    cli = state(ctx)
    with cli.database().writing() as uow:
        view = change_state(ro, new_state, note=note, repairer=repairer, customer_confirmed=customer_confirmed,
                            actor=cli.actor(uow), uow=uow)
    _done(view, json, _("{ro}: {state}").format(ro=view.ro_no, state=labels.label(labels.REPAIR_STATE, view.state)))


@ro_app.command("settle")
def ro_settle(ctx: typer.Context, ro: str, json: JsonOption = False) -> None:
    """Settle (结算) a delivered repair order (advisor, accountant): refused while a requisition of it is written and
    not issued; the parts are recorded as charged by payer and the settlement slip (结算单) is printed; later returns
    get slips of their own."""
    from core.services.repair_orders import settle

    cli = state(ctx)
    with cli.database().writing() as uow:
        view = settle(ro, actor=cli.actor(uow), uow=uow)
    _done(view, json, _("{ro}: settled, parts net of returns {cost}").format(
        ro=view.ro_no, cost=fmt_money(view.parts_cost)))
    if not json:
        # The settlement slip (结算单), as `partsdesk print settlement RO` prints it again.
        from core.printing.documents import document_text

        with cli.database().reading() as uow:
            typer.echo(document_text("settlement", view.ro_no, uow=uow), nl=False)


@ro_app.command("damage-report")
def ro_damage_report(
    ctx: typer.Context,
    ro: str,
    part_no: str,
    note: Annotated[str, typer.Option(help=_("What is wrong with the part."))],
    json: JsonOption = False,
) -> None:
    """Report a part found damaged when it came back (storekeeper): refused as a return, it stays consumed on the
    repair order; the report is for the workshop's follow-up and moves no stock."""
    from core.services.repair_orders import report_damage

    cli = state(ctx)
    with cli.database().writing() as uow:
        view = report_damage(ro, part_no, note, actor=cli.actor(uow), uow=uow)
    _done(view, json, _("{ro}: damaged {part_no} reported").format(
        ro=view.ro_no, part_no=view.damage_reports[-1].part_no))


@ro_app.command("show")
def ro_show(ctx: typer.Context, ro: str, json: JsonOption = False) -> None:
    """A repair order: customer, vehicle, state, history, requisitions and returns."""
    from core.services.repair_orders import get_repair_order

    with state(ctx).database().reading() as uow:
        view = get_repair_order(ro, uow=uow)
    if json:
        emit_json(ro_document(view))
    else:
        _say_ro(view)


@ro_app.command("list")
def ro_list(
    ctx: typer.Context,
    state_: Annotated[Optional[str], typer.Option("--state", help=_("Only this state."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=_("Settled and cancelled ones too."))] = False,
    json: JsonOption = False,
) -> None:
    """Repair orders by state (settled and cancelled ones only with --all or --state)."""
    from core.services.repair_orders import list_repair_orders

    with state(ctx).database().reading() as uow:
        orders = list_repair_orders(uow=uow, state=state_, include_closed=all_)
    if json:
        emit_json([{"ro": o.ro_no, "state": o.state, "state_at": iso(o.state_at), "opened_at": iso(o.opened_at),
                    "customer": o.customer_name, "plate": o.plate, "vin": o.vin, "series": o.series,
                    "advisor": o.advisor, "technician": o.technician} for o in orders])
    else:
        table(None, [_("repair order"), _("state"), _("since"), _("plate"), _("series"), _("customer"),
                     _("technician")],
              [[o.ro_no, labels.label(labels.REPAIR_STATE, o.state), local(o.state_at), o.plate, o.series,
                o.customer_name, o.technician or "-"]
               for o in orders])


# -- issuing -----------------------------------------------------------------------------------


def issue(
    ctx: typer.Context,
    ro: str,
    line: Annotated[list[str], typer.Option("--line", help=_("PART_NO:QTY; repeat for each part."))],
    to: Annotated[str, typer.Option("--to", help=_("The mechanic who receives the parts and signs."))],
    confirm_pin_: ConfirmPin = None,
    json: JsonOption = False,
) -> None:
    """Issue parts in one step, oldest lot first, against an open repair order (storekeeper), where the setting
    separate_issue is off; the mechanic signs with his PIN. Else: `requisition write`, then `requisition issue`."""
    from core.counter_rules import signs_for_himself
    from core.services.requisitions import issue_requisition, parse_line

    lines = [parse_line(text) for text in line]
    mechanic = to.strip().upper()
    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        # Issuing to oneself is refused by the service; no PIN is asked for it.
        pin = "" if signs_for_himself(actor, mechanic) else confirm_pin(mechanic, confirm_pin_)
        issued = issue_requisition(ro, lines, mechanic=mechanic, mechanic_pin=pin, actor=actor, uow=uow)
    _say_issued(issued, json)


def _say_issued(issued, json: bool) -> None:
    """An issued requisition as `issue` and `requisition issue` print it: its number, or the lots taken."""
    if json:
        emit_json({"requisition": issued.number, "lines": [
            {"part_no": ln.part_no, "qty": fmt_qty(ln.qty), "taken": [
                {"lot": str(t.lot), "location": t.location, "qty": fmt_qty(t.qty), "unit_cost": fmt_money(t.unit_cost)}
                for t in ln.takes]}
            for ln in issued.lines]})
    else:
        say(issued.number)


@requisition_app.command("write")
def requisition_write(
    ctx: typer.Context,
    ro: str,
    line: Annotated[list[str], typer.Option("--line", help=_("PART_NO:QTY; repeat for each part."))],
    json: JsonOption = False,
) -> None:
    """Write a requisition from a repair order (parts clerk): its lines reserve the stock for that order until
    the storekeeper issues it (`requisition issue`) or it is cancelled."""
    from core.services.requisitions import parse_line
    from core.services.written_requisitions import write_requisition

    lines = [parse_line(text) for text in line]
    cli = state(ctx)
    with cli.database().writing() as uow:
        written = write_requisition(ro, lines, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"requisition": written.number, "state": written.state})
    else:
        say(_("{req} written for {ro}: {lines} reserved").format(
            req=written.number, ro=written.ro_no,
            lines=", ".join(f"{ln.part_no} × {fmt_qty(ln.qty)}" for ln in written.lines)))


@requisition_app.command("issue")
def requisition_issue(
    ctx: typer.Context,
    req: str,
    to: Annotated[str, typer.Option("--to", help=_("The mechanic who receives the parts and signs."))],
    confirm_pin_: ConfirmPin = None,
    json: JsonOption = False,
) -> None:
    """Issue a written requisition against its lines, oldest lot first (storekeeper); the mechanic checks the
    parts on the spot and signs with his PIN."""
    from core.counter_rules import signs_for_himself
    from core.services.written_requisitions import issue_written

    mechanic = to.strip().upper()
    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        pin = "" if signs_for_himself(actor, mechanic) else confirm_pin(mechanic, confirm_pin_)
        issued = issue_written(req, mechanic=mechanic, mechanic_pin=pin, actor=actor, uow=uow)
    _say_issued(issued, json)


@requisition_app.command("cancel")
def requisition_cancel(ctx: typer.Context, req: str, json: JsonOption = False) -> None:
    """Cancel a requisition not issued (parts clerk or storekeeper): its reservation is released."""
    from core.services.written_requisitions import cancel_requisition

    cli = state(ctx)
    with cli.database().writing() as uow:
        written = cancel_requisition(req, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"requisition": written.number, "state": written.state})
    else:
        say(_("{req} cancelled: its reservation is released").format(req=written.number))


def _written_document(written) -> dict:
    return {
        "requisition": written.number,
        "ro": written.ro_no,
        "state": written.state,
        "written_at": iso(written.written_at),
        "writer": _person(written.writer),
        "shortage": written.shortage,
        "closed_at": _when(written.closed_at),
        "closed_by": _person(written.closed_by),
        "lines": [{"line": str(ln.line_no), "part_no": ln.part_no, "name": ln.name, "name_zh": ln.name_zh,
                   "qty": fmt_qty(ln.qty)} for ln in written.lines],
    }


@requisition_app.command("list")
def requisition_list(
    ctx: typer.Context,
    ro: Annotated[Optional[str], typer.Option("--ro", help=_("Only this repair order's."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=_("Issued and cancelled ones too."))] = False,
    json: JsonOption = False,
) -> None:
    """Written requisitions waiting to be issued, oldest first (with --all, issued and cancelled ones too)."""
    from core.services.written_requisitions import list_written

    with state(ctx).database().reading() as uow:
        found = list_written(uow=uow, ro_no=ro, open_only=not all_)
    if json:
        emit_json([_written_document(w) for w in found])
        return
    table(None, [_("requisition"), _("repair order"), _("state"), _("written"), _("by"), _("lines")],
          [[w.number, w.ro_no, labels.label(labels.REQUISITION_STATE, w.state), local(w.written_at), w.writer.code,
            ", ".join(f"{ln.part_no} × {fmt_qty(ln.qty)}" for ln in w.lines)] for w in found])


def _requisition_document(view) -> dict:
    return {
        "requisition": view.number,
        "ro": view.ro.ro_no,
        "issued_at": iso(view.issued_at),
        "storekeeper": _person(view.storekeeper),
        "mechanic": _person(view.mechanic),
        "vehicle": {"vin": view.ro.vin, "plate": view.ro.plate, "series": view.ro.series},
        "lines": [{"line": str(ln.line_no), "part_no": ln.part_no, "name": ln.name, "name_zh": ln.name_zh,
                   "qty": fmt_qty(ln.qty), "cost": fmt_money(ln.cost),
                   "taken": [{"lot": str(t.lot), "location": t.location, "qty": fmt_qty(t.qty),
                              "unit_cost": fmt_money(t.unit_cost)} for t in ln.takes]}
                  for ln in view.lines],
        "returns": [{"return": r.ret_no, "at": iso(r.returned_at), "part_no": r.part_no, "qty": fmt_qty(-r.qty),
                     "lot": str(r.lot), "location": r.location, "unit_cost": fmt_money(r.unit_cost),
                     "cost": fmt_money(-r.cost), "damaged": r.damaged, "note": r.note} for r in view.returns],
        "return_slips": list(view.return_slips),
        "cost": fmt_money(view.cost),
        "net_cost": fmt_money(view.net_cost),
    }


@requisition_app.command("show")
def requisition_show(ctx: typer.Context, req: str, json: JsonOption = False, width: WidthOption = 80) -> None:
    """A requisition: the printable slip, or --json; returns before settlement show as negative lines."""
    from core.errors import NotFound
    from core.printing.documents import document_text
    from core.services.requisitions import get_requisition
    from core.services.written_requisitions import get_written

    with state(ctx).database().reading() as uow:
        try:
            written = get_written(req, uow=uow)
        except NotFound:  # issued in one step: never written
            written = None
        if written is not None and written.state != "issued":
            _say_written(written, json)
            return
        if json:
            emit_json(_requisition_document(get_requisition(req, uow=uow)))
            return
        text = document_text("requisition", req, uow=uow, width=width)
    typer.echo(text, nl=False)


def _say_written(written, json: bool) -> None:
    if json:
        emit_json(_written_document(written))
        return
    say(_("{req} for {ro}: {state}, written {at} by {code}").format(
        req=written.number, ro=written.ro_no, state=labels.label(labels.REQUISITION_STATE, written.state),
        at=local(written.written_at), code=written.writer.code))
    table(None, [_("part no"), _("name"), _("qty")],
          [[ln.part_no, ln.name_zh or ln.name, fmt_qty(ln.qty)] for ln in written.lines], right={2})


# -- returns -----------------------------------------------------------------------------------


@return_app.command("take", hidden=True, cls=ReturnTake)
def return_take(
    ctx: typer.Context,
    req: Annotated[str, typer.Argument(help=_("The requisition (REQ-…) the parts were issued on."))],
    line: Annotated[Optional[list[str]], typer.Option(
        "--line", help=_("PART_NO:QTY the storekeeper confirmed intact (完好无损); repeat."))] = None,
    damaged: Annotated[Optional[list[str]], typer.Option(
        "--damaged", help=_("PART_NO:QTY found damaged: refused as a return (nothing changes); it stays consumed "
                            "on the repair order."))] = None,
    reason: Annotated[Optional[str], typer.Option(help=_("Why the parts come back."))] = None,
    note: Annotated[Optional[str], typer.Option(
        help=_("What is wrong with a damaged part: the refusal names the damage report to record it with."))] = None,
    from_: Annotated[Optional[str], typer.Option(
        "--from", help=_("The mechanic who brings them back (default: the one who received them)."))] = None,
    confirm_pin_: ConfirmPin = None,
    json: JsonOption = False,
) -> None:
    """Take parts back on requisition REQ (storekeeper): each one confirmed intact goes back into the lot it came
    from, and the mechanic signs with his PIN; a damaged one is refused."""
    from core.counter_rules import signs_for_himself
    from core.errors import RuleViolation
    from core.services.requisitions import get_requisition, parse_line
    from core.services.returns import ReturnRequest, first_damaged, refused_damaged, take_back

    requests = [ReturnRequest(*parse_line(text)) for text in line or []]
    requests += [ReturnRequest(*parse_line(text), damaged=True) for text in damaged or []]
    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        requisition = get_requisition(req, uow=uow)
        part_no = first_damaged(requests)
        if part_no is not None:  # refused before the mechanic is asked for his PIN
            ro = requisition.ro.ro_no
            raise RuleViolation(refused_damaged(part_no, ro) + " " + _(
                "(partsdesk ro damage-report {ro} {part_no} --note {note})").format(
                ro=ro, part_no=part_no, note=shlex.quote(note) if note else "TEXT"))
        mechanic = (from_ or requisition.mechanic.code).strip().upper()
        pin = "" if signs_for_himself(actor, mechanic) else confirm_pin(mechanic, confirm_pin_)
        view = take_back(req, requests, mechanic=mechanic, mechanic_pin=pin, reason=reason, actor=actor, uow=uow)
    if json:
        emit_json(_return_document(view))
    else:
        say(view.number)


def _return_document(view) -> dict:
    return {
        "return": view.number,
        "requisition": view.requisition,
        "ro": view.ro.ro_no,
        "returned_at": iso(view.returned_at),
        "storekeeper": _person(view.storekeeper),
        "mechanic": _person(view.mechanic),
        "reason": view.reason,
        "on_requisition": view.on_requisition,
        "lines": [{"line": str(ln.line_no), "part_no": ln.part_no, "qty": fmt_qty(ln.qty), "lot": str(ln.lot),
                   "location": ln.location, "unit_cost": fmt_money(ln.unit_cost), "cost": fmt_money(ln.cost),
                   "damaged": ln.damaged, "note": ln.note} for ln in view.lines],
        "value": fmt_money(view.value),
    }


@return_app.command("show")
def return_show(ctx: typer.Context, ret: str, json: JsonOption = False, width: WidthOption = 80) -> None:
    """A return: the printable return slip, or --json."""
    from core.printing.documents import document_text
    from core.services.returns import get_return

    with state(ctx).database().reading() as uow:
        view = get_return(ret, uow=uow)
        text = None if json else document_text("return", view.number, uow=uow, width=width)
    if json:
        emit_json(_return_document(view))
        return
    if view.on_requisition:
        say(_("{ret} came back before settlement: it also stands as negative lines on {req}").format(
            ret=view.number, req=view.requisition))
    typer.echo(text, nl=False)
