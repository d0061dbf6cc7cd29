"""How each report is built from its SQL (core.records.report_*): columns, rows as text cells, totals, chart."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Connection

from core import labels
from core.direct import stream_rows
from core.i18n import _
from core.receiving_rules import local_day, posting_is_late
from core.records import report_abc as abc
from core.records import report_service as service
from core.records import report_stock as stock
from core.records.catalog import part_id
from core.services.reports_model import (
    ABC,
    AGING,
    CARD,
    CLAIMS,
    CONSUMPTION,
    SERVICE,
    SLOW,
    TITLES,
    VALUATION,
    Chart,
    Column,
    Period,
    Report,
    Section,
    local_midnight,
    months_back,
    period_params,
    qty_text,
    value_text,
)


def _report(name: str, when: Period, sections: list[Section], **rest) -> Report:
    title, title_zh = TITLES[name]
    return Report(name, _(title), title_zh, period_params(name, when), sections, **rest)


def _money(value_raw: int) -> Decimal:
    """A value (thousandths x cents) as money, for the chart."""
    return Decimal(value_text(value_raw))


def _held_date(when: Period) -> datetime | None:
    """The instant the stock is taken at, or None for now (the lots as they are, no ledger read)."""
    at = when.at_instant
    from core import clock

    return None if at >= clock.now() else at


def _qty(title: str = "") -> Column:
    return Column("qty", title or _("quantity"), numeric=True)


def _value() -> Column:
    return Column("value", _("value"), numeric=True)


def valuation(conn: Connection, when: Period, _part: str | None) -> Report:
    """Stock on hand at the date at its lots' costs, by model series and location zone."""
    rows, by_series = [], {}
    total_qty = total_value = 0
    for series, zone, qty, value in stock.valuation_rows(conn, _held_date(when)):
        qty, value = stock.as_int(qty), stock.as_int(value)
        rows.append((series or "", zone, qty_text(qty), value_text(value)))
        by_series[series or "—"] = by_series.get(series or "—", 0) + value
        total_qty += qty
        total_value += value
    columns = (Column("series", _("model series")), Column("zone", _("zone")), _qty(_("on hand")), _value())
    chart = Chart(_("value by model series"), tuple(by_series),
                  ((_("value"), tuple(_money(v) for v in by_series.values())),))
    return _report(VALUATION, when, [Section("lines", _("by model series and zone"), columns, rows)],
                   totals={"qty": qty_text(total_qty), "value": value_text(total_value)}, chart=chart)


def _bucket_titles() -> dict[str, str]:
    return {"0_90": _("0–90 days"), "91_180": _("91–180 days"), "181_365": _("181–365 days"),
            "over_365": _("over 365 days")}


def aging(conn: Connection, when: Period, _part: str | None) -> Report:
    """Stock on hand at the date by days since its lot was received, in quantity and value."""
    found = {bucket: (stock.as_int(qty), stock.as_int(value))
             for bucket, qty, value in stock.aging_rows(conn, when.at_instant, _held_date(when))}
    titles = _bucket_titles()
    keys = [key for key, _first, _last in stock.AGE_BUCKETS]
    rows = []
    for key in keys:
        qty, value = found.get(key, (0, 0))
        rows.append((key, titles[key], qty_text(qty), value_text(value)))
    columns = (Column("bucket", _("bucket")), Column("days", _("days since received")), _qty(_("on hand")),
               _value())
    chart = Chart(_("value by age"), tuple(titles[key] for key in keys),
                  ((_("value"), tuple(_money(found.get(key, (0, 0))[1]) for key in keys)),))
    return _report(AGING, when, [Section("buckets", _("by age"), columns, rows)], totals={
        "qty": qty_text(sum(q for q, _v in found.values())),
        "value": value_text(sum(v for _q, v in found.values()))}, chart=chart)


def _day(at: datetime | None) -> str | None:
    return None if at is None else local_day(at).isoformat()


@lru_cache(maxsize=65536)
def _stored_hour_day(year: int, month: int, day: int, hour: int) -> str:
    return local_day(datetime(year, month, day, hour, tzinfo=UTC)).isoformat()


def _stored_day(at: datetime | str | None) -> str | None:
    """The local day of an instant as stored (naive UTC: PostgreSQL's datetime, or SQLite's text, which begins
    YYYY-MM-DD HH), by its hour: one conversion per hour seen, not per row (time zones differ from UTC by whole
    hours here; a half-hour zone would want the minute too)."""
    if at is None:
        return None
    if isinstance(at, str):
        return _stored_text_day(at[:13])
    return _stored_hour_day(at.year, at.month, at.day, at.hour)


@lru_cache(maxsize=65536)
def _stored_text_day(hour: str) -> str:
    return _stored_hour_day(int(hour[:4]), int(hour[5:7]), int(hour[8:10]), int(hour[11:13]))


def slow(conn: Connection, when: Period, _part: str | None) -> Report:
    """Parts in stock with no issue in 6, 12 or 24 months (counted from the oldest lot when never issued).

    The parts stream first; the summary by months (and the totals and chart) is added up from them as they
    pass, so the ledger and the lots are read once.
    """
    cutoffs = {months: local_midnight(months_back(when.at, months)) for months in stock.SLOW_MONTHS}
    at, held = when.at_instant, _held_date(when)
    by_months = {months: [0, 0, 0] for months in stock.SLOW_MONTHS}  # parts, quantity, value

    def parts() -> Iterator[tuple[str | None, ...]]:
        for part_no, name, name_zh, series, last_issue, months, qty, value in stream_rows(
                conn, stock.slow_statement(at, cutoffs, held)):
            qty, value = stock.as_int(qty), stock.as_int(value)
            added = by_months[months]
            added[0], added[1], added[2] = added[0] + 1, added[1] + qty, added[2] + value
            yield (part_no, labels.part_name(name, name_zh), series, _stored_day(last_issue), str(months),
                   qty_text(qty), value_text(value))

    def summary() -> Iterator[tuple[str | None, ...]]:
        report.totals.update(parts=str(sum(n for n, _q, _v in by_months.values())),
                             value=value_text(sum(v for _n, _q, v in by_months.values())))
        report.chart = Chart(_("value by months without issue"), tuple(str(m) for m in by_months),
                             ((_("value"), tuple(_money(v) for _n, _q, v in by_months.values())),))
        for months, (count, qty, value) in by_months.items():
            yield (str(months), str(count), qty_text(qty), value_text(value))

    months_title = _("months without issue")
    summary_columns = (Column("months", months_title, numeric=True), Column("parts", _("parts"), numeric=True),
                       _qty(_("on hand")), _value())
    part_columns = (Column("part_no", _("part no")), Column("name", _("name")),
                    Column("series", _("model series")), Column("last_issue", _("last issue")),
                    Column("months", months_title, numeric=True), _qty(_("on hand")), _value())
    report = _report(SLOW, when, [Section("parts", _("parts"), part_columns, parts(), main=True),
                                  Section("summary", _("summary"), summary_columns, summary())])
    return report


def card(conn: Connection, when: Period, part_no: str | None) -> Report:
    """A part's stock card (进销存): opening, each movement with its balance, closing."""
    pid = part_id(conn, part_no or "")
    start, end = when.start_instant, when.end_instant
    opening_qty, opening_value = stock.card_opening(conn, pid, start)
    closing_qty, closing_value = stock.card_opening(conn, pid, end)
    moved_in = moved_out = 0

    def moves() -> Iterator[tuple[str | None, ...]]:
        nonlocal moved_in, moved_out
        balance = opening_qty
        for at, kind, qty, cost, location, document, operator in stock.card_moves(conn, pid, start, end):
            balance += qty
            yield (at.astimezone().strftime("%Y-%m-%d %H:%M"), kind, document, location,
                   qty_text(qty) if qty > 0 else None, qty_text(-qty) if qty < 0 else None, qty_text(balance),
                   value_text(cost * 1000), operator)

    columns = (Column("at", _("at")), Column("kind", _("kind"), label_kind=labels.MOVE_KIND),
               Column("document", _("document")), Column("location", _("location")),
               Column("qty_in", _("in"), numeric=True), Column("qty_out", _("out"), numeric=True),
               Column("balance", _("balance"), numeric=True), Column("unit_cost", _("unit cost"), numeric=True),
               Column("operator", _("operator")))
    report = _report(CARD, when, [Section("moves", _("movements"), columns, moves())], totals={
        "opening_qty": qty_text(opening_qty), "opening_value": value_text(opening_value),
        "closing_qty": qty_text(closing_qty), "closing_value": value_text(closing_value)})
    report.params["part_no"] = stock.part_number(conn, pid)
    return report


def _months(when: Period) -> list[tuple[str, datetime]]:
    """The local months the period touches, oldest first, as (key, start instant)."""
    months, day = [], when.start.replace(day=1)
    while day <= when.end:
        months.append((day.strftime("%Y-%m"), local_midnight(day)))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def consumption(conn: Connection, when: Period, _part: str | None) -> Report:
    """What was issued (less returns) by model series and month, with a bar chart of the value."""
    months = _months(when)
    rows, values = [], {}
    total_qty = total_value = 0
    for series, month, qty, value in abc.consumption_rows(conn, when.start_instant, when.end_instant, months):
        qty, value = stock.as_int(qty), stock.as_int(value)
        rows.append((series or "", month, qty_text(qty), value_text(value)))
        values.setdefault(series or "—", {})[month] = value
        total_qty += qty
        total_value += value
    keys = tuple(key for key, _start in months)
    chart = Chart(_("consumption value by month"), keys,
                  tuple((series, tuple(_money(by_month.get(k, 0)) for k in keys))
                        for series, by_month in values.items()))
    columns = (Column("series", _("model series")), Column("month", _("month")), _qty(_("issued")), _value())
    return _report(CONSUMPTION, when, [Section("lines", _("by model series and month"), columns, rows)],
                   totals={"qty": qty_text(total_qty), "value": value_text(total_value)}, chart=chart)


def abc_report(conn: Connection, when: Period, _part: str | None) -> Report:
    """Parts ranked by 12 months' issue value, classed A (top 80%), B (next 15%), C (the rest); the summary by
    class is added up from the ranked parts as they stream."""
    end = when.at_instant
    start = local_midnight(months_back(when.at, 12) + timedelta(days=1))
    by_class = {cls: [0, 0] for cls in ("A", "B", "C")}  # parts, value

    def parts() -> Iterator[tuple[str | None, ...]]:
        for rank, part_no, name, name_zh, qty, value, cls in abc.abc_part_rows(conn, start, end):
            value = stock.as_int(value)
            added = by_class[cls]
            added[0], added[1] = added[0] + 1, added[1] + value
            yield (str(rank), part_no, labels.part_name(name, name_zh), qty_text(stock.as_int(qty)),
                   value_text(value), cls)

    def summary() -> Iterator[tuple[str | None, ...]]:
        total = sum(value for _n, value in by_class.values())
        report.totals["value"] = value_text(total)
        report.chart = Chart(_("issue value by class"), tuple(by_class),
                             ((_("value"), tuple(_money(value) for _n, value in by_class.values())),))
        for cls, (count, value) in by_class.items():
            share = f"{Decimal(value * 100) / total:.1f}" if total else "0.0"
            yield (cls, str(count), value_text(value), share)

    summary_columns = (Column("class", _("class")), Column("parts", _("parts"), numeric=True), _value(),
                       Column("share", _("share %"), numeric=True))
    part_columns = (Column("rank", _("rank"), numeric=True), Column("part_no", _("part no")),
                    Column("name", _("name")), _qty(_("issued")), _value(), Column("class", _("class")))
    report = _report(ABC, when, [Section("parts", _("parts"), part_columns, parts(), main=True),
                                 Section("classes", _("by class"), summary_columns, summary())])
    report.params["from"] = local_day(start).isoformat()
    return report


def _minutes(seconds) -> str | None:
    """Mean seconds (the database's average, not exact) shown as minutes to one decimal."""
    return None if seconds is None else f"{Decimal(str(seconds)) / 60:.1f}"


def service_report(conn: Connection, when: Period, _part: str | None) -> Report:
    """Shortages logged in the period (answered within 30 minutes, time to answer and fulfil) and the receipts
    posted in it after the day they arrived."""
    logged, answered, in_time, fulfilled, answer_s, fulfil_s = service.shortage_summary(
        conn, when.start_instant, when.end_instant)
    share = f"{Decimal(int(in_time) * 100) / logged:.1f}" if logged else None
    shortages = [(str(logged), str(answered), str(int(in_time)), share, _minutes(answer_s), str(fulfilled),
                  _minutes(fulfil_s))]
    shortage_columns = (
        Column("logged", _("logged"), numeric=True), Column("answered", _("answered"), numeric=True),
        Column("answered_in_time", _("within 30 min"), numeric=True),
        Column("in_time_percent", _("in time %"), numeric=True),
        Column("mean_answer_minutes", _("minutes to answer"), numeric=True),
        Column("fulfilled", _("fulfilled"), numeric=True),
        Column("mean_fulfil_minutes", _("minutes to fulfil"), numeric=True))

    def late() -> Iterator[tuple[str | None, ...]]:
        for number, arrived, posted, reason in service.posted_receipts(conn, when.start_instant, when.end_instant):
            # The station's calendar rule (当日报财务), the one posting itself asks (core.receiving_rules).
            if posting_is_late(arrived, posted):
                yield (number, _day(arrived), _day(posted), str((local_day(posted) - local_day(arrived)).days),
                       reason)

    late_columns = (Column("receipt", _("receipt")), Column("arrived", _("arrived")),
                    Column("posted", _("posted")), Column("days_late", _("days late"), numeric=True),
                    Column("late_reason", _("reason")))
    chart = Chart(_("shortages"), (_("logged"), _("answered"), _("within 30 min"), _("fulfilled")),
                  ((_("shortages"), tuple(Decimal(int(n)) for n in (logged, answered, in_time, fulfilled))),))
    return _report(SERVICE, when, [Section("shortages", _("shortage service level"), shortage_columns, shortages),
                                   Section("late_receipts", _("receipts posted late"), late_columns, late())],
                   chart=chart)


def claims(conn: Connection, when: Period, _part: str | None) -> Report:
    """Claims still open or sent at the date, by party (supplier, carrier) and age since raised."""
    titles = {"0_30": _("0–30 days"), "31_60": _("31–60 days"), "61_90": _("61–90 days"),
              "over_90": _("over 90 days")}
    rows, by_age = [], {}
    total_claims = total_amount = 0
    for party, age, count, amount in service.claim_rows(conn, when.at_instant):
        amount = stock.as_int(amount)
        rows.append((party, age, titles[age], str(count), value_text(amount * 1000)))
        by_age[age] = by_age.get(age, 0) + amount
        total_claims += count
        total_amount += amount
    columns = (Column("party", _("party"), label_kind=labels.PARTY), Column("age", _("age")),
               Column("days", _("days since raised")), Column("claims", _("claims"), numeric=True),
               Column("amount", _("amount"), numeric=True))
    keys = tuple(key for key, _last in service.CLAIM_AGES)
    chart = Chart(_("amount by age"), tuple(titles[k] for k in keys),
                  ((_("amount"), tuple(_money(by_age.get(k, 0) * 1000) for k in keys)),))
    return _report(CLAIMS, when, [Section("lines", _("by party and age"), columns, rows)],
                   totals={"claims": str(total_claims), "amount": value_text(total_amount * 1000)}, chart=chart)


BUILDERS: dict[str, Callable[[Connection, Period, str | None], Report]] = {
    VALUATION: valuation, AGING: aging, SLOW: slow, CARD: card, CONSUMPTION: consumption, ABC: abc_report,
    SERVICE: service_report, CLAIMS: claims,
}
