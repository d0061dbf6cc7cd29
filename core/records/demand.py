"""Demand per part for the next cycle: consumption history by cycle, the forecast and the suggested order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import Connection, func, select

from core import clock
from core import tables as t
from core.codes import QUARANTINE_ZONE
from core.decimals import qty
from core.errors import BadInput
from core.forecast import cycles_per_year, forecast_next, jumps, suggested_qty
from core.i18n import _
from core.models import MoveKind
from core.order_rules import ON_ORDER_STATES
from core.records.settings import read_settings
from core.records.shortages import open_shortage_qty

SHOWN_CYCLES = 12


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


def demand(conn: Connection, *, cycle: str | None = None, part_ids: list[int] | None = None) -> tuple[
        str, date, list[PartDemand]]:
    """The demand of every part with consumption or shortages (or of the given parts) for the next cycle.

    History covers the completed cycles before the current one, back two years, from each part's
    first consumption on; the current cycle is not complete and is not history.
    """
    settings = read_settings(conn)
    cycle = _check_cycle(cycle, settings)
    period = cycles_per_year(cycle)
    today = clock.now().date()
    current = cycle_start(today, cycle)
    first = current
    for _step in range(2 * period):
        first = cycle_start(first - timedelta(days=1), cycle)
    since = datetime.combine(first, datetime.min.time(), tzinfo=timezone.utc)
    until = datetime.combine(current, datetime.min.time(), tzinfo=timezone.utc)
    day = func.date(t.stock_move.c.at)
    statement = (
        select(t.stock_move.c.part_id, day.label("day"), func.sum(t.stock_move.c.qty).label("qty"))
        .where(t.stock_move.c.kind.in_([MoveKind.ISSUE.value, MoveKind.RETURN.value]), t.stock_move.c.at >= since,
               t.stock_move.c.at < until)
        .group_by(t.stock_move.c.part_id, day)
    )
    if part_ids is not None:
        statement = statement.where(t.stock_move.c.part_id.in_(part_ids))
    by_part: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in conn.execute(statement):
        moved_on = row.day if isinstance(row.day, date) else date.fromisoformat(str(row.day))
        by_part[row.part_id][cycle_start(moved_on, cycle)] -= row.qty  # issues are negative moves
    shortages = open_shortage_qty(conn)
    ids = set(by_part) | set(shortages) if part_ids is None else set(part_ids)
    if not ids:
        return cycle, current, []
    parts = {r.id: r for r in conn.execute(select(t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.pack_qty)
                                           .where(t.part.c.id.in_(list(ids))))}
    on_hand = dict(
        conn.execute(
            select(t.stock_lot.c.part_id, func.sum(t.stock_lot.c.qty_remaining))
            .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
            .where(
                t.stock_lot.c.part_id.in_(list(ids)),
                t.stock_lot.c.qty_remaining > 0,
                t.location.c.zone != QUARANTINE_ZONE,
            )
            .group_by(t.stock_lot.c.part_id)
        ).all()
    )
    transit = defaultdict(Decimal)
    for row in conn.execute(
        select(
            t.purchase_order_line.c.part_id, t.purchase_order_line.c.qty_ordered, t.purchase_order_line.c.qty_received
        )
        .join(t.purchase_order, t.purchase_order.c.id == t.purchase_order_line.c.order_id)
        .where(
            t.purchase_order.c.state.in_(sorted(state.value for state in ON_ORDER_STATES)),
            t.purchase_order_line.c.part_id.in_(list(ids)),
        )
    ):
        transit[row.part_id] += max(row.qty_ordered - row.qty_received, Decimal(0))
    alpha, beta = Decimal(settings["alpha"]), Decimal(settings["beta"])
    ratio, safety_ratio = Decimal(settings["jump_ratio"]), Decimal(settings["safety_ratio"])
    result = []
    for pid in sorted(ids, key=lambda i: parts[i].part_no):
        consumed = by_part.get(pid, {})
        starts = []
        start = min(consumed) if consumed else current
        while start < current:
            starts.append(start)
            start = next_cycle(start, cycle)
        history = [qty(consumed.get(s, Decimal(0))) for s in starts]
        forecast = forecast_next(history, period=period, alpha=alpha, beta=beta)
        part = parts[pid]
        held = on_hand.get(pid) or Decimal(0)
        short = shortages.get(pid) or Decimal(0)
        suggested = suggested_qty(forecast.value, safety_ratio=safety_ratio, on_hand=held, in_transit=transit[pid],
                                  open_shortages=short, pack_qty=part.pack_qty)
        result.append(PartDemand(
            part.part_no, part.name, part.pack_qty, tuple(zip(starts, history, strict=True))[-SHOWN_CYCLES:],
            forecast.value, forecast.seasonal_index, jumps(forecast.value, history, ratio),
            qty(forecast.value * safety_ratio), held, qty(transit[pid]), short, suggested))
    return cycle, current, result
