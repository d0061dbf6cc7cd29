"""The scanner everywhere: a burst of keys and Enter on any screen opens the part, location or document it
names (the document's own screen where the operator's roles reach it, else its print preview); typing is not
a scan; ctrl+g is the typed fallback; garbage says one line and changes nothing; a scan never leaks."""

from __future__ import annotations

from core.roles import Role
from core.services import repair_orders
from core.services.catalog import add_location
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.location import LocationScreen
from screens.part import PartScreen
from screens.print_preview import PrintPreviewScreen
from screens.receipt import ReceiptScreen
from tests.helpers.tui import SIZE, burst, make_app, screen_text, settle, sign_in, timed, toasts, typed, until

BRAKE_PADS, OIL_FILTER = "96536697", "96800106"


def scan(code: str) -> list[str]:
    """A label's keys and the scanner's Enter."""
    return [*code, "enter"]


async def test_a_scan_on_home_opens_the_part_and_on_the_part_another_part(db, staff, papers):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, HomeScreen)
        await burst(pilot, *scan(BRAKE_PADS))
        assert isinstance(app.screen, PartScreen) and app.screen.info.part_no == BRAKE_PADS
        await burst(pilot, *scan(OIL_FILTER))
        assert isinstance(app.screen, PartScreen) and app.screen.info.part_no == OIL_FILTER
        assert "机油滤清器" in screen_text(app)


async def test_a_location_scan_opens_the_location_with_its_stock(db, staff, papers):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *scan("EXC-01-02-03"))
        screen = app.screen
        assert isinstance(screen, LocationScreen) and screen.code == "EXC-01-02-03"
        assert [line.part_no for line in screen.lines] == [BRAKE_PADS]
        assert BRAKE_PADS in screen_text(app)


async def test_document_scans_open_their_screens_by_role(db, staff, papers):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)  # the storekeeper receives: the receipt opens in receiving
        await burst(pilot, *scan(papers["receipt"]))
        assert isinstance(app.screen, ReceiptScreen) and app.screen.receipt.number == papers["receipt"]
        await burst(pilot, *scan(papers["po"]))  # no screen of its own: the preview
        assert isinstance(app.screen, PrintPreviewScreen) and (app.screen.kind, app.screen.number) == (
            "po", papers["po"])
        assert papers["po"] in app.screen.text
        await burst(pilot, *scan(papers["ro"]))  # the storekeeper has no intake: the repair order's preview
        assert isinstance(app.screen, PrintPreviewScreen) and app.screen.kind == "ro"
        await burst(pilot, *scan(papers["claim"]))
        assert isinstance(app.screen, PrintPreviewScreen) and app.screen.kind == "claim"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)  # the advisor's repair orders: the intake, on that order
        await burst(pilot, *scan(papers["ro"]))
        assert isinstance(app.screen, IntakeScreen) and app.screen.order.ro_no == papers["ro"]
        await burst(pilot, *scan(papers["receipt"]))  # the advisor does not receive: the receipt list's preview
        assert isinstance(app.screen, PrintPreviewScreen) and app.screen.kind == "receipt"
        assert not any(isinstance(screen, ReceiptScreen) for screen in app.screen_stack)


async def test_garbage_says_one_line_and_changes_nothing(db, staff, papers):
    app = make_app(db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # tests leave toasts out unless asked
        await sign_in(pilot)
        stack = list(app.screen_stack)
        await burst(pilot, *scan("XQ#Z!9-NOPE"))
        assert app.screen_stack == stack
        assert toasts(app) == ["'XQ#Z!9-NOPE' is no known part, location or document"]


async def test_slow_typing_is_not_a_scan(db, staff, papers):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await typed(pilot, *scan(BRAKE_PADS), gap=0.2)  # 200 ms apart: a person, beyond scan_gap_ms
        assert not any(isinstance(screen, PartScreen) for screen in app.screen_stack)
        assert app.scan_reader.gap == 0.06  # the setting's default, read at sign-in


async def test_the_gap_is_the_setting(db, staff, papers):
    from core.services.settings import set_setting

    with db.writing() as uow:
        set_setting("scan_gap_ms", "500", actor=staff[Role.ADMIN], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert app.scan_reader.gap == 0.5
        await typed(pilot, *scan(BRAKE_PADS), gap=0.2)  # within 500 ms: a (slow) scanner
        assert isinstance(app.screen, PartScreen) and app.screen.info.part_no == BRAKE_PADS


async def test_ctrl_g_opens_a_typed_code(db, staff, papers):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert "Go to code" in screen_text(app)
        await typed(pilot, *"exc-01-02-03", "enter")  # typed slowly, lower case: the field takes it all
        assert isinstance(app.screen, LocationScreen) and app.screen.code == "EXC-01-02-03"


async def test_a_scan_never_reaches_the_keys_of_the_screen_under_it(db, staff, papers):
    # On the intake board, x cancels the selected order and r puts it into repair: a lower-case label
    # scanned there must open the location, not cancel the order.
    with db.writing() as uow:
        state = repair_orders.get_repair_order(papers["ro"], uow=uow).state
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f4")
        await settle(pilot)
        board = app.screen
        assert isinstance(board, IntakeScreen) and board.order.ro_no == papers["ro"]
        await burst(pilot, *scan("exc-01-02-03"))
        assert isinstance(app.screen, LocationScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is board and "Cancel the repair order" not in screen_text(app)
    with db.writing() as uow:
        assert repair_orders.get_repair_order(papers["ro"], uow=uow).state == state


async def test_a_scan_in_a_dialog_field_stays_in_it(db, staff, papers):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await burst(pilot, *BRAKE_PADS)  # no Enter yet: the field holds it, nothing opened behind
        assert app.screen.query_one("#go-code").value == BRAKE_PADS
        assert not any(isinstance(screen, PartScreen) for screen in app.screen_stack)
        await burst(pilot, "enter")
        assert isinstance(app.screen, PartScreen)


async def test_a_scans_first_key_never_runs_the_screens_key(db, staff, papers):
    # On the intake board a assigns the selected order's technician: a location of the AVEO zone scanned in lower
    # case starts with it, and opens the location, no dialog on the way.
    with db.writing() as uow:
        add_location("AVEO-01-01-01", "AVEO", actor=staff[Role.STOREKEEPER], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f4")
        await settle(pilot)
        board = app.screen
        assert isinstance(board, IntakeScreen) and board.check_action("assign", ())
        await burst(pilot, *scan("aveo-01-01-01"))
        assert isinstance(app.screen, LocationScreen) and app.screen.code == "AVEO-01-01-01"
        assert app.screen_stack[-2] is board  # the technician's dialog never opened under it


async def test_keys_typed_ahead_that_are_no_scan_all_run_in_order(db, staff, papers):
    # A person typing fast ahead of a busy board (100 ms apart: no scanner): n opens the note dialog, the note
    # lands in its field whole and Enter saves it. Nothing the scanner held is lost or comes late.
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f4")
        await settle(pilot)
        board = app.screen
        await timed(pilot, [(key, 0.1 if index else 0) for index, key in enumerate(["n", *"oil leak", "enter"])])
        assert app.screen is board
    with db.reading() as uow:
        notes = [note.text for note in repair_orders.get_repair_order(papers["ro"], uow=uow).notes]
    assert "oil leak" in notes


async def test_a_stocktake_scan_opens_its_count(db, staff, papers):
    from core.services import stocktake
    from screens.stocktake_count import StocktakeCountScreen

    with db.writing() as uow:
        number = stocktake.open_stocktake("zone", "EXC", actor=staff[Role.STOREKEEPER], uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)  # the storekeeper counts: the stocktake's count opens, from home
        await burst(pilot, *scan(number))
        await until(pilot, lambda: isinstance(app.screen, StocktakeCountScreen), "the count")
        assert app.screen.info.number == number and number in screen_text(app)
