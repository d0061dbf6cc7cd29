"""What a report is (plain data: sections of text cells under keyed columns, which are the --json keys, totals,
and the figures of its chart), the reports' names and titles, and the dates one covers, checked."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from core import clock, labels
from core.decimals import fmt_cents, fmt_thousandths, fmt_value_raw
from core.errors import BadInput
from core.i18n import CHINESE, N_, _, language

VALUATION, AGING, SLOW, CARD, CONSUMPTION, ABC, SERVICE, CLAIMS = (
    "valuation", "aging", "slow", "card", "consumption", "abc", "service", "claims")
REPORTS = (VALUATION, AGING, SLOW, CARD, CONSUMPTION, ABC, SERVICE, CLAIMS)
# The reports read over a period (--from/--to); the others are taken at a date (--at).
PERIOD_REPORTS = frozenset({CARD, CONSUMPTION, SERVICE})
DEFAULT_DAYS = 30  # a period report's default length, ending today
YEAR_MONTHS = 12  # consumption's default months and A/B/C's window


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a report's table: its JSON key, its heading, whether it holds a number (right-aligned), and
    the labels kind (core.labels) its codes are shown by; JSON keeps the code."""

    key: str
    title: str
    numeric: bool = False
    label_kind: str | None = None

    def shown(self, cell: str | None) -> str:
        """The cell as a reader sees it: a code by its label, nothing as empty."""
        if cell is None:
            return ""
        return labels.label(self.label_kind, cell) if self.label_kind else cell


@dataclass(slots=True)
class Section:
    """One table of a report; its rows may be a stream read once, inside the report's read."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: Iterable[tuple[str | None, ...]]
    main: bool = False  # the report's main table (the screen's table, the PDF's); else the last section


@dataclass(frozen=True, slots=True)
class Chart:
    """What the report plots: bars over labels, one list of values per named series."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal, ...]], ...]


@dataclass(slots=True)
class Report:
    """A report as read: its name, titles, the dates it covers, its tables, totals and chart."""

    name: str
    title: str
    title_zh: str
    params: dict[str, str]
    sections: list[Section]
    totals: dict[str, str] = field(default_factory=dict)
    chart: Chart | None = None

    def main_section(self) -> Section:
        """The table the screen and the PDF show as the report's own; the other sections are its summaries."""
        return next((section for section in self.sections if section.main), self.sections[-1])

    def heading(self) -> str:
        """The title line: the procedure's Chinese title, with the reader's English beside it."""
        if language() == CHINESE:
            return self.title_zh
        return f"{self.title_zh}  {self.title}"


TITLES = {
    VALUATION: (N_("Stock valuation"), "库存金额"),
    AGING: (N_("Stock aging"), "库龄分析"),
    SLOW: (N_("Slow-moving and obsolete parts"), "呆滞件"),
    CARD: (N_("Stock card"), "进销存"),
    CONSUMPTION: (N_("Consumption"), "消耗统计"),
    ABC: (N_("A/B/C classification"), "ABC分类"),
    SERVICE: (N_("Shortage service level and late receipts"), "缺件服务水平"),
    CLAIMS: (N_("Claims outstanding"), "未结索赔"),
}


def report_title(name: str) -> str:
    """A report's title in the reader's language."""
    return _(TITLES[name][0])


def total_title(key: str) -> str:
    """A total's heading in the reader's language (its key is the JSON key)."""
    titles = {"qty": _("total quantity"), "value": _("total value"), "parts": _("parts"),
              "opening_qty": _("opening quantity"), "opening_value": _("opening value"),
              "closing_qty": _("closing quantity"), "closing_value": _("closing value"),
              "claims": _("claims"), "amount": _("total amount")}
    return titles.get(key, key)


def check_name(name: str) -> str:
    """The report's name, or BadInput naming the ones there are."""
    if name not in REPORTS:
        raise BadInput(_("unknown report {name!r}: one of {names}").format(name=name, names=", ".join(REPORTS)))
    return name


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str | None, what: str) -> date | None:
    """A date typed as YYYY-MM-DD, or BadInput naming the option."""
    if text is None or not text.strip():
        return None
    try:
        if not _DAY.fullmatch(text.strip()):
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(_("bad date {text!r} for {what}: use YYYY-MM-DD").format(text=text, what=what)) from None


def local_midnight(day: date) -> datetime:
    """The instant a local calendar day starts."""
    return datetime.combine(day, time(0)).astimezone()


def months_back(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day where it has fewer)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class Period:
    """What a report covers: the date it is taken at (end of that day), or the days from and to (inclusive)."""

    at: date
    start: date
    end: date

    @property
    def at_instant(self) -> datetime:
        """The end of the report's day (exclusive)."""
        return local_midnight(self.at + timedelta(days=1))

    @property
    def start_instant(self) -> datetime:
        """The start of the first day."""
        return local_midnight(self.start)

    @property
    def end_instant(self) -> datetime:
        """The end of the last day (exclusive)."""
        return local_midnight(self.end + timedelta(days=1))


def period(name: str, at: str | None = None, start: str | None = None, end: str | None = None) -> Period:
    """The dates a report covers from its options, checked: --from not after --to; a report taken at a date
    refuses --from/--to and a period report --at (said rather than ignored)."""
    check_name(name)
    today = clock.now().astimezone().date()
    at_day = parse_day(at, "--at")
    start_day, end_day = parse_day(start, "--from"), parse_day(end, "--to")
    if name in PERIOD_REPORTS and at_day is not None:
        raise BadInput(_("report {name} covers a period: give --from and --to, not --at").format(name=name))
    if name not in PERIOD_REPORTS and (start_day or end_day):
        raise BadInput(_("report {name} is taken at a date: give --at, not --from or --to").format(name=name))
    end_day = end_day or today
    if start_day is None:
        start_day = (months_back(end_day, YEAR_MONTHS - 1).replace(day=1) if name == CONSUMPTION
                     else end_day - timedelta(days=DEFAULT_DAYS - 1))
    if start_day > end_day:
        raise BadInput(_("--from {start} is after --to {end}").format(start=start_day, end=end_day))
    return Period(at_day or today, start_day, end_day)


def period_params(name: str, when: Period) -> dict[str, str]:
    """The dates a report states (JSON keys `at`, or `from` and `to`)."""
    if name in PERIOD_REPORTS:
        return {"from": when.start.isoformat(), "to": when.end.isoformat()}
    return {"at": when.at.isoformat()}


# Shared cell formatting: the stored integers as the desk prints them.
qty_text, cents_text, value_text = fmt_thousandths, fmt_cents, fmt_value_raw
