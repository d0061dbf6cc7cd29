"""`partsdesk report (valuation | aging | slow | card PART_NO | consumption | abc | service | claims) [--at DATE]
[--from DATE --to DATE] [--json] [--out FILE.xlsx|FILE.pdf]`: the parts manager's reports (报表)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from core.errors import BadInput
from core.i18n import _
from tui.cli_support import ForceOption, emit_json, say, state, streamed, table

REPORT_NAMES = "valuation | aging | slow | card PART_NO | consumption | abc | service | claims"


def report_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="REPORT", help=_("The report: {names}.").format(names=REPORT_NAMES))],
    part_no: Annotated[Optional[str], typer.Argument(metavar="[PART_NO]", help=_("The part of a stock card."))] = None,
    at: Annotated[Optional[str], typer.Option("--at", help=_("The date the report is taken at (YYYY-MM-DD; "
                                                             "default today)."))] = None,
    start: Annotated[Optional[str], typer.Option("--from", help=_("A period's first day (YYYY-MM-DD)."))] = None,
    end: Annotated[Optional[str], typer.Option("--to", help=_("A period's last day (YYYY-MM-DD; default "
                                                              "today)."))] = None,
    json: Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help=_("Export to a file: .xlsx or .pdf."))] = None,
    force: ForceOption = False,
) -> None:
    """A report: stock valuation, aging, slow movers, a part's stock card (进销存), consumption, A/B/C, shortage
    service level and late receipts, claims outstanding."""
    from core.services.reports import CARD, check_name, open_report, period, total_title

    check_name(name)
    if part_no is not None and name != CARD:
        raise BadInput(_("only the stock card takes a part number: partsdesk report card PART_NO"))
    period(name, at, start, end)  # bad dates are said before the database is opened
    options = {"at": at, "start": start, "end": end, "part_no": part_no}
    if out is not None:
        if json:
            raise BadInput(_("--out writes a file and --json prints: give one of them"))
        from core.printing.report_files import export_form, export_report

        export_form(out)
        with state(ctx).database().reading() as uow:
            path = export_report(name, out, uow=uow, force=force, **options)
        say(_("written to {path}").format(path=path))
        return
    with state(ctx).database().reading() as uow, open_report(name, uow=uow, **options) as report:
        if json:
            document: dict = {"report": report.name, **report.params}
            for section in report.sections:
                document[section.key] = streamed(_keyed(section))
            document["totals"] = report.totals
            emit_json(document)
            return
        say(f"{report.heading()}  " + "  ".join(f"{k}: {v}" for k, v in report.params.items()))
        for section in report.sections:
            table(section.title, [column.title for column in section.columns],
                  ([column.shown(cell) for column, cell in zip(section.columns, row, strict=True)]
                   for row in section.rows),
                  right={i for i, column in enumerate(section.columns) if column.numeric})
        for key, value in report.totals.items():
            say(f"{total_title(key)}: {value}")


def _keyed(section):
    """A section's rows as JSON objects by the columns' keys, as they are read."""
    keys = [column.key for column in section.columns]
    return (dict(zip(keys, row, strict=True)) for row in section.rows)


def register(app: typer.Typer) -> None:
    """Add `report` to the top-level app."""
    app.command("report")(report_command)
