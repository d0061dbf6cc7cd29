"""The demand forecast, without a database: Holt's linear smoothing with a seasonal index, in Decimal.

Method (also in the README):
1. History is the part's net consumption per cycle (issues less returns), oldest first, one value
   per completed cycle (week or month, a setting).
2. Season: once a full year of cycles exists (12 months or 52 weeks) and every cycle of the last year
   has some consumption, each cycle of that year gets an index = its consumption / the year's mean.
   The history is divided by its index (deseasonalised) and the forecast multiplied by the index of
   the same cycle last year.
3. Level and trend by Holt's linear exponential smoothing (alpha for the level, beta for the trend,
   settings), started from the first value and the first difference: a flat history forecasts its
   value, a straight trend continues exactly.
4. The forecast is never below zero. It is flagged when it jumps beyond a ratio (a setting) against
   the median of the last six cycles, up or down: such a line needs a reason on the draft.
5. Suggested quantity = forecast + safety stock − on hand − in transit + open shortages, rounded up
   to the part's pack quantity, never below zero; safety stock = safety ratio (a setting) × forecast.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import MAX_PREC, ROUND_CEILING, ROUND_HALF_EVEN, Context, Decimal, Inexact, Rounded, getcontext
from fractions import Fraction

from core.decimals import qty

ZERO = Decimal(0)
JUMP_WINDOW = 6


@dataclass(frozen=True, slots=True)
class Forecast:
    """The next cycle's forecast and how it was reached."""

    value: Decimal
    level: Decimal
    trend: Decimal
    seasonal_index: Decimal | None  # None: no season used


def seasonal_indices(history: list[Decimal], period: int) -> list[Decimal] | None:
    """Index per cycle of the last full year (oldest first), or None without a year of steady history."""
    if period <= 1 or len(history) < period:
        return None
    year = history[-period:]
    if min(year) <= 0:  # some cycle without consumption (min: one C loop, not a generator's)
        return None
    mean = sum(year, ZERO) / period
    return [value / mean for value in year]


def holt(series: list[Decimal], alpha: Decimal, beta: Decimal) -> tuple[Decimal, Decimal]:
    """Level and trend after smoothing the series (empty: 0, 0; one value: that value, no trend)."""
    if not series:
        return ZERO, ZERO
    level = series[0]
    trend = series[1] - series[0] if len(series) > 1 else ZERO
    keep_level, keep_trend = 1 - alpha, 1 - beta  # the same values each step: worked out once
    for value in series[1:]:
        previous = level
        level = alpha * value + keep_level * (level + trend)
        trend = beta * (level - previous) + keep_trend * trend
    return level, trend


def forecast_next(history: list[Decimal], *, period: int, alpha: Decimal, beta: Decimal) -> Forecast:
    """The forecast of the cycle after the history."""
    indices = seasonal_indices(history, period)
    if indices is None:
        level, trend = holt(history, alpha, beta)
        return Forecast(qty(max(level + trend, ZERO)), level, trend, None)
    # Position of each history value within the last year's cycles; the next cycle is position 0.
    offset = len(history) - period
    deseasonalised = [value / indices[(t - offset) % period] for t, value in enumerate(history)]
    level, trend = holt(deseasonalised, alpha, beta)
    index = indices[0]
    return Forecast(qty(max((level + trend) * index, ZERO)), level, trend, index)


def jumps(forecast: Decimal, history: list[Decimal], ratio: Decimal) -> bool:
    """Whether the forecast departs from the recent median by more than the ratio, either way."""
    recent = history[-JUMP_WINDOW:]
    if not recent:
        return False
    typical = Decimal(statistics.median(recent))
    if typical == 0:
        return forecast > 0 and len(recent) >= 3  # demand out of nowhere
    return forecast > typical * ratio or forecast * ratio < typical


def suggested_qty(
    forecast: Decimal, *, safety_ratio: Decimal, on_hand: Decimal, in_transit: Decimal, open_shortages: Decimal,
    pack_qty: Decimal,
) -> Decimal:
    """What to order: cover the forecast and its safety stock, less what is here or coming, plus shortages."""
    need = forecast + forecast * safety_ratio - on_hand - in_transit + open_shortages
    if need <= 0:
        return qty(0)
    pack = pack_qty if pack_qty > 0 else Decimal(1)
    packs = (need / pack).to_integral_value(rounding=ROUND_CEILING)
    return qty(packs * pack)


def cycles_per_year(cycle: str) -> int:
    """12 for a monthly cycle, 52 for a weekly one."""
    return 52 if cycle == "week" else 12


class ExactHolt:
    """forecast_next and jumps for a history without a season, from whole thousandths, with the same results.

    Without a season the exact forecast is linear in the history: level + trend after n values is a fixed weighted
    sum of them (weights from alpha and beta, worked out once per length, exactly). The Decimal code rounds each
    step to the context's precision, so its level + trend can differ from the exact sum by a little; `_errors`
    bounds that difference per length (in multiples of the largest consumption). Where the exact sum lies further
    than the bound from every point where rounding to thousandths changes (and from zero), the Decimal forecast
    rounds to the same thousandths; otherwise, or with a season, `forecast` answers None and the caller takes
    forecast_next. A history then costs one multiplication per cycle with consumption, not Holt's loop.
    """

    def __init__(self, *, period: int, alpha: Decimal, beta: Decimal, ratio: Decimal, longest: int) -> None:
        """Weights and error bounds for every history length up to `longest` cycles."""
        self.period = period
        context = getcontext()
        sign, digits, exponent = ratio.as_tuple()
        # The ratio exactly (as a whole number over a power of ten); a long one would make Decimal round the
        # jump test's products, so no history takes the fast path then.
        self.usable = (context.rounding == ROUND_HALF_EVEN and isinstance(exponent, int) and len(digits) <= 8
                       and not sign and -12 <= exponent <= 2)
        self.ratio_whole = int(ratio.scaleb(-min(exponent, 0))) if self.usable else 0
        self.ratio_scale = 10 ** -min(exponent, 0) if self.usable else 1
        weights = _holt_weights(alpha, beta, longest)
        places = max((-w.as_tuple().exponent for row in weights for w in row if w), default=0)
        places = max(places, WEIGHT_PLACES)  # whole weights too: the error bound needs room below the unit
        self.denominator = 10**places
        self.weights = [[_scaled(w, places) for w in row] for row in weights]
        bounds = _errors(alpha, beta, longest, context.prec)
        # The bound in the weights' unit, rounded up; the result unit (thousandths) is the history's.
        self.error = [-(-Fraction(bound) * self.denominator // 1) for bound in bounds]

    def forecast(self, length: int, consumed: list[tuple[int, int]]) -> tuple[int, bool] | None:
        """The forecast (thousandths) and jump flag of a history of `length` cycles given as (position, net
        consumption in thousandths) for its cycles with any (each position once, 0 the oldest); None when only
        forecast_next can tell."""
        if not self.usable:
            return None
        weights, year_from, tail = self.weights[length], length - self.period, length - JUMP_WINDOW
        total = largest = year = 0
        recent = []
        for at, used in consumed:
            if used:
                total += weights[at] * used
                size = used if used > 0 else -used
                if size > largest:
                    largest = size
                if at >= year_from and used > 0:
                    year += 1
            if at >= tail:
                recent.append(used)
        if largest >= EXACT_BELOW or (self.period > 1 and length >= self.period and year == self.period):
            return None  # too large to be sure of, or a season (every cycle of the last year consumed)
        value = self._rounded(total, self.error[length] * largest)
        if value is None or value >= EXACT_BELOW:
            return None
        return value, self._jumps(value, recent, min(length, JUMP_WINDOW))

    def _rounded(self, total: int, error: int) -> int | None:
        """max(level + trend, 0) to thousandths (half even, as qty) from the exact sum, or None too near a tie."""
        denominator = self.denominator
        if 2 * (total + error) < denominator:
            return 0  # below half a thousandth (or below zero) whatever the rounding: 0
        if total <= error:
            return None
        whole, rest = divmod(total, denominator)
        if abs(2 * rest - denominator) <= 2 * error:
            return None
        return whole + 1 if 2 * rest > denominator else whole

    def _jumps(self, value: int, recent: list[int], count: int) -> bool:
        """`jumps` in thousandths: the recent median (cycles without consumption are 0) against the forecast."""
        if not count:
            return False
        recent += [0] * (count - len(recent))
        recent.sort()
        middle = count // 2
        twice = 2 * recent[middle] if count % 2 else recent[middle - 1] + recent[middle]  # twice the median
        if twice == 0:
            return value > 0 and count >= 3
        whole, scale = self.ratio_whole, self.ratio_scale
        return 2 * value * scale > twice * whole or 2 * value * whole < twice * scale


# Arithmetic that never rounds (it raises instead): the weights are exact.
_EXACT = Context(prec=MAX_PREC, traps=[Inexact, Rounded])
# Places kept below the thousandth at least, so an error bound rounded up to the weights' unit stays small.
WEIGHT_PLACES = 40
# Whole thousandths below this have at most 17 digits: with the ratio's 8 the jump test's products stay exact.
EXACT_BELOW = 10**17


def _scaled(value: Decimal, places: int) -> int:
    """value x 10**places as a whole number, exactly (scaleb in the default context rounds to 28 digits)."""
    return int(value.scaleb(places, context=_EXACT))


def _holt_weights(alpha: Decimal, beta: Decimal, longest: int) -> list[list[Decimal]]:
    """For each history length n up to `longest`: the weights of level + trend after `holt` on n values, exactly."""
    exact = _EXACT
    rows: list[list[Decimal]] = [[]]
    if longest >= 1:
        rows.append([Decimal(1)])
    level = [Decimal(1)] + [ZERO] * (longest - 1)  # holt's start: the first value and the first difference
    trend = [Decimal(-1), Decimal(1)] + [ZERO] * (longest - 2)
    keep_level, keep_trend = exact.subtract(1, alpha), exact.subtract(1, beta)
    for step in range(1, longest):
        previous = level
        level = [exact.multiply(keep_level, exact.add(lv, tr)) for lv, tr in zip(level, trend, strict=True)]
        level[step] = exact.add(level[step], exact.multiply(alpha, 1))
        trend = [exact.add(exact.multiply(beta, exact.subtract(lv, pv)), exact.multiply(keep_trend, tr))
                 for lv, pv, tr in zip(level, previous, trend, strict=True)]
        rows.append([exact.add(lv, tr) for lv, tr in zip(level[:step + 1], trend[:step + 1], strict=True)])
    return rows


def _errors(alpha: Decimal, beta: Decimal, longest: int, precision: int) -> list[float]:
    """For each history length: a bound on |Decimal level + trend - exact level + trend| per unit of the largest
    |value|, with `precision` digits rounding half even (each operation off by at most half a unit in its last
    place). Each step's rounding errors, bounded through the exact weights' sums of magnitudes, are carried to
    the end through the same linear steps with no input; the total is doubled for the second-order terms and the
    float arithmetic here."""
    unit = 5.0 * 10.0 ** -precision
    a, b = float(alpha), float(beta)
    keep_a, keep_b = abs(1 - a), abs(1 - b)
    bounds = [0.0, 0.0]  # no values: 0; one value: the value itself, exactly
    if longest < 2:
        return bounds[:longest + 1]
    # Sums of magnitudes of the level and trend weights after each step (exact, as floats).
    level, trend = [1.0] + [0.0] * (longest - 1), [-1.0, 1.0] + [0.0] * (longest - 2)
    norms = [(1.0, 2.0)]
    local = [(0.0, 2 * unit)]  # the first difference (exact for whole thousandths, bounded all the same)
    for step in range(1, longest):
        previous = level
        level = [(1 - a) * (lv + tr) for lv, tr in zip(level, trend, strict=True)]
        level[step] += a
        trend = [b * (lv - pv) + (1 - b) * tr for lv, pv, tr in zip(level, previous, trend, strict=True)]
        before_level, before_trend = norms[-1]
        after_level, after_trend = sum(map(abs, level)), sum(map(abs, trend))
        norms.append((after_level, after_trend))
        # level: alpha x value, level + trend (carried x keep), keep x (level + trend), the sum
        error_level = unit * (a + 2 * keep_a * (before_level + before_trend) + after_level)
        # trend: level - previous (carried x beta), beta x that, keep x trend, the sum
        error_trend = unit * (2 * abs(b) * (after_level + before_level) + keep_b * before_trend + after_trend)
        local.append((error_level, error_trend))
    # A unit of error in the level (which the same step's trend sees, x beta) or in the trend, carried through
    # m more steps with no input, to level + trend: by m.
    carried_level, carried_trend = _carried(1.0, b, longest, a, b), _carried(0.0, 1.0, longest, a, b)
    for length in range(2, longest + 1):
        total = unit * sum(norms[length - 1])  # the final level + trend
        for step in range(length):
            rest = length - 1 - step
            total += local[step][0] * carried_level[rest] + local[step][1] * carried_trend[rest]
        bounds.append(2.0 * total * 1.0001)
    return bounds


def _carried(level: float, trend: float, longest: int, a: float, b: float) -> list[float]:
    """|level| + |trend| (at least |level + trend|) after 0, 1, ... `longest` steps of holt with no input from the
    given state."""
    sizes = [abs(level) + abs(trend)]
    for _step in range(longest):
        previous = level
        level = (1 - a) * (level + trend)
        trend = b * (level - previous) + (1 - b) * trend
        sizes.append(abs(level) + abs(trend))
    return sizes
