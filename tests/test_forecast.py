"""The forecast on synthetic histories whose right answer is known, and the suggested quantity."""

import functools
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.decimals import qty
from core.forecast import ExactHolt, forecast_next, holt, jumps, seasonal_indices, suggested_qty

ALPHA, BETA = D("0.5"), D("0.3")


def _forecast(history, period=12):
    return forecast_next([D(v) for v in history], period=period, alpha=ALPHA, beta=BETA)


def test_flat_history_forecasts_its_level():
    assert _forecast([10] * 8).value == D(10)
    assert _forecast([10] * 30).value == D(10)  # a flat year has every index 1


def test_a_straight_trend_continues():
    assert _forecast([10 + 3 * i for i in range(9)], period=52).value == D(10 + 3 * 9)
    assert _forecast([50 - 4 * i for i in range(6)], period=52).value == D(26)


def test_a_downward_trend_never_forecasts_below_zero():
    assert _forecast([9, 6, 3, 0], period=52).value == 0


def test_season_from_the_same_cycle_last_year():
    pattern = [D(x) for x in ("0.5", "0.6", "0.8", "1", "1.2", "1.4", "1.5", "1.4", "1.2", "1", "0.8", "0.6")]
    history = [D(20) * pattern[i % 12] for i in range(24)]
    result = forecast_next(history, period=12, alpha=ALPHA, beta=BETA)
    assert result.value == D(20) * pattern[0] and result.seasonal_index == pattern[0]
    # One cycle later in the year, the next index applies.
    history.append(D(20) * pattern[0])
    assert forecast_next(history, period=12, alpha=ALPHA, beta=BETA).value == D(20) * pattern[1]


def test_no_season_before_a_year_or_with_empty_cycles():
    assert seasonal_indices([D(5)] * 11, 12) is None
    assert seasonal_indices([D(5)] * 11 + [D(0)], 12) is None
    assert _forecast([4, 6] * 5).seasonal_index is None


def test_a_sudden_jump_is_flagged_both_ways():
    up = [D(10)] * 11 + [D(50)]
    assert jumps(_forecast(up, period=52).value, up, D(2))
    down = [D(40)] * 11 + [D(2)]
    assert jumps(_forecast(down, period=52).value, down, D(2))
    steady = [D(10), D(11), D(9), D(10), D(12), D(10)]
    assert not jumps(_forecast(steady, period=52).value, steady, D(2))


def test_holt_starts_from_the_first_value_and_difference():
    assert holt([], ALPHA, BETA) == (0, 0)
    assert holt([D(7)], ALPHA, BETA) == (7, 0)


@pytest.mark.parametrize("forecast, on_hand, transit, short, pack, want", [
    (10, 0, 0, 0, 1, 15),     # forecast plus half a forecast of safety stock
    (10, 12, 0, 0, 1, 3),
    (10, 12, 10, 0, 1, 0),    # never below zero
    (10, 12, 0, 4, 1, 7),     # open shortages come on top
    (10, 0, 0, 0, 4, 16),     # rounded up to whole packs
    (0, 0, 0, 3, 10, 10),
])
def test_suggested_quantity(forecast, on_hand, transit, short, pack, want):
    got = suggested_qty(D(forecast), safety_ratio=D("0.5"), on_hand=D(on_hand), in_transit=D(transit),
                        open_shortages=D(short), pack_qty=D(pack))
    assert got == D(want)


def _by_decimal(used: list[int], period: int, alpha: D, beta: D, ratio: D) -> tuple[int, bool]:
    """forecast_next and jumps on a history of whole thousandths, the answer in thousandths."""
    values = [qty(D(raw).scaleb(-3)) for raw in used]
    value = forecast_next(values, period=period, alpha=alpha, beta=beta).value
    return int(value.scaleb(3)), jumps(value, values, ratio)


SMALL = st.sampled_from([0, 0, 0, 1000, 2000, 2500, 3000, 40000, -1000, 7])
SETTINGS = st.tuples(st.sampled_from(["0.5", "0.3", "1", "0.05", "0.123", "0.999"]),
                     st.sampled_from(["0.3", "0", "0.1", "1", "0.987"]),
                     st.sampled_from(["2", "1.5", "1.01", "3.25", "2E+1", "0.1234567890123"]),
                     st.sampled_from([(12, 24), (52, 104)]))


@functools.cache
def _exact_holt(alpha: str, beta: str, ratio: str, period: int, longest: int) -> ExactHolt:
    """One ExactHolt per setting (the weights of two years of weeks take a moment to work out)."""
    return ExactHolt(period=period, alpha=D(alpha), beta=D(beta), ratio=D(ratio), longest=longest)


@settings(max_examples=400, deadline=None)
@given(setting=SETTINGS, data=st.data())
def test_exact_holt_is_forecast_next(setting, data):
    """Where the whole-number forecast answers, it is forecast_next's value and jumps' flag, to the thousandth,
    for any history (small, large, returns more than issues, every length up to two years of weeks)."""
    alpha, beta, ratio, (period, longest) = setting
    exact = _exact_holt(alpha, beta, ratio, period, longest)
    figure = data.draw(st.one_of(SMALL, st.integers(-10**6, 10**12), st.integers(10**15, 10**17)))
    used = data.draw(st.lists(st.one_of(SMALL, st.just(figure)), max_size=longest))
    got = exact.forecast(len(used), [(at, raw) for at, raw in enumerate(used) if raw])
    if got is not None:
        assert got == _by_decimal(used, period, D(alpha), D(beta), D(ratio))


def test_exact_holt_answers_for_ordinary_histories_and_leaves_seasons():
    """The fast path takes the station's usual histories (sparse, no season), and leaves to forecast_next a
    season, a ratio too long for exact products, and sums too large to be sure of."""
    exact = ExactHolt(period=12, alpha=ALPHA, beta=BETA, ratio=D(2), longest=24)
    answered = 0
    for length in range(25):
        for every in (1, 2, 3, 5):
            used = [(at, 1000 * (at % 7)) for at in range(0, length, every)]
            got = exact.forecast(length, used)
            history = [0] * length
            for at, raw in used:
                history[at] = raw
            answered += got is not None
            assert got is None or got == _by_decimal(history, 12, ALPHA, BETA, D(2))
    assert answered >= 95  # of 100
    season = [(at, 1000 + at) for at in range(24)]
    assert exact.forecast(24, season) is None
    assert exact.forecast(3, [(0, 10**17)]) is None
    assert ExactHolt(period=12, alpha=ALPHA, beta=BETA, ratio=D("1.234567891"), longest=24).forecast(
        3, [(1, 1000)]) is None


def test_exact_holt_weights_are_exact():
    """Each weight is Holt's level + trend of a unit history, in fractions, to the last digit (two years of months
    give 46-digit weights: none rounded to Decimal's 28)."""
    alpha, beta = Fraction(1, 2), Fraction(3, 10)

    def holt_exact(series: list[Fraction]) -> Fraction:
        if not series:
            return Fraction(0)
        level, trend = series[0], (series[1] - series[0] if len(series) > 1 else Fraction(0))
        for value in series[1:]:
            previous = level
            level = alpha * value + (1 - alpha) * (level + trend)
            trend = beta * (level - previous) + (1 - beta) * trend
        return level + trend

    exact = ExactHolt(period=12, alpha=ALPHA, beta=BETA, ratio=D(2), longest=24)
    for length in (1, 2, 5, 24):
        for at in range(length):
            unit = [Fraction(int(i == at)) for i in range(length)]
            assert Fraction(exact.weights[length][at], exact.denominator) == holt_exact(unit)
