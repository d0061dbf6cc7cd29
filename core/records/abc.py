"""The ABC classification of parts by consumption value: A the top 80% of the last 12 months' issue value, B the
next 15%, C the rest (and every part not issued). The cycle count and the reports read it from here, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Connection, case, func, literal, select, type_coerce

from core import tables as t
from core.models import MoveKind

# The shares of the year's issue value the classes end at, in percent of the whole.
A_SHARE, B_SHARE = 80, 95
YEAR = timedelta(days=365)


def abc_classes(conn: Connection, at: datetime) -> dict[int, str]:
    """Every part's class ("A", "B" or "C") by id, from the issue value of the 12 months before `at`.

    One statement, set-wise: the issue value per part (the ledger's issue rows, quantity x lot cost, summed as
    the stored integers), a running sum in descending value order (a window), and the class from the share of
    the whole that comes before a part: the part that crosses 80% is still an A. Parts with no issue are C.
    """
    move = t.stock_move
    # Issue rows are negative quantities: the value out of stock is minus their product, in 1/100000 of money.
    value = func.sum(-type_coerce(move.c.qty, BigInteger) * type_coerce(move.c.unit_cost, BigInteger))
    issued = (
        select(move.c.part_id, value.label("value"))
        .where(move.c.kind == MoveKind.ISSUE.value, move.c.at > at - YEAR, move.c.at <= at)
        .group_by(move.c.part_id)
        .having(value > 0)
        .subquery("issued")
    )
    running = func.sum(issued.c.value).over(order_by=(issued.c.value.desc(), issued.c.part_id),
                                            rows=(None, -1))  # everything before this part
    total = func.sum(issued.c.value).over()
    ranked = select(issued.c.part_id, func.coalesce(running, 0).label("before"), total.label("total")).subquery()
    grade = case(
        (ranked.c.before * 100 < ranked.c.total * A_SHARE, literal("A")),
        (ranked.c.before * 100 < ranked.c.total * B_SHARE, literal("B")),
        else_=literal("C"),
    )
    # Every part C first, then the issued ones graded: an outer join of the parts onto the window's result made
    # SQLite scan the result once per part (20 s at 200,000 parts); two plain reads take a fraction of a second.
    classes = dict.fromkeys(conn.execute(select(t.part.c.id)).scalars(), "C")
    classes.update(conn.execute(select(ranked.c.part_id, grade)).all())
    return classes
