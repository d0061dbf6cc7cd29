"""The ABC classification of parts by consumption value: A the top 80% of the issue value (issues less returns)
over a period, B the next 15%, C the rest (and every part not issued). The stocktake's cycle counts (the last 12
months) and the reports (any period) read it from here, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, case, func, literal, select

from core import tables as t
from core.records.report_stock import issue_kinds, raw

# The shares of the issue value the classes end at, in percent of the whole.
A_SHARE, B_SHARE = 80, 95
YEAR = timedelta(days=365)


def _issue_values(start: datetime, end: datetime):
    """Each part's net issue quantity and value in [start, end), parts with a positive value only."""
    move = t.stock_move
    value = -func.sum(raw(move.c.qty) * raw(move.c.unit_cost))
    return (select(move.c.part_id, (-func.sum(raw(move.c.qty))).label("qty"), value.label("value"))
            .where(issue_kinds(), move.c.at >= start, move.c.at < end)
            .group_by(move.c.part_id).having(value > 0).subquery("issued"))


def ranked_by_issue_value(start: datetime, end: datetime):
    """Every part issued in [start, end) ranked by issue value: (part_id, qty, value, rank, class).

    A part is A while the value of the parts ranked above it is under 80% of the total, B under 95%, else C:
    the top part is always A, and the part that crosses 80% is still an A. Ties in value rank by part id, so the
    classes are the same on every run. One statement, set-wise: the sums as the stored integers and a window.
    """
    issued = _issue_values(start, end)
    order = (issued.c.value.desc(), issued.c.part_id)
    before = func.coalesce(func.sum(issued.c.value).over(order_by=order, rows=(None, -1)), 0)
    total = func.sum(issued.c.value).over()
    cls = case((before * 100 < total * A_SHARE, literal("A")), (before * 100 < total * B_SHARE, literal("B")),
               else_=literal("C"))
    return select(issued.c.part_id, issued.c.qty, issued.c.value,
                  func.row_number().over(order_by=order).label("rank"), cls.label("class")).subquery("ranked")


def abc_classes(conn: Connection, at: datetime) -> dict[int, str]:
    """Every part's class ("A", "B" or "C") by id, from the issue value of the 12 months before `at`."""
    # Up to and including `at` (an issue booked this very moment counts): the end is the next instant stored.
    ranked = ranked_by_issue_value(at - YEAR, at + timedelta(microseconds=1))
    # Every part C first, then the issued ones graded: an outer join of the parts onto the window's result made
    # SQLite scan the result once per part (20 s at 200,000 parts); two plain reads take a fraction of a second.
    classes = dict.fromkeys(conn.execute(select(t.part.c.id)).scalars(), "C")
    classes.update(conn.execute(select(ranked.c.part_id, ranked.c["class"])).all())
    return classes
