"""The administration screen (⇧F6): operators added, refused (duplicate code, PINs that differ) and deactivated after
the question; a setting out of its range refused with one line, a good one saved; the test print; the allowed
ranges; the PIN typed twice in the core."""

from __future__ import annotations

import pytest

from core.errors import BadInput
from core.pins import validate_new_pin
from core.roles import Role
from core.services import operators, settings
from screens.admin import AdminScreen
from screens.admin_form import FormDialog
from tests.helpers.tui import SIZE, burst, make_app, screen_text, settle, sign_in, until


def test_a_new_pin_is_typed_twice_the_same():
    assert validate_new_pin("4321", "4321") == "4321"
    with pytest.raises(BadInput) as refused:
        validate_new_pin("4321", "4322")
    assert refused.value.field == "again"
    with pytest.raises(BadInput):
        validate_new_pin("12", "12")


def test_every_setting_says_what_it_allows(db):
    with db.reading() as uow:
        rows = {row.key: row for row in settings.setting_rows(uow=uow)}
    assert rows["label_columns"].allowed == "whole number 1 to 6"
    assert rows["cycle"].allowed == "week | month"
    assert rows["alpha"].allowed == "more than 0, to 1"
    assert all(row.allowed and row.meaning for row in rows.values())


async def _open_admin(pilot) -> AdminScreen:
    await sign_in(pilot, Role.ADMIN)
    await pilot.press("f18")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AdminScreen)
    return pilot.app.screen


async def _fill(pilot, *values: str) -> None:
    """Type each value into the form's next field (Enter moves on; on the last it saves)."""
    for value in values:
        await burst(pilot, *value) if value else None
        await pilot.press("enter")
    await settle(pilot)


async def test_the_admin_adds_an_operator_and_is_refused_a_duplicate_and_differing_pins(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_admin(pilot)
        assert "STORE1" in {o.code for o in screen.operators} and "printer_command" in screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        await _fill(pilot, "STORE1", "someone")
        await pilot.press("space", "enter")  # the first role ticked (the storekeeper), then on
        await _fill(pilot, "", "4321", "4321")
        assert isinstance(app.screen, FormDialog) and "operator STORE1 already exists" in screen_text(app)
        form = app.screen
        form.query_one("#form-code").value = "STORE9"
        form.query_one("#form-again").value = "4329"
        form.action_save()
        await settle(pilot)
        assert "the two PINs differ" in screen_text(app) and app.focused is form.query_one("#form-again")
        form.query_one("#form-again").value = "4321"
        await pilot.press("f9")
        await until(pilot, lambda: app.screen is screen, "the form closed")
        await until(pilot, lambda: any(o.code == "STORE9" for o in screen.operators), "the list read again")
        assert "operator STORE9 added" in screen_text(app)
    with db.writing() as uow:
        assert operators.authenticate("STORE9", "4321", uow=uow).code == "STORE9"


async def test_deactivate_asks_first_and_keeps_the_operator(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_admin(pilot)
        table = screen.query_one("#operator-list")
        table.move_cursor(row=[o.code for o in screen.operators].index("STORE1"))
        await pilot.press("d")
        await settle(pilot)
        assert "will no longer sign in" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert next(o for o in screen.operators if o.code == "STORE1").active
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: not next(o for o in screen.operators if o.code == "STORE1").active, "deactivated")
    with db.reading() as uow:
        assert "STORE1" in {o.code for o in operators.list_operators(uow=uow)}  # never deleted


async def test_a_setting_out_of_range_is_refused_and_a_good_one_saved_and_the_printer_tested(db, staff, tmp_path,
                                                                                             short_python):
    printed = tmp_path / "printed.txt"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_admin(pilot)
        table = screen.query_one("#setting-list")
        table.focus()
        table.move_cursor(row=[s.key for s in screen.settings].index("label_columns"))
        await pilot.press("e")
        await settle(pilot)
        await burst(pilot, "9", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        assert "label_columns: must be a whole number from 1 to 6" in screen_text(app)
        app.screen.query_one("#form-value").value = "4"
        await pilot.press("enter")
        await until(pilot, lambda: next(s for s in screen.settings if s.key == "label_columns").value == "4",
                    "the setting saved")
        await pilot.press("t")
        await settle(pilot)
        assert "no printer command is set" in screen_text(app)
        with db.writing() as uow:
            settings.set_setting("printer_command", short_python.catcher(printed), actor=staff[Role.ADMIN], uow=uow)
        await pilot.press("t")
        await until(pilot, printed.exists, "the test page printed")
        assert "printer test page" in printed.read_text(encoding="utf-8")


async def test_a_backup_to_a_file_asks_before_replacing_it(db, staff, tmp_path):
    target = tmp_path / "copy.sqlite"
    target.write_bytes(b"old")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_admin(pilot)
        await pilot.press("b")
        await settle(pilot)
        await burst(pilot, *str(target), "enter")
        await settle(pilot)
        assert "exists. Replace it with this backup?" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: "backed up to" in screen_text(app), "the backup made")
        assert app.screen is screen and target.read_bytes()[:15] == b"SQLite format 3"


async def test_the_planner_keeps_the_suppliers_there_and_sees_no_operators(db, staff):
    from core.services.purchasing import list_parties

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f18")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen) and not screen.query_one("#operator-list").display
        assert not screen.check_action("new_operator", ()) and not screen.check_action("backup", ())
        await pilot.press("s")
        await settle(pilot)
        await _fill(pilot, "BOSCH", "Bosch China")
        await until(pilot, lambda: "supplier BOSCH added" in screen_text(app), "the supplier added")
        await pilot.press("s")
        await settle(pilot)
        await _fill(pilot, "bosch", "again")  # the same code: refused, the form stays
        assert isinstance(app.screen, FormDialog) and "supplier BOSCH already exists" in screen_text(app)
    with db.reading() as uow:
        assert ("BOSCH", "Bosch China") in list_parties(uow=uow)["suppliers"]


def test_the_print_preview_points_at_the_admin_screen_not_a_command():
    from core.printing.output import NoPrinterCommand, checked_command
    from screens.print_preview import _message

    with pytest.raises(NoPrinterCommand) as refused:
        checked_command(" ")
    assert "setting set printer_command" in refused.value.message  # the CLI's line names the command
    assert _message(refused.value) == ("no printer command is set: the admin sets printer_command on the "
                                       "Administration screen (⇧F6)")
