"""The administration screen's operators (issue 16, item 4): read a page at a time from the core (SQL LIMIT/OFFSET and
a count, on SQLite and PostgreSQL), the next page read when the cursor reaches the last operator read; roles chosen
from a list of their labels by keyboard, never typed as codes, and a refusal said in one line with nothing changed."""

from __future__ import annotations

import pytest

from core.roles import Role
from core.services import operators
from screens.admin import AdminScreen
from screens.widgets.tables import Pages
from tests.helpers.staff import PIN, make_staff
from tests.helpers.tui import SIZE, burst, make_app, screen_text, settle, sign_in, until

MORE = [f"ZZ{n:02d}" for n in range(7)]  # after every test operator by code


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 4 rows: the staff are then three pages and more."""
    monkeypatch.setattr(Pages, "PAGE", 4)


def more_operators(db, staff) -> None:
    with db.writing() as uow:
        for code in MORE:
            operators.add_operator(code, f"clerk {code}", ["storekeeper"], PIN, actor=staff[Role.ADMIN], uow=uow)


def test_the_operators_page_by_code_and_count_them_all(any_db):
    staff = make_staff(any_db)
    more_operators(any_db, staff)
    with any_db.reading() as uow:
        everyone = operators.list_operators(uow=uow)
        pages = [operators.operators_page(uow=uow, limit=5, offset=offset) for offset in range(0, len(everyone), 5)]
        past = operators.operators_page(uow=uow, limit=5, offset=len(everyone))
    assert [o for page in pages for o in page.rows] == everyone
    assert [len(page.rows) for page in pages][:-1] == [5] * (len(pages) - 1)
    assert {page.total for page in pages} == {len(everyone)} == {past.total} and past.rows == []
    assert len(everyone) == len(staff) + len(MORE)


async def _open_admin(pilot) -> AdminScreen:
    await sign_in(pilot, Role.ADMIN)
    await pilot.press("f18")
    await until(pilot, lambda: isinstance(pilot.app.screen, AdminScreen), "the administration screen")
    return pilot.app.screen


async def test_the_admin_reads_the_operators_a_page_at_a_time(db, staff, small_pages):
    more_operators(db, staff)
    with db.reading() as uow:
        codes = [o.code for o in operators.list_operators(uow=uow)]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_admin(pilot)
        table = screen.query_one("#operator-list")
        await until(pilot, lambda: table.row_count == 4, "the first page")
        assert table.total == len(codes)  # the count is of them all
        await pilot.press("down", "down", "down")  # to the last operator read
        await until(pilot, lambda: table.row_count == 8, "the second page")
        assert table.cursor_row == 3 and table.subject_key == codes[3]  # the cursor stayed on its row
        await pilot.press("ctrl+end")
        await until(pilot, lambda: table.row_count == 12, "the third page")
        await pilot.press("ctrl+end")
        await until(pilot, lambda: table.row_count == 16, "the fourth page")
        await pilot.press("down")
        await until(pilot, lambda: table.subject_key == codes[12], "the cursor on the fourth page's first operator")
        assert [o.code for o in screen.operators] == codes[:16]
        assert screen._operator().code == codes[12]  # the keys act on the operator highlighted
        await pilot.press("f5")  # read again: as many as were shown, the cursor kept
        await settle(pilot)
        await until(pilot, lambda: table.subject_key == codes[12] and table.row_count == 16, "read again")
        await pilot.press("ctrl+end")
        await until(pilot, lambda: table.row_count == len(codes) == 18, "the last page")


async def test_the_admin_adds_an_operator_ticking_two_roles_and_is_refused_none(db, staff):
    from screens.admin_form import ChoiceList, FormDialog

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_admin(pilot)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the new operator's form")
        form = app.screen
        await burst(pilot, *"STORE9", "enter", *"Wang Wu", "enter")
        await until(pilot, lambda: isinstance(app.focused, ChoiceList), "the cursor in the roles")
        roles = form.query_one("#form-roles", ChoiceList)
        text = screen_text(app)
        assert "parts planner" in text and "materials accountant" in text  # labels, not codes
        assert "space Tick" in text  # the list's keys in the footer
        await pilot.press("enter", "enter", *"4321", "enter", *"4321", "enter")  # nothing ticked: saved as it is
        await until(pilot, lambda: "an operator needs at least one role" in screen_text(app), "the refusal")
        assert app.screen is form and app.focused is roles  # the cursor back on the roles
        assert sum("an operator needs at least one role" in line for line in screen_text(app).splitlines()) == 1
        with db.reading() as uow:
            assert "STORE9" not in {o.code for o in operators.list_operators(uow=uow)}  # nothing changed
        await pilot.press("down", "down", "space", "up", "up", "space")  # the parts planner, then the storekeeper
        await until(pilot, lambda: roles.ticked() == ("storekeeper", "planner"), "two roles ticked")
        await pilot.press("f9")
        await until(pilot, lambda: app.screen is screen, "the form closed")
        await until(pilot, lambda: "operator STORE9 added" in screen_text(app), "the operator added")
    with db.reading() as uow:
        added = next(o for o in operators.list_operators(uow=uow) if o.code == "STORE9")
    assert (added.name, added.roles) == ("Wang Wu", ("planner", "storekeeper"))


async def test_the_roles_form_ticks_the_operators_roles_and_sets_the_ones_ticked(db, staff):
    from screens.admin_form import ChoiceList, FormDialog

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_admin(pilot)
        table = screen.query_one("#operator-list")
        await until(pilot, lambda: table.row_count > 0, "the operators")
        table.move_cursor(row=[o.code for o in screen.operators].index("PLAN1"))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the roles form")
        roles = app.screen.query_one("#form-roles", ChoiceList)
        assert roles.ticked() == ("planner",) and app.focused is roles  # his own ticked
        await pilot.press("down", "down", "space", "down", "down", "space")  # the planner off, the parts manager on
        await until(pilot, lambda: roles.ticked() == ("parts_manager",), "one role for another")
        await pilot.press("enter")  # Enter on the only field saves
        await until(pilot, lambda: app.screen is screen, "the form closed")
        await until(pilot, lambda: next(o for o in screen.operators if o.code == "PLAN1").roles == ("parts_manager",),
                    "the list read again")


async def test_languages_are_ticked_by_their_names_one_at_a_time(db, staff):
    from screens.admin_form import ChoiceList, FormDialog

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_admin(pilot)
        table = screen.query_one("#operator-list")
        await until(pilot, lambda: table.row_count > 0, "the operators")
        table.move_cursor(row=[o.code for o in screen.operators].index("PLAN1"))
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, FormDialog), "the language form")
        form = app.screen
        languages = form.query_one("#form-language", ChoiceList)
        shown = [str(languages.get_option_at_index(index).prompt) for index in range(languages.option_count)]
        assert shown == ["中文", "English"]  # by their own names, never the codes
        await pilot.press("space")  # 中文 ticked: English, his language until now, unticked
        await until(pilot, lambda: languages.ticked() == ("zh_CN",), "one language ticked")
        await pilot.press("space")  # none ticked: refused in one line, nothing changed
        await until(pilot, lambda: languages.ticked() == (), "none ticked")
        await pilot.press("enter")
        await until(pilot, lambda: "tick the language the desk speaks to him" in screen_text(app), "the refusal")
        assert app.screen is form
        with db.reading() as uow:
            assert next(o for o in operators.list_operators(uow=uow) if o.code == "PLAN1").language == "en"
        await pilot.press("space", "enter")
        await until(pilot, lambda: app.screen is screen, "the form closed")
    with db.reading() as uow:
        assert next(o for o in operators.list_operators(uow=uow) if o.code == "PLAN1").language == "zh_CN"
