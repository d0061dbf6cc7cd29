"""The workflow registry (screens/workflows.py): every row names a screen that can be returned to and a core rule,
each workflow has its own app-wide key, and opening one again returns to the screen already open."""

from __future__ import annotations

import importlib
import inspect

import pytest
from textual.screen import Screen

from core.documents import KINDS
from core.roles import Role
from screens import keys
from screens.counter import CounterScreen
from screens.lookup import LookupScreen
from screens.workflows import WORKFLOWS, for_document, open_workflow, workflow
from tests.helpers.tui import SIZE, burst, make_app, settle, sign_in


@pytest.mark.parametrize("row", WORKFLOWS, ids=lambda row: row.action)
def test_a_row_names_a_screen_to_return_to_and_a_rule_of_the_core(row):
    screen = row.screen_class()
    assert issubclass(screen, Screen) and callable(screen.returned_to)
    assert inspect.signature(screen).parameters.keys() <= {"select"}  # built with no argument
    module, _sep, name = row.permission.partition(":")
    assert module.startswith("core.") and not module.startswith(("core.services", "core.printing")), module
    assert callable(getattr(importlib.import_module(module), name)) and row.allows(None) is False
    assert workflow(row.action) is row
    assert row.title and row.title_zh and row.purpose and row.tooltip
    assert set(row.documents) <= {kind.name for kind in KINDS}


def test_each_workflow_has_its_own_key_and_documents_open_in_one_place():
    chosen = [w.key for w in WORKFLOWS]
    assert len(set(chosen)) == len(chosen) and not set(chosen) & keys.APP_KEYS
    assert not set(chosen) & {keys.BACK, keys.REFRESH, keys.COMMIT, keys.NEW, keys.OPEN}  # the screens' conventions
    assert len({w.action for w in WORKFLOWS}) == len(WORKFLOWS)
    claimed = [kind for w in WORKFLOWS for kind in w.documents]
    assert len(claimed) == len(set(claimed))
    assert for_document("ro").action == "intake" and for_document("po") is None


async def test_opening_a_workflow_again_returns_to_it_as_it_was(db, staff, papers):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press(keys.COUNTER)
        await settle(pilot)
        counter = app.screen
        assert isinstance(counter, CounterScreen)
        await burst(pilot, *papers["ro"], "enter", *"96536697", "enter")
        await pilot.press(keys.LOOKUP)
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        await pilot.press(keys.COUNTER)  # back to the counter, the lookup above it closed
        await settle(pilot)
        assert app.screen is counter and list(counter.draft) == ["96536697"]
        assert [type(s) for s in app.screen_stack].count(CounterScreen) == 1
        assert not any(isinstance(s, LookupScreen) for s in app.screen_stack)
        assert app.focused is counter.query_one("#ro")  # ready for the next order's label
        assert open_workflow(app, "review") is None and app.screen is counter  # not the storekeeper's


def test_the_rows_are_in_the_order_of_their_keys():
    # The footer, the palette and home list the workflows in the registry's order: F2 … F11, then ⇧F1 … ⇧F6.
    numbers = [int(w.key[1:]) for w in WORKFLOWS]
    assert numbers == sorted(numbers)
