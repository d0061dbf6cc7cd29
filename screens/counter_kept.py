"""The counter's lines kept while they are being scanned: saved for the repair order as they change, restored
when the storekeeper opens the order again (after a sign-out, a quit, a crash or at another terminal).

A mixin of the counter screen: it uses the screen's order, lines (`draft`), message line and service calls.
Lines scanned before any order is open are not kept: leaving with them asks first (screens.widgets.leaving).
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from core.i18n import _, ngettext
from core.services.work_in_progress import load_work, save_work

COUNTER_WORK = "counter"  # the screen's name in work_in_progress


class KeptLines:
    """Save the lines for the open order after every change; restore them when an order opens with none."""

    _keeping = 0  # saves started and not finished

    def keep_lines(self, ro: str | None = None) -> None:
        """Save the lines as they stand for order `ro` (the open one by default); no lines: the kept ones go."""
        order = getattr(self, "order", None)
        ro = ro or (order.ro_no if order is not None else None)
        if ro is None or self.app.actor is None:
            return
        lines = [[line.part_no, str(line.qty)] for line in self.draft.values()]
        self._save(ro, {"lines": lines} if lines else {})

    def _save(self, ro: str, payload: dict) -> None:
        actor = self.app.actor
        version = time.time_ns()  # a save overtaken by a later one (another worker) never overwrites it
        self._keeping += 1
        self.run_write(lambda uow: save_work(COUNTER_WORK, ro, payload, version, actor=actor, uow=uow),
                       self._kept, failed=self._not_kept, group="keep", exclusive=False)

    def _kept(self, _nothing: Any = None) -> None:
        self._keeping -= 1

    def _not_kept(self, exc: Exception) -> None:
        self._keeping -= 1
        self.show_error(exc, _("the lines could not be kept: {error}"))

    def order_changed(self, previous: str | None) -> None:
        """A new order is open: the lines move to it (kept for it, no longer for the one before), or, with no
        lines, the ones kept for it come back."""
        if self.draft:
            if previous is not None:
                self._drop_kept(previous)
            self.keep_lines()
            return
        ro, actor = self.order.ro_no, self.app.actor
        if actor is None:
            return
        self.run_read(lambda uow: load_work(COUNTER_WORK, ro, actor=actor, uow=uow),
                      lambda payload: self._restore(ro, payload), group="restore")

    def _drop_kept(self, ro: str) -> None:
        self._save(ro, {})

    def _restore(self, ro: str, payload: dict | None) -> None:
        if not payload or self.order is None or self.order.ro_no != ro or self.draft:
            return
        for part_no, qty in payload.get("lines", []):
            self.add_kept_line(part_no, Decimal(qty))
        self.show_lines()
        self.say(ngettext(
            "{count} line scanned before for {ro} is back: not issued yet",
            "{count} lines scanned before for {ro} are back: not issued yet", len(self.draft)).format(
            count=len(self.draft), ro=ro), "notice")

    def unsaved_lines(self) -> str | None:
        """What leaving now would lose: lines with no order to keep them for, or still being saved."""
        if not self.draft:
            return None
        if getattr(self, "order", None) is None:
            return ngettext(
                "{count} line scanned with no repair order open: it is not kept",
                "{count} lines scanned with no repair order open: they are not kept", len(self.draft)).format(
                count=len(self.draft))
        if self._keeping:
            return _("the lines of {ro} are still being kept").format(ro=self.order.ro_no)
        return None
