"""Calling a core service from a screen: the one way, off the UI thread in one unit of work, then its result or error.

A screen, a widget or the app mixes in `ServiceCalls` and asks

    self.run_read(lambda uow: list_receipts(uow=uow, open_only=True), self._fill, group="receipts")

`work(uow)` runs in a thread worker inside `self.app.reading()` (`run_write`: `self.app.writing()`;
`run_blocking`: no unit, for work that opens its own or needs none); then, on the UI thread,
`done(result)` — or, when it raised, `failed(exc)`, by default `show_error`: a refusal (PartsdeskError)
as its one line, an import's first problems under it, any other exception as one line too (logged,
never a traceback), on the node's message line through `say(line, "error")`.

A call that takes longer than WORKING_AFTER seconds marks the header "working…" until it (and every other
slow call) has answered (`Working`): the operator sees the desk took the key, never a frozen screen.

The newest call of an exclusive group wins (search as you type): a call replaced by a newer one, or
cancelled, or whose screen has closed meanwhile, delivers nothing, and an app quitting meanwhile is no
error. The outcome is handed to the UI thread in one place (`_deliver`, through `call_from_thread`)
and checked there, where exclusive workers are cancelled; the worker ends once it is shown, so a test
(or anything) that waits for the workers sees their outcome on screen.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.worker import Worker, get_current_worker

from core.errors import PartsdeskError
from core.i18n import _

if TYPE_CHECKING:
    from core.units import ReadUnit, WriteUnit

T = TypeVar("T")
# How many of an import's problems the one line shows (the CLI lists them all).
SHOWN_PROBLEMS = 3
# After how long a call that has not answered shows "working…": below it, a mark would only flicker.
WORKING_AFTER = 0.15
# How often the mark is checked while calls run.
_WORKING_TICK = 0.05


class Working:
    """The "working…" mark of one app: in the header of the top full screen (a dialog's is the screen under it)
    while any service call has been running longer than WORKING_AFTER; gone once none has.

    The header shows the screen's sub-title when it has one, so the mark is the screen's sub-title set to the
    app's and "working…"; cleared, the header shows the app's again.
    """

    def __init__(self, app: Any) -> None:
        """No call running yet."""
        self.app = app
        self.calls: dict[Worker, float] = {}
        self.marked: Any = None  # the screen whose header says "working…"
        self._timer: Any = None

    @classmethod
    def of(cls, app: Any) -> Working:
        """The app's one Working (made on first use)."""
        working = getattr(app, "_partsdesk_working", None)
        if working is None:
            working = cls(app)
            app._partsdesk_working = working
        return working

    @property
    def shown(self) -> bool:
        """Whether a header says "working…" now."""
        return self.marked is not None

    def started(self, worker: Worker) -> None:
        """A call started: watched until it answers."""
        self.calls[worker] = time.monotonic()
        if self._timer is None:
            self._timer = self.app.set_interval(_WORKING_TICK, self.check, name="working")

    def answered(self, worker: Worker) -> None:
        """A call answered (its result or error is shown): the mark goes when no other slow call runs."""
        self.calls.pop(worker, None)
        self.check()

    def check(self) -> None:
        """Mark or unmark the header as the running calls stand; stop watching when none runs."""
        now = time.monotonic()
        # Cancelled, replaced, or its node gone; or out of the app's workers: a worker cancelled before its task
        # ran (replaced in the handler that started it) keeps the state RUNNING and never says it ended.
        for worker in [w for w in self.calls if w.is_finished or w not in self.app.workers]:
            del self.calls[worker]
        self._mark(any(now - started >= WORKING_AFTER for started in self.calls.values()))
        if not self.calls and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _mark(self, on: bool) -> None:
        from textual.screen import ModalScreen

        screen = next((s for s in reversed(self.app.screen_stack) if not isinstance(s, ModalScreen)), None)
        if self.marked is not None and (not on or self.marked is not screen):
            if self.marked.is_attached:
                self.marked.sub_title = None
            self.marked = None
        if on and screen is not None and self.marked is None:
            base = self.app.sub_title
            screen.sub_title = f"{base} · {_('working…')}" if base else _("working…")
            self.marked = screen


def error_line(exc: BaseException, fault: str | None = None) -> str:
    """The line an operator reads for an error: a refusal's message (an import's first problems under it), or
    a fault that is no refusal in the words of `fault` (a template with `{error}`; None: the fault's own)."""
    if isinstance(exc, PartsdeskError):
        problems = getattr(exc, "problems", None) or []
        lines = [exc.message, *(str(problem) for problem in problems[:SHOWN_PROBLEMS])]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(_("… and {count} more").format(count=len(problems) - SHOWN_PROBLEMS))
        return "\n".join(lines)
    return (fault or "{error}").format(error=exc)


class ServiceCalls:
    """Mixin for an App, Screen or Widget: run a service off the UI thread, then show its result or its error.

    Each `run_*` starts a thread worker in `group` (exclusive by default: the newest call of the group
    wins; `exclusive=False` for calls that run side by side, one per part say) and returns it. `done(result)`
    and `failed(exc)` are plain functions run on the UI thread before the worker finishes (so a finished
    worker's outcome is on screen), only while the node is attached and the call was not replaced or
    cancelled; without `failed`, `show_error` says the error. The node says its lines through
    `say(message, kind)`: a screen or dialog with a message line defines it, otherwise they are
    notifications. A bug in `done` or `failed` fails the worker and closes the desk with its traceback,
    as a bug in any handler does: loudly, never a screen left saying "saving…".
    """

    # How a fault that is no refusal reads on this node: a template with {error} marked with N_ (translated when
    # shown); None: the fault's own words.
    FAULT: ClassVar[str | None] = None

    def run_read(self, work: Callable[[ReadUnit], T], done: Callable[[T], Any] | None = None, *, group: str,
                 failed: Callable[[Exception], Any] | None = None, exclusive: bool = True,
                 debounce: float = 0.0) -> Worker:
        """Run `work(uow)` in a read unit (never the write lock); `debounce` seconds first, so that a burst of
        keys (a scanner, fast typing) runs one read, not ten."""
        return self._start_call("read", work, done, failed, group, exclusive, debounce)

    def run_write(self, work: Callable[[WriteUnit], T], done: Callable[[T], Any] | None = None, *, group: str,
                  failed: Callable[[Exception], Any] | None = None, exclusive: bool = True) -> Worker:
        """Run `work(uow)` in a write unit: the write lock first, everything committed at the end or nothing."""
        return self._start_call("write", work, done, failed, group, exclusive, 0.0)

    def run_blocking(self, work: Callable[[], T], done: Callable[[T], Any] | None = None, *, group: str,
                     failed: Callable[[Exception], Any] | None = None, exclusive: bool = True) -> Worker:
        """Run `work()` with no unit opened for it: work that opens its own units, writes files or waits on
        a printer."""
        return self._start_call(None, work, done, failed, group, exclusive, 0.0)

    def _start_call(self, unit: str | None, work: Callable[..., Any], done: Callable[[Any], Any] | None,
                    failed: Callable[[Exception], Any] | None, group: str, exclusive: bool, debounce: float) -> Worker:
        app = self.app

        def run() -> None:
            worker = get_current_worker()
            if debounce:
                time.sleep(debounce)
                if worker.is_cancelled:  # a newer call came meanwhile: no read at all
                    return
            result, error = None, None
            try:
                if unit is None:
                    result = work()
                else:
                    with app.reading() if unit == "read" else app.writing() as uow:
                        result = work(uow)
            except Exception as exc:  # every error is the screen's to show, none the worker's
                error = exc
            try:
                app.call_from_thread(self._deliver, worker, done, failed, result, error)
            except RuntimeError:
                if app.is_running:  # a bug in done or failed: as loud as in any handler
                    raise
                # Else the app quit meanwhile: nothing to show, and no error.

        worker = self.run_worker(run, name=getattr(work, "__name__", "call"), group=group, exclusive=exclusive,
                                 thread=True)
        Working.of(app).started(worker)
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A call's worker ended, whatever the way (answered, replaced, cancelled before it ran): the "working…"
        mark is checked again at once, so that no mark outlives the calls (Textual runs this beside a
        subclass's own handler)."""
        if event.worker.is_finished:
            Working.of(self.app).answered(event.worker)

    async def _deliver(self, worker: Worker, done: Callable[[Any], Any] | None,
                       failed: Callable[[Exception], Any] | None, result: Any, error: Exception | None) -> None:
        """On the UI thread, where exclusive workers are cancelled: the result to `done`, the error to `failed`."""
        Working.of(self.app).answered(worker)
        # Cancelled: replaced by a newer call of its group, or its node went; detached: closed, signed out, quit.
        if worker.is_cancelled or not self.is_attached:
            return
        if error is None:
            shown = done(result) if done is not None else None
        elif failed is not None:
            shown = failed(error)
        else:
            shown = self.show_error(error)
        if inspect.isawaitable(shown):  # a dismiss or a push: the worker ends once the screens have moved
            await shown

    def show_error(self, exc: Exception, fault: str | None = None) -> None:
        """Say an error as its one line (kind error); a fault that is no refusal is logged too, never a traceback.

        `fault` words a fault for this call (a template with {error}); the node's FAULT otherwise.
        """
        if not isinstance(exc, PartsdeskError):
            self.log.error(exc)
        self.say(error_line(exc, fault or (_(self.FAULT) if self.FAULT else None)), "error")

    def say(self, message: str, kind: str = "") -> None:
        """Show a line to the operator (kind: error, notice, waiting, success or nothing): a notification here;
        a screen or dialog with a message line of its own overrides this."""
        self.notify(message, severity="error" if kind == "error" else "information")
