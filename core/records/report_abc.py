"""Consumption and the A/B/C classification for the reports, in SQL: what was issued (less returns) by model
series and month, and each part's class by its share of 12 months' issue value.

The rule (A = the top 80% of the issue value, B the next 15%, C the rest) is the one the stocktake's cycle counts
use (core.records.abc); it lives here under its own name, report_abc_classes, until the two are made one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, case, func, literal, select

from core import tables as t
from core.records.report_stock import issue_kinds, raw

# Cumulative shares of the issue value (in percent) that end class A and class B.
A_SHARE, B_SHARE = 80, 95


def month_of(at_column, months: list[tuple[str, datetime]]):
    """The month key ("2026-11") of an instant, from the local month starts given (oldest first): a CASE over
    the bounds computed once, the same on both databases and in the station's time zone."""
    whens = [(at_column >= start, literal(key)) for key, start in reversed(months)]
    return case(*whens, else_=literal(None))


def consumption_rows(conn: Connection, start: datetime, end: datetime, months: list[tuple[str, datetime]]):
    """(series, month, quantity, value) issued in [start, end), returns netted, by series then month; quantity
    and value positive for stock that went out."""
    move = t.stock_move
    month = month_of(move.c.at, months)
    series = func.coalesce(t.part.c.model_series, "")
    return conn.execute(
        select(series.label("series"), month.label("month"), -func.sum(raw(move.c.qty)),
               -func.sum(raw(move.c.qty) * raw(move.c.unit_cost)))
        .join(t.part, t.part.c.id == move.c.part_id)
        .where(issue_kinds(), move.c.at >= start, move.c.at < end)
        .group_by(series, month).order_by(series, month))


def _issue_values(start: datetime, end: datetime):
    """Each part's net issue quantity and value in [start, end), parts with a positive value only."""
    move = t.stock_move
    value = -func.sum(raw(move.c.qty) * raw(move.c.unit_cost))
    return (select(move.c.part_id, (-func.sum(raw(move.c.qty))).label("qty"), value.label("value"))
            .where(issue_kinds(), move.c.at >= start, move.c.at < end)
            .group_by(move.c.part_id).having(value > 0).subquery("issued"))


def report_abc_classes(start: datetime, end: datetime):
    """Every part issued in [start, end) ranked by issue value: (part_id, qty, value, rank, class).

    A part is A while the value of the parts ranked above it is under 80% of the total, B under 95%, else C:
    the top part is always A. Ties in value rank by part id, so the classes are the same on every run.
    """
    issued = _issue_values(start, end)
    order = (issued.c.value.desc(), issued.c.part_id)
    before = func.coalesce(func.sum(issued.c.value).over(order_by=order, rows=(None, -1)), 0)
    total = func.sum(issued.c.value).over()
    cls = case((before * 100 < total * A_SHARE, literal("A")), (before * 100 < total * B_SHARE, literal("B")),
               else_=literal("C"))
    return select(issued.c.part_id, issued.c.qty, issued.c.value,
                  func.row_number().over(order_by=order).label("rank"), cls.label("class")).subquery("ranked")


def abc_part_rows(conn: Connection, start: datetime, end: datetime):
    """The ranked parts with their numbers and names, best first (streamed)."""
    ranked = report_abc_classes(start, end)
    return conn.execute(
        select(ranked.c.rank, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, ranked.c.qty, ranked.c.value,
               ranked.c["class"])
        .join(t.part, t.part.c.id == ranked.c.part_id).order_by(ranked.c.rank),
        execution_options={"yield_per": 2000})
