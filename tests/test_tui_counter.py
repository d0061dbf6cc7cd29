"""The counter screen driven as a storekeeper with a scanner drives it: bursts of scans, the mechanic's PIN,
shortages, returns and printing — asserted on the screen and in the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input, Static

from core.roles import Role
from core.services import operators, repair_orders, requisitions, stock
from screens.counter import CounterScreen
from screens.home import HomeScreen
from screens.print_preview import PrintPreviewScreen
from screens.widgets.decision import DecisionDialog
from screens.widgets.dialogs import SignDialog, YesNoDialog
from screens.widgets.return_dialog import ReturnDialog
from screens.widgets.shortage import ShortageDialog
from tests.helpers import PIN, assert_books_agree
from tests.helpers.counter import issue, order_in, tables_now
from tests.helpers.tui import BRAKE_PADS, SIZE, burst, make_app, screen_text, settle, sign_in, stock_samples, until

FILTER = "96800106"


@pytest.fixture
def stocked(db, staff, clock):
    """The sample parts, three lots of brake pads (19 on hand) and a repair order in repair, assigned to MECH1."""
    stock_samples(db, staff, clock)
    return db


@pytest.fixture
def ro(stocked, staff):
    return order_in(stocked, staff, "in_repair")


async def open_counter(pilot, ro: str | None = None) -> CounterScreen:
    """Sign in as the storekeeper, press F3 and scan the repair order's label."""
    await sign_in(pilot)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CounterScreen)
    if ro:
        await burst(pilot, *ro, "enter")
    return screen


async def signed(pilot, pin: str = "1234") -> None:
    """Type the PIN and Enter in a signature dialog, then wait until what it starts has come to rest: the
    refusal in the dialog, or the dialog closed and the next screen up (a slip preview with its slip read and
    drawn, the shortage)."""
    await burst(pilot, *pin, "enter")

    def at_rest() -> bool:
        screen = pilot.app.screen
        if isinstance(screen, SignDialog):
            return screen.query_one(".dialog-message").has_class("error")
        if isinstance(screen, PrintPreviewScreen):
            return bool(screen.text)  # its worker has read the slip (the preview draws it in the same call)
        return not isinstance(screen, (CounterScreen, ReturnDialog))

    await until(pilot, at_rest, "the signature's outcome")


def lines(screen: CounterScreen) -> list[tuple[str, str]]:
    """The lines table as (part number, quantity), top to bottom."""
    table = screen.query_one("#lines", DataTable)
    return [(table.get_row_at(i)[1].plain, table.get_row_at(i)[5].plain) for i in range(table.row_count)]


def scans(part_no: str, times: int) -> list[str]:
    keys: list[str] = []
    for _ in range(times):
        keys += [*part_no, "enter"]
    return keys


async def test_ten_fast_scans_of_one_part_are_ten_on_one_line(stocked, ro):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        assert screen.order is not None and screen.order.ro_no == ro
        assert app.focused is screen.query_one("#part", Input)
        await burst(pilot, *scans(BRAKE_PADS, 10))
        assert lines(screen) == [(BRAKE_PADS, "10")]
        await burst(pilot, *scans(FILTER, 1))
        await burst(pilot, *scans(BRAKE_PADS, 1))  # a rescan adds to its line, never a second one
        assert lines(screen) == [(BRAKE_PADS, "11"), (FILTER, "1")]
        text = screen_text(app)
        assert "前刹车片" in text and "EXC-01-02-03" in text
        assert "short 1" in text  # no oil filters on hand: the line says so before anyone signs


async def test_the_order_and_its_parts_in_one_burst(stocked, ro):
    # The order's label and the parts scanned right behind it, before the order has even been read.
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot)
        await burst(pilot, *ro, "enter", *scans(BRAKE_PADS, 3), *BRAKE_PADS, "*", "2", "enter")
        assert screen.order.ro_no == ro
        assert lines(screen) == [(BRAKE_PADS, "5")]
        assert screen.query_one("#ro", Input).value == ro


async def test_issue_signed_by_the_mechanic_takes_the_oldest_lots(stocked, staff, ro):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await burst(pilot, *scans(BRAKE_PADS, 4))
        await pilot.press("f9")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SignDialog)
        assert dialog.query_one("#sign-code", Input).value == "MECH1"  # the order's technician, prefilled
        assert app.focused is dialog.query_one("#sign-pin", Input)
        await signed(pilot)
        assert isinstance(app.screen, PrintPreviewScreen)  # the slip to print and sign
        slip = screen_text(app)
        assert "领料单  REQUISITION" in slip and "Requisition 领料单: REQ-2026-000001" in slip
        assert "EXC-01-02-03" in slip
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and lines(screen) == []
        assert "REQ-2026-000001 issued to MECH1, signed by both" in screen_text(app)
        assert "REQ-2026-000001" in screen_text(app)  # in the order's documents
    with stocked.reading() as uow:
        view = requisitions.get_requisition("REQ-2026-000001", uow=uow)
    # The oldest lot (1 Nov, 250.00: 3 left after the count difference) first, then 8 Nov at 260.00.
    assert [(t.qty, t.unit_cost) for t in view.lines[0].takes] == [(3, Decimal("250.00")), (1, Decimal("260.00"))]
    assert (view.storekeeper.code, view.mechanic.code) == ("STORE1", "MECH1")
    assert_books_agree(stocked)


async def test_a_wrong_pin_is_refused_in_the_dialog_and_nothing_is_issued(stocked, ro):
    app = make_app(stocked)
    before = tables_now(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await burst(pilot, *scans(BRAKE_PADS, 2))
        await pilot.press("f9")
        await settle(pilot)
        await signed(pilot, "9999")
        dialog = app.screen
        assert isinstance(dialog, SignDialog)
        assert "not accepted" in screen_text(app)
        assert dialog.query_one("#sign-pin", Input).value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and lines(screen) == [(BRAKE_PADS, "2")]  # the lines wait
    assert tables_now(stocked) == before


async def test_the_storekeeper_cannot_sign_as_the_mechanic(stocked, ro):
    app = make_app(stocked)
    before = tables_now(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_counter(pilot, ro)
        await burst(pilot, *scans(BRAKE_PADS, 1))
        await pilot.press("f9")
        await settle(pilot)
        code = app.screen.query_one("#sign-code", Input)
        code.value = "STORE1"
        app.screen.set_focus(app.screen.query_one("#sign-pin", Input))
        await signed(pilot)
        assert isinstance(app.screen, SignDialog)
        assert "STORE1 may not issue to himself" in screen_text(app)
    assert tables_now(stocked) == before


async def test_a_short_line_offers_the_shortage_and_issues_what_is_on_hand(stocked, staff, ro):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await burst(pilot, *BRAKE_PADS, "*", "2", "5", "enter")  # 25 asked, 19 on hand
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ShortageDialog)
        text = screen_text(app)
        assert "Not enough stock: nothing was issued" in text and "Register shortage" in text
        row = app.screen.query_one("#shortages", DataTable).get_row_at(0)
        assert [cell.plain for cell in row] == [BRAKE_PADS, "Front brake pad set", "25", "19", "6"]
        await pilot.press("ctrl+t")  # issue what is on hand (trim)
        await settle(pilot)
        assert app.screen is screen and lines(screen) == [(BRAKE_PADS, "19")]
        await pilot.press("f9")
        await settle(pilot)
        await signed(pilot)
        assert isinstance(app.screen, PrintPreviewScreen)
    with stocked.reading() as uow:
        assert stock.part_stock(BRAKE_PADS, uow=uow).on_hand == 0


async def test_a_shortage_is_registered_with_the_advisors_signature(stocked, staff, ro):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_counter(pilot, ro)
        await burst(pilot, *scans(FILTER, 2))
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("f9")  # register: the advisor signs
        await settle(pilot)
        assert isinstance(app.screen, SignDialog)
        await burst(pilot, *"ADV1", "enter")
        await signed(pilot)
        assert isinstance(app.screen, ShortageDialog)
        assert "registered SHT-2026-000001" in screen_text(app)
    from core.services.shortages import list_shortages

    with stocked.reading() as uow:
        logged = list_shortages(uow=uow)
    assert [(s.part_no, s.qty, s.ro, s.logged_by) for s in logged] == [(FILTER, 2, ro, "ADV1")]


async def test_unknown_part_and_unknown_order_are_said_on_the_screen(stocked, ro):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, "RO-2026-000404")
        assert "unknown repair order RO-2026-000404" in screen_text(app)
        assert screen.order is None and app.focused is screen.query_one("#ro", Input)
        assert "Issue" not in screen_text(app).splitlines()[-1]  # no order, no issue key
        await burst(pilot, *ro, "enter", *"NOSUCH", "enter")
        assert lines(screen) == []
        assert "unknown part number NOSUCH: not added" in screen_text(app)


async def test_a_closed_order_takes_no_issue(stocked, staff):
    ro = order_in(stocked, staff, "cancelled")
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await burst(pilot, *scans(BRAKE_PADS, 1))
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is screen
        assert f"{ro} is cancelled: no issue against it" in screen_text(app)
        assert "f9 Issue" not in screen_text(app)


async def test_parts_come_back_by_scan_and_show_on_the_requisition(stocked, staff, ro, tmp_path, monkeypatch):
    req = issue(stocked, staff, ro, (BRAKE_PADS, "4"))
    app = make_app(stocked)
    app.print_folder = tmp_path / "slips"
    async with app.run_test(size=SIZE) as pilot:
        await open_counter(pilot, ro)
        await pilot.press("ctrl+r")  # the requisition is under the cursor
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReturnDialog)
        assert "issued to MECH1" in screen_text(app)
        await burst(pilot, *scans(BRAKE_PADS, 2))
        table = dialog.query_one("#return-lines", DataTable)
        assert [c.plain for c in table.get_row_at(0)][2:6] == ["4", "0", "4", "2"]
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog) and "intact (完好无损)?" in screen_text(app)
        await pilot.press("enter")  # intact
        await settle(pilot)
        assert isinstance(app.screen, SignDialog)
        await signed(pilot)
        preview = app.screen
        assert isinstance(preview, PrintPreviewScreen) and preview.number == req.number  # negative lines on it
        assert "RET-2026-000001 退料" in preview.text
        await pilot.press("f10")  # the print key prints the preview (no printer command: the file only)
        await settle(pilot)
        assert (tmp_path / "slips" / f"{req.number}.txt").read_text(encoding="utf-8") == preview.text
        assert "written to" in screen_text(app)
    with stocked.reading() as uow:
        assert requisitions.outstanding(req.number, uow=uow)[0].returned == 2
    assert_books_agree(stocked)


async def test_a_damaged_part_is_refused_and_its_damage_reported_on_the_order(stocked, staff, ro):
    """维修工退料，库房管理员要先确认备件完好无损…方可电脑退料: a part the storekeeper does not confirm intact is
    refused with a visible line, nothing comes back, and the damage report is offered and recorded."""
    req = issue(stocked, staff, ro, (BRAKE_PADS, "2"))
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_counter(pilot, ro)
        await pilot.press("ctrl+r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReturnDialog)
        await burst(pilot, *scans(BRAKE_PADS, 1))
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        before = tables_now(stocked)
        await pilot.press("escape")  # not intact: damaged
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog), "the damage report offered")
        message = dialog.query_one(".dialog-message", Static)
        assert str(message.render()).startswith(f"{BRAKE_PADS} is damaged: only a part confirmed intact comes back")
        assert message.has_class("error") and f"stays consumed on {ro}" in screen_text(app)
        await burst(pilot, *"bent", "enter")
        await until(pilot, lambda: app.screen is dialog, "back in the return dialog")
        await until(pilot, lambda: "damage reported" in str(message.render()), "the report said")
        table = dialog.query_one("#return-lines", DataTable)
        assert [c.plain for c in table.get_row_at(0)][5:7] == ["", "damaged: refused"]
    after = tables_now(stocked)
    assert {k: v for k, v in after.items() if k != "damage_report"} == {
        k: v for k, v in before.items() if k != "damage_report"}  # no stock moved, no return slip
    with stocked.reading() as uow:
        assert requisitions.outstanding(req.number, uow=uow)[0].returned == 0
        view = repair_orders.get_repair_order(ro, uow=uow)
    assert [(d.part_no, d.note, d.by.code) for d in view.damage_reports] == [(BRAKE_PADS, "bent", "STORE1")]


async def test_after_settlement_a_return_prints_on_its_own_slip(stocked, staff):
    ro = order_in(stocked, staff, "ready")
    req = issue(stocked, staff, ro, (BRAKE_PADS, "2"))
    for state, extra in (("delivered", {"customer_confirmed": True}), ("settled", {})):
        with stocked.writing() as uow:
            repair_orders.change_state(ro, state, actor=staff[Role.ADVISOR], uow=uow, **extra)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_counter(pilot, ro)
        assert f"{ro} is settled: no issue against it; parts can still come back (ctrl+r)" in screen_text(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await burst(pilot, *scans(BRAKE_PADS, 1))
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, YesNoDialog), "the intact question")
        await pilot.press("enter")  # intact
        await until(pilot, lambda: isinstance(app.screen, SignDialog), "the signature")
        await signed(pilot)
        assert isinstance(app.screen, PrintPreviewScreen) and app.screen.number == "RET-2026-000001"
        assert "退料单  RETURN SLIP" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "return slip 退料单" in screen_text(app)
    with stocked.reading() as uow:
        assert requisitions.get_requisition(req.number, uow=uow).return_slips == ("RET-2026-000001",)


async def test_the_counter_is_the_storekeepers(stocked, staff):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        assert "Counter" not in screen_text(app)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_the_mechanic_offered_to_sign_is_the_technician_never_the_storekeeper(stocked, staff):
    with stocked.writing() as uow:
        operators.add_operator("SKM1", "storekeeper and mechanic", ["storekeeper", "mechanic"], PIN,
                               actor=staff[Role.ADMIN], uow=uow)
    theirs = order_in(stocked, staff, "in_repair")  # MECH1 repairs it
    own = order_in(stocked, staff, "in_repair")
    with stocked.writing() as uow:
        repair_orders.assign_technician(own, "SKM1", actor=staff[Role.ADVISOR], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"SKM1", "enter", *PIN, "enter")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        offered = {}
        for ro in (theirs, own):
            screen.focus_order()
            await burst(pilot, *ro, "enter", *scans(BRAKE_PADS, 1))
            await pilot.press("f9")
            await settle(pilot)
            assert isinstance(app.screen, SignDialog)
            offered[ro] = app.screen.query_one("#sign-code", Input).value
            await pilot.press("escape")
            await settle(pilot)
    # His own order: the storekeeper never signs as its mechanic, so nobody is offered (出入分离).
    assert offered == {theirs: "MECH1", own: ""}


async def test_the_lines_of_an_order_survive_sign_out_and_come_back(stocked, ro):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await open_counter(pilot, ro)
        await burst(pilot, *scans(BRAKE_PADS, 2), *scans(FILTER, 1))
        await pilot.press("f12")  # kept for the order: signing out asks nothing
        await settle(pilot)
        assert app.actor is None
    again = make_app(stocked)  # the desk started again (or another terminal)
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await settle(pilot)
        assert lines(screen) == [(BRAKE_PADS, "2"), (FILTER, "1")]
        assert f"2 lines scanned before for {ro} are back: not issued yet" in screen_text(again)
        await burst(pilot, *scans(BRAKE_PADS, 1))
        assert lines(screen) == [(BRAKE_PADS, "3"), (FILTER, "1")]
        await pilot.press("escape")  # kept: leaving asks nothing
        await settle(pilot)
        assert isinstance(again.screen, HomeScreen)
    third = make_app(stocked)
    async with third.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await settle(pilot)
        assert lines(screen) == [(BRAKE_PADS, "3"), (FILTER, "1")]
    assert tables_now(stocked)["requisition"] == []


async def test_issuing_drops_the_kept_lines(stocked, ro):
    from core.services.work_in_progress import load_work

    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await burst(pilot, *scans(BRAKE_PADS, 2))
        await pilot.press("f9")
        await settle(pilot)
        await signed(pilot)
        await settle(pilot)
        assert screen.draft == {}
        actor = app.actor
    with stocked.reading() as uow:
        assert load_work("counter", ro, actor=actor, uow=uow) is None


async def test_leaving_the_counter_with_lines_and_no_order_asks_first(stocked):
    from screens.widgets.leaving import LeaveQuestion

    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot)
        screen.set_focus(screen.query_one("#part", Input))
        await burst(pilot, *scans(BRAKE_PADS, 2))
        assert lines(screen) == [(BRAKE_PADS, "2")]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LeaveQuestion)
        assert "1 line scanned with no repair order open: it is not kept" in screen_text(app)
        await pilot.press("escape")  # no: the lines stay
        await settle(pilot)
        assert app.screen is screen and lines(screen) == [(BRAKE_PADS, "2")]
        await pilot.press("f12")  # signing out asks too
        await settle(pilot)
        assert isinstance(app.screen, LeaveQuestion) and app.actor is not None
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+q")  # and quitting
        await settle(pilot)
        assert isinstance(app.screen, LeaveQuestion) and app.is_running
        await pilot.press("ctrl+q")  # a second quit key while asked is no answer
        await settle(pilot)
        assert isinstance(app.screen, LeaveQuestion) and app.is_running
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # yes: home, the lines dropped (nothing left the shelf)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f12")  # nothing unsaved now: signing out asks nothing
        await settle(pilot)
        assert app.actor is None
    assert tables_now(stocked)["requisition"] == []


async def test_a_new_document_is_the_selected_one(stocked, staff, ro):
    first = issue(stocked, staff, ro, (BRAKE_PADS, "1")).number
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await settle(pilot)
        assert screen._selected_document() == first
        await burst(pilot, *scans(BRAKE_PADS, 2))
        await pilot.press("f9")
        await settle(pilot)
        await signed(pilot)
        await pilot.press("escape")  # the slip's preview
        await settle(pilot)
        assert app.screen is screen
        documents = screen.query_one("#documents", DataTable)
        assert documents.row_count == 2
        # The requisition just issued is under the cursor: print and take back act on it.
        assert screen._selected_document() == "REQ-2026-000002" != first
        assert documents.get_row_at(documents.cursor_row)[0].plain == "REQ-2026-000002"


async def test_after_a_quantity_dialog_the_line_stays_the_subject(stocked, ro):
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_counter(pilot, ro)
        await burst(pilot, *scans(BRAKE_PADS, 1), *scans(FILTER, 1))
        await settle(pilot)
        table = screen.query_one("#lines", DataTable)
        screen.set_focus(table)
        table.move_cursor(row=0)
        await settle(pilot)
        await pilot.press("enter")  # the quantity of the brake pads' line
        await settle(pilot)
        assert BRAKE_PADS in screen_text(app)
        await pilot.press("ctrl+u", "3", "enter")
        await settle(pilot)
        assert app.screen is screen and lines(screen) == [(BRAKE_PADS, "3"), (FILTER, "1")]
        assert table.current_key == BRAKE_PADS and table.cursor_row == 0
        await pilot.press("plus")  # the next key acts on the same line
        await settle(pilot)
        assert lines(screen) == [(BRAKE_PADS, "4"), (FILTER, "1")]
