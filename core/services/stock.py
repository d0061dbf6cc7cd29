"""The stock ledger's own use cases: read lots, on hand and the ledger (adjust lives in core.services.adjustments).

Stock comes in on posted receipts (receiving), goes out on requisitions and comes back on returns
(the counter); all of them move it through core/ledger.py. Reads use SQLAlchemy Core on the unit
of work's connection. An adjustment checks the role, runs in one transaction and appends one ledger
row per lot it touches.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    DateTime,
    func,
    select,
    type_coerce,
)

from core import ledger, ledger_chain
from core import tables as t
from core.codes import fold, normalise_location, normalise_part_no
from core.decimals import (
    MAX_VALUE,
    fmt_cents,
    fmt_limit,
    fmt_thousandths,
    fmt_value_raw,
    money,
)
from core.direct import stream_rows
from core.errors import NotFound, RuleViolation
from core.i18n import _
from core.records.catalog import part_id
from core.records.reservations import reserved
from core.services.adjustments import Adjusted, adjust  # noqa: F401  (callers know them as stock.adjust)
from core.services.stock_check import books_problems
from core.units import ReadUnit


@dataclass(frozen=True, slots=True)
class LotInfo:
    """A lot as the part screen and `part show` list it."""

    lot: int
    part_no: str
    location: str
    received_at: datetime
    qty_received: Decimal
    qty: Decimal
    unit_cost: Decimal
    document: str


@dataclass(frozen=True, slots=True)
class PartStock:
    """A part's stock: on hand, its lots with stock (oldest first), what written requisitions reserve of it and
    what is available to another repair order (issuable on hand, quarantine excepted, less what is reserved)."""

    part_no: str
    name: str
    name_zh: str | None
    unit: str
    on_hand: Decimal
    lots: tuple[LotInfo, ...]
    reserved: Decimal = Decimal("0.000")
    available: Decimal = Decimal("0.000")


@dataclass(frozen=True, slots=True)
class MoveInfo:
    """One ledger row as `partsdesk ledger` prints it."""

    id: int
    at: datetime
    kind: str
    part_no: str
    qty: Decimal
    lot: int
    location: str
    unit_cost: Decimal
    document: str
    doc_type: str
    operator: str
    note: str | None


@dataclass(frozen=True, slots=True)
class StockLine:
    """On hand of one part at one location."""

    part_no: str
    name: str
    location: str
    on_hand: Decimal
    value: Decimal
    name_zh: str | None = None  # the Chinese name, which text output shows in Chinese


# -- reading -----------------------------------------------------------------------------------

_LOT_COLUMNS = (
    t.stock_lot.c.id, t.part.c.part_no, t.location.c.code, t.stock_lot.c.received_at, t.stock_lot.c.qty_received,
    t.stock_lot.c.qty_remaining, t.stock_lot.c.unit_cost, t.stock_lot.c.doc_no,
)


def _lot_row(row) -> LotInfo:
    return LotInfo(row.id, row.part_no, row.code, row.received_at, row.qty_received, row.qty_remaining,
                   row.unit_cost, row.doc_no)


def part_stock(part_no: str, *, uow: ReadUnit) -> PartStock:
    """A part's on-hand quantity and its lots with stock, oldest first (the order FIFO takes them)."""
    normalised = normalise_part_no(part_no)
    with uow.read() as conn:
        part = conn.execute(
            select(t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.unit).where(
                t.part.c.part_no == normalised
            )
        ).first()
        if part is None:
            raise NotFound(_("unknown part number {part_no}").format(part_no=normalised or repr(part_no)))
        rows = conn.execute(
            select(*_LOT_COLUMNS)
            .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
            .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
            .where(t.stock_lot.c.part_id == part.id, t.stock_lot.c.qty_remaining > 0)
            .order_by(t.stock_lot.c.received_at, t.stock_lot.c.id)
        ).all()
        held = reserved(conn, [part.id]).get(part.id, Decimal("0.000"))
        issuable = ledger.issuable(conn, [part.part_no]).get(part.part_no, Decimal("0.000"))
    lots = tuple(_lot_row(r) for r in rows)
    on_hand = sum((lot.qty for lot in lots), Decimal("0.000"))
    return PartStock(part.part_no, part.name, part.name_zh, part.unit, on_hand, lots, held,
                     max(issuable - held, Decimal("0.000")))


# Rows fetched from the cursor at a time when a listing is streamed (SQLite steps its cursor; psycopg reads
# PostgreSQL's rows as they come, core.direct.stream_rows): what a listing holds in memory, however many it has.
STREAM_BATCH = 2000


def stock_list(*, uow: ReadUnit, series: str | None = None, location: str | None = None) -> list[StockLine]:
    """On hand and value per part and location, for every place that holds stock, by location then part."""
    return list(stock_lines(uow=uow, series=series, location=location))


def _stock_statement(series: str | None, location: str | None):
    """On hand (thousandths) and value (thousandths x cents) per part and location, by location then part: the
    stored integers, never through the Decimal column types (a listing formats them itself)."""
    lot = t.stock_lot
    statement = (
        select(
            t.part.c.part_no,
            t.part.c.name,
            t.part.c.name_zh,
            t.location.c.code,
            func.sum(type_coerce(lot.c.qty_remaining, BigInteger)).label("on_hand_raw"),
            func.sum(type_coerce(lot.c.qty_remaining, BigInteger) * type_coerce(lot.c.unit_cost, BigInteger)
                     ).label("value_raw"),
        )
        .join(t.part, t.part.c.id == lot.c.part_id)
        .join(t.location, t.location.c.id == lot.c.location_id)
        .where(lot.c.qty_remaining > 0)
        .group_by(t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.location.c.code)
        .order_by(t.location.c.code, t.part.c.part_no)
    )
    if series:
        statement = statement.where(t.part.c.model_series == fold(series).strip())
    if location:
        statement = statement.where(t.location.c.code == normalise_location(location))
    return statement


def _exact_value(value_raw: object, part_no: str, code: str) -> int:
    """The summed value, refused where SQLite added it past BIGINT into a float."""
    if isinstance(value_raw, float):
        # SQLite multiplies past BIGINT into a float: only lots stored before the limits (core.decimals)
        # can do that, and a value computed through a float is not shown as if it were exact.
        raise RuleViolation(_("the value of {part_no} at {location} is past what can be added exactly: a "
                              "lot there is past the limits (quantity x cost at most {limit})").format(
            part_no=part_no, location=code, limit=fmt_limit(MAX_VALUE)))
    return value_raw


def stock_lines(*, uow: ReadUnit, series: str | None = None, location: str | None = None) -> Iterator[StockLine]:
    """The lines of stock_list, yielded as they are read from a streamed cursor (memory flat at any size).

    The read block stays open while the caller iterates: one snapshot for the whole listing.
    """
    with uow.read() as conn:
        # Unpacked by position: a Row's attributes by name cost a third of a 200k-line listing.
        for part_no, name, name_zh, code, qty, value_raw in stream_rows(
                conn, _stock_statement(series, location), size=STREAM_BATCH):
            # qty is stored in thousandths and cost in cents, so the raw product is in 1/100000 of money.
            value = _exact_value(value_raw, part_no, code)
            yield StockLine(part_no, name, code, Decimal(int(qty)).scaleb(-3), money(Decimal(value).scaleb(-5)),
                            name_zh)


def stock_text_rows(*, uow: ReadUnit, series: str | None = None,
                    location: str | None = None) -> Iterator[tuple[str, str, str, str | None, str, str]]:
    """stock_lines as text, for the long listings: (location, part no, name, Chinese name, on hand, value).

    On hand and value are the texts fmt_qty and fmt_money give for StockLine's, made from the stored integers:
    a Decimal a cell cost most of a 200,000-line `stock list`. Streamed like stock_lines.
    """
    with uow.read() as conn:
        for part_no, name, name_zh, code, qty, value_raw in stream_rows(
                conn, _stock_statement(series, location), size=STREAM_BATCH):
            if value_raw.__class__ is not int:  # PostgreSQL sums a BIGINT into a numeric (a Decimal, integral)
                value_raw = int(_exact_value(value_raw, part_no, code))
            yield code, part_no, name, name_zh, fmt_thousandths(int(qty)), fmt_value_raw(value_raw)


def part_ledger(part_no: str, *, uow: ReadUnit) -> list[MoveInfo]:
    """Every ledger row of a part, oldest first."""
    return list(part_moves(part_no, uow=uow))


def _moves_statement(pid: int, raw: bool):
    """A part's ledger rows, oldest first; with `raw`, the time as stored (naive UTC) and quantity and cost as
    stored (thousandths, cents), past the column types."""
    move = t.stock_move
    at, qty, cost = move.c.at, move.c.qty, move.c.unit_cost
    if raw:
        at, qty, cost = type_coerce(at, DateTime), type_coerce(qty, BigInteger), type_coerce(cost, BigInteger)
    return (
        select(move.c.id, at, move.c.kind, qty, move.c.lot_id, t.location.c.code, cost, move.c.doc_type,
               move.c.doc_no, t.operator.c.code.label("operator"), move.c.note)
        .join(t.location, t.location.c.id == move.c.location_id)
        .join(t.operator, t.operator.c.id == move.c.operator_id)
        .where(move.c.part_id == pid)
        .order_by(move.c.id)
    )


def part_moves(part_no: str, *, uow: ReadUnit) -> Iterator[MoveInfo]:
    """The rows of part_ledger, yielded as they are read from a streamed cursor; an unknown part is NotFound
    before the first row."""
    normalised = normalise_part_no(part_no)
    with uow.read() as conn:
        pid = part_id(conn, normalised)
        rows = stream_rows(conn, _moves_statement(pid, raw=False), size=STREAM_BATCH)
        for move_id, at, kind, qty, lot_id, code, unit_cost, doc_type, doc_no, operator, note in rows:
            yield MoveInfo(move_id, at, kind, normalised, qty, lot_id, code, unit_cost, doc_no, doc_type, operator,
                           note)


def move_text_rows(part_no: str, *, uow: ReadUnit) -> Iterator[
        tuple[int, datetime, str, str, int, str, str, str, str, str | None]]:
    """part_moves for the long listings: (id, at, kind, qty, lot, location, unit cost, document, operator, note).

    `at` is the instant in UTC without its zone (as stored), quantity and cost the texts fmt_qty and fmt_money
    give, made from the stored integers: the column types' Decimal and datetime a cell cost most of a
    100,000-move `ledger`. Streamed like part_moves.
    """
    normalised = normalise_part_no(part_no)
    with uow.read() as conn:
        pid = part_id(conn, normalised)
        rows = stream_rows(conn, _moves_statement(pid, raw=True), size=STREAM_BATCH)
        for move_id, at, kind, qty, lot_id, code, unit_cost, _doc_type, doc_no, operator, note in rows:
            yield (move_id, at, kind, fmt_thousandths(qty), lot_id, code, fmt_cents(unit_cost), doc_no, operator,
                   note)


def invariant_violations(*, uow: ReadUnit, chain: bool = True) -> list[str]:
    """Every place where the books disagree: ledger vs lots per lot, negative or over-full lots, and (unless
    `chain` is False) every ledger row changed, removed or inserted behind the ledger's back.

    Empty on a healthy station; tests run it after every operation, `partsdesk db check` on demand (without the
    chain, which it verifies as its own check; `stock check` is core.services.stock_check).
    Everything is read in one read block: one snapshot, so a check run while others write sees the ledger
    and the lots as they stood together (on PostgreSQL a REPEATABLE READ transaction, see data/db.py).
    """
    problems: list[str] = []
    with uow.read() as conn, uow.twin() as twin:
        if chain:
            problems.extend(ledger_chain.verify(conn))
        problems.extend(books_problems(conn, twin))
    return problems


def verify_ledger_chain(uow: ReadUnit) -> list[str]:
    """Every break in the ledger's hash chain, one line each naming the move: changed, removed or inserted."""
    with uow.read() as conn:
        return ledger_chain.verify(conn)


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What `stock verify` says: the ledger's rows, its head (last move and hash) and every break found."""

    moves: int
    last_move: int | None
    head: str | None
    problems: list[str]


def ledger_report(*, uow: ReadUnit) -> ChainReport:
    """The ledger's hash chain verified, with the head's hash: a fingerprint a station can write down."""
    with uow.read() as conn:
        problems = ledger_chain.verify(conn)
        moves = conn.execute(select(func.count()).select_from(t.stock_move)).scalar_one()
        head = ledger_chain.head_chain(conn)
    return ChainReport(moves, head[0] if head else None, head[1] if head else None, problems)
