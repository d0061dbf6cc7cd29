"""`partsdesk part supersede` and `part import-supersessions`: superseded part numbers, and what `part show`
says of them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from core.decimals import fmt_qty
from core.i18n import _
from tui.cli_support import say, state


def part_supersede(
    ctx: typer.Context,
    old: str,
    new: Annotated[list[str], typer.Argument(help=_("The new part number; several for a kit."))],
    interchangeable: Annotated[bool, typer.Option(
        "--interchangeable/--not-interchangeable",
        help=_("Whether the old stock may still be issued for the new number (default: interchangeable)."))] = True,
    day: Annotated[Optional[str], typer.Option("--date", help=_("From this day, YYYY-MM-DD (default: today)."))] = None,
) -> None:
    """Supersede OLD by NEW (several NEW: a kit), from a date (planner, parts manager)."""
    from core.services.supersession import supersede

    cli = state(ctx)
    with cli.database().writing() as uow:
        done = supersede(old, new, interchangeable=interchangeable, effective_on=day, actor=cli.actor(uow), uow=uow)
    flag = _("interchangeable") if done.interchangeable else _("not interchangeable")
    say(_("{old} superseded by {new} from {date} ({flag})").format(
        old=done.old, new=" + ".join(done.new), date=done.effective_on.isoformat(), flag=flag))


def part_import_supersessions(ctx: typer.Context, file: Path) -> None:
    """Import the maker's supersessions (CSV or XLSX: old, new, date, interchangeable; UTF-8 or GB18030): the whole
    file or nothing (planner, parts manager)."""
    from core.services.supersession import import_supersessions

    cli = state(ctx)
    with cli.database().writing() as uow:
        count = import_supersessions(file, actor=cli.actor(uow), uow=uow)
    say(_("{file}: {count} supersessions set").format(file=file.name, count=count))


def link_documents(links) -> list[dict]:
    """Links as `part show --json` gives them."""
    return [{"part_no": link.part_no, "date": link.effective_on.isoformat(), "interchangeable": link.interchangeable}
            for link in links]


def show_lines(info) -> list[str]:
    """What `part show` says of a part's supersession: the new number(s) and what is left of the old."""
    lines = []
    if info.superseded_by:
        newest = ", ".join(f"{n} ({fmt_qty(info.newest_on_hand[n])})" for n in info.newest)
        lines.append(_("superseded by {new}; newest {newest}; left of {old}: {left}").format(
            new=", ".join(link.part_no for link in info.superseded_by), newest=newest, old=info.part_no,
            left=fmt_qty(info.left)))
    if info.supersedes:
        lines.append(_("supersedes {old}").format(old=", ".join(link.part_no for link in info.supersedes)))
    return lines


def register(part_app: typer.Typer) -> None:
    """Add the supersession commands to the part commands."""
    part_app.command("supersede")(part_supersede)
    part_app.command("import-supersessions")(part_import_supersessions)
