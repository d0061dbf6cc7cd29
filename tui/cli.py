"""The `partsdesk` command line: the contract scripts rely on. With no subcommand it opens the TUI.

Every read command takes --json and then prints exactly one JSON document, numbers as strings.
Writes act as the operator named by --as or PARTSDESK_OPERATOR, signed with their PIN.
The language is chosen from --lang, PARTSDESK_LANG and the locale before the command line is parsed
(tui.cli_support.PartsdeskGroup.main), so help pages and usage errors speak it too; the help texts below are
read at import, before any language is chosen, and so hold the English messages it translates.
This module must not import Textual, SQLAlchemy or the tables: scripts start fast (tests/test_startup.py).
"""

from __future__ import annotations

import atexit
import copy
import importlib
import os
import sys
import threading
from pathlib import Path
from typing import Annotated, Optional

import typer

from core import labels
from core.decimals import fmt_money, fmt_qty
from core.i18n import _, language_name
from core.labels import part_name
from core.measures import unit_label
from tui import (
    cli_counter,
    cli_ledger,
    cli_params,
    cli_parts_supersession,
    cli_people,
    cli_planning,
    cli_price,
    cli_print,
    cli_receiving,
    cli_report,
    cli_safety,
    cli_sales,
    cli_stock,
    cli_stocktake,
    cli_vehicle,
)
from tui.cli_support import (
    LANG_OPTION,
    CliState,
    PartsdeskGroup,
    emit_json,
    iso,
    iso_from_utc,
    local,
    local_from_utc,
    new_pin_for,
    say,
    state,
    streamed,
    table,
    translate_help,
    warn_visible_pin,
)

cli_params.install()  # plain text and yes/no parameters coerced without pydantic (tui.cli_params)
app = typer.Typer(
    cls=PartsdeskGroup,
    help=_("partsdesk: the parts counter and warehouse desk of a service station."),
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(help=_("The database schema."), rich_markup_mode=None)
operator_app = typer.Typer(help=_("Operators: the people at the desk."), rich_markup_mode=None)
part_app = typer.Typer(help=_("The parts master."), rich_markup_mode=None)
location_app = typer.Typer(help=_("Warehouse locations (ZONE-ROW-SHELF-BIN)."), rich_markup_mode=None)
stock_app = typer.Typer(help=_("Stock on hand and corrections."), rich_markup_mode=None)
app.add_typer(db_app, name="db")
app.add_typer(operator_app, name="operator")
app.add_typer(part_app, name="part")
app.add_typer(location_app, name="location")
app.add_typer(stock_app, name="stock")

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: Annotated[
        Optional[str],
        typer.Option("--db", help=_("SQLAlchemy URL or SQLite file (default: PARTSDESK_DB, else the per-user file).")),
    ] = None,
    as_operator: Annotated[
        Optional[str], typer.Option("--as", help=_("Operator acting on a write (default: PARTSDESK_OPERATOR)."))
    ] = None,
    lang: Annotated[
        Optional[str],
        typer.Option(LANG_OPTION, metavar="zh_CN|en", help=_(
            "Language of messages and help (default: PARTSDESK_LANG, else LC_ALL, LC_MESSAGES or LANG, else "
            "English); JSON never changes with it.")),
    ] = None,
) -> None:
    """Open the TUI when no command is given."""
    # The language was chosen from the arguments before the command was parsed (PartsdeskGroup.main), so that
    # help and usage errors speak it too: the option is declared here for --help and for the parser.
    del lang
    ctx.obj = CliState(db, as_operator)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        # Imported by name so that importing this module never loads Textual.
        importlib.import_module("tui.app").run(ctx.obj.url())


# -- setting up --------------------------------------------------------------------------------


@app.command()
def init(
    ctx: typer.Context,
    admin: Annotated[Optional[str], typer.Option(help=_("Code of the first admin."))] = None,
    pin: Annotated[Optional[str], typer.Option(help=_("PIN of the first admin (4-12 digits)."))] = None,
    name: Annotated[str, typer.Option(help=_("Name of the first admin."))] = "Administrator",
) -> None:
    """Create the schema and the station's first admin."""
    from core.services.operators import create_first_admin
    from data.migrations import upgrade

    database = state(ctx).database(check_schema=False)
    upgrade(database.engine)
    if pin:
        warn_visible_pin("--pin")
    code = admin or typer.prompt(_("Code of the first admin"))
    # The option (warned about above), else PARTSDESK_PIN_<CODE>, else asked twice at a terminal.
    secret = new_pin_for(code.strip().upper(), pin)
    with database.writing() as uow:
        created = create_first_admin(code, name, secret, uow=uow)
    say(_("partsdesk is ready at {url}; first admin {code}").format(url=database.url, code=created.code))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the schema to this version of partsdesk."""
    from data.migrations import HEAD_REVISION, upgrade

    database = state(ctx).database(check_schema=False)
    before = database.schema_revision()
    upgrade(database.engine)
    say(_("schema at revision {head} (was {before})").format(head=HEAD_REVISION, before=before or _("empty")))


@db_app.command("status")
def db_status(ctx: typer.Context, json: JsonOption = False) -> None:
    """Where the database is and which schema revision it holds."""
    from data.migrations import HEAD_REVISION

    database = state(ctx).database(check_schema=False)
    revision = database.schema_revision()
    document = {"url": database.url, "revision": revision, "head": HEAD_REVISION, "current": revision == HEAD_REVISION}
    if json:
        emit_json(document)
    else:
        for key, value in document.items():
            say(f"{key}: {value}")


@app.command()
def demo(
    ctx: typer.Context,
    parts: Annotated[int, typer.Option(min=12, max=500000, help=_("How many parts the demo station holds."))] = 2000,
) -> None:
    """Fill the database with a realistic, deterministic demo station (operators' PINs in the README)."""
    from data.demo import seed_demo

    database = state(ctx).database(check_schema=False)
    result = seed_demo(database, parts=parts)
    if result.already:
        say(_("{url} already holds the demo station").format(url=database.url))
    else:
        say(_("demo station ready at {url}: {parts} parts, {lots} lots, {operators} operators (PIN 1234)").format(
            url=database.url, parts=result.parts, lots=result.lots, operators=result.operators))


# -- operators ---------------------------------------------------------------------------------


@operator_app.command("add")
def operator_add(
    ctx: typer.Context,
    code: str,
    name: Annotated[str, typer.Option(help=_("Full name."))],
    role: Annotated[list[str], typer.Option(help=_("A role; repeat for several."))],
    pin: Annotated[
        Optional[str], typer.Option(help=_("The new operator's PIN (default: PARTSDESK_PIN_<CODE>, else asked twice)."))
    ] = None,
    lang: Annotated[
        Optional[str],
        typer.Option(LANG_OPTION, metavar="zh_CN|en", help=_("The operator's language (default: the station's "
                                                             "setting `language`).")),
    ] = None,
) -> None:
    """Add an operator with roles and a PIN (admin)."""
    from core.services.operators import add_operator

    if pin:  # before anything can fail: it was on the command line either way
        warn_visible_pin("--pin", "PARTSDESK_PIN_<CODE>")
    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        secret = new_pin_for(code.strip().upper(), pin)
        added = add_operator(code, name, role, secret, actor=actor, uow=uow, language=lang)
    say(_("operator {code} added: {roles}").format(code=added.code, roles=labels.labels(labels.ROLE, added.roles)))


@operator_app.command("list")
def operator_list(ctx: typer.Context, json: JsonOption = False) -> None:
    """Every operator with their roles and language."""
    from core.services.operators import list_operators

    with state(ctx).database().reading() as uow:
        people = list_operators(uow=uow)
    if json:
        emit_json([{"code": p.code, "name": p.name, "roles": list(p.roles), "active": p.active,
                    "locked_until": iso(p.locked_until) if p.locked_until else None, "language": p.language}
                   for p in people])
    else:
        table(None, [_("code"), _("name"), _("roles"), _("active"), _("locked until"), _("language")],
              [[p.code, p.name, labels.labels(labels.ROLE, p.roles), _("yes") if p.active else _("no"),
                local(p.locked_until) if p.locked_until else "", language_name(p.language)] for p in people])


# -- parts -------------------------------------------------------------------------------------


def _part_document(info, stock) -> dict:
    return {
        "part_no": info.part_no,
        "name": info.name,
        "name_zh": info.name_zh,
        "model_series": info.model_series,
        "general": info.general,
        "unit": info.unit,
        "list_price": fmt_money(info.list_price),
        "fragile": info.fragile,
        "pack_qty": fmt_qty(info.pack_qty),
        "location": info.location,
        "on_hand": fmt_qty(stock.on_hand),
        "reserved": fmt_qty(stock.reserved),
        "available": fmt_qty(stock.available),
        "lots": [
            {
                "lot": str(lot.lot),
                "location": lot.location,
                "received_at": iso(lot.received_at),
                "qty": fmt_qty(lot.qty),
                "unit_cost": fmt_money(lot.unit_cost),
                "document": lot.document,
            }
            for lot in stock.lots
        ],
    }


@part_app.command("add")
def part_add(
    ctx: typer.Context,
    part_no: str,
    name: Annotated[str, typer.Option(help=_("The part's name."))],
    name_zh: Annotated[Optional[str], typer.Option("--name-zh", help=_("Chinese name."))] = None,
    model_series: Annotated[Optional[str], typer.Option("--model-series", help=_("Vehicle model series."))] = None,
    unit: Annotated[str, typer.Option(help=_("Unit of issue."))] = "pc",
    price: Annotated[str, typer.Option(help=_("List price."))] = "0",
    fragile: Annotated[bool, typer.Option("--fragile", help=_("Fragile or easily deformed (易损件)."))] = False,
    pack_qty: Annotated[str, typer.Option("--pack-qty", help=_("Quantity per pack."))] = "1",
    location: Annotated[Optional[str], typer.Option(
        help=_("Default location code: a bin of a zone of the part's series, or a general zone."))] = None,
    general: Annotated[bool, typer.Option(
        "--general", help=_("General (通用件) or common to several series: any series' zone may hold it."))] = False,
) -> None:
    """Add a part to the master (planner, parts manager)."""
    from core.services.catalog import add_part

    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        info = add_part(part_no, name, name_zh=name_zh, model_series=model_series, unit=unit, price=price,
                        fragile=fragile, pack_qty=pack_qty, location=location, general=general, actor=actor,
                        uow=uow)
    say(_("part {part_no} added").format(part_no=info.part_no))


@part_app.command("import")
def part_import(ctx: typer.Context, file: Path, json: JsonOption = False) -> None:
    """Import a parts master (CSV or XLSX; UTF-8, BOM or GB18030): checked whole first; a bad row imports nothing."""
    from core.services.part_import import ImportPlan, import_parts

    def announce(plan: ImportPlan) -> None:
        # Before the first batch, on stderr (stdout stays the result, or the one JSON document).
        typer.echo("partsdesk: " + _(
            "{file}: {rows} rows, committed in batches of at most {size} so that the counter keeps working; "
            "if the import is interrupted, run it again to finish it").format(
            file=file.name, rows=plan.rows, size=plan.batch_rows), err=True)

    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        result = import_parts(file, actor=actor, uow=uow, announce=announce)
    if json:
        emit_json({"created": str(result.created), "updated": str(result.updated),
                   "locations_created": str(result.locations_created), "encoding": result.encoding})
    else:
        say(_("{file}: {created} parts added, {updated} updated, {locations} locations created ({encoding})").format(
            file=file.name, created=result.created, updated=result.updated, locations=result.locations_created,
            encoding=result.encoding))


@part_app.command("show")
def part_show(ctx: typer.Context, part_no: str, json: JsonOption = False) -> None:
    """A part with its stock: on hand and lots, oldest first."""
    from core.services.catalog import get_part
    from core.services.pricing import selling_price
    from core.services.stock import part_stock
    from core.services.supersession import supersession_of

    with state(ctx).database().reading() as uow:
        info = get_part(part_no, uow=uow)
        stock = part_stock(part_no, uow=uow)
        chain = supersession_of(part_no, uow=uow)
        price = selling_price(uow, info.part_no)
    if json:
        document = _part_document(info, stock)
        document["part_group"] = info.part_group
        document["selling_price"] = fmt_money(price)
        document["superseded_by"] = cli_parts_supersession.link_documents(chain.superseded_by)
        document["supersedes"] = cli_parts_supersession.link_documents(chain.supersedes)
        document["newest"] = list(chain.newest)
        emit_json(document)
        return
    names = f"{info.name}" + (f" / {info.name_zh}" if info.name_zh else "")
    say(f"{info.part_no}  {names}")
    say(_("series {series}, unit {unit}, price {price}, pack {pack}, location {location}{fragile}").format(
        series=(info.model_series or "-") + (_(" (general)") if info.general else ""), unit=unit_label(info.unit),
        price=fmt_money(info.list_price), pack=fmt_qty(info.pack_qty),
        location=info.location or "-", fragile=_(", fragile") if info.fragile else ""))
    say(_("selling price {price}{group}").format(
        price=fmt_money(price), group=_(", group {group}").format(group=info.part_group) if info.part_group else ""))
    say(_("on hand: {qty} {unit}").format(qty=fmt_qty(stock.on_hand), unit=unit_label(info.unit)))
    for line in cli_parts_supersession.show_lines(chain):
        say(line)
    if stock.reserved:
        say(_("reserved for written requisitions: {reserved}; available to other repair orders: {available}").format(
            reserved=fmt_qty(stock.reserved), available=fmt_qty(stock.available)))
    if stock.lots:
        table(
            _("lots, oldest first"),
            [_("lot"), _("location"), _("received"), _("qty"), _("unit cost"), _("document")],
            [
                [
                    lot.lot,
                    lot.location,
                    local(lot.received_at),
                    fmt_qty(lot.qty),
                    fmt_money(lot.unit_cost),
                    lot.document,
                ]
                for lot in stock.lots
            ],
            right={3, 4},
        )


@part_app.command("search")
def part_search(
    ctx: typer.Context,
    text: str,
    limit: Annotated[int, typer.Option(min=1, max=1000, help=_("At most this many parts."))] = 50,
    json: JsonOption = False,
) -> None:
    """Parts whose number starts with TEXT, then those whose number or names contain it."""
    from core.services.catalog import search_parts

    with state(ctx).database().reading() as uow:
        hits = search_parts(text, uow=uow, limit=limit)
    if json:
        emit_json([{"part_no": h.part_no, "name": h.name, "name_zh": h.name_zh, "model_series": h.model_series,
                    "location": h.location, "on_hand": fmt_qty(h.on_hand)} for h in hits])
    else:
        table(None, [_("part no"), _("name"), _("Chinese name"), _("series"), _("location"), _("on hand")],
              [[h.part_no, h.name, h.name_zh, h.model_series, h.location, fmt_qty(h.on_hand)] for h in hits],
              right={5})


@part_app.command("set-location")
def part_set_location(ctx: typer.Context, part_no: str, location: str) -> None:
    """Give a part its default location (a code before shelving)."""
    from core.services.catalog import set_part_location

    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        info = set_part_location(part_no, location, actor=actor, uow=uow)
    say(_("{part_no} now lives at {location}").format(part_no=info.part_no, location=info.location))


@part_app.command("set-general")
def part_set_general(
    ctx: typer.Context,
    part_no: str,
    off: Annotated[bool, typer.Option("--off", help=_("No longer general: only its own series' zones."))] = False,
    group: Annotated[Optional[str], typer.Option("--group", help=_(
        "Put the part in this group (a price rule may name it; empty: no group); the general mark stays as "
        "it is."))] = None,
) -> None:
    """Mark a part general (通用件) or common to several series, so that any series' zone may hold it (planner,
    parts manager); with --group, set its part group instead."""
    from core.services.catalog import set_part_general

    cli = state(ctx)
    if group is not None:
        from core.services.pricing import set_part_group

        with cli.database().writing() as uow:
            name = set_part_group(part_no, group, actor=cli.actor(uow), uow=uow)
        say(_("{part_no} is in group {group}").format(part_no=part_no.strip().upper(), group=name or "-"))
        return
    with cli.database().writing() as uow:
        info = set_part_general(part_no, not off, actor=cli.actor(uow), uow=uow)
    if info.general:
        say(_("{part_no} is general: any series' zone may hold it").format(part_no=info.part_no))
    else:
        say(_("{part_no} keeps to the zones of {series}").format(part_no=info.part_no,
                                                                series=info.model_series or "-"))


@part_app.command("edit")
def part_edit(
    ctx: typer.Context,
    part_no: str,
    name: Annotated[Optional[str], typer.Option(help=_("The part's name."))] = None,
    name_zh: Annotated[Optional[str], typer.Option("--name-zh", help=_("Chinese name."))] = None,
    model_series: Annotated[Optional[str], typer.Option("--model-series", help=_("Vehicle model series."))] = None,
    unit: Annotated[Optional[str], typer.Option(help=_("Unit of issue."))] = None,
    price: Annotated[Optional[str], typer.Option(help=_("List price."))] = None,
    pack_qty: Annotated[Optional[str], typer.Option("--pack-qty", help=_("Quantity per pack."))] = None,
    fragile: Annotated[Optional[bool], typer.Option(
        "--fragile/--not-fragile", help=_("Fragile or easily deformed (易损件)."))] = None,
) -> None:
    """Change a part's master data; what is not given stays as it is (planner, parts manager)."""
    from core.services.catalog import edit_part, get_part

    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        now = get_part(part_no, uow=uow)
        info = edit_part(
            part_no, name=now.name if name is None else name, name_zh=now.name_zh if name_zh is None else name_zh,
            model_series=now.model_series if model_series is None else model_series,
            unit=now.unit if unit is None else unit, price=now.list_price if price is None else price,
            pack_qty=now.pack_qty if pack_qty is None else pack_qty,
            fragile=now.fragile if fragile is None else fragile, general=now.general, actor=actor, uow=uow)
    say(_("part {part_no} saved").format(part_no=info.part_no))


# -- locations ---------------------------------------------------------------------------------


@location_app.command("add")
def location_add(
    ctx: typer.Context,
    code: str,
    series: Annotated[Optional[str], typer.Option(help=_(
        "The vehicle model series the location's zone holds: the first bin of a zone gives it its series (none: "
        "general); a later bin takes the zone's, and another series is refused."))] = None,
) -> None:
    """Add a location coded ZONE-ROW-SHELF-BIN, e.g. EXC-01-02-03, in its zone's model series."""
    from core.services.catalog import add_location

    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        added = add_location(code, series, actor=actor, uow=uow)
    say(_("location {code} added ({series})").format(code=added.code, series=added.series or _("general")))


@location_app.command("list")
def location_list(
    ctx: typer.Context,
    series: Annotated[Optional[str], typer.Option(help=_("Only this model series."))] = None,
    json: JsonOption = False,
) -> None:
    """Every location, by code."""
    from core.services.catalog import list_locations

    with state(ctx).database().reading() as uow:
        places = list_locations(uow=uow, series=series)
    if json:
        emit_json([{"code": p.code, "zone": p.zone, "series": p.series} for p in places])
    else:
        table(None, [_("code"), _("zone"), _("series")], [[p.code, p.zone, p.series] for p in places])


# -- stock -------------------------------------------------------------------------------------


@stock_app.command("list")
def stock_list(
    ctx: typer.Context,
    series: Annotated[Optional[str], typer.Option(help=_("Only parts of this model series."))] = None,
    location: Annotated[Optional[str], typer.Option(help=_("Only this location."))] = None,
    json: JsonOption = False,
) -> None:
    """On hand and value per part and location, for every place that holds stock."""
    from core.services.stock import stock_text_rows

    # Rows are printed as they are read, inside the read unit: memory stays flat at any size.
    with state(ctx).database().reading() as uow:
        rows = stock_text_rows(uow=uow, series=series, location=location)
        if json:
            emit_json(streamed({"part_no": part_no, "name": name, "location": code, "on_hand": on_hand,
                                "value": value} for code, part_no, name, _zh, on_hand, value in rows))
        else:
            table(None, [_("location"), _("part no"), _("name"), _("on hand"), _("value")],
                  ([code, part_no, part_name(name, name_zh), on_hand, value]
                   for code, part_no, name, name_zh, on_hand, value in rows), right={3, 4})


# The command that re-hashes every ledger row, named by `stock check` (which does not).
FULL_VERIFICATION = "partsdesk stock verify"


@stock_app.command("check")
def stock_check(ctx: typer.Context, json: JsonOption = False) -> None:
    """Check that ledger, lots and on-hand agree everywhere and no ledger row is missing; exit 1 when not."""
    from core.services.stock_check import stock_check as check

    with state(ctx).database().reading() as uow:
        problems = check(uow=uow)
    if json:
        emit_json({"ok": not problems, "problems": problems, "full_verification": FULL_VERIFICATION})
    else:
        for problem in problems:
            say(problem)
        if not problems:
            say(_("ledger, lots and on-hand agree"))
        # The check reads the chain's ends and gaps only: where the row-by-row proof is, said every time.
        say(_("every ledger row's hash is verified by `{command}` (and `partsdesk db check`)").format(
            command=FULL_VERIFICATION))
    if problems:
        raise typer.Exit(1)


@app.command()
def ledger(ctx: typer.Context, part_no: str, json: JsonOption = False) -> None:
    """Every stock movement of a part, oldest first."""
    from core.services.stock import move_text_rows

    # Rows are printed as they are read, inside the read unit: memory stays flat at any size.
    with state(ctx).database().reading() as uow:
        moves = move_text_rows(part_no, uow=uow)
        if json:
            emit_json(streamed({"kind": kind, "qty": qty, "lot": str(lot), "location": code, "document": document,
                                "operator": operator, "at": iso_from_utc(at), "unit_cost": cost, "note": note}
                               for _id, at, kind, qty, lot, code, cost, document, operator, note in moves))
        else:
            kinds: dict[str, str] = {}  # a handful of kinds over 100k rows: each worded once
            at_local = local_from_utc()
            table(None, [_("at"), _("kind"), _("qty"), _("lot"), _("location"), _("document"), _("operator"),
                         _("note")],
                  ([at_local(at), kinds.get(kind) or kinds.setdefault(kind, labels.label(labels.MOVE_KIND, kind)),
                    qty, str(lot), code, document, operator, note or ""]
                   for _id, at, kind, qty, lot, code, _cost, document, operator, note in moves),
                  right={2})


cli_receiving.register(app)
cli_counter.register(app)
cli_planning.register(app)
cli_print.register(app)
cli_ledger.register(stock_app)
cli_stock.register(app, stock_app)
cli_safety.register(app, db_app)
cli_people.register(app, operator_app)
cli_parts_supersession.register(part_app)
cli_vehicle.register(app)
cli_stocktake.register(app)
cli_report.register(app)
cli_price.register(app, cli_counter.ro_app)
cli_sales.register(app)
translate_help(app)


# The top-level options that take a value: the word after one of them is its value, not a command's name.
_VALUE_OPTIONS = ("--db", "--as", LANG_OPTION)


def command_named(args: list[str]) -> str | None:
    """The name of the command or group a command line runs (`part` in `--db X part show P`); None when it
    runs none (the TUI), or where the line is anything but options with values followed by a name (--help,
    an unknown option, `--`): then the whole tree is built, as click would need it."""
    index = _name_index(args)
    if index is None or index < 0:
        return None if index is None else "--"
    return args[index]


def _name_index(args: list[str]) -> int | None:
    # Where the first word after the top-level options is: None when there is none, -1 when something else
    # comes first (an option we do not know, --help, `--`).
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in _VALUE_OPTIONS:
            index += 2
        elif arg.startswith(tuple(f"{option}=" for option in _VALUE_OPTIONS)):
            index += 1
        elif arg.startswith("-"):
            return -1
        else:
            return index
    return None


def _registered_name(command) -> str:
    # typer's own naming of a command registered without a name (typer.main.get_command_from_info).
    return command.name or command.callback.__name__.lower().replace("_", "-")


def app_for(args: list[str]) -> typer.Typer:
    """The app to run for a command line: `app` with only the command or group it names, and of a group only
    the command the line names in it.

    typer builds the click object of every registered command before it parses anything (a few hundred
    signatures read, their annotations evaluated): a script's `part show` pays for the one command it runs, the
    TUI for none. A line that names nothing we know (a typo, --help) gets the whole app, and a group followed by
    anything but one of its commands' names (`part --help`, `part shw`) the whole group, so that its help, its
    usage errors and click's suggestions stay exactly as they were.
    """
    index = _name_index(args)
    if index is not None and index < 0:
        return app
    wanted = None if index is None else args[index]
    commands = [c for c in app.registered_commands if _registered_name(c) == wanted]
    groups = [g for g in app.registered_groups if g.name == wanted]
    if wanted is not None and not commands and not groups:
        return app
    pruned = copy.copy(app)
    pruned.registered_commands = commands
    pruned.registered_groups = [_group_for(group, args[index + 1:]) for group in groups]
    return pruned


def _group_for(group, rest: list[str]):
    # The group's registration with only the command `rest` names first, when it names one of them by itself.
    sub = group.typer_instance
    named = [c for c in sub.registered_commands if rest and _registered_name(c) == rest[0]]
    if not named or sub.registered_groups:
        return group
    pruned_sub = copy.copy(sub)
    pruned_sub.registered_commands = named
    pruned = copy.copy(group)
    pruned.typer_instance = pruned_sub
    return pruned


def main() -> None:
    """The console script's entry point."""
    try:
        app_for(sys.argv[1:])()
    except SystemExit as done:
        leave(done.code)
    leave(0)


def leave(code: object) -> None:
    """End the process with the command's exit code, without Python's teardown of every module it loaded.

    Once a command has ended, the interpreter's own exit takes apart SQLAlchemy's, pydantic's and the tables'
    objects one by one: a fifth of a CLI read's CPU. What an exit owes is done here: the output flushed, the
    atexit handlers run (logging, temporary folders' finalizers). Where a thread still runs, or the output cannot
    be flushed (a closed pipe), Python's ordinary exit decides, as it always did.
    """
    if threading.active_count() > 1:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    atexit._run_exitfuncs()
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): Python prints it and exits 1
        print(code, file=sys.stderr, flush=True)
        status = 1
    os._exit(status)
