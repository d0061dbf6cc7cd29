"""`partsdesk stock verify`: the ledger's hash chain checked row by row, and its head's hash to write down."""

from __future__ import annotations

from typing import Annotated

import typer

from core.i18n import _
from tui.cli_support import emit_json, say, state

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]


def stock_verify(ctx: typer.Context, json: JsonOption = False) -> None:
    """Verify the ledger's hash chain: name every move changed, removed or inserted; exit 1 when any is."""
    from core.services.stock import ledger_report

    with state(ctx).database().reading() as uow:
        report = ledger_report(uow=uow)
    if json:
        emit_json({"ok": not report.problems, "moves": str(report.moves),
                   "last_move": None if report.last_move is None else str(report.last_move),
                   "head": report.head, "problems": report.problems})
    else:
        for problem in report.problems:
            say(problem)
        if not report.problems:
            say(_("ledger chain intact: {moves} moves").format(moves=report.moves))
        if report.head is not None:
            say(_("head: move {id}, hash {chain}").format(id=report.last_move, chain=report.head))
    if report.problems:
        raise typer.Exit(1)


def register(stock_app: typer.Typer) -> None:
    """Add `verify` to the stock commands."""
    stock_app.command("verify")(stock_verify)
