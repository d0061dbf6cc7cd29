"""The intake screen and form as an advisor uses them: validation errors where the field is, a car taken in,
and the order followed to settlement by keys that appear only when the move is allowed."""

from __future__ import annotations

from textual.widgets import Checkbox, DataTable, Input

from core.roles import Role
from core.services import operators, repair_orders
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.intake_form import RepairOrderForm
from screens.widgets.dialogs import ConfirmDialog, TextDialog
from tests.helpers import PIN
from tests.helpers.counter import VIN, open_order, order_in, tables_now
from tests.helpers.tui import SIZE, make_app, screen_text, settle, sign_in


async def open_intake(pilot, role: Role = Role.ADVISOR) -> IntakeScreen:
    """Sign in and press F4."""
    await sign_in(pilot, role)
    await pilot.press("f4")
    await settle(pilot)
    assert isinstance(pilot.app.screen, IntakeScreen)
    return pilot.app.screen


def footer(app) -> str:
    """The footer line: the keys that work now."""
    return screen_text(app).splitlines()[-1]


def order(database, ro: str):
    with database.reading() as uow:
        return repair_orders.get_repair_order(ro, uow=uow)


async def type_field(pilot, key: str, text: str) -> None:
    """Put the cursor in a field of the form and type, as the advisor would."""
    form = pilot.app.screen
    form.set_focus(form.query_one(f"#field-{key}", Input))
    await pilot.pause()
    await pilot.press(*text)


async def test_field_errors_show_where_the_field_is(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_intake(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RepairOrderForm)
        await type_field(pilot, "vin", "lsgpc52u6af10234o")
        await pilot.press("tab")  # leaving the field checks it
        await settle(pilot)
        assert "VIN LSGPC52U6AF10234O holds O: a VIN never uses I, O or Q" in screen_text(app)
        assert form.query_one("#field-vin", Input).has_class("invalid")
        await type_field(pilot, "mileage", "lots")
        await pilot.press("tab")
        await settle(pilot)
        assert "mileage 'lots' is not a whole number of kilometres" in screen_text(app)
        await pilot.press("f9")  # every field checked: nothing is opened
        await settle(pilot)
        text = screen_text(app)
        assert "fields need attention: the repair order is not opened yet" in text
        assert "the customer's name is empty" in text and "the complaint is empty" in text
        assert app.focused is form.query_one("#field-customer", Input)
        # Putting the VIN right clears its error.
        form.query_one("#field-vin", Input).value = ""
        await type_field(pilot, "vin", "lsgpc52u6af102345")
        await pilot.press("tab")
        await settle(pilot)
        assert "never uses I, O or Q" not in screen_text(app)
        assert form.query_one("#field-vin", Input).value == VIN  # tidied as it will be kept
    assert tables_now(db)["repair_order"] == []


async def test_a_car_taken_in_from_the_keyboard(db, staff, clock):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        board = await open_intake(pilot)
        assert "no repair orders here: ctrl+n takes a car in" in screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        for key, text in [("customer", "王五"), ("phone", "13912345678"), ("vin", "LSGJA52U7BH123456"),
                          ("plate", "沪b67890"), ("series", "cruze"), ("mileage", "12,000"),
                          ("complaint", "保养 service and brake noise"), ("inspection", "rear bumper scratched")]:
            await type_field(pilot, key, text)
        form.set_focus(form.query_one("#check-spare_wheel", Checkbox))
        await pilot.press("space", "tab", "tab", "space")  # spare wheel and tool kit present
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is board
        assert "RO-2026-000001 opened at intake" in screen_text(app)
        assert board.query_one("#orders", DataTable).row_count == 1
        assert "沪B67890" in screen_text(app) and "王五" in screen_text(app)
    view = order(db, "RO-2026-000001")
    assert (view.customer_name, view.plate, view.series, view.mileage, view.advisor.code) == (
        "王五", "沪B67890", "CRUZE", 12000, "ADV1")
    assert view.inspection == "rear bumper scratched"
    assert {k for k, present in view.checklist.items() if present} == {"spare_wheel", "tool_kit"}
    assert len(view.checklist) == 10  # every item recorded, present or not


async def test_following_the_order_to_settlement_by_keys(db, staff, clock):
    ro = open_order(db, staff)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_intake(pilot)
        keys = footer(app)
        assert "a Tech" in keys and "d Diagnose" in keys and "x Cancel" in keys
        assert "v Deliver" not in keys and "s Settle" not in keys and "w Warranty" not in keys

        async def answer(key: str, text: str) -> None:
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, TextDialog)
            await pilot.press(*text, "enter")
            await settle(pilot)

        await answer("a", "MECH1")
        await pilot.press("d")
        await settle(pilot)
        assert order(db, ro).state == "diagnosing"
        await answer("n", "pads worn to the backing plate")
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("space", "tab", *"within 3 years", "enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await answer("o", "精修车间")
        assert order(db, ro).outside_repairer == "精修车间"
        await pilot.press("r")  # back from outside
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await answer("y", "road test ok")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press(*"very happy", "enter")
        await settle(pilot)
        assert order(db, ro).state == "delivered"
        assert "s Settle" in footer(app) and "x Cancel" not in footer(app)
        await pilot.press("s", "enter")
        await settle(pilot)
        assert "结算单" in screen_text(app)  # the settlement slip offered in the print preview
        await pilot.press("escape")
        await settle(pilot)
        assert f"{ro} settled" in screen_text(app)
        assert app.screen.query_one("#orders", DataTable).row_count == 0  # settled orders leave the board
    view = order(db, ro)
    assert view.state == "settled" and view.technician.code == "MECH1" and view.warranty == "in"
    assert view.back_at is not None and view.reinspection == "road test ok"
    assert [e.to_state for e in view.events if e.kind == "state"] == [
        "diagnosing", "in_repair", "sent_out", "in_repair", "reinspection", "ready", "delivered", "settled"]
    assert [n.text for n in view.notes] == ["pads worn to the backing plate"]


async def test_a_refused_move_is_said_and_changes_nothing(db, staff):
    ro = open_order(db, staff)
    before = tables_now(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_intake(pilot)
        await pilot.press("d")  # no technician yet
        await settle(pilot)
        assert f"{ro} has no technician: assign one before diagnosis" in screen_text(app)
    assert tables_now(db) == before


async def test_the_board_lists_open_orders_by_state_and_filters(db, staff):
    first = order_in(db, staff, "in_repair")
    second = open_order(db, staff)
    order_in(db, staff, "settled")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        board = await open_intake(pilot)
        table = board.query_one("#orders", DataTable)
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [second, first]
        assert board.order.ro_no == second  # the card follows the cursor
        await pilot.press("down")
        await settle(pilot)
        assert board.order.ro_no == first and "MECH1" in screen_text(app)
        await pilot.press("t")  # intake only
        await settle(pilot)
        assert "Repair orders: intake" in screen_text(app)
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [second]


async def test_a_mechanic_keeps_his_record_but_opens_no_orders(db, staff):
    ro = order_in(db, staff, "diagnosing")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_intake(pilot, Role.MECHANIC)
        keys = footer(app)
        assert "n Note" in keys and "^n New" not in keys and "a Tech" not in keys
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"replaced pads", "enter")
        await settle(pilot)
    assert [n.text for n in order(db, ro).notes] == ["replaced pads"]


async def test_the_storekeeper_has_no_intake(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        assert "Repair orders" not in screen_text(app)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_escape_on_a_half_filled_form_asks_and_leaving_opens_nothing(db, staff):
    from screens.widgets.leaving import LeaveQuestion

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_intake(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        await type_field(pilot, "customer", "王五")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LeaveQuestion)
        assert "the intake form has 1 field filled" in screen_text(app)
        await pilot.press("escape")  # no: back in the form, nothing lost
        await settle(pilot)
        assert app.screen is form and form.query_one("#field-customer", Input).value == "王五"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # yes: the form goes, and no order with it
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("ctrl+n")  # an empty form leaves without a question
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
    assert tables_now(db)["repair_order"] == []


async def test_a_mechanic_works_only_the_orders_assigned_to_him(db, staff):
    ro = order_in(db, staff, "in_repair")  # assigned to MECH1
    with db.writing() as uow:
        operators.add_operator("MECH2", "Wu Bin", ["mechanic"], PIN, actor=staff[Role.ADMIN], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"MECH2", "enter", *PIN, "enter")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        board = app.screen
        assert isinstance(board, IntakeScreen) and board.order.ro_no == ro
        keys = footer(app)
        assert "n Note" not in keys and "i Re-inspect" not in keys and "o Send out" not in keys
        assert not board.check_action("note", ()) and not board.check_action("move", ("reinspection",))
        await pilot.press("n", "i")  # no dialog, no move: the keys are not his on this order
        await settle(pilot)
        assert app.screen is board
    assert order(db, ro).notes == () and order(db, ro).state == "in_repair"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:  # the order's own technician
        board = await open_intake(pilot, Role.MECHANIC)
        keys = footer(app)
        assert "n Note" in keys and "i Re-inspect" in keys and "o Send out" in keys
        await pilot.press("i")
        await settle(pilot)
    assert order(db, ro).state == "reinspection"


def highlighted(board: IntakeScreen) -> str:
    """The repair order under the board's cursor."""
    table = board.query_one("#orders", DataTable)
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


async def test_after_a_dialog_the_highlighted_order_stays_the_subject(db, staff):
    numbers = [open_order(db, staff) for _ in range(3)]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        board = await open_intake(pilot)
        await pilot.press("down")
        await settle(pilot)
        second = highlighted(board)
        assert second in numbers and board.order.ro_no == second
        for key, text in [("n", "pads worn"), ("a", "MECH1")]:
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, TextDialog) and second in screen_text(app)
            await pilot.press(*text, "enter")
            await settle(pilot)
            assert app.screen is board
            # The highlight, the card and the next key's document are one and the same.
            assert highlighted(board) == second and board.order.ro_no == second
            assert board.query_one("#order-card").render().plain.startswith(second)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog) and f"{second}: cancel the repair order" in screen_text(app)
        # What cancelling does is said before the Enter that does it; Escape keeps the order.
        assert f"{second} of 张三 Zhang San (沪A12345) is cancelled for good" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is board and highlighted(board) == second
    assert order(db, second).state == "intake"
    assert [n.text for n in order(db, second).notes] == ["pads worn"]
    assert order(db, second).technician.code == "MECH1"


async def test_a_new_order_is_selected(db, staff):
    for _ in range(2):
        open_order(db, staff)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        board = await open_intake(pilot)
        await pilot.press("down")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        for key, text in [("customer", "王五"), ("phone", "13912345678"), ("vin", "LSGJA52U7BH123456"),
                          ("plate", "沪b67890"), ("series", "cruze"), ("mileage", "12000"), ("complaint", "noise")]:
            await type_field(pilot, key, text)
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is board
        assert highlighted(board) == "RO-2026-000003" == board.order.ro_no


async def test_the_footer_offers_warranty_only_where_it_may_be_decided(db, staff):
    for state in ("intake", "diagnosing", "ready"):
        order_in(db, staff, state)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        board = await open_intake(pilot)
        table = board.query_one("#orders", DataTable)
        seen = {}
        for _row in range(table.row_count):
            await settle(pilot)
            seen[board.order.state] = ("w Warranty" in footer(app), board.check_action("warranty", ()))
            await pilot.press("down")
        assert seen == {"intake": (False, False), "diagnosing": (True, True), "ready": (False, False)}
