"""A key's words in the active language: bindings are declared when their module is imported, with words marked
by N_, and every place that shows a key (the footer, the keys dialog, the command palette) translates them as it
shows them, so a language chosen at sign-in reaches every key."""

from __future__ import annotations

from core.i18n import _, pgettext

# The catalogue's context of the workflows' titles (screens.workflows marks them NC_("workflow", ...)): a title
# reads as the staff name the workflow (F7 审批) where the same English word on another key reads otherwise
# (the review screen's v, 审核).
WORKFLOW = "workflow"


def key_words(text: str | None) -> str:
    """A binding's description or tooltip, translated now ("" for none: gettext would answer the catalogue's
    header for an empty message)."""
    return _(text) if text else ""


def binding_words(binding) -> str:
    """A binding's description translated now: a workflow's key by its title in the workflows' context."""
    if binding.description and binding.action.startswith("workflow("):
        return pgettext(WORKFLOW, binding.description)
    return key_words(binding.description)
