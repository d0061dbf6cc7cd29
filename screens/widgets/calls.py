"""Calling a core service from a screen: the one way, off the UI thread in one unit of work, then its result or error.

A screen, a widget or the app mixes in `ServiceCalls` and asks

    self.run_read(lambda uow: list_receipts(uow=uow, open_only=True), self._fill, group="receipts")

`work(uow)` runs in a thread worker inside `self.app.reading()` (`run_write`: `self.app.writing()`;
`run_blocking`: no unit, for work that opens its own or needs none); then, on the UI thread,
`done(result)` — or, when it raised, `failed(exc)`, by default `show_error`: a refusal (PartsdeskError)
as its one line, an import's first problems under it, any other exception as one line too (logged,
never a traceback), on the node's message line through `say(line, "error")`.

The newest call of an exclusive group wins (search as you type): a call replaced by a newer one, or
cancelled, or whose screen has closed meanwhile, delivers nothing, and an app quitting meanwhile is no
error. Results come back through Textual's `Worker.StateChanged`, handled in one place
(`on_worker_state_changed`): the thread never touches the UI and never waits for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.worker import Worker, WorkerState, get_current_worker

from core.errors import PartsdeskError
from core.i18n import _

if TYPE_CHECKING:
    from core.units import ReadUnit, WriteUnit

T = TypeVar("T")
# How many of an import's problems the one line shows (the CLI lists them all).
SHOWN_PROBLEMS = 3


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


class _Call:
    """One call in flight: what to do with its outcome, and the outcome once the thread has it."""

    __slots__ = ("done", "failed", "result", "error")

    def __init__(self, done: Callable[[Any], Any] | None, failed: Callable[[Exception], Any] | None) -> None:
        self.done, self.failed = done, failed
        self.result: Any = None
        self.error: Exception | None = None


class ServiceCalls:
    """Mixin for an App, Screen or Widget: run a service off the UI thread, then show its result or its error.

    Each `run_*` starts a thread worker in `group` (exclusive by default: the newest call of the group
    wins; `exclusive=False` for calls that run side by side, one per part say) and returns it. `done(result)`
    and `failed(exc)` are plain functions run on the UI thread, only while the node is attached and the
    call was not replaced or cancelled; without `failed`, `show_error` says the error. The node says its
    lines through `say(message, kind)`: a screen or dialog with a message line defines it, otherwise
    they are notifications. A bug in `done` or `failed` raises like a bug in any handler: loudly.
    """

    # How a fault that is no refusal reads on this node: a template with {error}; None: the fault's own words.
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
        call = _Call(done, failed)

        def run() -> _Call:
            if debounce:
                time.sleep(debounce)
                if get_current_worker().is_cancelled:  # a newer call came meanwhile: no read at all
                    return call
            try:
                if unit is None:
                    call.result = work()
                else:
                    with app.reading() if unit == "read" else app.writing() as uow:
                        call.result = work(uow)
            except Exception as exc:  # every error is the screen's to show, none the worker's
                call.error = exc
            return call

        # exit_on_error=False: nothing but a bug in run() itself can fail the worker, and that must not close the desk.
        return self.run_worker(run, name=getattr(work, "__name__", "call"), group=group,
                               exclusive=exclusive, thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a call's outcome reaches the UI: the result to `done`, the error to `failed`."""
        call = event.worker.result
        if event.state != WorkerState.SUCCESS or not isinstance(call, _Call):
            return
        # Cancelled: replaced by a newer call of its group, or its node went; detached: closed, signed out, quit.
        if event.worker.is_cancelled or not self.is_attached:
            return
        if call.error is None:
            if call.done is not None:
                call.done(call.result)
        elif call.failed is not None:
            call.failed(call.error)
        else:
            self.show_error(call.error)

    def show_error(self, exc: Exception, fault: str | None = None) -> None:
        """Say an error as its one line (kind error); a fault that is no refusal is logged too, never a traceback.

        `fault` words a fault for this call (a template with {error}); the node's FAULT otherwise.
        """
        if not isinstance(exc, PartsdeskError):
            self.log.error(exc)
        self.say(error_line(exc, fault or self.FAULT), "error")

    def say(self, message: str, kind: str = "") -> None:
        """Show a line to the operator (kind: error, notice, waiting, success or nothing): a notification here;
        a screen or dialog with a message line of its own overrides this."""
        self.notify(message, severity="error" if kind == "error" else "information")
