"""The one way a screen calls a service (screens.widgets.calls) and the one dialog base (screens.widgets.dialogs):
the unit each call opens, results and errors on the UI thread, the newest call winning, nothing delivered to a
closed screen or a quitting app, a refusal kept in its dialog."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from core.errors import AuthenticationFailed, ImportProblem, ImportRejected, NotFound, RuleViolation
from screens.widgets.calls import ServiceCalls, error_line
from screens.widgets.dialogs import SignDialog

WAIT = 10.0  # seconds a test thread waits for the test to let it go (never reached when all is well)
DEADLINE = 60.0  # seconds a test waits for a state before it fails (never reached when all is well)


class Desk(ServiceCalls, App[None]):
    """An app with stand-in units of work: each call says which unit it got, on which thread."""

    def __init__(self) -> None:
        super().__init__()
        self.units: list[tuple[str, bool]] = []
        self.notes: list[tuple[str, str]] = []

    def notify(self, message: str, **kwargs) -> None:
        self.notes.append((message, kwargs.get("severity", "information")))
        super().notify(message, **kwargs)

    @contextmanager
    def reading(self):
        self.units.append(("read", threading.current_thread() is threading.main_thread()))
        yield "read unit"

    @contextmanager
    def writing(self):
        self.units.append(("write", threading.current_thread() is threading.main_thread()))
        yield "write unit"


class Board(ServiceCalls, Screen[None]):
    """A screen that keeps what it was given and what it said."""

    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []
        self.said: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Static("board")

    def say(self, message: str, kind: str = "") -> None:
        self.said.append((message, kind))


async def settle(pilot) -> None:
    """Until no worker runs and what they sent is handled (a cancelled worker's thread may still run)."""
    await pilot.pause()  # a worker just asked for starts
    await until_state(pilot, lambda: not any(worker.is_running for worker in pilot.app.workers), "the workers")
    await pilot.pause()


async def until(pilot, event: threading.Event) -> None:
    """Until a test thread has got as far as `event` (the UI keeps running meanwhile)."""
    await until_state(pilot, event.is_set, "the test thread")


async def until_state(pilot, condition, what: str) -> None:
    """Until `condition()` holds: a state, looked at between short pauses (the UI keeps running), failing only
    past a deadline no machine under load reaches."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        await pilot.pause(0.01)


async def board(pilot) -> Board:
    screen = Board()
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


# -- the one line an operator reads --------------------------------------------------------------


def test_an_error_is_one_line_a_refusal_in_its_words_an_import_with_its_first_problems():
    assert error_line(RuleViolation("RO-1 is settled")) == "RO-1 is settled"
    problems = [ImportProblem(row, "qty", "not a number") for row in range(2, 7)]
    assert error_line(ImportRejected("3 rows refused", problems)).splitlines() == [
        "3 rows refused", "row 2, qty: not a number", "row 3, qty: not a number", "row 4, qty: not a number",
        "… and 2 more"]
    assert error_line(OSError("disk full")) == "disk full"
    assert error_line(OSError("disk full"), "search failed: {error}") == "search failed: disk full"


# -- results and errors --------------------------------------------------------------------------


async def test_a_read_runs_in_a_thread_in_a_read_unit_and_its_result_reaches_the_screen():
    app = Desk()
    async with app.run_test() as pilot:
        screen = await board(pilot)
        screen.run_read(lambda uow: f"read through the {uow}", screen.got.append, group="list")
        screen.run_write(lambda uow: f"written through the {uow}", screen.got.append, group="save")
        await settle(pilot)
        assert sorted(screen.got) == ["read through the read unit", "written through the write unit"]
        assert sorted(app.units) == [("read", False), ("write", False)]  # never on the UI thread
        assert screen.said == []


async def test_a_refusal_is_said_as_its_line_and_a_fault_as_one_line_too():
    app = Desk()
    async with app.run_test() as pilot:
        screen = await board(pilot)

        def refused(uow):
            raise NotFound("no part numbered 123")

        def broken(uow):
            raise RuntimeError("disk I/O error")

        screen.run_read(refused, screen.got.append, group="a")
        await settle(pilot)
        screen.run_read(broken, screen.got.append, group="b")
        await settle(pilot)
        assert screen.got == []
        assert screen.said == [("no part numbered 123", "error"), ("disk I/O error", "error")]
        screen.FAULT = "the database refused: {error}"
        screen.run_read(broken, screen.got.append, group="b")
        await settle(pilot)
        assert screen.said[-1] == ("the database refused: disk I/O error", "error")
        caught: list[Exception] = []
        screen.run_read(refused, screen.got.append, failed=caught.append, group="c")
        await settle(pilot)
        assert [type(exc) for exc in caught] == [NotFound] and len(screen.said) == 3  # failed replaces the line


async def test_an_app_without_a_message_line_says_it_in_a_notification():
    app = Desk()
    async with app.run_test() as pilot:
        def refused(uow):
            raise RuleViolation("nothing to take back")

        app.run_read(refused, group="scan")
        await settle(pilot)
        assert app.notes == [("nothing to take back", "error")]


async def test_the_newest_call_of_a_group_wins_and_an_older_one_finishing_later_delivers_nothing():
    app = Desk()
    async with app.run_test() as pilot:
        screen = await board(pilot)
        slow_started, let_slow_go = threading.Event(), threading.Event()

        def slow(uow):
            slow_started.set()
            let_slow_go.wait(WAIT)
            return "stale"

        screen.run_read(slow, screen.got.append, group="search")
        await until(pilot, slow_started)
        screen.run_read(lambda uow: "newest", screen.got.append, group="search")
        await settle(pilot)
        let_slow_go.set()
        await settle(pilot)
        assert screen.got == ["newest"]
        # Another group is not touched: two groups run side by side.
        screen.run_read(lambda uow: "list", screen.got.append, group="list")
        screen.run_read(lambda uow: "hint", screen.got.append, group="hint")
        await settle(pilot)
        assert sorted(screen.got[1:]) == ["hint", "list"]


async def test_a_debounced_read_replaced_meanwhile_never_opens_its_unit():
    app = Desk()
    async with app.run_test() as pilot:
        screen = await board(pilot)
        for query in ("b", "br", "bra"):
            screen.run_read(lambda uow, query=query: query, screen.got.append, group="search", debounce=0.2)
        await settle(pilot)
        assert screen.got == ["bra"]
        assert app.units == [("read", False)]


async def test_a_result_for_a_screen_closed_meanwhile_is_dropped():
    app = Desk()
    async with app.run_test() as pilot:
        screen = await board(pilot)
        started, let_go = threading.Event(), threading.Event()

        def slow(uow):
            started.set()
            let_go.wait(WAIT)
            return "too late"

        def failing(uow):
            started.wait(WAIT)
            let_go.wait(WAIT)
            raise RuleViolation("too late as well")

        screen.run_read(slow, screen.got.append, group="a")
        screen.run_read(failing, screen.got.append, group="b")
        await until(pilot, started)
        app.pop_screen()
        await pilot.pause()
        let_go.set()
        await settle(pilot)
        assert screen.got == [] and screen.said == []


async def test_the_app_quitting_while_a_call_runs_is_no_error():
    app = Desk()
    started, let_go, ended = threading.Event(), threading.Event(), threading.Semaphore(0)
    async with app.run_test() as pilot:
        screen = await board(pilot)

        def slow(uow):
            started.set()
            let_go.wait(WAIT)
            ended.release()
            return "after the end"

        screen.run_read(slow, screen.got.append, group="a")
        app.run_read(slow, screen.got.append, group="a")
        await until(pilot, started)
    let_go.set()
    assert ended.acquire(timeout=WAIT) and ended.acquire(timeout=WAIT)  # both threads ran to their end
    assert app.return_code in (0, None) and screen.got == []


# -- the dialog base -----------------------------------------------------------------------------


class Signing(App[None]):
    """An app with a write unit and a place for a dialog's result."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []

    @contextmanager
    def writing(self):
        yield "write unit"


async def test_a_wrong_pin_stays_in_the_dialog_the_code_kept_the_pin_emptied_then_the_result_closes_it():
    app = Signing()
    tries: list[tuple[str, str, str]] = []

    def sign(code: str, pin: str, uow) -> str:
        tries.append((code, pin, uow))
        if pin != "1234":
            raise AuthenticationFailed("wrong PIN")
        return f"signed by {code}"

    async with app.run_test() as pilot:
        dialog = SignDialog("Sign", "two pads", sign, code="MECH1")
        await app.push_screen(dialog, app.results.append)
        await pilot.pause()
        await pilot.press(*"9999", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert str(dialog.query_one(".dialog-message", Static).render()) == "wrong PIN"
        assert dialog.query_one(".dialog-message").has_class("error")
        assert dialog.query_one("#sign-code", Input).value == "MECH1"
        assert dialog.query_one("#sign-pin", Input).value == ""
        assert dialog.focused is dialog.query_one("#sign-pin", Input)
        await pilot.press(*"1234", "enter")
        await settle(pilot)
        assert app.results == ["signed by MECH1"]
        assert app.screen is not dialog
    assert tries == [("MECH1", "9999", "write unit"), ("MECH1", "1234", "write unit")]


async def test_a_refusal_keeps_what_was_typed_and_a_second_enter_while_it_runs_does_nothing():
    app = Signing()
    let_go = threading.Event()
    tries: list[str] = []

    def sign(code: str, pin: str, uow) -> str:
        tries.append(pin)
        let_go.wait(WAIT)
        raise RuleViolation("nothing to issue")

    async with app.run_test() as pilot:
        dialog = SignDialog("Sign", "two pads", sign, code="MECH1")
        await app.push_screen(dialog, app.results.append)
        await pilot.pause()
        await pilot.press(*"1234", "enter", "enter")
        await pilot.pause()
        assert str(dialog.query_one(".dialog-message", Static).render()) == "checking…"
        let_go.set()
        await settle(pilot)
        assert tries == ["1234"]
        assert app.screen is dialog and app.results == []
        assert dialog.query_one("#sign-pin", Input).value == "1234"  # not a wrong PIN: kept
        assert str(dialog.query_one(".dialog-message", Static).render()) == "nothing to issue"


async def test_a_result_that_comes_under_another_screen_closes_the_dialog_once_it_shows_again():
    app = Signing()
    let_go = threading.Event()

    def sign(code: str, pin: str, uow) -> str:
        let_go.wait(WAIT)
        return "issued"

    async with app.run_test() as pilot:
        dialog = SignDialog("Sign", "two pads", sign, code="MECH1")
        await app.push_screen(dialog, app.results.append)
        await pilot.pause()
        await pilot.press(*"1234", "enter")
        above = Board()
        await app.push_screen(above)
        let_go.set()
        await settle(pilot)
        assert app.screen is above and app.results == []  # the screen above is not closed instead
        app.pop_screen()
        await settle(pilot)
        assert app.results == ["issued"] and app.screen is not dialog


# -- a slow call shows that the desk is working ---------------------------------------------------------------


class HeadedBoard(Board):
    """A board with the header where "working…" shows."""

    def compose(self) -> ComposeResult:
        from textual.widgets import Header

        yield Header()
        yield Static("board")


def header_text(screen) -> str:
    from textual.widgets._header import HeaderTitle  # the header's title widget: what the operator reads

    return str(screen.query_one(HeaderTitle).render())


async def test_a_call_slower_than_150_ms_marks_the_header_working_until_it_answers():
    from screens.widgets.calls import Working

    app = Desk()
    async with app.run_test() as pilot:
        app.sub_title = "STORE1 · storekeeper"
        screen = HeadedBoard()
        await app.push_screen(screen)
        await pilot.pause()
        started, release = threading.Event(), threading.Event()

        def slow(uow):
            started.set()
            release.wait(WAIT)
            return "read"

        screen.run_read(slow, screen.got.append, group="list")
        await until(pilot, started)
        # The mark comes once the call has run WORKING_AFTER seconds.
        await until_state(pilot, lambda: "working…" in header_text(screen), "the working mark")
        assert "working…" in header_text(screen) and "STORE1 · storekeeper" in header_text(screen)
        assert Working.of(app).shown and screen.got == []
        release.set()
        await settle(pilot)
        assert screen.got == ["read"]
        assert not Working.of(app).shown and screen.sub_title is None
        assert "working…" not in header_text(screen)


async def test_a_quick_call_leaves_no_mark_and_a_replaced_one_clears_it():
    from screens.widgets.calls import Working

    app = Desk()
    async with app.run_test() as pilot:
        screen = HeadedBoard()
        await app.push_screen(screen)
        await pilot.pause()
        screen.run_read(lambda uow: "quick", screen.got.append, group="list")
        await settle(pilot)
        assert screen.got == ["quick"] and not Working.of(app).shown
        started, release = threading.Event(), threading.Event()

        def slow(uow):
            started.set()
            release.wait(WAIT)
            return "old"

        screen.run_read(slow, screen.got.append, group="search")
        await until(pilot, started)
        await until_state(pilot, lambda: Working.of(app).shown, "the working mark")
        assert Working.of(app).shown
        screen.run_read(lambda uow: "new", screen.got.append, group="search")  # replaces the slow one
        await settle(pilot)
        release.set()
        await until_state(pilot, lambda: not Working.of(app).shown, "the working mark to go")
        assert screen.got == ["quick", "new"] and not Working.of(app).shown


async def test_a_slow_call_cancelled_takes_its_mark_with_it_at_once():
    from screens.widgets.calls import Working

    app = Desk()
    async with app.run_test() as pilot:
        screen = HeadedBoard()
        await app.push_screen(screen)
        await pilot.pause()
        started, release = threading.Event(), threading.Event()

        def slow(uow):
            started.set()
            release.wait(WAIT)
            return "never shown"

        worker = screen.run_read(slow, screen.got.append, group="list")
        await until(pilot, started)
        await until_state(pilot, lambda: Working.of(app).shown, "the working mark")
        assert Working.of(app).shown
        worker.cancel()  # its thread still waits: only the worker's end says the call is over
        await settle(pilot)
        assert not Working.of(app).shown and "working…" not in header_text(screen)
        release.set()
        await settle(pilot)
        assert screen.got == []


async def test_a_call_replaced_before_its_worker_ran_leaves_no_mark():
    from screens.widgets.calls import Working

    app = Desk()
    async with app.run_test() as pilot:
        screen = HeadedBoard()
        await app.push_screen(screen)
        await pilot.pause()
        # Two calls of one group in one handler (a list filled, then its highlighted row read): Textual cancels the
        # first before its task ran, so that worker never says it ended; the desk must not wait on it.
        first = screen.run_read(lambda uow: "first", screen.got.append, group="row")
        screen.run_read(lambda uow: "second", screen.got.append, group="row")
        await settle(pilot)
        assert screen.got == ["second"] and first not in app.workers and not first.is_finished
        await until_state(pilot, lambda: not Working.of(app).calls, "the replaced call forgotten")
        assert not Working.of(app).shown and "working…" not in header_text(screen)
