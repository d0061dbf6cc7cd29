"""The stock reports' SQL: valuation and aging at a date from the ledger, slow movers, a part's stock card.

Every statement works on the stored integers (quantities in thousandths, costs in cents, values in their
product) past the Decimal column types, is one set-wise statement on SQLite and PostgreSQL, and returns rows the
caller streams. Instants are bound through the column types (naive UTC in the database).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Connection, String, and_, case, func, literal, or_, select, type_coerce, union_all

from core import tables as t
from core.models.enums import MoveKind

# Aging buckets by days since a lot was received: (key, first day, last day or None).
AGE_BUCKETS = (("0_90", 0, 90), ("91_180", 91, 180), ("181_365", 181, 365), ("over_365", 366, None))
# Slow-moving and obsolete: no issue for at least so many months (the largest that applies).
SLOW_MONTHS = (24, 12, 6)


def raw(column):
    """A Qty or Money column as its stored integer."""
    return type_coerce(column, BigInteger)


def as_int(value) -> int:
    """A summed integer as Python's int (PostgreSQL sums BIGINT into numeric)."""
    return 0 if value is None else int(value)


def holdings(at: datetime | None):
    """Rows whose sums by any grouping are the stock on hand at `at` (None: now): (part, location, received date,
    quantity, value).

    The lots as they are now, and, for a past date, each ledger row after it taken back (negated, at its lot's
    cost and date): summed, a lot's rows give what it held then. No per-lot grouping of the whole ledger: only
    the rows after the date are read beside the lots, so a recent date costs little more than now.
    """
    lot, move = t.stock_lot, t.stock_move
    now = (select(lot.c.part_id, lot.c.location_id, lot.c.received_at, raw(lot.c.qty_remaining).label("qty"),
                  (raw(lot.c.qty_remaining) * raw(lot.c.unit_cost)).label("value"))
           .where(lot.c.qty_remaining > 0))
    if at is None:
        return now.subquery("held")
    after = (select(move.c.part_id, move.c.location_id, lot.c.received_at, (-raw(move.c.qty)).label("qty"),
                    (-raw(move.c.qty) * raw(lot.c.unit_cost)).label("value"))
             .join(lot, lot.c.id == move.c.lot_id).where(move.c.at > at))
    return union_all(now, after).subquery("held")


def valuation_rows(conn: Connection, at: datetime | None):
    """(model series, zone, quantity, value) of the stock on hand at `at`, by series then zone."""
    held = holdings(at)
    series = func.coalesce(t.part.c.model_series, "")
    qty = func.sum(held.c.qty)
    return conn.execute(
        select(series.label("series"), t.location.c.zone, qty, func.sum(held.c.value))
        .select_from(held.join(t.part, t.part.c.id == held.c.part_id)
                     .join(t.location, t.location.c.id == held.c.location_id))
        .group_by(series, t.location.c.zone).having(qty != 0).order_by(series, t.location.c.zone))


def age_bucket(received_at, at: datetime):
    """The aging bucket's key of a lot received at `received_at`, seen at `at` (bounds computed here, once)."""
    from datetime import timedelta

    whens = []
    for key, _first, last in AGE_BUCKETS:
        if last is not None:
            whens.append((received_at > at - timedelta(days=last + 1), key))
    return case(*whens, else_=literal(AGE_BUCKETS[-1][0]))


def aging_rows(conn: Connection, at: datetime, held_at_date: datetime | None):
    """(bucket key, quantity, value) of the stock on hand, by age since received, as of `at`."""
    held = holdings(held_at_date)
    bucket = age_bucket(held.c.received_at, at)
    return conn.execute(select(bucket.label("bucket"), func.sum(held.c.qty), func.sum(held.c.value))
                        .group_by(bucket))


def slow_statement(at: datetime, cutoffs: dict[int, datetime], held_date: datetime | None):
    """Parts on hand at `held_date` (None: now) with no issue since the 6-month cutoff: (part no, name, name_zh,
    series, last issue as stored (naive UTC: SQLite's text, PostgreSQL's datetime; past the column type, whose
    parse of SQLite's text cost a sixth of the report at 150,000 parts), months, quantity, value), largest value
    first.

    A part never issued counts from its oldest lot in stock, so a part received last week is not obsolete.
    """
    move = t.stock_move
    held = holdings(held_date)
    issued = (select(move.c.part_id, func.max(move.c.at).label("last_issue"))
              .where(move.c.kind == MoveKind.ISSUE.value, move.c.at <= at)
              .group_by(move.c.part_id).subquery("issued"))
    # The oldest lot received by `at` (a lot received later holds nothing then; its rows only cancel out).
    oldest = func.min(case((held.c.received_at <= at, held.c.received_at)))
    stock = (select(held.c.part_id, oldest.label("oldest"), func.sum(held.c.qty).label("qty"),
                    func.sum(held.c.value).label("value"))
             .group_by(held.c.part_id).having(func.sum(held.c.qty) > 0).subquery("stock"))
    since = func.coalesce(issued.c.last_issue, stock.c.oldest)
    months = case(*((since <= cutoffs[m], literal(m)) for m in SLOW_MONTHS), else_=literal(0))
    return (
        select(t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.model_series,
               type_coerce(issued.c.last_issue, String), months.label("months"), stock.c.qty, stock.c.value)
        .select_from(stock.join(t.part, t.part.c.id == stock.c.part_id)
                     .outerjoin(issued, issued.c.part_id == stock.c.part_id))
        .where(since <= cutoffs[SLOW_MONTHS[-1]])
        .order_by(stock.c.value.desc(), t.part.c.part_no)
    )


def part_number(conn: Connection, part_id: int) -> str:
    """A part's number by id."""
    return conn.execute(select(t.part.c.part_no).where(t.part.c.id == part_id)).scalar_one()


def card_opening(conn: Connection, part_id: int, start: datetime) -> tuple[int, int]:
    """(quantity, value) of a part on the books just before `start`, from its ledger rows."""
    move = t.stock_move
    row = conn.execute(select(func.sum(raw(move.c.qty)), func.sum(raw(move.c.qty) * raw(move.c.unit_cost)))
                       .where(move.c.part_id == part_id, move.c.at < start)).one()
    return as_int(row[0]), as_int(row[1])


def card_moves(conn: Connection, part_id: int, start: datetime, end: datetime):
    """A part's ledger rows in [start, end), oldest first: (at, kind, qty, cost, location, document, operator)."""
    move = t.stock_move
    return conn.execute(
        select(move.c.at, move.c.kind, raw(move.c.qty), raw(move.c.unit_cost), t.location.c.code,
               move.c.doc_no, t.operator.c.code)
        .join(t.location, t.location.c.id == move.c.location_id)
        .join(t.operator, t.operator.c.id == move.c.operator_id)
        .where(and_(move.c.part_id == part_id, move.c.at >= start, move.c.at < end))
        .order_by(move.c.id), execution_options={"yield_per": 2000})


def issue_kinds():
    """The ledger rows that are consumption: issues, less what came back (returns)."""
    return or_(t.stock_move.c.kind == MoveKind.ISSUE.value, t.stock_move.c.kind == MoveKind.RETURN.value)
