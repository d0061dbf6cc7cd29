"""The part card's transfer (T) and adjustment (J) dialogs: the highlighted lot's bin filled in, a scanned bin
code typed in, a refusal said in the dialog with nothing changed; snapshots at 80x24 and 120x36."""

from __future__ import annotations

from core.roles import Role
from core.services import transfers
from core.services.stock import part_stock
from screens.adjust_dialog import AdjustDialog
from screens.part import PartScreen
from screens.transfer_dialog import TransferDialog
from screens.transfer_withdraw import WithdrawTransferDialog
from tests.helpers.tui import BRAKE_PADS, burst, make_app, settle, sign_in, until


async def _open_part(pilot, role):
    await sign_in(pilot, role)
    await pilot.press("f2")
    await settle(pilot)
    await burst(pilot, *BRAKE_PADS, "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, PartScreen), "the part's card")


def _message(app) -> str:
    return str(app.screen.query_one(".dialog-message").render())


async def test_a_transfer_is_entered_from_the_card_and_waits_for_its_check(stocked):
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_part(pilot, Role.STOREKEEPER)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TransferDialog), "the transfer dialog")
        # The cursor's lot is the oldest, at EXC-01-02-03: the bin it comes from.
        assert app.screen.query_one("#td-from").value == "EXC-01-02-03"
        await burst(pilot, *"EXC-01-02-04", "enter")  # the destination scanned from its bin label
        await pilot.press(*"99", "enter")
        await until(pilot, lambda: "not enough stock of 96536697" in _message(app), "the refusal")
        assert isinstance(app.screen, TransferDialog)
        field = app.screen.query_one("#td-qty")
        field.value = "2"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the card again")
    with stocked.reading() as uow:
        (entered,) = transfers.list_transfers(uow=uow)
        held = part_stock(BRAKE_PADS, uow=uow)
    assert (entered.state, entered.from_location, entered.to_location, entered.qty) == (
        "entered", "EXC-01-02-03", "EXC-01-02-04", 2)
    assert held.on_hand == 19  # nothing moved before the check


async def test_the_one_who_entered_a_transfer_withdraws_it_from_the_card_and_nothing_moves(stocked, staff):
    with stocked.writing() as uow:
        entered = transfers.create_transfer(BRAKE_PADS, "1", from_location="EXC-01-02-03", to_location="EXC-01-02-04",
                                            actor=staff[Role.STOREKEEPER], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_part(pilot, Role.STOREKEEPER)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WithdrawTransferDialog), "the withdraw dialog")
        await pilot.press("enter")  # the highlighted note: the only one
        await until(pilot, lambda: type(app.screen).__name__ == "YesNoDialog", "the question")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the card again")
        await until(pilot, lambda: any(f"{entered.number} withdrawn" in n.message for n in app._notifications),
                    "the notification")
        # Nothing else of his waits now: the key says so and opens nothing.
        await pilot.press("w")
        await until(pilot, lambda: any("No transfer note of yours" in n.message for n in app._notifications),
                    "the refusal")
        assert isinstance(app.screen, PartScreen)
    with stocked.reading() as uow:
        assert transfers.show_transfer(entered.number, uow=uow).state == "cancelled"
        assert part_stock(BRAKE_PADS, uow=uow).on_hand == 19


async def test_a_write_off_above_the_limit_waits_and_a_free_text_reason_is_refused(stocked, staff):
    from core.services import settings

    with stocked.writing() as uow:
        settings.set_setting("adjust_value_limit", "300", actor=staff[Role.ADMIN], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_part(pilot, Role.PARTS_MANAGER)
        assert app.screen.check_action("transfer", ()) is False  # the storekeeper enters transfers
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, AdjustDialog), "the adjustment dialog")
        await pilot.press(*"-2", "enter", *"broken", "enter", "enter")
        await until(pilot, lambda: "unknown reason 'broken'" in _message(app), "the refusal")
        app.screen.query_one("#ad-reason").value = "damaged"
        app.screen.query_one("#ad-note").focus()
        await pilot.press(*"dropped", "enter")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the card again")
    with stocked.reading() as uow:
        from core.services.adjustments import pending_adjustments

        (pending,) = pending_adjustments(uow=uow)
        held = part_stock(BRAKE_PADS, uow=uow)
    assert (pending.qty, pending.reason, pending.note, pending.location) == (-2, "damaged", "dropped", "EXC-01-02-03")
    assert held.on_hand == 19


def test_transfer_dialog(snap_compare, size, stocked):
    """The transfer dialog from the brake pads' card, the oldest lot's bin filled in."""

    async def run_before(pilot):
        await _open_part(pilot, Role.STOREKEEPER)
        await pilot.press("t")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_adjust_dialog(snap_compare, size, stocked):
    """The adjustment dialog with the reasons listed."""

    async def run_before(pilot):
        await _open_part(pilot, Role.PARTS_MANAGER)
        await pilot.press("j")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)
