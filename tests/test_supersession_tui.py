"""Supersession and parts from a new vehicle in the TUI: the lookup marks a superseded number with its newest one,
the part card says the new number and what is left of the old, the supersede dialog (s on the card) and the
vehicle dialog (ctrl+t on the lookup and on receiving) book or refuse; snapshots at 80x24 and 120x36.

Update the snapshots with `pytest tests/test_supersession_tui.py --snapshot-update` only after looking at them.
"""

from __future__ import annotations

from textual.widgets import Static

from core.roles import Role
from core.services import catalog, supersession, vehicles
from screens.part import PartScreen
from screens.supersede_dialog import SupersedeDialog
from screens.vehicle import VehicleDialog
from tests.helpers.tui import (
    BRAKE_PADS,
    SIZE,
    make_app,
    screen_text,
    settle,
    sign_in,
    steady_cursors,
    stock_samples,
    until,
)

NEW_PADS = "96536697A"
VIN = "LSGJA52U5CH123456"


def _station(db, staff, clock, *, superseded: bool = True):
    stock_samples(db, staff, clock)
    with db.writing() as uow:
        catalog.add_part(NEW_PADS, "Front brake pad set, new", name_zh="前刹车片(新)", model_series="EXCELLE",
                         price="300", location="EXC-01-02-03", actor=staff[Role.PLANNER], uow=uow)
    if superseded:
        with db.writing() as uow:
            supersession.supersede(BRAKE_PADS, [NEW_PADS], effective_on="2026-11-01", actor=staff[Role.PLANNER],
                                   uow=uow)
    return db


async def _open_part(pilot, role: Role, part_no: str = BRAKE_PADS) -> PartScreen:
    await sign_in(pilot, role)
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press(*part_no, "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, PartScreen), "the part card")
    await until(pilot, lambda: pilot.app.screen.query_one("#part-supersession", Static).display
                or part_no == NEW_PADS, "the supersession line")
    return pilot.app.screen


async def test_lookup_marks_the_old_number_and_the_card_says_what_is_left(db, staff, clock):
    app = make_app(_station(db, staff, clock))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f2")
        await pilot.press(*"9653669")
        await until(pilot, lambda: "→ 96536697A" in screen_text(app), "the newest number in the results")
        await pilot.press("backspace", *"97", "enter")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the part card")
        await until(pilot, lambda: app.screen.query_one("#part-supersession", Static).display, "the line")
        assert "Superseded by 96536697A: order and issue 96536697A (0); left of this number 19" in screen_text(app)


async def test_a_kits_old_number_shows_every_kit_part(db, staff, clock):
    _station(db, staff, clock, superseded=False)
    with db.writing() as uow:
        for kit in ("96536697K1", "96536697K2"):
            catalog.add_part(kit, f"Kit part {kit}", model_series="EXCELLE", price="150", location="EXC-01-02-03",
                             actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        supersession.supersede(BRAKE_PADS, ["96536697K1", "96536697K2"], actor=staff[Role.PLANNER], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f2")
        await pilot.press(*BRAKE_PADS)
        await until(pilot, lambda: "→ 96536697K1 96536697K2" in screen_text(app), "both kit parts in the results")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the part card")
        await until(pilot, lambda: app.screen.query_one("#part-supersession", Static).display, "the line")
        assert "order and issue 96536697K1 (0), 96536697K2 (0)" in screen_text(app)


async def test_supersede_from_the_card_and_a_cycle_refused(db, staff, clock):
    app = make_app(_station(db, staff, clock, superseded=False))
    async with app.run_test(size=SIZE) as pilot:
        card = await _open_part(pilot, Role.PLANNER, NEW_PADS)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SupersedeDialog), "the dialog")
        await pilot.press(*BRAKE_PADS, "f9")
        await until(pilot, lambda: app.screen is card, "the card again")
        await until(pilot, lambda: card.query_one("#part-supersession", Static).display, "the line")
        assert f"Superseded by {BRAKE_PADS}" in screen_text(app)
    # The other way round would be a chain back on itself: refused in the dialog, nothing changed.
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _open_part(pilot, Role.PLANNER, BRAKE_PADS)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SupersedeDialog), "the dialog")
        await pilot.press(*NEW_PADS, "f9")
        await until(pilot, lambda: "comes back to where it" in screen_text(app), "the refusal")
        assert isinstance(app.screen, SupersedeDialog)
    with db.reading() as uow:
        assert supersession.supersession_of(BRAKE_PADS, uow=uow).superseded_by == ()


async def test_the_storekeeper_may_not_supersede(db, staff, clock):
    app = make_app(_station(db, staff, clock))
    async with app.run_test(size=SIZE) as pilot:
        await _open_part(pilot, Role.STOREKEEPER)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, PartScreen)


async def test_vehicle_take_from_the_lookup_and_a_bad_vin_refused(db, staff, clock):
    app = make_app(_station(db, staff, clock))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, VehicleDialog), "the vehicle dialog")
        await pilot.press(*"LSGJA52U5CH12345O", "enter", *f"{BRAKE_PADS}:2", "enter", *"EXC-01-02-03", "enter")
        await until(pilot, lambda: "never uses I, O or Q" in screen_text(app), "the refusal")
        with db.reading() as uow:
            assert vehicles.taken_off(uow=uow) == []
        vin = app.screen.query_one("#vehicle-vin")
        vin.value = VIN
        await pilot.press("f9")
        await until(pilot, lambda: not isinstance(app.screen, VehicleDialog), "the dialog closed")
        # Said in a notification (the lookup's status line is the search's).
        await until(pilot, lambda: any(f"VTK-2026-000001: 1 line booked against {VIN}" in note.message
                                       for note in app._notifications), "the booking said")
    with db.reading() as uow:
        assert [(r.vin, r.part_no, r.outstanding) for r in vehicles.taken_off(uow=uow)] == [(VIN, BRAKE_PADS, 2)]


async def test_vehicle_take_from_receiving(db, staff, clock):
    from screens.print_preview import PrintPreviewScreen
    from screens.receiving import ReceivingScreen

    app = make_app(_station(db, staff, clock, superseded=False))
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "receiving")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, VehicleDialog), "the vehicle dialog")
        await pilot.press(*VIN, "enter", *f"{BRAKE_PADS}:1", "enter", *"EXC-01-02-03", "enter")
        # The slip comes up in the print preview (F10 prints it), then Escape is back at receiving.
        await until(pilot, lambda: isinstance(app.screen, PrintPreviewScreen) and VIN in screen_text(app),
                    "the slip in the preview")
        assert app.screen.documents == [("vehicle-take", "VTK-2026-000001")] and "拆车入库单" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "back at receiving")
        await until(pilot, lambda: any(f"VTK-2026-000001: 1 line booked against {VIN}" in note.message
                                       for note in app._notifications), "the booking said")
    with db.reading() as uow:
        assert [(r.vin, r.part_no, r.outstanding) for r in vehicles.taken_off(uow=uow)] == [(VIN, BRAKE_PADS, 1)]


async def _counter_lines(pilot, db, staff, *scanned: str):
    """The counter with a repair order in repair opened and `scanned` typed into the part field, every line read."""
    from screens.counter import CounterScreen
    from tests.helpers.counter import order_in

    ro = order_in(db, staff, "in_repair")
    await sign_in(pilot)
    await pilot.press("f3")
    await until(pilot, lambda: isinstance(pilot.app.screen, CounterScreen), "the counter")
    screen = pilot.app.screen
    await pilot.press(*ro, "enter")
    await until(pilot, lambda: screen.order is not None, "the repair order")
    await pilot.press(*scanned)
    await until(pilot, lambda: screen.draft and all(line.stock for line in screen.draft.values()), "the lines read")
    return screen


def _counter_cells(screen) -> list[list[str]]:
    from textual.widgets import DataTable

    table = screen.query_one("#lines", DataTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def test_an_old_number_at_the_counter_is_flagged_and_issued_from_the_chain(db, staff, clock):
    from screens.print_preview import PrintPreviewScreen
    from screens.widgets.dialogs import SignDialog
    from tests.helpers import receive

    _station(db, staff, clock)
    receive(db, staff, NEW_PADS, 10, location="EXC-01-02-03")
    flag = (f"{BRAKE_PADS} is superseded by {NEW_PADS}: 19 of {BRAKE_PADS} left; issued from {BRAKE_PADS}, "
            f"{NEW_PADS}, the oldest first")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _counter_lines(pilot, db, staff, *BRAKE_PADS, "*", "2", "5", "enter")
        await until(pilot, lambda: flag in str(screen.query_one("#counter-status", Static).render()),
                    "the counter's flag")
        # 25 asked, 19 of the old pads and 10 of the new: not short, as the issue takes the chain; the line keeps
        # the flag after the status line has moved on.
        (cells,) = _counter_cells(screen)
        assert cells[4] == "29" and "short" not in cells[6] and f"→ {NEW_PADS}" in cells[6]
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, SignDialog), "the signature")
        await pilot.press(*"1234", "enter")
        await until(pilot, lambda: isinstance(app.screen, PrintPreviewScreen), "the slip")
    from core.services.requisitions import get_requisition

    with db.reading() as uow:
        issued = get_requisition("REQ-2026-000001", uow=uow)
    assert [(line.part_no, line.qty) for line in issued.lines] == [(BRAKE_PADS, 19), (NEW_PADS, 6)]


async def test_a_kits_old_number_at_the_counter_is_flagged_and_issued_as_its_stock_then_the_kit(db, staff, clock):
    from screens.print_preview import PrintPreviewScreen
    from screens.widgets.dialogs import SignDialog
    from tests.helpers import receive

    _station(db, staff, clock, superseded=False)
    kit = ("96536697K1", "96536697K2")
    with db.writing() as uow:
        for kit_part in kit:
            catalog.add_part(kit_part, f"Kit part {kit_part}", model_series="EXCELLE", price="150",
                             location="EXC-01-02-03", actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        supersession.supersede(BRAKE_PADS, list(kit), actor=staff[Role.PLANNER], uow=uow)
    receive(db, staff, kit[0], 10, location="EXC-01-02-03")
    receive(db, staff, kit[1], 4, location="EXC-01-02-03")
    flag = (f"{BRAKE_PADS} is superseded by the kit {kit[0]}, {kit[1]}: 19 of {BRAKE_PADS} left; issued from "
            f"{BRAKE_PADS} first, then one of each kit part")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _counter_lines(pilot, db, staff, *BRAKE_PADS, "*", "2", "2", "enter")
        await until(pilot, lambda: flag in str(screen.query_one("#counter-status", Static).render()),
                    "the counter's flag")
        # The old pads' 19 and 4 kits (the scarcer kit part): 22 is not short.
        (cells,) = _counter_cells(screen)
        assert cells[4] == "23" and "short" not in cells[6] and f"→ {kit[0]} {kit[1]}" in cells[6]
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, SignDialog), "the signature")
        await pilot.press(*"1234", "enter")
        await until(pilot, lambda: isinstance(app.screen, PrintPreviewScreen), "the slip")
    from core.services.requisitions import get_requisition

    with db.reading() as uow:
        issued = get_requisition("REQ-2026-000001", uow=uow)
    assert [(line.part_no, line.qty) for line in issued.lines] == [(BRAKE_PADS, 19), (kit[0], 3), (kit[1], 3)]


async def test_an_old_number_not_interchangeable_is_flagged_and_short_at_the_counter(db, staff, clock):
    from screens.widgets.shortage import ShortageDialog
    from tests.helpers import receive

    _station(db, staff, clock, superseded=False)
    with db.writing() as uow:
        supersession.supersede(BRAKE_PADS, [NEW_PADS], interchangeable=False, actor=staff[Role.PLANNER], uow=uow)
    receive(db, staff, NEW_PADS, 10, location="EXC-01-02-03")
    flag = f"{BRAKE_PADS} is superseded by {NEW_PADS}: 19 of {BRAKE_PADS} left; only {BRAKE_PADS} is issued"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _counter_lines(pilot, db, staff, *BRAKE_PADS, "*", "2", "5", "enter")
        await until(pilot, lambda: flag in str(screen.query_one("#counter-status", Static).render()),
                    "the counter's flag")
        (cells,) = _counter_cells(screen)
        assert cells[4] == "19" and "short 6" in cells[6] and f"→ {NEW_PADS}" in cells[6]
        # The new pads are not the old ones' to give: refused as a shortage, nothing issued.
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ShortageDialog), "the shortage")
        assert "Not enough stock: nothing was issued" in screen_text(app)
    with db.reading() as uow:
        from core.services.stock import part_stock

        assert (part_stock(BRAKE_PADS, uow=uow).on_hand, part_stock(NEW_PADS, uow=uow).on_hand) == (19, 10)


async def test_an_old_number_in_receiving_is_counted_as_shipped_and_flagged(db, staff, clock):
    from tests.helpers.receiving import OIL_FILTER, boxes_checked, open_receipt_screen, open_sample, scan

    _station(db, staff, clock)
    number = boxes_checked(db, staff, open_sample(db, staff))
    flag = f"{BRAKE_PADS} is superseded by {NEW_PADS}: counted as shipped, shelved as {BRAKE_PADS}"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_receipt_screen(pilot, number)
        await scan(pilot, BRAKE_PADS)
        status = screen.query_one("#receipt-status", Static)
        await until(pilot, lambda: f"{BRAKE_PADS}: 1 of 10 · {flag}" in str(status.render()), "receiving's flag")
        assert screen.draft.lines[BRAKE_PADS].counted == 1  # counted as scanned: the flag changes nothing
        await scan(pilot, OIL_FILTER)
        await until(pilot, lambda: f"{OIL_FILTER}: 1 of 60" in str(status.render()), "the next scan said")
        # The line keeps its mark past the scan; the oil filter has none.
        await until(pilot, lambda: f"[old → {NEW_PADS}]" in screen_text(app), "the line's mark")
        assert screen_text(app).count("[old →") == 1


async def test_an_old_number_the_packing_list_does_not_name_is_a_wrong_part_flagged(db, staff, clock):
    from tests.helpers.receiving import boxes_checked, open_receipt_screen, open_sample, scan

    _station(db, staff, clock)
    with db.writing() as uow:
        catalog.add_part("96553451", "Air filter element, new", model_series="EXCELLE", price="70",
                         location="EXC-01-01-02", actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        supersession.supersede("96553450", ["96553451"], actor=staff[Role.PLANNER], uow=uow)
    number = boxes_checked(db, staff, open_sample(db, staff))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_receipt_screen(pilot, number)
        await scan(pilot, "96553450")
        status = screen.query_one("#receipt-status", Static)
        # Not shipped as listed: a wrong part like any other, flagged plainly (nothing says it is shelved).
        await until(pilot, lambda: "96553450 is superseded by 96553451" == str(status.render()).strip(),
                    "the plain flag")
        assert not screen.draft.lines["96553450"].on_list
        # Marked on its line once stored (the name cell: "[not on list]" before it takes the width on screen).
        table = screen._lines
        await until(pilot, lambda: "[old → 96553451]" in table.get_row("96553450")[1].plain, "the line's mark")


async def test_a_shortage_of_an_old_number_answered_says_the_redirect(db, staff, clock):
    from screens.shortages import ShortagesScreen
    from screens.widgets.answer import AnswerDialog
    from tests.helpers.planning import log_shortage, repair_order

    _station(db, staff, clock)
    number = log_shortage(db, staff, clock, repair_order(db, staff), part_no=BRAKE_PADS)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, ShortagesScreen), "the shortages")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AnswerDialog), "the answer dialog")
        await pilot.press("down", "down", "enter")  # an urgent purchase
        await pilot.press("ctrl+u", *"2026-11-21 14:00", "enter", "enter")
        await until(pilot, lambda: f"{BRAKE_PADS} is superseded: ordered {NEW_PADS} instead"
                    in " ".join(screen_text(app).split()), "the redirect said")
        assert f"{number} answered" in screen_text(app)


async def test_an_urgent_order_of_an_old_number_says_it_ordered_the_newest(db, staff, clock):
    from screens import keys
    from screens.planning import PlanningScreen
    from screens.planning_urgent import UrgentOrderDialog
    from tests.helpers.planning import repair_order

    _station(db, staff, clock)
    ro = repair_order(db, staff)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press(keys.PLANNING)
        await until(pilot, lambda: isinstance(app.screen, PlanningScreen), "planning")
        await pilot.press("o")
        await settle(pilot)
        orders = app.screen
        await pilot.press(keys.NEW)
        await until(pilot, lambda: isinstance(app.screen, UrgentOrderDialog), "the urgent order")
        await pilot.press(*BRAKE_PADS, "enter", "2", "enter", "enter", *ro, "enter")
        await until(pilot, lambda: app.screen is orders and "made" in screen_text(app), "the order made")
        assert f"{BRAKE_PADS} is superseded: ordered {NEW_PADS} instead" in " ".join(screen_text(app).split())
    from core.services import purchasing

    with db.reading() as uow:
        (order,) = purchasing.list_orders(uow=uow)
        assert [line.part_no for line in purchasing.get_order(order.number, uow=uow).lines] == [NEW_PADS]


# -- snapshots -------------------------------------------------------------------------------------


def test_part_card_of_a_superseded_part(snap_compare, size, db, staff, clock):
    """The old brake pads: the line saying the new number and the 19 left of the old."""
    _station(db, staff, clock)

    async def run_before(pilot):
        await _open_part(pilot, Role.PLANNER)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


def test_supersede_dialog(snap_compare, size, db, staff, clock):
    """The dialog over the new pads' card, a number typed."""
    _station(db, staff, clock, superseded=False)

    async def run_before(pilot):
        await _open_part(pilot, Role.PLANNER, NEW_PADS)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press(*"5C6941005B")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)


def test_vehicle_dialog(snap_compare, size, db, staff, clock):
    """The vehicle dialog over the lookup, VIN and lines typed."""
    _station(db, staff, clock)

    async def run_before(pilot):
        await sign_in(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press(*VIN, "enter", *f"{BRAKE_PADS}:2", "enter")
        await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)
