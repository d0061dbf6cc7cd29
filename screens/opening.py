"""Opening what a scanned or typed code names, from any screen: the part, the location, or the document's
own screen (the workflow registry's) where the operator's roles reach it, else its print preview."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App

from core.i18n import _
from core.roles import Actor
from core.services.catalog import PartInfo, get_part
from core.services.codes_lookup import DOCUMENT, LOCATION, PART, REQUEST_KIND, Resolved, resolve_code
from core.services.stock import PartStock, part_stock
from screens.workflows import for_document, open_workflow


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
        from core.services.requests import waits_for_operator

        return Target(resolved, waiting=waits_for_operator(resolved.key, uow=uow, waiting_for=actor))
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
        if kind == REQUEST_KIND and not target.waiting:
            app.notify(_("{number} is not waiting for your decision").format(number=number), severity="warning")
            return
        # The workflow whose screen shows this kind, at the document (a requisition or return: its repair order),
        # where the operator may use it (open_workflow asks the core rule the registry names); else the preview.
        chosen = for_document(kind)
        if chosen is None or open_workflow(app, chosen.action, resolved.parent or number) is None:
            app.push_screen(PrintPreviewScreen([(kind, number)]))
