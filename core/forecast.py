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
from decimal import ROUND_CEILING, Decimal

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
