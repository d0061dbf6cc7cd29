"""The pure rules, without a database: decimals, codes, FIFO picking, PINs and the permission matrix."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.codes import normalise_part_no, validate_location, validate_operator_code, validate_part_no
from core.decimals import fmt_money, fmt_qty, parse_money, parse_qty
from core.errors import BadInput, PermissionDenied
from core.fifo import pick_fifo
from core.pins import check_pin, hash_pin, validate_pin
from core.roles import PERMISSIONS, Actor, Permission, Role, parse_roles, require


class TestDecimals:
    def test_quantities_keep_three_places(self):
        assert parse_qty("2.5") == Decimal("2.500")
        assert parse_qty(" 1,000 ") == Decimal("1000.000")
        assert fmt_qty(Decimal("3.000")) == "3"
        assert fmt_qty(Decimal("2.500")) == "2.5"
        assert fmt_qty(Decimal("100")) == "100"

    def test_money_keeps_two_places(self):
        assert parse_money("12.5") == Decimal("12.50")
        assert fmt_money(Decimal("12.5")) == "12.50"
        assert parse_money("38.500") == Decimal("38.50")  # a trailing zero is not a third place

    @pytest.mark.parametrize("text", ["abc", "", "1e3", "NaN", "inf", "1.2.3", "--1", "sixty"])
    def test_rejects_what_is_not_a_plain_number(self, text):
        with pytest.raises(BadInput):
            parse_qty(text)

    def test_rejects_too_many_places(self):
        with pytest.raises(BadInput, match="decimal places"):
            parse_qty("1.0001")
        with pytest.raises(BadInput, match="decimal places"):
            parse_money("38.505")

    def test_rejects_floats_outright(self):
        with pytest.raises(TypeError):
            parse_qty(1.5)

    # Up to the limit a quantity may have (core.decimals.MAX_QTY; past it, tests/test_input_edges.py).
    @given(st.decimals(min_value=-9_999_999, max_value=9_999_999, places=3, allow_nan=False, allow_infinity=False))
    def test_quantity_text_round_trips(self, value):
        assert parse_qty(fmt_qty(value)) == value


class TestCodes:
    def test_part_numbers_are_normalised_the_way_catalogues_print_them(self):
        assert normalise_part_no(" 5c6 941 005 b ") == "5C6941005B"
        assert validate_part_no("5C6 941\t005 B") == "5C6941005B"

    @pytest.mark.parametrize("bad", ["", "   ", "AB#12", "零件", "X" * 41])
    def test_bad_part_numbers(self, bad):
        with pytest.raises(BadInput):
            validate_part_no(bad)

    def test_location_scheme(self):
        assert validate_location(" exc-01-02-03 ") == "EXC-01-02-03"
        for bad in ["EXC-1-2-3", "EXC01-02-03", "E-01-02-03", "EXCEL-01-02-03", "123-01-02-03", "EXC-01-02"]:
            with pytest.raises(BadInput, match="ZONE-ROW-SHELF-BIN"):
                validate_location(bad)

    def test_operator_codes(self):
        assert validate_operator_code("store1") == "STORE1"
        with pytest.raises(BadInput):
            validate_operator_code("1STORE")


class TestFifo:
    def test_takes_the_oldest_lot_first(self):
        lots = [("old", Decimal(2)), ("mid", Decimal(5)), ("new", Decimal(5))]
        picks = pick_fifo(lots, Decimal(4))
        assert [(p.lot, p.qty) for p in picks] == [("old", 2), ("mid", 2)]

    def test_skips_empty_lots_and_refuses_more_than_there_is(self):
        lots = [("empty", Decimal(0)), ("some", Decimal(1))]
        assert [(p.lot, p.qty) for p in pick_fifo(lots, Decimal(1))] == [("some", 1)]
        assert pick_fifo(lots, Decimal(2)) is None

    @given(
        st.lists(st.integers(min_value=0, max_value=50), min_size=0, max_size=8),
        st.integers(min_value=1, max_value=300),
    )
    def test_a_newer_lot_is_touched_only_when_all_older_are_empty(self, sizes, wanted):
        lots = [(i, Decimal(n)) for i, n in enumerate(sizes)]
        picks = pick_fifo(lots, Decimal(wanted))
        if sum(sizes) < wanted:
            assert picks is None
            return
        assert sum(p.qty for p in picks) == wanted
        for earlier, later in zip(picks, picks[1:], strict=False):
            assert earlier.qty == lots[earlier.lot][1]  # every lot but the last is emptied
            assert earlier.lot < later.lot


class TestPins:
    def test_hash_is_salted_and_checks(self):
        first, second = hash_pin("1234"), hash_pin("1234")
        assert first != second and "1234" not in first
        assert first.startswith("scrypt$")
        assert check_pin("1234", first) and not check_pin("4321", first)

    @pytest.mark.parametrize("bad", ["", "12", "abcd", "1234567890123"])
    def test_pin_shape(self, bad):
        with pytest.raises(BadInput):
            validate_pin(bad)


class TestPermissions:
    def test_every_permission_has_roles_and_admin_does_no_stock_work(self):
        assert set(PERMISSIONS) == set(Permission)
        for permission in (Permission.ISSUE_STOCK, Permission.RETURN_STOCK, Permission.RECEIVE_SHIPMENT,
                           Permission.POST_RECEIPT, Permission.ADJUST_STOCK):
            assert Role.ADMIN not in PERMISSIONS[permission]

    def test_require_names_the_missing_role(self):
        mechanic = Actor(1, "MECH1", "m", frozenset({Role.MECHANIC}))
        with pytest.raises(PermissionDenied, match="MECH1 may not issue stock"):
            require(mechanic, Permission.ISSUE_STOCK)
        require(Actor(2, "S", "s", frozenset({Role.STOREKEEPER})), Permission.ISSUE_STOCK)

    def test_parse_roles(self):
        assert parse_roles("planner, storekeeper") == {Role.PLANNER, Role.STOREKEEPER}
        with pytest.raises(BadInput, match="unknown role"):
            parse_roles(["wizard"])


class TestTextWidth:
    def test_chinese_counts_double(self):
        from core.textwidth import cell_width

        assert cell_width("机油滤清器") == 10
        assert cell_width("Oil 机油") == 8

    def test_columns_stay_aligned_with_mixed_text(self):
        from core.textwidth import cell_width, columns

        rows = [
            ["96800106", "机油滤清器", "40"],
            ["13227301", "Wiper blade 雨刮", "6"],
            ["X", "前风挡玻璃前风挡玻璃前风挡", "1"],
        ]
        lines = [columns(r, [10, 14, 4], ["left", "left", "right"]) for r in rows]
        assert {cell_width(line) for line in lines} == {30}
        assert lines[2].endswith("   1")

    def test_wrap(self):
        from core.textwidth import cell_width, wrap

        lines = wrap("左前大灯总成 headlamp assembly left side", 12)
        assert all(cell_width(line) <= 12 for line in lines)
        assert "".join(lines).replace(" ", "") == "左前大灯总成headlampassemblyleftside"


class TestReceivingRules:
    """decide_line: what a counted line comes to, and who answers for it."""

    def _decide(self, expected, counted, damaged=0, **kwargs):
        from core.receiving_rules import decide_line

        return decide_line(Decimal(expected), None if counted is None else Decimal(counted), Decimal(damaged),
                           **kwargs)

    def test_each_difference(self):
        cases = {
            (10, 10, 0): ("ok", 10, 10, 0),
            (10, 7, 0): ("short", 7, 7, 0),
            (10, 0, 0): ("missing", 0, 0, 0),
            (10, None, 0): ("missing", 0, 0, 0),
            (10, 13, 0): ("over", 13, 10, 3),
            (10, 10, 2): ("damaged", 8, 8, 0),
            (10, 12, 1): ("damaged", 11, 10, 1),
            (0, 3, 0): ("wrong_part", 0, 0, 0),
        }
        for (expected, counted, damaged), want in cases.items():
            got = self._decide(expected, counted, damaged)
            assert (got.difference.value, got.accepted, got.normal, got.surplus) == want, (expected, counted, damaged)

    def test_who_answers(self):
        from core.models import Party

        short = self._decide(10, 7)
        assert [(p, k.value, q) for p, k, q in short.claims] == [(Party.SUPPLIER, "short", 3)]
        in_broken_box = self._decide(10, 7, 1, box_compromised=True)
        assert [(p, k.value, q) for p, k, q in in_broken_box.claims] == [
            (Party.CARRIER, "short", 3), (Party.CARRIER, "damaged", 1)]
        refused = self._decide(5, 5, refused=True)
        assert refused.accepted == 0 and [(p, k.value, q) for p, k, q in refused.claims] == [
            (Party.SUPPLIER, "wrong_part", 5)]
        # An over-delivery stays as a surplus receipt (盈利入库) and is also told to the supplier as 多发.
        over = self._decide(10, 13)
        assert over.surplus == 3 and [(p, k.value, q) for p, k, q in over.claims] == [(Party.SUPPLIER, "over", 3)]


@pytest.mark.parametrize(("text", "doubt"), [
    ("1E9", "1E9 reads as a number with an exponent, not a part number"),
    ("2.5e+3", "2.5E+3 reads as a number with an exponent, not a part number"),
    ("12", "12 is shorter than any part number (4 characters at least)"),
    ("96536697", None), ("5C6 941 005 B", None), ("E100", None), ("ZZ999", None),
])
def test_a_part_number_that_does_not_look_like_one_is_doubted(text, doubt):
    from core.codes import part_no_doubt

    assert part_no_doubt(text) == doubt


def test_a_claim_always_names_its_party():
    from core.receiving_rules import claim_against

    assert claim_against("supplier", "SGM", "Shanghai GM") == "supplier SGM Shanghai GM"
    assert claim_against("carrier", "SF", "SF") == "carrier SF"
    assert claim_against("carrier", "") == "carrier (not named: name it before sending the claim)"
