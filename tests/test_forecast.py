"""The forecast on synthetic histories whose right answer is known, and the suggested quantity."""

from decimal import Decimal as D

import pytest

from core.forecast import forecast_next, holt, jumps, seasonal_indices, suggested_qty

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
