"""The parts manager's reports (报表): valuation, aging, slow movers, stock card (进销存), consumption, A/B/C,
shortage service level and late receipts, claims outstanding; each one read in one snapshot, set-wise in SQL,
its long tables streamed.

The CLI, the Reports screen and the XLSX/PDF exports (core.printing.report_files) all show one Report
(core.services.reports_model); the builders are core.services.reports_build.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import BadInput
from core.i18n import _
from core.services.reports_build import BUILDERS
from core.services.reports_model import (  # noqa: F401  (the reports' names and model, used from here)
    ABC,
    AGING,
    CARD,
    CLAIMS,
    CONSUMPTION,
    PERIOD_REPORTS,
    REPORTS,
    SERVICE,
    SLOW,
    VALUATION,
    Chart,
    Column,
    Report,
    Section,
    check_name,
    period,
    report_title,
    total_title,
)
from core.units import ReadUnit


@contextmanager
def open_report(name: str, *, uow: ReadUnit, at: str | None = None, start: str | None = None,
                end: str | None = None, part_no: str | None = None) -> Iterator[Report]:
    """A report read in one snapshot; its streamed rows are read while the block is open."""
    when = period(name, at, start, end)
    if name == CARD and not (part_no or "").strip():
        raise BadInput(_("the stock card needs a part number: partsdesk report card PART_NO"))
    with uow.read() as conn:
        yield BUILDERS[name](conn, when, part_no)


def read_report(name: str, *, uow: ReadUnit, limit: int | None = None, **options) -> Report:
    """A report read whole (at most `limit` rows a section: a screen shows a page, never 200,000 rows)."""
    from itertools import islice

    with open_report(name, uow=uow, **options) as report:
        for section in report.sections:
            rows = iter(section.rows)
            section.rows = list(islice(rows, limit) if limit else rows)
            for _rest in rows:  # read to the end: a summary after it adds up every row, not the ones shown
                pass
    return report


