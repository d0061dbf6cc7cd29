"""Demand per part for the next cycle: consumption history by cycle, the forecast and the suggested order.

The history is summed per part and cycle by the database (one row per part and cycle, the cycle's start as
text), and every part is read in one statement streamed in part-number order: no list of part ids is ever
sent back to the database, and memory holds one part at a time besides the forecasts already worked out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Connection,
    String,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement

from core import clock
from core import tables as t
from core.codes import QUARANTINE_ZONE
from core.decimals import qty
from core.errors import BadInput
from core.forecast import cycles_per_year, forecast_next, jumps, suggested_qty
from core.i18n import _
from core.models import MoveKind, ShortageState, Solution
from core.order_rules import ON_ORDER_STATES
from core.records.settings import read_settings
from core.records.supersession import any_chain, follow

SHOWN_CYCLES = 12
ZERO = Decimal(0)
# Rows fetched from the cursor at a time: the statement streams, so memory does not grow with the station.
STREAM_ROWS = 2000
# Distinct histories whose forecast is kept for the parts after: past this the memory starts again from empty, so a
# million parts never hold a million forecasts.
KEPT_FORECASTS = 100_000
# The moves that are consumption: what left for a repair, net of what came back.
CONSUMPTION_KINDS = (MoveKind.ISSUE.value, MoveKind.RETURN.value)


@dataclass(frozen=True, slots=True)
class PartDemand:
    """One part's demand picture for the next cycle."""

    part_no: str
    name: str
    pack_qty: Decimal
    history: tuple[tuple[date, Decimal], ...]  # (cycle start, net consumption), oldest first
    forecast: Decimal
    seasonal_index: Decimal | None
    flagged: bool
    safety: Decimal
    on_hand: Decimal
    in_transit: Decimal
    open_shortages: Decimal
    suggested: Decimal


def cycle_start(day: date, cycle: str) -> date:
    """The first day of the cycle holding a day: the 1st of its month, or the Monday of its week."""
    if cycle == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_cycle(start: date, cycle: str) -> date:
    """The start of the cycle after one."""
    if cycle == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _check_cycle(cycle: str | None, settings: dict[str, str]) -> str:
    chosen = cycle or settings["cycle"]
    if chosen not in ("week", "month"):
        raise BadInput(_("the cycle is week or month, not {cycle!r}").format(cycle=chosen))
    return chosen


def history_starts(today: date, cycle: str) -> list[date]:
    """The starts of the completed cycles that may be history (two years back), oldest first, and the current
    cycle's start last."""
    current = cycle_start(today, cycle)
    starts = [current]
    for _step in range(2 * cycles_per_year(cycle)):
        starts.append(cycle_start(starts[-1] - timedelta(days=1), cycle))
    return starts[::-1]


def _cycle_key(conn: Connection, cycle: str) -> tuple[ColumnElement[str], ColumnElement]:
    """The start of the cycle holding a move, as ISO text (YYYY-MM-DD), worked out by the database; and what to
    group the moves by for it (the key itself, or on SQLite the month it is made of)."""
    at = t.stock_move.c.at
    if conn.dialect.name == "postgresql":
        key = func.to_char(func.date_trunc(cycle, at), "YYYY-MM-DD")
        return key, key
    if cycle == "week":
        key = func.date(at, "-6 days", "weekday 1")  # the Monday on or before the day
        return key, key
    # SQLite stores the instant as text beginning YYYY-MM: its first seven characters are the month, a fifth of
    # the draft's statement cheaper than parsing each move's time with strftime. Grouped by the month as the
    # consumption index holds it (data.sqlite_consumption: `substr(at, 1, 7)`, its numbers written, not bound),
    # the sums read that index in order; grouped by the key, SQLite sorted every issue first.
    month = func.substr(at, literal_column("1"), literal_column("7"))
    return type_coerce(month, String) + literal("-01"), month


@dataclass(frozen=True, slots=True)
class _Method:
    """The settings of the forecast, read once per run."""

    period: int
    alpha: Decimal
    beta: Decimal
    ratio: Decimal
    safety_ratio: Decimal


def demand(conn: Connection, *, cycle: str | None = None, part_id: int | None = None,
           with_history: bool = True) -> tuple[str, date, list[PartDemand]]:
    """The demand of every part with consumption or shortages (or of one part) for the next cycle, by part number.

    History covers the completed cycles before the current one, back two years, from each part's
    first consumption on; the current cycle is not complete and is not history.
    """
    chosen, current, rows = iter_demand(conn, cycle=cycle, part_id=part_id, with_history=with_history)
    return chosen, current, [row for _pid, row in rows]


def iter_demand(conn: Connection, *, cycle: str | None = None, part_id: int | None = None,
                with_history: bool = True) -> tuple[str, date, Iterator[tuple[int, PartDemand]]]:
    """`demand` as a stream of (part id, demand) in part-number order: one part in memory at a time. Without
    `with_history` each demand's history is left empty (a draft needs only the forecast and the suggestion)."""
    settings = read_settings(conn)
    chosen = _check_cycle(cycle, settings)
    method = _Method(cycles_per_year(chosen), Decimal(settings["alpha"]), Decimal(settings["beta"]),
                     Decimal(settings["jump_ratio"]), Decimal(settings["safety_ratio"]))
    starts = history_starts(clock.now().date(), chosen)
    return chosen, starts[-1], _rows(conn, chosen, starts, method, part_id, with_history)


def consumption_window(starts: list[date]) -> list[ColumnElement[bool]]:
    """The moves that are history: issues and returns in the completed cycles of `starts` (history_starts)."""
    move = t.stock_move
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=timezone.utc)
    until = datetime.combine(starts[-1], datetime.min.time(), tzinfo=timezone.utc)
    # The kinds written into the statement, not bound: SQLite uses its consumption index, a partial index of these
    # kinds (data.sqlite_consumption), only for a statement that names them itself.
    kinds = bindparam("consumption_kinds", list(CONSUMPTION_KINDS), expanding=True, literal_execute=True)
    return [move.c.kind.in_(kinds), move.c.at >= since, move.c.at < until]


def cycle_sums(conn: Connection, cycle: str, starts: list[date], *where: ColumnElement[bool]):
    """Each part's net issues and returns per cycle of the history, raw sums (thousandths) by part id and cycle
    start (ISO text), for the parts `where` names (every part without it)."""
    move = t.stock_move
    key, group = _cycle_key(conn, cycle)
    # The raw sum (thousandths): a whole history is then a tuple of ints, cheap to keep as a forecast's key.
    return (select(move.c.part_id, key.label("cycle"), type_coerce(func.sum(move.c.qty), BigInteger).label("qty"))
            .where(*consumption_window(starts), *where).group_by(move.c.part_id, group))


def _consumed(conn: Connection, cycle: str, starts: list[date], part_id: int | None = None):
    """Net moves of issues and returns per part and cycle of the history (raw sums, thousandths)."""
    if not any_chain(conn):
        where = [t.stock_move.c.part_id == part_id] if part_id is not None else []
        return cycle_sums(conn, cycle, starts, *where).subquery("consumed")
    # History follows the supersession chain: an old number's sums count for its newest number (part_newest),
    # carried over once summed per part and cycle (fewer rows than the moves: a join per move cost a fifth more).
    where = []
    if part_id is not None:
        where.append(t.stock_move.c.part_id.in_(select(t.part_newest.c.part_id).where(
            t.part_newest.c.newest_part_id == part_id).union(select(literal(part_id)))))
    return follow(cycle_sums(conn, cycle, starts, *where).subquery("consumed_own"), "consumed", grouped=("cycle",))


def _short(chains: bool = True):
    """Open shortages per part that no order will cover (carried to the newest numbers where `chains`)."""
    shortage = t.shortage
    short_rows = [shortage.c.state.in_([ShortageState.OPEN.value, ShortageState.ANSWERED.value]),
                  shortage.c.solution.is_(None) | shortage.c.solution.not_in(
                      [Solution.ORDER.value, Solution.URGENT_PURCHASE.value])]
    if not chains:
        return (select(shortage.c.part_id, func.sum(shortage.c.qty).label("qty")).where(*short_rows)
                .group_by(shortage.c.part_id).subquery("short"))
    # A shortage logged on an old number is demand for its newest number.
    return follow(select(shortage.c.part_id, func.sum(shortage.c.qty).label("qty")).where(*short_rows)
                  .group_by(shortage.c.part_id).subquery("short_own"), "short")


def _transit(chains: bool = True):
    """What is ordered and not yet received per part, on orders still on their way (an interchangeable old number's
    for its newest number where `chains`)."""
    line, order = t.purchase_order_line, t.purchase_order
    outstanding = case((line.c.qty_ordered > line.c.qty_received, line.c.qty_ordered - line.c.qty_received),
                       else_=literal(0))
    own = (
        select(line.c.part_id, func.sum(outstanding).label("qty"))
        .join(order, order.c.id == line.c.order_id)
        .where(order.c.state.in_(sorted(state.value for state in ON_ORDER_STATES)))
        .group_by(line.c.part_id).subquery("transit_own" if chains else "transit")
    )
    if not chains:
        return own
    # An old number on its way still serves its newest number where the stock is interchangeable.
    return follow(own, "transit", interchangeable_only=True)


def _on_hand(part_id: ColumnElement[int], chains: bool = True):
    """The usable stock of the part whose id is given (quarantine left out), as a scalar subquery."""
    lot = t.stock_lot
    return (
        select(func.sum(lot.c.qty_remaining))
        .join(t.location, t.location.c.id == lot.c.location_id)
        # With the stock left of its interchangeable old numbers: an issue takes that first.
        .where(or_(lot.c.part_id == part_id, lot.c.part_id.in_(
                   select(t.part_newest.c.part_id).where(t.part_newest.c.newest_part_id == part_id,
                                                         t.part_newest.c.interchangeable))) if chains
               else lot.c.part_id == part_id,
               lot.c.qty_remaining > 0, t.location.c.zone != QUARANTINE_ZONE)
        .scalar_subquery()
    )


def _statement(conn: Connection, cycle: str, starts: list[date], part_id: int | None):
    """Every wanted part with its stock, transit and shortages, one row per cycle it consumed in."""
    part = t.part
    consumed = _consumed(conn, cycle, starts, part_id)
    chains = any_chain(conn)
    short, transit, on_hand = _short(chains), _transit(chains), _on_hand(part.c.id, chains)
    short_parts = select(short.c.part_id, literal(None).label("cycle"), literal(None).label("qty"))
    if part_id is not None:
        # The one part even without consumption or shortages: its row says so.
        short_parts = select(literal(part_id).label("part_id"), literal(None).label("cycle"),
                             literal(None).label("qty"))
    # Driven by the consumption rows (a join on each part's key) plus one bare row per part short of stock.
    wanted = select(consumed.c.part_id, consumed.c.cycle, consumed.c.qty).union_all(short_parts).subquery("wanted")
    return (
        # Quantities raw (thousandths, as stored): turned into Decimal once per part, not once per row.
        select(part.c.id, part.c.part_no, part.c.name, type_coerce(part.c.pack_qty, BigInteger),
               type_coerce(on_hand, BigInteger), type_coerce(transit.c.qty, BigInteger),
               type_coerce(short.c.qty, BigInteger), wanted.c.cycle, type_coerce(wanted.c.qty, BigInteger))
        .select_from(wanted)
        .join(part, part.c.id == wanted.c.part_id)
        .outerjoin(short, short.c.part_id == part.c.id)
        .outerjoin(transit, transit.c.part_id == part.c.id)
        # By code point, as Python sorts: PostgreSQL's language collations would ignore the dashes.
        .order_by(part.c.part_no.collate("C") if conn.dialect.name == "postgresql" else part.c.part_no,
                  wanted.c.cycle)
    )


def _rows(conn: Connection, cycle: str, starts: list[date], method: _Method, part_id: int | None,
          with_history: bool) -> Iterator[tuple[int, PartDemand]]:
    """The parts' demand, one part at a time, from the streamed statement."""
    position = {start.isoformat(): index for index, start in enumerate(starts)}
    current = len(starts) - 1  # the current cycle's position: history ends before it
    work = _Work(starts, current, method, with_history)
    # Options on the statement, never the connection: Connection.execution_options changes the connection in
    # place, and on PostgreSQL every later statement of the unit (the draft's inserts) would go to a named cursor.
    result = conn.execute(_statement(conn, cycle, starts, part_id),
                          execution_options={"stream_results": True, "yield_per": STREAM_ROWS})
    head = None
    consumed: dict[int, int] = {}
    for rows in result.partitions():  # a chunk at a time: less work per row than fetching one by one
        for row in rows:
            if head is None or row[0] != head[0]:
                if head is not None:
                    yield head[0], work.part_demand(head, consumed)
                head, consumed = row, {}
            if row[7] is not None:
                consumed[position[row[7]]] = row[8]
    if head is not None:
        yield head[0], work.part_demand(head, consumed)


def _qty(raw: int | None) -> Decimal | None:
    """A stored quantity (thousandths) as the Qty column type reads it."""
    return None if raw is None else Decimal(int(raw)).scaleb(-3)


class _Consumption(dict):
    """A cycle's net consumption by the raw sum of its moves (thousandths; issues are negative moves), each worked
    out once: a look-up of one that is known runs no Python code."""

    def __missing__(self, moved: int) -> Decimal:
        value = self[moved] = qty(ZERO - _qty(moved))
        return value


class _Work:
    """What the parts of one run share: the cycles, the settings, and the forecasts already worked out (the same
    history gives the same forecast, and many parts share a history)."""

    def __init__(self, starts: list[date], current: int, method: _Method, with_history: bool) -> None:
        """Ready for the parts of one run."""
        self.starts, self.current, self.method, self.with_history = starts, current, method, with_history
        self.forecasts: dict[tuple[int, ...], tuple] = {}
        self.consumption = _Consumption()
        self.consumed = self.consumption.__getitem__

    def forecast(self, moved: list[int]) -> tuple[Decimal, Decimal | None, bool, Decimal]:
        """The forecast, seasonal index, flag and safety stock of a history (raw sums from the first consumption on,
        oldest first), worked out once per distinct history."""
        key = tuple(moved)
        known = self.forecasts.get(key)
        if known is None:
            if len(self.forecasts) >= KEPT_FORECASTS:
                self.forecasts.clear()
            known = self.forecasts[key] = self.worked_out(moved)
        return known

    def worked_out(self, moved: list[int]) -> tuple[Decimal, Decimal | None, bool, Decimal]:
        """`forecast` without keeping it (for a caller that keeps its own)."""
        method = self.method
        values = list(map(self.consumed, moved))
        forecast = forecast_next(values, period=method.period, alpha=method.alpha, beta=method.beta)
        return (forecast.value, forecast.seasonal_index, jumps(forecast.value, values, method.ratio),
                qty(forecast.value * method.safety_ratio))

    def part_demand(self, row, consumed: dict[int, int]) -> PartDemand:
        """One part's demand from its row and the raw sums of its moves by cycle position."""
        current, method = self.current, self.method
        first = min(consumed) if consumed else current
        moved = [0] * (current - first)
        for position, raw in consumed.items():
            moved[position - first] = raw
        value, index, flagged, safety = self.forecast(moved)
        _pid, part_no, name, pack_raw, held_raw, transit_raw, short_raw = row[:7]
        pack_qty = _qty(pack_raw)
        held = ZERO if not held_raw else _qty(held_raw)
        short = ZERO if not short_raw else _qty(short_raw)
        in_transit = qty(_qty(transit_raw) or ZERO)
        suggested = suggested_qty(value, safety_ratio=method.safety_ratio, on_hand=held, in_transit=in_transit,
                                  open_shortages=short, pack_qty=pack_qty)
        history: tuple[tuple[date, Decimal], ...] = ()
        if self.with_history:
            shown = max(first, current - SHOWN_CYCLES)
            history = tuple((self.starts[i], self.consumed(moved[i - first])) for i in range(shown, current))
        return PartDemand(part_no, name, pack_qty, history, value, index, flagged, safety, held, in_transit, short,
                          suggested)
