"""Keys in the order they were typed: the app hands the focused widget one key at a time, each once the app is
quiet again after the key before.

Textual sends a key to the widget focused when the app reads it, a field types a character in at once, but a
key's binding (a field's Backspace, the screen's Tab, a field's Enter) runs only once the key has bubbled back
up to the app. In a fast burst the characters behind a Backspace were therefore typed before the Backspace was
done (and it deleted them), and those behind a Tab or an Enter went into the field being left. Handed on one
at a time, each once the one before and all it set off (the focus moved, a field submitted, a dialog opened)
is handled, a burst lands exactly as if it had been typed slowly: nothing dropped, reordered or misplaced.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App

# A key waits at most this long for the app to go quiet: a safety net for an app that never is (an animation),
# never the normal case. A key waits a few milliseconds; one behind a screen being built, a few hundred on a
# loaded machine, and handing it on before then is exactly the bug this module exists to prevent.
MAX_WAIT = 2.0
# Quiet this many looks in a row, with a turn of the event loop between: a task woken by the last message runs.
QUIET_LOOKS = 3


class KeyQueue:
    """The keys an app has read but not yet handed on, oldest first, and the worker that hands them on."""

    def __init__(self, app: App) -> None:
        """A queue for `app`, empty."""
        self.app = app
        self._waiting: deque[events.Key] = deque()
        self._released: set[events.Key] = set()  # keys handed back to the app, to pass without waiting again
        self._feeding = False

    @property
    def busy(self) -> bool:
        """Whether keys are still waiting or the app is still handling one."""
        return bool(self._waiting) or self._feeding or not self.quiet()

    def wait(self, event: events.Key) -> bool:
        """Whether `event` (a key the app just read) waits its turn; False: the app hands it on now."""
        if event in self._released:
            self._released.discard(event)
            return False
        if not self._waiting and not self._feeding and self.quiet():
            return False
        self._waiting.append(event)
        self._feed()
        return True

    def put_back(self, *keys: events.Key) -> list[events.Key]:
        """Keys that go before every waiting key, in the order given (the scanner gives back keys it held); returns
        the keys as they will come back.

        Fresh copies with the keys' own times: a key that has been handled once is marked as used up.
        """
        copies = []
        for key in keys:
            copy = events.Key(key.key, key.character)
            copy.time = key.time
            copies.append(copy)
        self._waiting.extendleft(reversed(copies))
        self._feed()
        return copies

    def quiet(self) -> bool:
        """Whether no message waits in the app or any of its widgets and screens (the key being read aside)."""
        app = self.app
        # Textual keeps no public count of messages on their way; every node's queue is the measure.
        for node in (app, *app.screen_stack, *app._registry):  # noqa: SLF001 (Textual's own list of nodes)
            if node._message_queue.qsize() or node._pending_message is not None or node._next_callbacks:  # noqa: SLF001
                return False
        return True

    def _feed(self) -> None:
        if not self._feeding:
            self._feeding = True
            # A worker, so that whoever waits for the app's workers (tests, shutdown) waits for the keys too.
            self.app.run_worker(self._hand_on(), group="keys", name="keys in order", exclusive=False)

    async def _hand_on(self) -> None:
        try:
            while self._waiting:
                await self._until_quiet()
                if not self._waiting:
                    break
                event = self._waiting.popleft()
                self._released.add(event)
                self.app.post_message(event)
        finally:
            self._feeding = False

    async def _until_quiet(self) -> None:
        deadline = monotonic() + MAX_WAIT
        looks = 0
        tries = 0
        while looks < QUIET_LOOKS and monotonic() < deadline:
            # A turn of the loop first; an app busy for longer is looked at every few milliseconds, not spun on.
            await asyncio.sleep(0 if tries < 20 else 0.002)
            tries += 1
            looks = looks + 1 if self.quiet() else 0
