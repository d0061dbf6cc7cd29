"""Consumption and the A/B/C classification for the reports, in SQL: what was issued (less returns) by model
series and month, and each part's class by its share of 12 months' issue value.

The A/B/C rule (A = the top 80% of the issue value, B the next 15%, C the rest) is core.records.abc's, the one the
stocktake's cycle counts use.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, case, func, literal, select

from core import tables as t
from core.records.abc import ranked_by_issue_value
from core.records.report_stock import issue_kinds, raw


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


def abc_part_rows(conn: Connection, start: datetime, end: datetime):
    """The ranked parts with their numbers and names, best first (streamed)."""
    ranked = ranked_by_issue_value(start, end)
    return conn.execute(
        select(ranked.c.rank, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, ranked.c.qty, ranked.c.value,
               ranked.c["class"])
        .join(t.part, t.part.c.id == ranked.c.part_id).order_by(ranked.c.rank),
        execution_options={"yield_per": 2000})
