"""No keystroke is lost: keys typed fast (right after Backspaces, a login typed ahead with Tab) reach the field
they were typed into, in order, and Tab and Enter keep their meaning."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from core.roles import Role
from core.services import repair_orders
from screens.home import HomeScreen
from screens.intake import IntakeScreen
from screens.intake_form import RepairOrderForm
from screens.widgets.answer import AnswerDialog
from tests.helpers import CODES, PIN
from tests.helpers.planning import log_shortage, repair_order
from tests.helpers.tui import SIZE, burst, make_app, settle, sign_in, timed


async def test_a_login_typed_ahead_with_tab_signs_in(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, *CODES[Role.STOREKEEPER], "tab", *PIN, "enter")
        assert app.actor is not None and app.actor.code == CODES[Role.STOREKEEPER]
        assert isinstance(app.screen, HomeScreen)


async def test_a_vin_typed_fast_after_backspaces_is_whole(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RepairOrderForm)
        vin = form.query_one("#field-vin", Input)
        form.set_focus(vin)
        await burst(pilot, *"wrong12")
        assert vin.value == "wrong12"
        await burst(pilot, *["backspace"] * 7, *"lsgpc52u6af10239")
        assert vin.value == "lsgpc52u6af10239"


async def test_a_shortage_answer_note_typed_fast_after_backspaces_is_whole(stocked, staff, clock):
    log_shortage(stocked, staff, clock, repair_order(stocked, staff), minutes_ago=12)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnswerDialog)
        note = app.screen.query_one("#pd-note", Input)
        app.screen.set_focus(note)
        await burst(pilot, *"SGM")
        await burst(pilot, *["backspace"] * 3, *"厂家订货 or SGM express")
        assert note.value == "厂家订货 or SGM express"


# -- every key, in order, whatever the timing: random keys against a reference model ---------------------------

TYPED = st.sampled_from([*"azAZ09-/. ", *"厂家订货沪"])
MS = st.integers(min_value=0, max_value=200)
STEPS = st.lists(st.one_of(TYPED, st.sampled_from(["backspace", "tab", "shift+tab", "enter"])), max_size=24)
# Each example starts the app: a few examples keep the suite fast; derandomized, every run tries the same ones.
BOUNDED = settings(max_examples=6, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


class Form:
    """What a form's fields should hold after a sequence of keys: typing appends (up to a field's length),
    Backspace deletes the last character, Tab, Shift+Tab and Enter move between the fields, and a field the
    focus moves into has its text selected (the first key typed replaces it, Backspace empties it)."""

    def __init__(self, names: list[str], lengths: list[int]) -> None:
        """Empty fields `names`, each taking at most its length; the first has the focus."""
        self.names, self.lengths = names, lengths
        self.values = [""] * len(names)
        self.at = 0
        self.selected = False

    def key(self, key: str) -> str:
        """Apply `key`; returns it."""
        value = "" if self.selected else self.values[self.at]
        if key in ("tab", "enter", "shift+tab"):
            self.at = (self.at + (-1 if key == "shift+tab" else 1)) % len(self.names)
            self.selected = self.values[self.at] != ""
            return key
        if key == "backspace":
            self.values[self.at] = value[:-1] if not self.selected else ""
        elif len(value) < self.lengths[self.at]:
            self.values[self.at] = value + key
        self.selected = False
        return key


def with_gaps(steps: list[str], gaps: list[int], form: Form, *, enter_moves) -> list[tuple[str, float]]:
    """The keys to send, each with its gap, the model following them (an Enter that would not move on is a Tab)."""
    keys = []
    for index, step in enumerate(steps):
        if step == "enter" and not enter_moves(form):
            step = "tab"
        keys.append((form.key(step), gaps[index % len(gaps)] / 1000))
    return keys


@BOUNDED
@example(steps=["a", "货", *"a" * 11, "tab", "a", "tab", "a"], gaps=[0])  # back into a field: its text selected
@given(steps=STEPS, gaps=st.lists(MS, min_size=1, max_size=24))
def test_random_keys_at_random_speeds_land_in_the_login_fields(db, staff, steps, gaps):
    # Enter in the operator code moves on only with a code typed; Enter in the PIN would sign in: a Tab instead.
    form = Form(["code", "pin"], [16, 12])
    keys = with_gaps(steps, gaps, form, enter_moves=lambda f: f.at == 0 and f.values[0].strip() != "")

    async def run() -> dict[str, str]:
        app = make_app(db)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await timed(pilot, keys)
            return {name: app.screen.query_one(f"#{name}", Input).value for name in form.names}

    assert asyncio.run(run()) == dict(zip(form.names, form.values, strict=True))


@BOUNDED
@example(steps=["Z", "货", "a", "tab", "货", "backspace", "厂", "enter", "shift+tab"],
         gaps=[200, 200, 49, 6, 144, 55, 40, 40, 141, 191])  # seen reordered on a loaded machine
@given(steps=STEPS, gaps=st.lists(MS, min_size=1, max_size=24))
def test_random_keys_at_random_speeds_land_in_the_intake_forms_fields(db, staff, steps, gaps):
    # The form's first three fields (the ones it keeps as typed); a move past them goes back instead.
    names = ["customer", "phone", "address"]
    form = Form(names, [10_000] * 3)
    keys = []
    for index, step in enumerate(steps):
        if step in ("tab", "enter") and form.at == len(names) - 1:
            step = "shift+tab"
        elif step == "shift+tab" and form.at == 0:
            step = "tab"
        keys.append((form.key(step), gaps[index % len(gaps)] / 1000))

    async def run() -> dict[str, str]:
        app = make_app(db)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, Role.ADVISOR)
            await pilot.press("f4")
            await settle(pilot)
            await pilot.press("ctrl+n")
            await settle(pilot)
            assert isinstance(app.screen, RepairOrderForm)
            await timed(pilot, keys)
            return {name: app.screen.query_one(f"#field-{name}", Input).value for name in names}

    assert asyncio.run(run()) == dict(zip(names, form.values, strict=True))


NOTE_KEYS = st.lists(st.one_of(TYPED, st.just("backspace")), min_size=1, max_size=16)
SCAN_GAP = 0.06  # the scan_gap_ms setting's default


def read_as_scan(keys: list[tuple[str, float]]) -> bool:
    """Whether the scanner reads keys ending in Enter as a scan: at least three characters and the Enter, each
    key at most the gap after the one before."""
    *typed, (_enter, enter_gap) = keys
    gaps = [gap for _key, gap in typed[1:]] + [enter_gap]
    return (len(typed) >= 3 and all(len(key) == 1 or key == " " for key, _gap in typed)
            and all(gap <= SCAN_GAP for gap in gaps))


@settings(BOUNDED, max_examples=3)
@example(note=list("ab"), gaps=[0])  # n, a, b and Enter at once: a scan of "NAB", which names nothing
@example(note=[*"oil", "backspace", *"l leak"], gaps=[30, 150, 20])  # fast, a pause, fast again: typing
@given(note=NOTE_KEYS, gaps=st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=18))
def test_random_keys_on_the_board_are_a_scan_or_the_note_they_type(db, staff, papers, note, gaps):
    # `n`, then the note, then Enter, at random speeds on the intake board (no field has the focus): the scanner
    # holds the keys while they may be a scan; they are one only when all came within the gap; otherwise every
    # key runs, in order: n opens the note dialog, the rest is typed into it and Enter records it.
    steps = ["n", *note, "enter"]
    keys = [(key, 0 if index == 0 else gaps[index % len(gaps)] / 1000) for index, key in enumerate(steps)]
    text = ""
    for key in note:
        text = text[:-1] if key == "backspace" else text + key
    scan = read_as_scan(keys)
    assume(scan or text.strip())  # an empty note is refused and the dialog stays: not this test's subject

    def notes() -> list[str]:
        with db.reading() as uow:
            return [entry.text for entry in repair_orders.get_repair_order(papers["ro"], uow=uow).notes]

    before = notes()

    async def run() -> bool:
        app = make_app(db)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, Role.ADVISOR)
            await pilot.press("f4")
            await settle(pilot)
            board = app.screen
            assert isinstance(board, IntakeScreen) and board.order.ro_no == papers["ro"]
            await timed(pilot, keys)
            return app.screen is board

    assert asyncio.run(run())
    assert notes() == (before if scan else [*before, text.strip()])
