"""CLI commands for the stocktake (盘点): open over a scope, the blind sheet, the two counters' count, close with
variances, recount, approve, show and list. The names and JSON keys are the contract of issue 15."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from core.decimals import fmt_money, fmt_qty
from core.errors import BadInput
from core.i18n import _
from tui.cli_support import emit_json, iso, local, pin_for, say, state, table

stocktake_app = typer.Typer(help=_("Stocktake (盘点): blind counts by two counters, variances approved and posted."),
                            rich_markup_mode=None)
JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]


def register(app: typer.Typer) -> None:
    """Add the stocktake commands to the top-level app."""
    app.add_typer(stocktake_app, name="stocktake")


def _state_label(code: str) -> str:
    from core.labels import STOCKTAKE_STATE, label

    return label(STOCKTAKE_STATE, code)


def _header(info) -> dict:
    return {"stocktake": info.number, "scope_kind": info.scope_kind, "scope": info.scope, "state": info.state,
            "opened_at": iso(info.opened_at), "opened_by": info.opened_by,
            "closed_at": info.closed_at and iso(info.closed_at), "approved_by": info.approved_by,
            "approved_at": info.approved_at and iso(info.approved_at), "accountant_by": info.accountant_by,
            "accountant_at": info.accountant_at and iso(info.accountant_at),
            "variance_value": None if info.variance_value is None else fmt_money(info.variance_value),
            "variance_abs": None if info.variance_abs is None else fmt_money(info.variance_abs),
            "lines_counted": str(info.counted), "counters": list(info.counters)}


def _document(info) -> dict:
    from core.services.stocktake import fmt_line

    document = _header(info)
    document["lines"] = [fmt_line(x) for x in info.lines]
    return document


def _show_variances(info) -> None:
    say(_("{number} ({scope}): {state}").format(number=info.number, scope=info.scope_text,
                                                 state=_state_label(info.state)))
    if info.blind:
        say(_("{counted} of {lines} lines counted").format(counted=info.counted, lines=len(info.lines)))
        return
    table(None, [_("location"), _("part no"), _("book"), _("counted"), _("variance"), _("value")],
          [[x.location, x.part_no, fmt_qty(x.book), fmt_qty(x.counted), fmt_qty(x.variance), fmt_money(x.value)]
           for x in info.lines], right={2, 3, 4, 5})
    say(_("variance value {value} (absolute {absolute})").format(value=fmt_money(info.variance_value),
                                                                 absolute=fmt_money(info.variance_abs)))


@stocktake_app.command("open")
def stocktake_open(
    ctx: typer.Context,
    zone: Annotated[Optional[str], typer.Option("--zone", help=_("A location zone, e.g. EXC."))] = None,
    locations: Annotated[Optional[str], typer.Option("--locations", help=_(
        "Bins by pattern: a glob such as EXC-01-* or a range such as EXC-01-01-01..EXC-01-02-99."))] = None,
    cycle: Annotated[bool, typer.Option("--cycle", help=_(
        "The parts due for a cycle count: A parts monthly, B quarterly, C yearly (by consumption value)."))] = False,
    days: Annotated[Optional[str], typer.Option("--days", help=_("The parts not counted for N days."))] = None,
    json: JsonOption = False,
) -> None:
    """Open a stocktake over one scope (storekeeper, parts manager); its lines are the scope's parts and bins."""
    from core.services.stocktake import open_stocktake

    chosen = [(kind, value) for kind, value in (("zone", zone), ("locations", locations),
                                                ("cycle", "" if cycle else None), ("days", days)) if value is not None]
    if len(chosen) != 1:
        raise BadInput(_("give one scope: --zone ZONE, --locations PATTERN, --cycle or --days N"))
    ((kind, value),) = chosen
    cli = state(ctx)
    with cli.database().writing() as uow:
        number = open_stocktake(kind, value, actor=cli.actor(uow), uow=uow)
    emit_json({"stocktake": number}) if json else say(_("{number}: stocktake opened").format(number=number))


@stocktake_app.command("sheet")
def stocktake_sheet(ctx: typer.Context, stocktake: str, json: JsonOption = False) -> None:
    """The blind count sheet: part number, bin and name of each line, never the book quantity."""
    from core.labels import part_names
    from core.services.stocktake import sheet

    with state(ctx).database().reading() as uow:
        lines = sheet(stocktake, uow=uow)
    if json:
        emit_json({"stocktake": stocktake.strip().upper(),
                   "lines": [{"part_no": x.part_no, "location": x.location, "name": x.name} for x in lines]})
    else:
        table(None, [_("location"), _("part no"), _("name"), _("counted")],
              [[x.location, x.part_no, part_names(x.name, x.name_zh), ""] for x in lines])


@stocktake_app.command("count")
def stocktake_count(
    ctx: typer.Context,
    stocktake: str,
    by: Annotated[list[str], typer.Option("--by", help=_("A counter; give two different people."))],
    line: Annotated[Optional[list[str]], typer.Option("--line", help=_("PART_NO@LOCATION=QTY; repeat."))] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help=_(
        "A count sheet: part_no, location, qty."))] = None,
    json: JsonOption = False,
) -> None:
    """Store the count of two counters, each signing with their PIN: --line … or a sheet --file entered later.
    A line counted again is replaced; the book is taken at the moment of the count."""
    from core.services.operators import authenticate
    from core.services.stocktake import count, parse_count_line, read_count_file

    if len(by) != 2:
        raise BadInput(_("the count needs exactly two counters: --by OP1 --by OP2"))
    if bool(line) == bool(file):
        raise BadInput(_("give the count as --line PART_NO@LOCATION=QTY … or as --file COUNTS.csv"))
    entries = read_count_file(file) if file else [parse_count_line(text) for text in line]
    codes = [code.strip().upper() for code in by]
    with state(ctx).database().writing() as uow:
        first = authenticate(codes[0], pin_for(codes[0]), uow=uow)
        second = authenticate(codes[1], pin_for(codes[1]), uow=uow)
        info = count(stocktake, entries, first=first, second=second, uow=uow)
    if json:
        emit_json(_document(info))
    else:
        say(_("{number}: {counted} of {lines} lines counted").format(number=info.number, counted=info.counted,
                                                                      lines=len(info.lines)))


@stocktake_app.command("close")
def stocktake_close(ctx: typer.Context, stocktake: str, json: JsonOption = False) -> None:
    """Close the count and show each line's book, count, variance and value (every line counted first)."""
    from core.services.stocktake import close

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = close(stocktake, actor=cli.actor(uow), uow=uow)
    emit_json(_document(info)) if json else _show_variances(info)


@stocktake_app.command("recount")
def stocktake_recount(
    ctx: typer.Context, stocktake: str,
    line: Annotated[Optional[list[str]], typer.Argument(help=_("PART_NO@LOCATION of each line to recount."))] = None,
    over: Annotated[Optional[str], typer.Option("--over", help=_(
        "Recount every line whose variance is more than this many units either way."))] = None,
    json: JsonOption = False,
) -> None:
    """Ask for a recount of lines: their counts are cleared and the stocktake is open again."""
    from core.services.stocktake import recount

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = recount(stocktake, list(line or []), over=over, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(_document(info))
    else:
        say(_("{number}: {lines} lines to recount").format(
            number=info.number, lines=sum(1 for x in info.lines if x.counted is None)))


@stocktake_app.command("approve")
def stocktake_approve(ctx: typer.Context, stocktake: str, json: JsonOption = False) -> None:
    """Approve the variances (parts manager; then the accountant above stocktake_value_limit), which posts them."""
    from core.services.stocktake import approve

    cli = state(ctx)
    with cli.database().writing() as uow:
        done = approve(stocktake, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"stocktake": done.number, "state": done.state, "moves": str(done.moves)})
    elif done.state == "approved":
        say(_("{number}: approved, {moves} ledger rows posted").format(number=done.number, moves=done.moves))
    else:
        say(_("{number}: approved by the parts manager; above the limit, it waits for the accountant").format(
            number=done.number))


@stocktake_app.command("show")
def stocktake_show(ctx: typer.Context, stocktake: str, json: JsonOption = False) -> None:
    """A stocktake: blind while open, with its variances once closed."""
    from core.services.stocktake import show

    with state(ctx).database().reading() as uow:
        info = show(stocktake, uow=uow)
    emit_json(_document(info)) if json else _show_variances(info)


@stocktake_app.command("list")
def stocktake_list(ctx: typer.Context, json: JsonOption = False) -> None:
    """The stocktakes, newest first."""
    from core.services.stocktake import list_stocktakes

    with state(ctx).database().reading() as uow:
        found = list_stocktakes(uow=uow)
    if json:
        emit_json({"stocktakes": [
            {"stocktake": s.number, "scope": s.scope, "state": s.state, "opened_at": iso(s.opened_at),
             "lines": str(s.lines), "counted": str(s.counted),
             "variance_value": None if s.variance_value is None else fmt_money(s.variance_value)} for s in found]})
    else:
        table(None, [_("stocktake"), _("scope"), _("state"), _("opened"), _("counted"), _("value")],
              [[s.number, s.scope, _state_label(s.state), local(s.opened_at), f"{s.counted}/{s.lines}",
                "" if s.variance_value is None else fmt_money(s.variance_value)] for s in found], right={4, 5})
