"""The lines of a new purchase-request draft: every part's forecast and suggestion, one row per part.

The per-part view (core.records.demand) reads one row per part and cycle and builds a PartDemand of Decimals for each
part. A draft needs neither the history nor the names: the database joins each part's cycle sums into one text
(cycle:sum, ...), the forecast is worked out once per distinct text with the same Decimal code as the view
(demand._Work.forecast), and the suggestion of each part is then worked out in whole numbers of thousandths, exactly:
the Decimal arithmetic of core.forecast.suggested_qty is exact for such numbers (see `_Suggestion`), so the lines are
the same as the view's, and a part costs a dictionary look-up and a few integer operations.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Connection, String, cast, func, literal, select, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by

from core import clock
from core import tables as t
from core.codes import QUARANTINE_ZONE
from core.direct import Direct
from core.forecast import ExactHolt, cycles_per_year, suggested_qty
from core.records.demand import (
    KEPT_FORECASTS,
    STREAM_ROWS,
    _check_cycle,
    _consumed,
    _Method,
    _short,
    _transit,
    _Work,
    history_starts,
)
from core.records.settings import read_settings
from core.records.supersession import any_chain, follow

# A draft line: part id, forecast and suggested quantity in thousandths (as stored), flagged.
DraftLine = tuple[int, int, int, bool]
# Whole numbers below this have at most 18 digits: Decimal's 28 hold them and their sums exactly (see _Suggestion).
EXACT_BELOW = 10**17
# Packs (scaled) below this leave a quotient below 10**18 ten places after the point, more than 1/pack needs.
PACK_BELOW = 10**9


def iter_draft_lines(conn: Connection, *, cycle: str | None = None) -> tuple[str, date, Iterator[DraftLine]]:
    """The cycle, its start, and a stream of the draft's lines: every part with consumption or shortages whose
    suggestion is above zero or whose forecast is flagged, in no particular order (the same lines, forecasts,
    suggestions and flags as core.records.demand's view)."""
    settings = read_settings(conn)
    chosen = _check_cycle(cycle, settings)
    method = _Method(cycles_per_year(chosen), Decimal(settings["alpha"]), Decimal(settings["beta"]),
                     Decimal(settings["jump_ratio"]), Decimal(settings["safety_ratio"]))
    starts = history_starts(clock.now().date(), chosen)
    return chosen, starts[-1], _lines(conn, chosen, starts, method)


def _statement(conn: Connection, cycle: str, starts: list[date]):
    """One row per part with consumption or shortages: id, pack, on hand, in transit, short (thousandths) and the
    history as text, `cycle:sum` joined by commas (None without consumption)."""
    part = t.part
    chains = any_chain(conn)
    consumed, short, transit, held = _consumed(conn, cycle, starts), _short(chains), _transit(chains), _held(chains)
    entry = (type_coerce(consumed.c.cycle, String) + literal(":") + cast(consumed.c.qty, String)).label("entry")
    # A part short of stock without consumption gets a row without an entry: the aggregate skips it.
    entries = select(consumed.c.part_id, entry).union_all(
        select(short.c.part_id, literal(None, String).label("entry"))).subquery("entries")
    if conn.dialect.name == "postgresql":
        # In cycle order (the text starts with the cycle's date), so equal histories give equal texts.
        history = func.string_agg(entries.c.entry, aggregate_order_by(literal(","), entries.c.entry))
    else:
        history = func.group_concat(entries.c.entry, ",")
    wanted = (select(entries.c.part_id, history.label("history")).group_by(entries.c.part_id)
              .subquery("wanted"))
    return (
        # Sums cast back to whole numbers: PostgreSQL's sum of bigints is numeric.
        select(wanted.c.part_id, type_coerce(part.c.pack_qty, BigInteger), cast(held.c.qty, BigInteger),
               cast(transit.c.qty, BigInteger), cast(short.c.qty, BigInteger), wanted.c.history)
        .select_from(wanted)
        .join(part, part.c.id == wanted.c.part_id)
        .outerjoin(held, held.c.part_id == wanted.c.part_id)
        .outerjoin(short, short.c.part_id == wanted.c.part_id)
        .outerjoin(transit, transit.c.part_id == wanted.c.part_id)
    )


def _held(chains: bool = True):
    """Usable stock per part (quarantine left out) in one grouped pass over the lots: on PostgreSQL a look-up per
    part (the view's scalar subquery) took more than half of the statement's time, on SQLite as long as this."""
    lot, location = t.stock_lot, t.location
    quarantine = select(location.c.id).where(location.c.zone == QUARANTINE_ZONE)
    own = (select(lot.c.part_id, func.sum(lot.c.qty_remaining).label("qty"))
           .where(lot.c.qty_remaining > 0, lot.c.location_id.not_in(quarantine))
           .group_by(lot.c.part_id).subquery("held_own" if chains else "held"))
    if not chains:
        return own
    # What is left of interchangeable old numbers counts for the newest one (an issue takes it first); a draft
    # orders only the newest number.
    return follow(own, "held", interchangeable_only=True)


def _lines(conn: Connection, cycle: str, starts: list[date], method: _Method) -> Iterator[DraftLine]:
    """The draft's lines from the streamed statement, one part at a time."""
    forecasts = _Forecasts(starts, method)
    suggestion = _Suggestion(method.safety_ratio)
    # On PostgreSQL the session compiles nothing by JIT (data.db.SESSION_OPTIONS): this statement's cost passes
    # the threshold, and compiling it took 0.1 s that the run never won back.
    known, of_text = forecasts.known, forecasts.of_text
    suggest = suggestion.suggested
    # Straight to the driver, a batch at a time: no SQLAlchemy row objects for the hundreds of thousands of rows,
    # and on PostgreSQL the ordinary protocol's stream, not a server-side cursor (core.direct: the read took 1.2 s
    # at 200,000 parts, where the cursor's FETCHes took 1.9).
    for rows in Direct(_statement(conn, cycle, starts)).stream(conn, size=STREAM_ROWS, named=False):
        for part_id, pack, held, transit, short, history in rows:
            value, gross, flagged = known.get(history) or of_text(history)
            suggested = suggest(value, gross, pack, held or 0, transit or 0, short or 0)
            if suggested > 0 or flagged:
                yield part_id, value, suggested, flagged


class _Forecasts:
    """Each distinct history text's forecast (thousandths), its gross need (see _Suggestion) and flag."""

    def __init__(self, starts: list[date], method: _Method) -> None:
        """Ready for the histories of one run."""
        self.position = {start.isoformat(): index for index, start in enumerate(starts)}
        self.current = len(starts) - 1
        self.work = _Work(starts, self.current, method, with_history=False)
        self.exact = ExactHolt(period=method.period, alpha=method.alpha, beta=method.beta, ratio=method.ratio,
                               longest=self.current)
        self.gross = _Suggestion(method.safety_ratio).gross
        self.known: dict[str | None, tuple[int, int | None, bool]] = {}

    def of_text(self, history: str | None) -> tuple[int, int | None, bool]:
        """A history text's forecast, worked out (by exact whole numbers where they tell, else by the view's
        Decimal code) and kept."""
        position = self.position
        # Each item is `YYYY-MM-DD:sum`, one per cycle (the database grouped them), in any order.
        sums = [(position[item[:10]], int(item[11:])) for item in history.split(",")] if history else []
        first = min(sums)[0] if sums else self.current
        # Consumption is the moves' sum negated (issues are negative moves).
        fast = self.exact.forecast(self.current - first, [(at - first, -raw) for at, raw in sums])
        if fast is not None:
            scaled, flagged = fast
        else:
            moved = [0] * (self.current - first)
            for at, raw in sums:
                moved[at - first] = raw
            # Not kept by history a second time: the texts are the keys here.
            value, _index, flagged, _safety = self.work.worked_out(moved)
            scaled = int(value.scaleb(3))
        if len(self.known) >= KEPT_FORECASTS:  # memory stays bounded at any size
            self.known.clear()
        known = self.known[history] = (scaled, self.gross(scaled), flagged)
        return known


class _Suggestion:
    """core.forecast.suggested_qty in whole numbers: need = forecast x (1 + safety ratio) - on hand - in transit +
    shortages, in units of 10**-(3 + places of the ratio), then whole packs, rounded up.

    Why it is the same: the Decimal code rounds only a result of more than 28 digits. Below EXACT_BELOW every term
    and partial sum has at most 18 digits, so each Decimal step is exact; the quotient need / pack is below 10**18,
    so Decimal keeps ten places of it, and a quotient that is not whole is at least 1/pack (>= 10**-9) from a whole
    number: rounded up it gives the same packs. Outside those bounds the part goes through suggested_qty itself.
    """

    def __init__(self, ratio: Decimal) -> None:
        """The ratio as a whole number over a power of ten."""
        self.ratio = ratio
        sign, digits, exponent = ratio.as_tuple()
        whole = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if isinstance(exponent, int) and exponent > 0:
            whole *= 10**exponent
        self.scale, self.whole = 10**places, whole

    def gross(self, forecast: int) -> int | None:
        """forecast x (1 + ratio) in the scaled unit, or None when it is too large to be sure of exactness."""
        gross = forecast * (self.scale + self.whole)
        return gross if abs(gross) < EXACT_BELOW else None

    def suggested(self, forecast: int, gross: int | None, pack: int, held: int, transit: int, short: int) -> int:
        """The suggested quantity (thousandths) of one part, from its forecast and stock (thousandths)."""
        scale = self.scale
        pack = pack if pack > 0 else 1000
        if gross is None or (held + transit + short) * scale >= EXACT_BELOW or pack * scale >= PACK_BELOW:
            return self._by_decimal(forecast, pack, held, transit, short)
        need = gross - (held + transit - short) * scale
        if need <= 0:
            return 0
        return -(-need // (pack * scale)) * pack

    def _by_decimal(self, forecast: int, pack: int, held: int, transit: int, short: int) -> int:
        """The same through core.forecast.suggested_qty, for numbers beyond the exact bounds."""
        def dec(raw: int) -> Decimal:
            return Decimal(raw).scaleb(-3)
        suggested = suggested_qty(dec(forecast), safety_ratio=self.ratio, on_hand=dec(held), in_transit=dec(transit),
                                  open_shortages=dec(short), pack_qty=dec(pack))
        return int(suggested.scaleb(3))
