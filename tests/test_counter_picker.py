"""The counter's repair-order picker (ctrl+t): the orders in work with state, plate and technician; Enter on one
opens it at the counter as if its number were typed, the cursor then in the part field; Escape picks nothing.
Snapshots at 80x24 and 120x36."""

from __future__ import annotations

from textual.widgets import Input
from textual.widgets._footer import FooterKey  # noqa: PLC2701 - the keys the footer shows

from core.roles import Role
from screens.counter import PICK_ORDER, CounterScreen
from screens.ro_search import RepairOrderPicker
from tests.helpers.counter import open_order, order_in
from tests.helpers.tui import SIZE, make_app, settle, sign_in, steady_cursors, until


def _orders(db, staff) -> tuple[str, str]:
    """An order in repair (technician MECH1) and one just taken in; a cancelled one is not in work."""
    in_repair = order_in(db, staff, "in_repair")
    at_intake = open_order(db, staff, plate="沪B77777", vin="LSGKB54H8MV123456", customer="李四 Li Si")
    order_in(db, staff, "cancelled")
    return in_repair, at_intake


def _footer_actions(app) -> list[str]:
    """The actions of the keys the footer shows."""
    return [key.action for key in app.screen.query(FooterKey)]


async def _picker(pilot) -> RepairOrderPicker:
    app = pilot.app
    await sign_in(pilot, Role.STOREKEEPER)
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press(PICK_ORDER)
    await until(pilot, lambda: isinstance(app.screen, RepairOrderPicker) and app.screen.orders, "the orders in work")
    return app.screen


async def test_the_counter_opens_an_order_picked_from_those_in_work(stocked, staff):
    in_repair, at_intake = _orders(stocked, staff)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        picker = await _picker(pilot)
        assert [o.ro_no for o in picker.orders] == [at_intake, in_repair]  # the workshop's order of states
        assert [o.technician for o in picker.orders] == [None, "MECH1"]
        await pilot.press("escape")  # nothing picked: the counter as it was
        await settle(pilot)
        counter = app.screen
        assert isinstance(counter, CounterScreen) and counter.order is None
        await pilot.press(PICK_ORDER)
        await until(pilot, lambda: isinstance(app.screen, RepairOrderPicker) and app.screen.orders, "the picker")
        assert "results" in _footer_actions(app)  # Down, from the field into the list, is in the footer
        await pilot.press("down")
        await until(pilot, lambda: "results" not in _footer_actions(app), "the list's own keys in the footer")
        await pilot.press("down", "enter")  # to the second order
        await until(pilot, lambda: counter.order is not None, "the order opened")
        assert app.screen is counter and counter.order.ro_no == in_repair
        assert app.focused is counter.query_one("#part", Input)


def test_counter_picker_snapshot(snap_compare, size, stocked, staff):
    """The picker over the counter: the orders in work with their state, plate, customer and technician."""
    _orders(stocked, staff)

    async def run_before(pilot):
        await _picker(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
