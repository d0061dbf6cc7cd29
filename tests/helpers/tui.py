"""The TUI in tests: the app on a test database, sample stock, signing in, keys typed or scanned, and what the
screen shows."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from core.roles import Role
from core.services.catalog import add_location
from core.services.part_import import import_parts
from core.services.stock import adjust
from tests.helpers.staff import CODES, FROZEN, PIN
from tests.helpers.station import SAMPLES
from tui.app import PartsdeskApp

SIZE = (120, 36)
BRAKE_PADS = "96536697"
# The lots of the brake pads, written newest first on purpose: only ordering by date shows them oldest first.
BRAKE_PAD_LOTS = (
    (datetime(2026, 11, 15, 9, 0, tzinfo=UTC), "10", "EXC-01-02-03", "270.00"),
    (datetime(2026, 11, 1, 14, 30, tzinfo=UTC), "4", "EXC-01-02-03", "250.00"),
    (datetime(2026, 11, 8, 10, 15, tzinfo=UTC), "6", "EXC-01-02-04", "260.00"),
)


def stock_samples(db, staff, clock):
    """Fill db with the sample parts master (English, then the Chinese names) and three lots of brake pads."""
    with db.writing() as uow:
        import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        import_parts(SAMPLES / "parts_master_gb18030.csv", actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        add_location("EXC-01-02-04", "EXCELLE", actor=staff[Role.STOREKEEPER], uow=uow)
    for at, qty, location, cost in BRAKE_PAD_LOTS:
        clock.set(at)
        with db.writing() as uow:
            adjust(BRAKE_PADS, qty, location=location, reason="opening balance", unit_cost=cost,
                   actor=staff[Role.PARTS_MANAGER], uow=uow)
    clock.set(datetime(2026, 11, 18, 11, 0, tzinfo=UTC))
    with db.writing() as uow:  # one pad counted short: taken from the oldest lot at that location
        adjust(BRAKE_PADS, "-1", location="EXC-01-02-03", reason="stocktake",
               actor=staff[Role.PARTS_MANAGER], uow=uow)
    clock.set(FROZEN)
    return db


def make_app(database) -> PartsdeskApp:
    """The app on a test database, exactly as the CLI builds it but for the ready-made database."""
    return PartsdeskApp(database=database)


# How many rounds in a row the app must stay quiet. A key bubbles, a dialog dismisses, a screen mounts and
# only then starts its worker: one quiet round can fall between two of these steps on a busy machine.
QUIET_ROUNDS = 3


async def settle(pilot: Pilot) -> None:
    """Wait until no worker runs and every message they caused is handled, for several rounds in a row."""
    app = pilot.app
    quiet = 0
    for _round in range(200):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # a search replaced by a newer one
            pass
        await pilot.pause()
        if any(worker.is_running for worker in app.workers):
            quiet = 0
            continue
        quiet += 1
        if quiet == QUIET_ROUNDS:
            return
    raise AssertionError("workers still running")


async def until(pilot: Pilot, condition: Callable[[], bool], what: str, *, timeout: float = 60.0) -> None:
    """Wait for a state, not for a time: settle and look again until `condition()` holds, then let what it
    drew settle too. Fails naming `what` only past `timeout` seconds, a bound no machine under load reaches."""
    deadline = time.monotonic() + timeout
    while True:
        await settle(pilot)
        if condition():
            await settle(pilot)
            return
        assert time.monotonic() < deadline, f"still waiting for {what} after {timeout:.0f} s"
        await pilot.pause()


def _key(app, key: str) -> events.Key:
    """A key event as a terminal delivers it: Enter carries a carriage return, a printable key its character."""
    if key == " ":  # a space is the key named "space"
        key = "space"
    names = {"enter": "\r", "space": " ", "tab": "\t", "backspace": "\x7f"}
    character = names.get(key, key if len(key) == 1 else None)
    event = events.Key(key, character)
    event.set_sender(app)
    return event


async def polled(pilot: Pilot, condition: Callable[[], bool], what: str, *, timeout: float = 60.0) -> None:
    """Wait for a state by pausing only, never settling: for a state reached while a worker is held on purpose,
    in a task of Textual's own (the palette's search) or after a resize. Fails naming `what` past `timeout`
    seconds; a count of pauses would be a time in disguise (a pause is as short as an idle app allows)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        await pilot.pause()


async def burst(pilot: Pilot, *keys: str) -> None:
    """Keys as a barcode scanner sends them: all queued at once, as a terminal delivers them.

    Pilot.press waits for the app to go idle after every key, which hides any race between
    the characters and the Enter after them; a real scanner gives the app no such pause, so the
    keys are posted to the app's queue together (App.post_message) and only then awaited.
    """
    app = pilot.app
    for key in keys:
        app.post_message(_key(app, key))
    await settle(pilot)


def screen_text(app) -> str:
    """What the terminal shows now, as plain text."""
    # Textual has no public plain-text view of the screen: App.export_screenshot renders the same
    # compositor's strips to SVG, and reading text back out of SVG would be slower and looser.
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def toasts(app) -> list[str]:
    """The notifications on screen now, as their text, oldest first."""
    # By the widget's type name: Textual keeps the Toast class in a private module.
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def steady_cursors(app) -> None:
    """Stop cursor blinking so that a snapshot does not depend on the moment it is taken."""
    for field in app.screen.query(Input):
        field.cursor_blink = False


async def sign_in(pilot: Pilot, role: Role = Role.STOREKEEPER, pin: str = PIN) -> None:
    """Type an operator code and PIN as an operator would, then wait for the outcome."""
    await settle(pilot)
    await pilot.press(*CODES[role], "enter", *pin, "enter")
    await settle(pilot)


async def typed(pilot: Pilot, *keys: str, gap: float = 0.5) -> None:
    """Keys as a person types them: each stamped `gap` seconds after the one before, however fast the test
    runs (the scanner check reads the keys' own times, so no sleeping is needed)."""
    app = pilot.app
    start = events.Key("a", "a").time
    for index, key in enumerate(keys):
        event = _key(app, key)
        event.time = start + index * gap
        app.post_message(event)
        await pilot.pause()
    await settle(pilot)


# A key this long after the one before is posted only once the app has caught up (a person pausing);
# keys closer together are posted at once, as they queue up in front of a busy app.
CATCH_UP = 0.1


async def timed(pilot: Pilot, keys: list[tuple[str, float]]) -> None:
    """Keys each stamped its gap (seconds) after the one before, as a terminal delivers them: behind a long gap the
    app has caught up, behind a short one it has not (the scanner check reads the stamps, so nothing sleeps)."""
    app = pilot.app
    at = events.Key("a", "a").time
    for key, gap in keys:
        at += gap
        if gap > CATCH_UP:
            await pilot.pause()
        event = _key(app, key)
        event.time = at
        app.post_message(event)
    await settle(pilot)
