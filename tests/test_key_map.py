"""The one key map (screens/keys.py): statically over every screen, dialog and widget class, no key means two things
in one class, no class binds an app-wide key, print is the print key and the conventions hold; and with Pilot, on
every workflow screen and the main dialogs for several roles, the app-wide keys are the app's own and the footer
shows the print key, in view at 120 columns, wherever the screen prints."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen

import screens
import tui
from core.roles import Role
from screens import keys
from screens.commands import BindingCommands
from screens.counter import CounterScreen
from screens.forecast import ForecastScreen
from screens.go_to_code import GoToCodeDialog
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.intake_form import RepairOrderForm
from screens.location import LocationScreen
from screens.lookup import LookupScreen
from screens.part import PartScreen
from screens.planning import PlanningScreen
from screens.planning_orders import PlanningOrdersScreen
from screens.print_preview import PrintPreviewScreen
from screens.putaway import PutawayScreen
from screens.receipt import ReceiptScreen
from screens.receipt_boxes import BoxCheckDialog
from screens.receipt_list import ReceiptListScreen
from screens.receiving import ReceivingScreen
from screens.review import ReviewScreen
from screens.shortages import ShortagesScreen
from screens.transit import TransitScreen
from screens.widgets.answer import AnswerDialog
from screens.widgets.decision import DecisionDialog
from screens.widgets.dialogs import SignDialog, TextDialog
from screens.widgets.return_dialog import ReturnDialog
from screens.widgets.shortage import ShortageDialog
from screens.workflows import APP_WIDE, WORKFLOWS, open_once
from tests.helpers.planning import draft, log_shortage
from tests.helpers.receiving import open_sample
from tests.helpers.tui import SIZE, burst, make_app, settle, sign_in
from tui.app import PartsdeskApp

# The actions whose key a convention fixes, wherever they are bound.
CONVENTIONS = {
    keys.BACK: {"back", "cancel", "leave"},
    keys.REFRESH: {"reload", "refresh"},
    keys.COMMIT: {"issue", "post", "open_order", "register"},
    keys.NEW: {"new_order", "new_shipment"},
    keys.PRINT: {"print"},
    keys.OPEN: {"submit", "select_cursor"},
}
# The app's keys: their action, and how the app's check_action is asked about it.
APP_ACTIONS = {
    **{w.key: (f"workflow({w.action!r})", "workflow", (w.action,)) for w in WORKFLOWS},
    keys.PRINT: ("print", "print", ()), keys.GO_TO_CODE: ("go_to_code", "go_to_code", ()),
    keys.SIGN_OUT: ("sign_out", "sign_out", ()), keys.QUIT: ("quit", "quit", ()),
    keys.HELP: ("help", "help", ()),
}
# App-wide keys that a focused text field takes as a character: where none has the focus, they are the app's.
TYPED_APP_KEYS = {keys.PALETTE: None, keys.HELP_MARK: "help"}


# -- statically, class by class ----------------------------------------------------------------------------------


def _our_classes() -> list[type[DOMNode]]:
    """Every screen, dialog, widget and app class defined in screens/ and tui/ (their modules imported)."""
    for package in (screens, tui):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    found, todo = [], [DOMNode]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(("screens.", "tui.")):
                found.append(sub)
    return found


def _bindings(cls: type[DOMNode]) -> dict[str, list[Binding]]:
    """The class's bindings by key, merged along its MRO as Textual does (a subclass's key replaces the base's)."""
    merged: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        if isinstance(base, type) and issubclass(base, DOMNode):
            own: dict[str, list[Binding]] = {}
            for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
                own.setdefault(binding.key, []).append(binding)
            merged.update(own)
    return merged


CLASSES = _our_classes()


def test_every_screen_dialog_and_widget_is_checked():
    names = {cls.__name__ for cls in CLASSES}
    assert {"PartsdeskApp", "HomeScreen", "CounterScreen", "ReturnDialog", "ShortageDialog", "PrintPreviewScreen",
            "ReceiptScreen", "CountInput", "LineTable", "Dialog", "FieldInput"} <= names
    assert len(CLASSES) > 40


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_no_key_means_two_things_and_no_app_wide_key_is_taken(cls):
    for key, bound in _bindings(cls).items():
        actions = {binding.action for binding in bound}
        assert len(actions) == 1, f"{cls.__name__} binds {key} to {sorted(actions)}"
        if not issubclass(cls, App):
            assert key not in APP_WIDE, f"{cls.__name__} binds the app-wide key {key} ({actions.pop()})"


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_the_conventions_hold(cls):
    for key, bound in _bindings(cls).items():
        for binding in bound:
            action = binding.action.partition("(")[0]
            for convention, actions in CONVENTIONS.items():
                if action in actions:
                    assert key == convention, f"{cls.__name__} binds {action} to {key}, not {convention}"
            if action == "print":  # one print binding, the app's: it can never differ or be shadowed
                assert issubclass(cls, App), f"{cls.__name__} binds print itself"


def test_the_app_binds_every_app_wide_key_once():
    bound = _bindings(PartsdeskApp)
    for key, (action, _name, _parameters) in APP_ACTIONS.items():
        assert [binding.action for binding in bound[key]] == [action]
    assert PartsdeskApp.COMMAND_PALETTE_BINDING == keys.PALETTE
    assert [binding.action for binding in bound[keys.HELP_MARK]] == ["help"]
    assert APP_WIDE == set(APP_ACTIONS) | set(TYPED_APP_KEYS) and len(APP_WIDE) == len(keys.APP_KEYS) + len(WORKFLOWS)


# -- with Pilot, screen by screen -------------------------------------------------------------------------------


async def keys_hold(pilot, expected: type) -> None:
    """On the current screen, whatever has the focus: every app-wide key is the app's own binding (a modal
    dialog has none of them), the app's keys its roles allow are all there, and print shows in the footer
    exactly where the screen prints."""
    await settle(pilot)
    app, screen = pilot.app, pilot.app.screen
    assert isinstance(screen, expected), f"{type(screen).__name__}, not {expected.__name__}"
    focused = screen.focused
    for widget in [focused, *(w for w in screen.focus_chain if w is not focused)]:
        if widget is not None and widget is not screen.focused:
            screen.set_focus(widget)
            await pilot.pause()
        active = screen.active_bindings
        for key in APP_WIDE:
            if key in active:
                assert active[key].node is app, (
                    f"{type(screen).__name__}: {key} is {active[key].binding.action} of {active[key].node}")
        if isinstance(screen, ModalScreen):
            continue
        for key, (action, name, parameters) in APP_ACTIONS.items():
            allowed = app.check_action(name, parameters) is not False
            assert (key in active) is allowed, f"{type(screen).__name__}: {key} ({action})"
    if focused is not None and focused is not screen.focused:
        screen.set_focus(focused)
        await pilot.pause()
    if isinstance(screen, ModalScreen):
        return
    prints = hasattr(screen, "action_print") and bool(screen.check_action("print", ()))
    await pilot.pause()  # the footer recomposes after a refresh
    # Shown means in view: left of the palette's key, not scrolled off the footer's end.
    palette = screen.query_one("FooterKey.-command-palette")
    shown = {key.key for key in screen.query("FooterKey") if key.region.right <= palette.region.x}
    assert (keys.PRINT in shown) is prints, f"{type(screen).__name__}: print shown {keys.PRINT in shown}"


async def press(pilot, *presses: str) -> None:
    """Keys pressed by a person, then the app settled."""
    await pilot.press(*presses)
    await settle(pilot)


@pytest.fixture
def station(db, staff, papers, clock):
    """One document of each kind, a receipt just arrived, a shortage and a draft waiting for the parts manager."""
    arrived = open_sample(db, staff)
    log_shortage(db, staff, clock, papers["ro"])
    return {**papers, "arrived": arrived, "draft": draft(db, staff)}


async def test_the_storekeepers_screens(db, station):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await keys_hold(pilot, HomeScreen)
        await press(pilot, keys.LOOKUP)
        await keys_hold(pilot, LookupScreen)
        await burst(pilot, *"96536697", "enter")
        await keys_hold(pilot, PartScreen)  # prints its label
        await press(pilot, keys.BACK, keys.COUNTER)
        await keys_hold(pilot, CounterScreen)  # no order: nothing to print
        await burst(pilot, *station["ro"], "enter")
        await keys_hold(pilot, CounterScreen)  # its requisition: printed from here
        await press(pilot, "ctrl+r")
        await keys_hold(pilot, ReturnDialog)
        await press(pilot, keys.BACK)
        await press(pilot, keys.PRINT)
        await keys_hold(pilot, PrintPreviewScreen)
        await press(pilot, keys.BACK)
        await burst(pilot, *"96536697", "enter")
        await press(pilot, keys.COMMIT)
        await keys_hold(pilot, SignDialog)
        await press(pilot, keys.BACK)
        await burst(pilot, *"96536697*999", "enter")
        await press(pilot, keys.COMMIT)
        await keys_hold(pilot, ShortageDialog)
        await press(pilot, keys.BACK, keys.RECEIVING)
        await keys_hold(pilot, ReceivingScreen)
        await burst(pilot, *station["arrived"], "enter")
        await keys_hold(pilot, ReceiptScreen)
        await press(pilot, "ctrl+b")
        await keys_hold(pilot, BoxCheckDialog)
        await press(pilot, keys.BACK, keys.BACK)
        await burst(pilot, *station["receipt"], "enter")
        await keys_hold(pilot, ReceiptScreen)  # posted: its papers print
        await press(pilot, "ctrl+l")
        await keys_hold(pilot, ReceiptListScreen)
        await press(pilot, keys.BACK, "ctrl+t")
        await keys_hold(pilot, PutawayScreen)
        await press(pilot, keys.BACK, keys.GO_TO_CODE)
        await keys_hold(pilot, GoToCodeDialog)
        await pilot.press(*"EXC-01-02-03", "enter")
        await keys_hold(pilot, LocationScreen)  # prints its label


async def test_the_advisors_screens(db, station):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        await press(pilot, keys.REPAIR_ORDERS)
        await keys_hold(pilot, IntakeScreen)  # an order selected: it prints
        await press(pilot, "n")
        await keys_hold(pilot, TextDialog)
        await press(pilot, keys.BACK, keys.NEW)
        await keys_hold(pilot, RepairOrderForm)
        await press(pilot, keys.BACK, keys.SHORTAGES)
        await keys_hold(pilot, ShortagesScreen)


async def test_the_planners_screens(db, station):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await keys_hold(pilot, HomeScreen)
        await press(pilot, keys.SHORTAGES)
        await keys_hold(pilot, ShortagesScreen)
        await press(pilot, "a")
        await keys_hold(pilot, AnswerDialog)
        await press(pilot, keys.BACK)
        open_once(app, TransitScreen, station["po"])  # as the to-do opens it
        await keys_hold(pilot, TransitScreen)  # the order under the cursor prints
        await press(pilot, keys.BACK, keys.PLANNING)
        await keys_hold(pilot, PlanningScreen)  # the draft: nothing to print
        await press(pilot, "o")
        await keys_hold(pilot, PlanningOrdersScreen)  # the order under the cursor prints


async def test_the_parts_managers_screens(db, station):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await press(pilot, keys.REVIEW)
        await keys_hold(pilot, ReviewScreen)
        commands = [title for title, _help, _run in BindingCommands(app.screen)._commands()]
        assert commands.count("Review") == 2  # the workflow once (F7), and the draft's review
        await press(pilot, "v")
        await keys_hold(pilot, DecisionDialog)
        await press(pilot, keys.BACK, "f")
        await keys_hold(pilot, ForecastScreen)


async def test_the_palette_lists_each_workflow_once_with_its_key(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        commands = list(BindingCommands(app.screen)._commands())
        for workflow in WORKFLOWS:
            listed = [help_text for title, help_text, _run in commands if title == workflow.shown_title()]
            if workflow.allows(app.actor):
                assert listed == [f"{workflow.tooltip} · {app.get_key_display(workflow.binding())}"]
            else:
                assert listed == []
