"""The ledger's hash chain: every stock_move row carries sha256(previous row's chain + this row's fields).

The append-only rule is a trigger, and whoever can drop a trigger can change a ledger row and its lot
together so that the books still agree. The chain makes such a change show: a changed row no longer
matches its hash, a removed row leaves a gap in the ids (the ledger gives each row the id after the last,
under the write lock) and breaks the next row's link, and an inserted row is not linked in. The last row's
id and chain are kept in ledger_head, which shows rows removed from the end. Whoever recomputes every hash
after a change is not caught by the chain alone: `partsdesk stock verify` prints the head's hash, which a
station can write down or print with its day's papers to compare later.

The fields are encoded canonically (JSON of fixed order; quantity in thousandths and cost in cents as
integers, as stored; the time in UTC to the microsecond), so SQLite and PostgreSQL hash the same row alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from json.encoder import encode_basestring

from sqlalchemy import BigInteger, Connection, DateTime, bindparam, func, insert, select, type_coerce, update

from core import tables as t
from core.copy_rows import insert_rows
from core.direct import DIRECT_LIST_MAX, Direct
from core.errors import RuleViolation
from core.i18n import _

# The link the first row chains from: a fixed value anyone can recompute.
SEED = hashlib.sha256(b"partsdesk stock ledger").hexdigest()
HEAD_ID = 1

# One encoder made once: json.dumps with options builds a new one per call, a third of an append's hashing.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def utc_text(at: datetime) -> str:
    """An instant as the chain encodes it: UTC, ISO 8601 to the microsecond, no offset."""
    if at.tzinfo is not None:
        at = at.astimezone(timezone.utc).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def encode(move_id: int, at: datetime | str, kind: str, part_id: int, lot_id: int, location_id: int,
           qty_thousandths: int, cost_cents: int, doc_type: str, doc_no: str, operator_id: int,
           note: str | None) -> bytes:
    """The canonical bytes of a ledger row's fields (quantity in thousandths, cost in cents, time in UTC; a time
    already as utc_text may be given as that text)."""
    return _JSON.encode(
        [move_id, at if isinstance(at, str) else utc_text(at), kind, part_id, lot_id, location_id, qty_thousandths,
         cost_cents, doc_type, doc_no, operator_id, note]
    ).encode("utf-8")


def link(previous: str, fields: bytes) -> str:
    """A row's chain: sha256 of the previous row's chain (hex) followed by the row's canonical fields."""
    return hashlib.sha256(previous.encode("ascii") + fields).hexdigest()


def _scaled(value: Decimal | int, places: int) -> int:
    scaled = Decimal(value).scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {places} decimal places")
    return int(scaled)


def encode_move(row: dict, at_text: str | None = None) -> bytes:
    """The canonical bytes of a ledger row about to be written (Decimal quantity and cost, aware time, or the
    time's utc_text when the caller has it)."""
    return encode(row["id"], at_text or row["at"], row["kind"], row["part_id"], row["lot_id"], row["location_id"],
                  _scaled(row["qty"], 3), _scaled(row["unit_cost"], 2), row["doc_type"], row["doc_no"],
                  row["operator_id"], row.get("note"))


# -- appending ---------------------------------------------------------------------------------

# FOR UPDATE serialises appends on PostgreSQL: a second terminal waits here until the first commits and
# then chains from its last row. SQLite's writers are already serialised by BEGIN IMMEDIATE; there the head
# is read and moved straight through the driver (the hot path: SQLAlchemy's execute costs about
# 20 microseconds a statement, a third of what the chain adds to a take), in the same transaction.
_HEAD = select(t.ledger_head.c.last_id, t.ledger_head.c.chain).where(t.ledger_head.c.id == HEAD_ID).with_for_update()
_SQLITE_HEAD = "SELECT last_id, chain FROM ledger_head WHERE id = 1"
_SQLITE_MOVE_HEAD = "UPDATE ledger_head SET last_id = ?, chain = ? WHERE id = 1"
_MOVE_HEAD = (
    update(t.ledger_head)
    .where(t.ledger_head.c.id == HEAD_ID)
    .values(last_id=bindparam("head_last_id"), chain=bindparam("head_chain"))
)
# An issue's few rows go straight to the driver (core.direct), every column named; a receipt's
# thousands go in by core.copy_rows (a COPY on PostgreSQL).
_HEAD_DIRECT, _MOVE_HEAD_DIRECT = Direct(_HEAD), Direct(_MOVE_HEAD)
_INSERT_FEW_MOVES = Direct(insert(t.stock_move).values({c.key: bindparam(c.key) for c in t.stock_move.columns}))


def append(conn: Connection, rows: Sequence[dict]) -> None:
    """Write ledger rows after the last one: each gets the next id and its chain, and the head moves on.

    Runs inside the caller's write transaction; the head row stays locked until it commits. A caller that
    locks stock lots locks them before its first append (core.ledger.lock_lots), so that the head is
    always the last lock taken and two writers cannot wait on each other.
    """
    if not rows:
        return
    driver = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    head = driver.execute(_SQLITE_HEAD).fetchone() if driver is not None else _HEAD_DIRECT.execute(conn).first()
    if head is None:
        raise RuleViolation(_("the ledger's head row is missing: nothing can be booked; run `partsdesk stock verify`"))
    last_id, chain = head
    at, at_text = None, ""
    for row in rows:
        if row["at"] is not at:  # the rows of one append share their time: encoded once
            at, at_text = row["at"], utc_text(row["at"])
        last_id += 1
        row["id"] = last_id
        chain = link(chain, encode_move(row, at_text))
        row["chain"] = chain
    if len(rows) <= DIRECT_LIST_MAX:
        _INSERT_FEW_MOVES.execute(conn, list(rows))
    else:
        insert_rows(conn, t.stock_move, rows)
    if driver is not None:
        driver.execute(_SQLITE_MOVE_HEAD, (last_id, chain))
    else:
        _MOVE_HEAD_DIRECT.execute(conn, {"head_last_id": last_id, "head_chain": chain})


def lock_head(conn: Connection) -> None:
    """Lock the ledger's head now rather than at the first append (PostgreSQL): a transaction writing the ledgers
    of two stations takes their heads in one order (core.services.transfers), so two such transfers going opposite
    ways never hold one head each while waiting for the other."""
    if conn.dialect.name == "postgresql":
        _HEAD_DIRECT.execute(conn).first()


def chain_rows(rows: Iterable[tuple], previous: str = SEED) -> Iterable[tuple[int, str]]:
    """(id, chain) for stored rows in id order, chained on from `previous`: how the migration that
    introduced the chain fills it in for the rows already there.

    Each row is (id, at, kind, part_id, lot_id, location_id, qty in thousandths, cost in cents, doc_type,
    doc_no, operator_id, note).
    """
    chain = previous
    for row in rows:
        chain = link(chain, encode(*row))
        yield row[0], chain


# -- verifying ---------------------------------------------------------------------------------

# As stored, without the column types' conversions: quantities and money as integers, the time naive UTC.
_ROWS = select(
    t.stock_move.c.id, type_coerce(t.stock_move.c.at, DateTime), t.stock_move.c.kind, t.stock_move.c.part_id,
    t.stock_move.c.lot_id, t.stock_move.c.location_id, type_coerce(t.stock_move.c.qty, BigInteger),
    type_coerce(t.stock_move.c.unit_cost, BigInteger), t.stock_move.c.doc_type, t.stock_move.c.doc_no,
    t.stock_move.c.operator_id, t.stock_move.c.note, t.stock_move.c.chain,
).order_by(t.stock_move.c.id)


def _ids(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


class _Verifier:
    """Walks the rows in id order, one link at a time, and names what does not hold.

    A link is the pair (previous row, row): it holds when the row's chain is the hash of the previous row's
    chain and the row's fields. One row changed breaks its own link only (the next row links to its stored
    chain); rows removed leave a gap before a broken link; a row inserted breaks its link and the next one,
    which links to the row before it. Two breaks in a row otherwise point at the row between them.
    """

    def __init__(self, head) -> None:
        self.head = head
        self.problems: list[str] = []
        self.prev_id, self.prev_chain = 0, SEED
        # A broken link not yet explained, waiting for the next row: (id and chain of the row before it,
        # the row's id, whether ids are missing before the row).
        self.pending: tuple[int, str, int, bool] | None = None
        self.changed: set[int] = set()

    def row(self, move_id: int, fields: bytes, chain: str) -> None:
        if self.head is not None and move_id > self.head.last_id:
            self._settle()
            self.problems.append(_("ledger move {id} inserted: it comes after the last move the ledger booked ({last})")
                                 .format(id=move_id, last=self.head.last_id))
            return
        gap = move_id > self.prev_id + 1
        holds = link(self.prev_chain, fields) == chain
        if self.pending is not None:
            before_id, before_chain, suspect, suspect_gap = self.pending
            self.pending = None
            if holds or gap:
                self._single(before_id, suspect, suspect_gap)
                if not holds:
                    self.pending = (self.prev_id, self.prev_chain, move_id, gap)
            else:
                # Two broken links in a row: the row between them is out of place.
                if suspect_gap:
                    self._removed(before_id, suspect)
                if link(before_chain, fields) == chain:
                    self.problems.append(_("ledger move {id} inserted: it is not linked into the chain").format(
                        id=suspect))
                else:
                    self._changed(suspect)
        elif not holds:
            self.pending = (self.prev_id, self.prev_chain, move_id, gap)
        self.prev_id, self.prev_chain = move_id, chain

    def _single(self, before_id: int, move_id: int, gap: bool) -> None:
        if gap:
            self._removed(before_id, move_id)
        else:
            self._changed(move_id)

    def _settle(self) -> None:
        if self.pending is not None:
            before_id, _chain, move_id, gap = self.pending
            self.pending = None
            self._single(before_id, move_id, gap)

    def _removed(self, before_id: int, move_id: int) -> None:
        self.problems.append(_("ledger move {ids} removed: move {id} no longer links to move {prev}").format(
            ids=_ids(before_id + 1, move_id - 1), id=move_id, prev=before_id))

    def _changed(self, move_id: int) -> None:
        self.changed.add(move_id)
        self.problems.append(_("ledger move {id} changed: its fields no longer match its hash").format(id=move_id))

    def end(self) -> list[str]:
        self._settle()
        head = self.head
        if head is None:
            self.problems.append(_("the ledger's head row is missing: the last moves cannot be checked"))
        elif self.prev_id < head.last_id:
            self.problems.append(_("ledger move {ids} removed: the ledger booked up to move {last}").format(
                ids=_ids(self.prev_id + 1, head.last_id), last=head.last_id))
        elif self.prev_chain != head.chain and self.prev_id not in self.changed:
            self.problems.append(_("ledger move {id} changed: its hash is not the one the ledger booked").format(
                id=self.prev_id))
        return self.problems


def verify(conn: Connection) -> list[str]:
    """Every break in the ledger's chain, one line each naming the move: changed, removed or inserted rows.

    Empty when every row links to the one before it and the last is the one ledger_head records. Reads the
    ledger in id order in batches, within the caller's transaction (one snapshot for a whole check); memory
    stays flat however long the ledger.
    """
    head = conn.execute(select(t.ledger_head.c.last_id, t.ledger_head.c.chain)
                        .where(t.ledger_head.c.id == HEAD_ID)).first()
    verifier = _Verifier(head)
    last = None if head is None else head.last_id
    sha256 = hashlib.sha256
    for move_id, fields, chain in _stored_rows(conn):
        # The common case inline (a row after the one before it, linked to it): what _Verifier.row does then,
        # without a call per row (a million-row ledger spends most of its check on calls).
        if (verifier.pending is None and move_id == verifier.prev_id + 1 and (last is None or move_id <= last)
                and sha256(verifier.prev_chain.encode("ascii") + fields).hexdigest() == chain):
            verifier.prev_id, verifier.prev_chain = move_id, chain
            continue
        verifier.row(move_id, fields, chain)
    return verifier.end()


_SQLITE_ROWS = ("SELECT id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no, operator_id, "
                "note, chain FROM stock_move ORDER BY id")
_BATCH = 10_000


def _stored_rows(conn: Connection) -> Iterator[tuple[int, bytes, str]]:
    """(id, canonical fields, stored chain) of every ledger row in id order, read in batches.

    On SQLite through the driver's own cursor in the same transaction: the stored values are already what
    the chain encodes (integers, the time as naive UTC text), and SQLAlchemy's conversions and encode()'s
    JSON encoder were two thirds of a check. The bytes are encode()'s, built by hand: JSON's own string
    escaping, integers as Python writes them, null for no note.
    """
    if conn.dialect.name != "sqlite":
        # yield_per on the statement: on the connection it would stay for the caller's later statements.
        for row in conn.execute(_ROWS, execution_options={"yield_per": _BATCH}):
            yield row[0], encode(*row[:12]), row[12]
        return
    quote = encode_basestring
    cursor = conn.connection.driver_connection.execute(_SQLITE_ROWS)
    try:
        while batch := cursor.fetchmany(_BATCH):
            for (move_id, at, kind, part_id, lot_id, location_id, qty, cost, doc_type, doc_no, operator_id, note,
                 chain) in batch:
                if type(at) is str and len(at) == 26 and at[10] == " ":
                    at = at[:10] + "T" + at[11:]  # as stored: "YYYY-MM-DD HH:MM:SS.ffffff", naive UTC
                else:
                    at = utc_text(at if isinstance(at, datetime) else datetime.fromisoformat(at))
                text = (f"[{move_id},{quote(at)},{quote(kind)},{part_id},{lot_id},{location_id},{qty},{cost},"
                        f"{quote(doc_type)},{quote(doc_no)},{operator_id},{'null' if note is None else quote(note)}]")
                yield move_id, text.encode("utf-8"), chain
    finally:
        cursor.close()


# -- the chain's structure, without re-hashing every row ------------------------------------------------------

_MOVE = t.stock_move
_BEFORE = _MOVE.alias("before")


def check_structure(conn: Connection) -> list[str]:
    """What `stock check` says of the chain in a few indexed queries, without re-hashing every row.

    The head names the last row, the ids run on without a gap up to it, and the last row is the one the head
    booked and links to the row before it. Only the rows next to a gap and the last one are hashed: a gap the
    chain links across is older than the chain (ids PostgreSQL skipped before migration 0008) and no problem,
    as in verify(). A row changed in the middle, or one slipped into an old gap, is left to verify() (`stock
    verify`, `db check`), which re-hashes every row.
    """
    head = conn.execute(select(t.ledger_head.c.last_id, t.ledger_head.c.chain)
                        .where(t.ledger_head.c.id == HEAD_ID)).first()
    if head is None:
        return [_("the ledger's head row is missing: the last moves cannot be checked")]
    # Three statements, not one: min and max alone are one step down the primary key each, and a count alone
    # SQLite answers from its smallest index; together they scan the table.
    first = conn.execute(select(func.min(_MOVE.c.id))).scalar()
    last = conn.execute(select(func.max(_MOVE.c.id))).scalar()
    counted = select(func.count()).select_from(_MOVE)
    if last is not None and last > head.last_id:  # rows after the head (named below): left out of the count
        booked = _MOVE.c.id <= head.last_id
        last = conn.execute(select(func.max(_MOVE.c.id)).where(booked)).scalar()
        counted = counted.where(booked)
    count = conn.execute(counted).scalar_one()
    problems: list[str] = []
    named: set[int] = set()
    # Ids 1..last, each once, when there are as many rows as the last id: the whole ledger in one count.
    if count and not (first == 1 and count == last):
        for move_id, before_id, before_chain, fields, chain in _rows_after_gaps(conn, head.last_id):
            if link(before_chain, fields) != chain:
                named.add(move_id)
                problems.append(_("ledger move {ids} removed: move {id} no longer links to move {prev}").format(
                    ids=_ids(before_id + 1, move_id - 1), id=move_id, prev=before_id))
    if (last or 0) < head.last_id:
        problems.append(_("ledger move {ids} removed: the ledger booked up to move {last}").format(
            ids=_ids((last or 0) + 1, head.last_id), last=head.last_id))
    elif last is not None and last not in named:
        before_id, before_chain, fields, chain = _linked_row(conn, last)
        if link(before_chain, fields) != chain:
            problems.append(_("ledger move {id} changed: its fields no longer match its hash").format(id=last))
        elif chain != head.chain:
            problems.append(_("ledger move {id} changed: its hash is not the one the ledger booked").format(
                id=last))
    for (move_id,) in conn.execute(select(_MOVE.c.id).where(_MOVE.c.id > head.last_id).order_by(_MOVE.c.id)):
        problems.append(_("ledger move {id} inserted: it comes after the last move the ledger booked ({last})")
                        .format(id=move_id, last=head.last_id))
    return problems


def _linked_row(conn: Connection, move_id: int) -> tuple[int, str, bytes, str]:
    """(id and chain of the row before it, or 0 and the seed; its canonical fields; its stored chain)."""
    row = conn.execute(_ROWS.where(_MOVE.c.id == move_id)).one()
    before = conn.execute(select(_MOVE.c.id, _MOVE.c.chain).where(_MOVE.c.id < move_id)
                          .order_by(_MOVE.c.id.desc()).limit(1)).first()
    before_id, before_chain = (0, SEED) if before is None else before
    return before_id, before_chain, encode(*row[:12]), row[12]


def _rows_after_gaps(conn: Connection, last_id: int) -> Iterator[tuple[int, int, str, bytes, str]]:
    """Each booked row whose id is not the one after the row before it, with that row: (id, id and chain of
    the row before, canonical fields, chain). Only read when the count says there is a gap."""
    after_gap = (
        select(_MOVE.c.id)
        .where(_MOVE.c.id <= last_id, ~select(_BEFORE.c.id).where(_BEFORE.c.id == _MOVE.c.id - 1).exists())
        .order_by(_MOVE.c.id)
    )
    # The ids first, whole: a handful on a healthy old station, and the rows' reads below use the connection.
    for move_id in conn.execute(after_gap).scalars().all():
        if move_id == 1:
            continue  # the first row: nothing missing before it
        before_id, before_chain, fields, chain = _linked_row(conn, move_id)
        yield move_id, before_id, before_chain, fields, chain


def head_chain(conn: Connection) -> tuple[int, str] | None:
    """The last move's id and chain as the head records them: the ledger's fingerprint, to write down."""
    head = conn.execute(select(t.ledger_head.c.last_id, t.ledger_head.c.chain)
                        .where(t.ledger_head.c.id == HEAD_ID)).first()
    return None if head is None else (head.last_id, head.chain)
