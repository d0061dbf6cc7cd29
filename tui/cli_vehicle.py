"""`partsdesk vehicle …`: parts taken off a new vehicle (拆新车) against its VIN, put back (负入库), and the vehicles
with parts still taken off."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from core.decimals import fmt_qty
from core.i18n import _
from tui.cli_support import emit_json, iso, local, say, state, table

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]
LineOption = Annotated[list[str], typer.Option("--line", help=_("A part and its quantity, PART_NO:QTY (repeat)."))]

vehicle_app = typer.Typer(help=_("Parts taken off a new vehicle (拆新车) against its VIN."), rich_markup_mode=None)


@vehicle_app.command("take")
def vehicle_take(ctx: typer.Context, vin: str, line: LineOption,
                 location: Annotated[str, typer.Option("--location", help=_("The bin the parts go into."))],
                 json: JsonOption = False) -> None:
    """Receive parts taken off a new vehicle against its VIN, into lots of their own (storekeeper, parts manager)."""
    from core.services.vehicles import take

    cli = state(ctx)
    with cli.database().writing() as uow:
        done = take(vin, line, location=location, actor=cli.actor(uow), uow=uow)
    _done(done, json, _("{document}: {count} parts taken off {vin} received"))


@vehicle_app.command("restore")
def vehicle_restore(ctx: typer.Context, vin: str, line: LineOption, json: JsonOption = False) -> None:
    """Put parts back on a new vehicle: a negative receipt (负入库) against its VIN (storekeeper, parts manager)."""
    from core.services.vehicles import restore

    cli = state(ctx)
    with cli.database().writing() as uow:
        done = restore(vin, line, actor=cli.actor(uow), uow=uow)
    _done(done, json, _("{document}: {count} parts put back on {vin}"))


def _done(done, json: bool, message: str) -> None:
    if json:
        emit_json({"document": done.document, "vin": done.vin,
                   "lines": [{"part_no": p, "qty": fmt_qty(q)} for p, q in done.lines]})
    else:
        say(message.format(document=done.document, count=len(done.lines), vin=done.vin))


@vehicle_app.command("list")
def vehicle_list(ctx: typer.Context,
                 vin: Annotated[Optional[str], typer.Option("--vin", help=_("Only this vehicle."))] = None,
                 json: JsonOption = False) -> None:
    """Vehicles with parts still taken off: VIN, part, taken, put back, outstanding and the date, oldest first."""
    from core.services.vehicles import taken_off

    with state(ctx).database().reading() as uow:
        rows = taken_off(uow=uow, vin=vin)
    if json:
        emit_json([{"vin": r.vin, "part_no": r.part_no, "taken": fmt_qty(r.taken), "restored": fmt_qty(r.restored),
                    "outstanding": fmt_qty(r.outstanding), "date": iso(r.taken_at)} for r in rows])
        return
    if not rows:
        say(_("no vehicle has parts taken off"))
        return
    table(None, [_("VIN"), _("part no"), _("taken"), _("put back"), _("outstanding"), _("date")],
          [[r.vin, r.part_no, fmt_qty(r.taken), fmt_qty(r.restored), fmt_qty(r.outstanding), local(r.taken_at)]
           for r in rows], right={2, 3, 4})


def register(app: typer.Typer) -> None:
    """Add the vehicle commands to the top-level app."""
    app.add_typer(vehicle_app, name="vehicle")
