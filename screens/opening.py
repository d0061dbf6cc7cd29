"""Opening what a scanned or typed code names, from any screen: the part, the location, or the document's
own screen where the operator's roles reach it, else its print preview."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App

from core.access import Workflow, may_use
from core.i18n import _
from core.roles import Actor
from core.services.catalog import PartInfo, get_part
from core.services.codes_lookup import DOCUMENT, LOCATION, PART, REQUEST_KIND, Resolved, resolve_code
from core.services.stock import PartStock, part_stock


@dataclass(frozen=True, slots=True)
class Target:
    """A code resolved, with what its screen needs read beforehand (a part's card paints complete)."""

    resolved: Resolved
    part: PartInfo | None = None
    stock: PartStock | None = None
    waiting: bool = False  # a purchase request waiting for the operator's decision


def find_target(text: str, *, actor: Actor, uow) -> Target:
    """Resolve a code and read what its screen shows first (in a worker thread); PartsdeskError as the core says."""
    resolved = resolve_code(text, uow=uow)
    if resolved.kind == PART:
        return Target(resolved, get_part(resolved.key, uow=uow), part_stock(resolved.key, uow=uow))
    if resolved.document_kind == REQUEST_KIND:
        from core.services.requests import list_requests

        waiting = any(r.number == resolved.key for r in list_requests(uow=uow, waiting_for=actor))
        return Target(resolved, waiting=waiting)
    return Target(resolved)


def show_target(app: App, target: Target) -> None:
    """Open the target's screen on top of the current one (never one the operator's roles cannot use)."""
    from screens.print_preview import PrintPreviewScreen

    actor, resolved = app.actor, target.resolved
    if actor is None:  # signed out while the code was read
        return
    if resolved.kind == PART:
        from screens.part import PartScreen

        app.push_screen(PartScreen(target.part, target.stock))
    elif resolved.kind == LOCATION:
        from screens.location import LocationScreen

        app.push_screen(LocationScreen(resolved.key))
    elif resolved.kind == DOCUMENT:
        kind, number = resolved.document_kind, resolved.key
        if kind == "receipt" and may_use(actor, Workflow.RECEIVING):
            app.action_receiving()
            app.screen.open_receipt(number)
        elif kind == "ro" and may_use(actor, Workflow.INTAKE):
            app.action_intake()
            app.screen.show_order(number)
        elif kind in ("requisition", "return") and may_use(actor, Workflow.COUNTER):
            app.action_counter()
            app.screen.open_order(resolved.parent)
        elif kind == REQUEST_KIND:
            if target.waiting:
                from screens.review import ReviewScreen

                ReviewScreen.open(app, number)
            else:
                app.notify(_("{number} is not waiting for your decision").format(number=number),
                           severity="warning")
        else:
            app.push_screen(PrintPreviewScreen([(kind, number)]))
