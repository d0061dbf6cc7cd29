"""Stocktake (盘点): open a count over a scope, count blind with two counters, close with variances, recount,
approve and post the adjustments on the stocktake's document (盘点单).

Stock moving during a count: the desk is not stopped. Nothing blocks issues or receipts on the scope's bins
while a stocktake is open; instead the book quantity of a line is read at the moment of its count, in the same
transaction that stores the count (the parts' lots locked first on PostgreSQL, SQLite's write lock held), so
the book stored beside the count is exactly what the ledger said at that instant. An issue before the count is
then on both the shelf and the book; one after the count is on neither the count nor the book stored with it,
and the variance (counted - book at that moment) stays true. Approval applies each variance to the stock as it
is then: a loss larger than what the bin still holds is refused (never negative), and the line is recounted.
Blocking would have stopped the counter for the length of a zone's count, which a service station cannot do
(a car waiting for a part); the cost is that counting the same line twice takes the book at its latest count.

Counts are stored as they are made (the CLI's sheet, or the desk's scanner one count at a time) and the sheet
never shows a book quantity. The parts manager approves; above the setting stocktake_value_limit (the variances'
absolute value at cost) the materials accountant approves too; nobody who counted approves. A gain becomes a new
lot at the part's last cost, a loss takes the bin's oldest lots first, both through core.ledger on the STK
number; every part counted gets its last-counted date, which the cycle count reads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.orm import aliased

from core import clock, ledger
from core import tables as t
from core.codes import normalise_location, normalise_part_no, validate_location
from core.decimals import fmt_money, fmt_qty, parse_number, parse_qty
from core.documents import STOCKTAKE, DocumentRef, next_number, normalise_number
from core.errors import BadInput, ImportRejected, NotFound, PermissionDenied, RuleViolation
from core.i18n import _, ngettext
from core.labels import STOCKTAKE_SCOPE, label
from core.models import MoveKind, StocktakeScope, StocktakeState
from core.records import stocktake as rows
from core.records.catalog import check_whole, location_id, part_id
from core.records.settings import read_settings
from core.roles import Actor, Permission, require
from core.tabular import RowReader, map_columns, read_table
from core.units import ReadUnit, WriteUnit, retried

ZERO = Decimal("0.000")
NOTE = "stocktake"


@dataclass(frozen=True, slots=True)
class CountEntry:
    """One counted line as given: part number, bin code and quantity (at least zero)."""

    part_no: str
    location: str
    qty: Decimal


@dataclass(frozen=True, slots=True)
class SheetLine:
    """A line of the blind count sheet: what to count and where, never the book."""

    part_no: str
    location: str
    name: str
    name_zh: str | None
    counted: Decimal | None  # the count made so far (None: not counted yet)


@dataclass(frozen=True, slots=True)
class VarianceLine:
    """A counted line after close: book at the moment of the count, counted, variance and its value."""

    part_no: str
    location: str
    name: str
    name_zh: str | None
    book: Decimal | None
    counted: Decimal | None
    value: Decimal | None
    counted_by: str | None
    counted_by_second: str | None
    recounts: int

    @property
    def variance(self) -> Decimal | None:
        """Counted less book (a gain is positive); None before the line is counted."""
        if self.counted is None or self.book is None:
            return None
        return self.counted - self.book


@dataclass(frozen=True, slots=True)
class StocktakeInfo:
    """A stocktake: its header and, once closed, its variance lines (open: the sheet, blind)."""

    number: str
    scope_kind: str
    scope: str
    state: str
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None
    accountant_by: str | None
    accountant_at: datetime | None
    variance_value: Decimal | None
    variance_abs: Decimal | None
    lines: tuple[VarianceLine, ...]
    counted: int = 0

    @property
    def scope_text(self) -> str:
        """The scope as a person reads it: "zone EXC", "cycle count"."""
        return scope_text(self.scope_kind, self.scope)

    @property
    def blind(self) -> bool:
        """Whether the book is hidden (the count is still open)."""
        return self.state == StocktakeState.OPEN

    @property
    def counters(self) -> tuple[str, ...]:
        """Who counted, by code, in code order."""
        return tuple(sorted({code for line in self.lines for code in (line.counted_by, line.counted_by_second)
                             if code}))


@dataclass(frozen=True, slots=True)
class StocktakeSummary:
    """A stocktake as the list shows it."""

    number: str
    scope: str
    state: str
    opened_at: datetime
    lines: int
    counted: int
    variance_value: Decimal | None


@dataclass(frozen=True, slots=True)
class Awaiting:
    """A stocktake whose variances wait for this person's approval (the review screen)."""

    number: str
    scope: str
    variance_value: Decimal
    closed_by: str  # the code of who closed the count
    closed_at: datetime


@dataclass(frozen=True, slots=True)
class Approved:
    """What an approval did: posted the adjustments, or passed the stocktake on to the accountant."""

    number: str
    state: str
    moves: int


def scope_text(kind: str, scope: str) -> str:
    """A scope as a person reads it."""
    if kind == StocktakeScope.CYCLE:
        return label(STOCKTAKE_SCOPE, kind)
    return f"{label(STOCKTAKE_SCOPE, kind)} {scope}"


# -- parsing what is typed ------------------------------------------------------------------------


def parse_line_ref(text: str) -> tuple[str, str]:
    """PART_NO@LOCATION as typed: the normalised part number and bin code, or BadInput."""
    part, at, location = (text or "").partition("@")
    if not at or not part.strip() or not location.strip():
        raise BadInput(_("line {line!r} is not PART_NO@LOCATION").format(line=text))
    return normalise_part_no(part), validate_location(location)


def parse_count_line(text: str) -> CountEntry:
    """PART_NO@LOCATION=QTY as typed on the command line; BadInput naming the problem."""
    ref, equals, amount = (text or "").partition("=")
    if not equals or "@" not in ref:
        raise BadInput(_("count line {line!r} is not PART_NO@LOCATION=QTY").format(line=text))
    part_no, location = parse_line_ref(ref)
    return CountEntry(part_no, location, _counted(amount, part_no))


def _counted(text: str | Decimal, part_no: str) -> Decimal:
    if isinstance(text, str) and not text.strip():
        raise BadInput(_("{part_no}: type the quantity counted").format(part_no=part_no))
    qty = parse_qty(text)
    if qty < 0:
        raise BadInput(_("{part_no}: a count cannot be negative").format(part_no=part_no))
    return qty


COUNT_COLUMNS = {"part_no": ("part_no", "零件号"), "location": ("location", "库位"),
                 "qty": ("qty", "counted", "数量", "实盘数量")}


def read_count_file(path: str | Path) -> list[CountEntry]:
    """A count sheet entered later (CSV or XLSX: part_no, location, qty); a bad row refuses the whole sheet."""
    table = read_table(path)
    columns = map_columns(table.headers, COUNT_COLUMNS, ("part_no", "location", "qty"), _("the count sheet"))
    entries, problems = [], []
    for number, cells in table.rows:
        row = RowReader(number, cells, columns, table.headers, decimal_comma=table.decimal_comma)
        part_no = normalise_part_no(row.cell("part_no"))
        if not part_no:
            row.problem("part_no", _("empty part number"))
        location = normalise_location(row.cell("location"))
        try:
            location = validate_location(location)
        except BadInput as exc:
            row.problem("location", exc.message)
        qty = row.decimal("qty", parse_qty, _("quantity"), default=None)
        if qty is not None and qty < 0:
            row.problem("qty", _("a count cannot be negative"))
        if row.problems:
            problems.extend(row.problems)
        else:
            entries.append(CountEntry(part_no, location, qty))
    if problems:
        raise ImportRejected(ngettext("{file}: {count} problem, nothing counted",
                                      "{file}: {count} problems, nothing counted", len(problems)).format(
            file=Path(path).name, count=len(problems)), problems)
    return entries


def scope_of(text: str) -> tuple[str, str]:
    """A scope as typed at the desk: "cycle" (周期), "30 days" (30天), a zone (EXC), or a pattern of bins (EXC-01-*,
    EXC-01-01-01..EXC-01-02-99); (kind, scope)."""
    typed = " ".join((text or "").split()).lower()
    if not typed:
        raise BadInput(_("type a scope: a zone (EXC), bins (EXC-01-*), cycle, or a number of days"))
    if typed in ("cycle", "周期", "循环"):
        return StocktakeScope.CYCLE.value, ""
    days = typed.removesuffix("days").removesuffix("day").removesuffix("天").strip()
    if days.isdigit():
        return StocktakeScope.DAYS.value, days
    if typed.isalpha():
        return StocktakeScope.ZONE.value, typed.upper()
    return StocktakeScope.LOCATIONS.value, typed.upper()


# -- opening ----------------------------------------------------------------------------------------


@retried
def open_stocktake(kind: str, scope: str | int = "", *, actor: Actor, uow: WriteUnit) -> str:
    """Open a stocktake over a zone, a pattern of bins, the parts due for a cycle count, or the parts not counted
    for `scope` days; its lines are every part with stock at a bin of the scope and every part whose own bin is
    there. Its number (STK-…)."""
    require(actor, Permission.OPEN_STOCKTAKE)
    try:
        kind = StocktakeScope(kind)
    except ValueError:
        raise BadInput(_("unknown stocktake scope {kind!r}").format(kind=kind)) from None
    if kind == StocktakeScope.DAYS:
        scope = str(int(parse_number(str(scope), _("days"), 0)))
        if int(scope) < 1:
            raise BadInput(_("the days must be a whole number of at least 1"))
    stored = rows.normalise_scope(kind, scope) if kind != StocktakeScope.CYCLE else ""
    at = clock.now()
    with uow.write() as conn:
        number = next_number(conn, STOCKTAKE.prefix, at)
        stocktake_id = conn.execute(insert(t.stocktake).values(
            number=number, scope_kind=kind.value, scope=stored, state=StocktakeState.OPEN.value, opened_at=at,
            opened_by=actor.id).returning(t.stocktake.c.id)).scalar_one()
        if not rows.fill_lines(conn, stocktake_id, kind, stored, at):
            raise RuleViolation(_("nothing to count in {scope}").format(scope=scope_text(kind, stored) or kind))
    return number


# -- counting ---------------------------------------------------------------------------------------


def _header(conn: Connection, number: str, *, lock: bool = False):
    statement = select(t.stocktake).where(t.stocktake.c.number == normalise_number(number))
    if lock:
        statement = statement.with_for_update()
    row = conn.execute(statement).first()
    if row is None:
        raise NotFound(_("unknown stocktake {number}").format(number=normalise_number(number)))
    return row


def _expect(row, *states: StocktakeState) -> None:
    if row.state not in states:
        raise RuleViolation(_("{number} is {state}: this needs it {wanted}").format(
            number=row.number, state=label("stocktake_state", row.state),
            wanted=" / ".join(label("stocktake_state", s) for s in states)))


@retried
def count(number: str, entries: list[CountEntry], *, first: Actor, second: Actor | None,
          uow: WriteUnit) -> StocktakeInfo:
    """Store counts as they are made: each line's quantity, its counters, and the book at this moment (read in
    this transaction, the lots locked). A line counted again is replaced. A part at a bin of the scope that is
    not on the sheet (found stock) gets a line of its own. Two counters for a sheet; the desk's scanner counts
    with the one signed in (second None) and the close asks for the second."""
    require(first, Permission.COUNT_STOCK)
    if second is not None:
        require(second, Permission.COUNT_STOCK)
        if first.id == second.id:
            raise RuleViolation(_("the count needs two different people; {code} cannot count twice").format(
                code=first.code))
    if not entries:
        raise BadInput(_("nothing counted: give --line PART_NO@LOCATION=QTY or --file COUNTS.csv"))
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        if (entry.part_no, entry.location) in seen:
            raise BadInput(_("{part_no}@{location} is counted twice").format(part_no=entry.part_no,
                                                                             location=entry.location))
        seen.add((entry.part_no, entry.location))
        if entry.qty < 0:
            raise BadInput(_("{part_no}: a count cannot be negative").format(part_no=entry.part_no))
    at = clock.now()
    with uow.write() as conn:
        head = _header(conn, number, lock=True)
        _expect(head, StocktakeState.OPEN)
        check_whole(conn, [(entry.part_no, entry.qty) for entry in entries])
        # A whole sheet is read in a few statements (ids, lines, books) and stored in one executemany.
        numbers = [normalise_part_no(entry.part_no) for entry in entries]
        codes = [validate_location(entry.location) for entry in entries]
        parts, bins = rows.ids_of(conn, numbers, codes)
        keys = [(parts.get(number) or part_id(conn, number), bins.get(code) or location_id(conn, code))
                for number, code in zip(numbers, codes, strict=True)]
        ledger.lock_parts(conn, [pid for pid, _loc in keys])  # the book read below holds until the count is stored
        line = t.stocktake_line.c
        known = {(r.part_id, r.location_id): r.id for r in conn.execute(
            select(line.id, line.part_id, line.location_id).where(line.stocktake_id == head.id))}
        books = rows.books_at(conn, keys)
        counts = [(known.get(key) or _line_id(conn, head, *key, entry), entry.qty, books[key])
                  for entry, key in zip(entries, keys, strict=True)]
        rows.store_counts(conn, counts, at=at, first=first.id, second=second.id if second else None)
        return _info(conn, head)


def _line_id(conn: Connection, head, pid: int, loc: int, entry: CountEntry) -> int:
    """The line of this part at this bin, made when the part is found at a bin of the scope (or, for a scope by
    part, a bin of a part on the sheet)."""
    line = t.stocktake_line.c
    found = conn.execute(select(line.id).where(line.stocktake_id == head.id, line.part_id == pid,
                                               line.location_id == loc)).scalar()
    if found is not None:
        return found
    where = rows.location_filter(head.scope_kind, head.scope)
    if where is not None:
        fits = conn.execute(select(t.location.c.id).where(t.location.c.id == loc, where)).first() is not None
    else:
        fits = conn.execute(select(line.id).where(line.stocktake_id == head.id, line.part_id == pid)
                            .limit(1)).first() is not None
    if not fits:
        raise RuleViolation(_("{part_no}@{location} is not in the scope of {number} ({scope})").format(
            part_no=entry.part_no, location=entry.location, number=head.number,
            scope=scope_text(head.scope_kind, head.scope)))
    return conn.execute(insert(t.stocktake_line).values(stocktake_id=head.id, part_id=pid, location_id=loc,
                                                        recounts=0).returning(line.id)).scalar_one()


def scan_count(number: str, part_no: str, location: str, qty: str | Decimal = "1", *, actor: Actor,
               uow: WriteUnit) -> VarianceLine:
    """The desk's scanner: `qty` more of a part at a bin on the operator's count (a scan is one), stored at once
    with the book at this moment; the operator is the line's counter. The line as it now stands (blind)."""
    require(actor, Permission.COUNT_STOCK)
    part_no = normalise_part_no(part_no)
    location = validate_location(location)
    added = _counted(qty, part_no)
    at = clock.now()
    with uow.write() as conn:
        head = _header(conn, number, lock=True)
        _expect(head, StocktakeState.OPEN)
        pid, loc = part_id(conn, part_no), location_id(conn, location)
        line = _line_id(conn, head, pid, loc, CountEntry(part_no, location, added))
        ledger.lock_parts(conn, [pid])
        before = conn.execute(select(t.stocktake_line.c.counted, t.stocktake_line.c.counted_by,
                                     t.stocktake_line.c.counted_by_second).where(
            t.stocktake_line.c.id == line)).first()
        total = (before.counted or ZERO) + added
        check_whole(conn, [(part_no, total)])
        # A second operator counting the same line at the desk becomes its second counter.
        second = before.counted_by_second
        if before.counted_by is not None and before.counted_by != actor.id:
            second = actor.id
        conn.execute(update(t.stocktake_line).where(t.stocktake_line.c.id == line).values(
            counted=total, book=rows.book_at(conn, pid, loc), counted_at=at,
            counted_by=before.counted_by or actor.id, counted_by_second=second))
        return next(x for x in _lines(conn, head.id) if x.part_no == part_no and x.location == location)


# -- closing, recounting ----------------------------------------------------------------------------


@retried
def close(number: str, *, actor: Actor, uow: WriteUnit, second: Actor | None = None) -> StocktakeInfo:
    """Close the count: every line must be counted (an empty bin is a count of 0); each line's variance is valued
    (a gain at the last cost, a loss at the bin's oldest lots). A `second` counter signs the lines the desk's
    scanner counted with one person."""
    if not (actor.can(Permission.OPEN_STOCKTAKE) or actor.can(Permission.COUNT_STOCK)):
        require(actor, Permission.OPEN_STOCKTAKE)
    if second is not None:
        require(second, Permission.COUNT_STOCK)
    at = clock.now()
    with uow.write() as conn:
        head = _header(conn, number, lock=True)
        _expect(head, StocktakeState.OPEN)
        line = t.stocktake_line.c
        missing = conn.execute(select(func.count()).where(line.stocktake_id == head.id,
                                                          line.counted.is_(None))).scalar_one()
        if missing:
            raise RuleViolation(ngettext(
                "{number}: {count} line is not counted yet (an empty bin counts 0)",
                "{number}: {count} lines are not counted yet (an empty bin counts 0)", missing).format(
                number=head.number, count=missing))
        if second is not None:
            conn.execute(update(t.stocktake_line).where(
                line.stocktake_id == head.id, line.counted_by_second.is_(None), line.counted_by != second.id
            ).values(counted_by_second=second.id))
        alone = conn.execute(select(func.count()).where(line.stocktake_id == head.id,
                                                        line.counted_by_second.is_(None))).scalar_one()
        if alone:
            raise RuleViolation(ngettext(
                "{number}: {count} line was counted by one person; a second counter signs it",
                "{number}: {count} lines were counted by one person; a second counter signs them", alone).format(
                number=head.number, count=alone))
        total, absolute = Decimal("0.00"), Decimal("0.00")
        # Most lines agree with the book: worth nothing, set in one statement (a zone of 14,000 lines at 200,000
        # parts closed in 20-40 s valuing each line alone); only the variances are valued one by one.
        conn.execute(update(t.stocktake_line).where(line.stocktake_id == head.id, line.counted == line.book)
                     .values(value=Decimal("0.00")))
        for row in conn.execute(select(line.id, line.part_id, line.location_id, line.counted, line.book)
                                .where(line.stocktake_id == head.id, line.counted != line.book)).all():
            value = rows.variance_value(conn, row.part_id, row.location_id, row.counted - row.book)
            conn.execute(update(t.stocktake_line).where(line.id == row.id).values(value=value))
            total, absolute = total + value, absolute + abs(value)
        conn.execute(update(t.stocktake).where(t.stocktake.c.id == head.id).values(
            state=StocktakeState.CLOSED.value, closed_at=at, closed_by=actor.id, variance_value=total,
            variance_abs=absolute))
        return _info(conn, _header(conn, head.number))


@retried
def recount(number: str, refs: list[str], *, actor: Actor, uow: WriteUnit,
            over: str | Decimal | None = None) -> StocktakeInfo:
    """Ask for a recount of chosen lines (PART_NO@LOCATION), or of every line whose variance is more than `over`
    units either way: their counts are cleared and the stocktake is open again (an approval given is void)."""
    if not (actor.can(Permission.OPEN_STOCKTAKE) or actor.can(Permission.APPROVE_STOCKTAKE)):
        require(actor, Permission.OPEN_STOCKTAKE)
    pairs = [parse_line_ref(ref) for ref in refs]
    tolerance = None if over is None else parse_qty(over, _("tolerance"), signed=False)
    if not pairs and tolerance is None:
        raise BadInput(_("name the lines to recount (PART_NO@LOCATION …) or a tolerance (--over QTY)"))
    with uow.write() as conn:
        head = _header(conn, number, lock=True)
        _expect(head, StocktakeState.CLOSED, StocktakeState.PM_APPROVED)
        chosen: set[int] = set()
        current = {(x.part_no, x.location): x for x in _lines(conn, head.id)}
        ids = _line_ids(conn, head.id)
        for part_no, location in pairs:
            if (part_no, location) not in current:
                raise NotFound(_("{part_no}@{location} is not a line of {number}").format(
                    part_no=part_no, location=location, number=head.number))
            chosen.add(ids[(part_no, location)])
        if tolerance is not None:
            chosen.update(ids[key] for key, x in current.items() if abs(x.variance or ZERO) > tolerance)
        if not chosen:
            raise RuleViolation(_("{number}: no line is over the tolerance").format(number=head.number))
        line = t.stocktake_line.c
        conn.execute(update(t.stocktake_line).where(line.id.in_(sorted(chosen))).values(
            counted=None, book=None, counted_at=None, counted_by=None, counted_by_second=None, value=None,
            recounts=line.recounts + 1))
        conn.execute(update(t.stocktake).where(t.stocktake.c.id == head.id).values(
            state=StocktakeState.OPEN.value, closed_at=None, closed_by=None, variance_value=None, variance_abs=None,
            approved_at=None, approved_by=None))
        return _info(conn, _header(conn, head.number))


def _line_ids(conn: Connection, stocktake_id: int) -> dict[tuple[str, str], int]:
    line = t.stocktake_line.c
    return {(r.part_no, r.code): r.id for r in conn.execute(
        select(line.id, t.part.c.part_no, t.location.c.code)
        .join(t.part, t.part.c.id == line.part_id).join(t.location, t.location.c.id == line.location_id)
        .where(line.stocktake_id == stocktake_id))}


# -- approving --------------------------------------------------------------------------------------


def _counter_ids(conn: Connection, stocktake_id: int) -> set[int]:
    line = t.stocktake_line.c
    found = conn.execute(select(line.counted_by, line.counted_by_second).where(line.stocktake_id == stocktake_id))
    return {pid for pair in found for pid in pair if pid is not None}


def check_approver(actor: Actor, state: str, counters: set[int], approved_by: int | None) -> None:
    """Refuse an approval the actor may not give: the parts manager's on a closed stocktake, the accountant's on
    one the parts manager approved above the limit; never by someone who counted it (separation of duties)."""
    if state == StocktakeState.PM_APPROVED:
        require(actor, Permission.APPROVE_STOCKTAKE_VALUE)
        if actor.id == approved_by:
            raise PermissionDenied(_("{code} approved this stocktake already; the accountant's approval is "
                                     "another person's").format(code=actor.code))
    else:
        require(actor, Permission.APPROVE_STOCKTAKE)
    if actor.id in counters:
        raise PermissionDenied(_("{code} counted this stocktake and may not approve its variances").format(
            code=actor.code))


@retried
def approve(number: str, *, actor: Actor, uow: WriteUnit) -> Approved:
    """Approve a closed stocktake's variances. The parts manager's approval posts them, unless their absolute value
    is above stocktake_value_limit: then the accountant's approval, next, posts them. Posting is one ledger row
    per lot on the STK number: a gain a new lot at the part's last cost, a loss the bin's oldest lots first."""
    at = clock.now()
    with uow.write() as conn:
        head = _header(conn, number, lock=True)
        _expect(head, StocktakeState.CLOSED, StocktakeState.PM_APPROVED)
        check_approver(actor, head.state, _counter_ids(conn, head.id), head.approved_by)
        stocktake = t.stocktake
        if head.state == StocktakeState.CLOSED:
            limit = Decimal(read_settings(conn)["stocktake_value_limit"])
            conn.execute(update(stocktake).where(stocktake.c.id == head.id).values(approved_at=at,
                                                                                   approved_by=actor.id))
            if (head.variance_abs or 0) > limit:
                conn.execute(update(stocktake).where(stocktake.c.id == head.id).values(
                    state=StocktakeState.PM_APPROVED.value))
                return Approved(head.number, StocktakeState.PM_APPROVED.value, 0)
        else:
            conn.execute(update(stocktake).where(stocktake.c.id == head.id).values(accountant_at=at,
                                                                                   accountant_by=actor.id))
        moves = _post(conn, head, actor, at)
        conn.execute(update(stocktake).where(stocktake.c.id == head.id).values(state=StocktakeState.APPROVED.value))
    return Approved(head.number, StocktakeState.APPROVED.value, moves)


def _post(conn: Connection, head, actor: Actor, at: datetime) -> int:
    """The adjustments on the ledger and the parts' last-counted dates; how many ledger rows."""
    line = t.stocktake_line.c
    lines = conn.execute(
        select(line.part_id, line.location_id, line.counted, line.book, line.counted_at, t.part.c.part_no)
        .join(t.part, t.part.c.id == line.part_id)
        .where(line.stocktake_id == head.id).order_by(line.part_id, line.location_id)).all()
    # Every lot touched is locked in the one order (core.ledger) before the first ledger row.
    ledger.lock_parts(conn, [x.part_id for x in lines if x.counted != x.book])
    document = DocumentRef(STOCKTAKE.prefix, head.number)
    gains, moves = [], 0
    for x in lines:
        variance = x.counted - x.book
        if variance > 0:
            gains.append(ledger.NewLot(x.part_id, x.location_id, variance, rows.last_cost(conn, x.part_id),
                                       document))
        elif variance < 0:
            moves += len(ledger.take_oldest_first(conn, x.part_no, -variance, document=document, actor=actor,
                                                  at=at, kind=MoveKind.ADJUST, note=NOTE, location=x.location_id))
    moves += len(ledger.receive_lots(conn, gains, actor=actor, at=at, kind=MoveKind.ADJUST, note=NOTE))
    counted: dict[int, datetime] = {}
    for x in lines:
        counted[x.part_id] = max(counted.get(x.part_id, x.counted_at), x.counted_at)
    rows.mark_counted(conn, counted, head.number)
    return moves


# -- reading ----------------------------------------------------------------------------------------


def _lines(conn: Connection, stocktake_id: int) -> list[VarianceLine]:
    line = t.stocktake_line.c
    first, second = aliased(t.operator), aliased(t.operator)
    found = conn.execute(
        select(t.part.c.part_no, t.location.c.code, t.part.c.name, t.part.c.name_zh, line.book, line.counted,
               line.value, first.c.code.label("first"), second.c.code.label("second"), line.recounts)
        .join(t.part, t.part.c.id == line.part_id).join(t.location, t.location.c.id == line.location_id)
        .outerjoin(first, first.c.id == line.counted_by).outerjoin(second, second.c.id == line.counted_by_second)
        .where(line.stocktake_id == stocktake_id).order_by(t.location.c.code, t.part.c.part_no))
    return [VarianceLine(*r) for r in found]


def _info(conn: Connection, head) -> StocktakeInfo:
    codes = dict(conn.execute(select(t.operator.c.id, t.operator.c.code).where(t.operator.c.id.in_(
        [i for i in (head.opened_by, head.approved_by, head.accountant_by) if i is not None]))).all())
    lines = _lines(conn, head.id)
    if head.state == StocktakeState.OPEN:  # blind: the book stays in the database until the count is closed
        lines = [VarianceLine(x.part_no, x.location, x.name, x.name_zh, None, x.counted, None, x.counted_by,
                              x.counted_by_second, x.recounts) for x in lines]
    return StocktakeInfo(head.number, head.scope_kind, head.scope, head.state, head.opened_at, codes[head.opened_by],
                         head.closed_at, codes.get(head.approved_by), head.approved_at, codes.get(head.accountant_by),
                         head.accountant_at, head.variance_value, head.variance_abs, tuple(lines),
                         sum(1 for x in lines if x.counted is not None))


def show(number: str, *, uow: ReadUnit) -> StocktakeInfo:
    """A stocktake with its lines: blind (no book, no variance) while open, with its variances once closed."""
    with uow.read() as conn:
        return _info(conn, _header(conn, number))


def sheet(number: str, *, uow: ReadUnit) -> list[SheetLine]:
    """The blind count sheet: part number, bin and name of each line, by bin, never a book quantity."""
    with uow.read() as conn:
        head = _header(conn, number)
        return [SheetLine(x.part_no, x.location, x.name, x.name_zh, x.counted) for x in _lines(conn, head.id)]


def list_stocktakes(*, uow: ReadUnit, limit: int = 200) -> list[StocktakeSummary]:
    """The newest stocktakes first, each with its lines counted so far and its variance value once closed."""
    st, line = t.stocktake, t.stocktake_line
    lines = (select(line.c.stocktake_id, func.count().label("lines"), func.count(line.c.counted).label("counted"))
             .group_by(line.c.stocktake_id).subquery())
    with uow.read() as conn:
        found = conn.execute(
            select(st.c.number, st.c.scope_kind, st.c.scope, st.c.state, st.c.opened_at,
                   func.coalesce(lines.c.lines, 0), func.coalesce(lines.c.counted, 0), st.c.variance_value)
            .outerjoin(lines, lines.c.stocktake_id == st.c.id).order_by(st.c.id.desc()).limit(limit)).all()
    return [StocktakeSummary(r[0], scope_text(r[1], r[2]), r[3], r[4], r[5], r[6], r[7]) for r in found]


def stocktakes_awaiting(uow: ReadUnit, actor: Actor) -> list[Awaiting]:
    """The stocktakes whose variances wait for this person's approval (the review screen): closed ones for the
    parts manager, ones the parts manager approved above the limit for the accountant; never one they counted."""
    st = t.stocktake
    states = []
    if actor.can(Permission.APPROVE_STOCKTAKE):
        states.append(StocktakeState.CLOSED.value)
    if actor.can(Permission.APPROVE_STOCKTAKE_VALUE):
        states.append(StocktakeState.PM_APPROVED.value)
    if not states:
        return []
    waiting = []
    with uow.read() as conn:
        for row in conn.execute(select(st).where(st.c.state.in_(states)).order_by(st.c.id)).all():
            if actor.id in _counter_ids(conn, row.id) or (row.state == StocktakeState.PM_APPROVED
                                                          and row.approved_by == actor.id):
                continue
            closer = conn.execute(select(t.operator.c.code).where(t.operator.c.id == row.closed_by)).scalar_one()
            waiting.append(Awaiting(row.number, scope_text(row.scope_kind, row.scope), row.variance_value, closer,
                                    row.closed_at))
    return waiting


def counters_by_code(info: StocktakeInfo) -> dict[str, int]:
    """How many lines each person counted (first or second), by code: the report's "who counted"."""
    counted: dict[str, int] = defaultdict(int)
    for x in info.lines:
        for code in (x.counted_by, x.counted_by_second):
            if code:
                counted[code] += 1
    return dict(sorted(counted.items()))


def fmt_line(x: VarianceLine) -> dict[str, str | None]:
    """A variance line as JSON: numbers as strings (null where not known yet)."""
    variance = x.variance
    return {"part_no": x.part_no, "location": x.location, "name": x.name,
            "book": None if x.book is None else fmt_qty(x.book),
            "counted": None if x.counted is None else fmt_qty(x.counted),
            "variance": None if variance is None else fmt_qty(variance),
            "value": None if x.value is None else fmt_money(x.value),
            "counted_by": x.counted_by, "counted_by_second": x.counted_by_second}

