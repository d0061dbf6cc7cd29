"""A key's words in the active language: bindings are declared when their module is imported, with words marked
by N_, and every place that shows a key (the footer, the keys dialog, the command palette) translates them as it
shows them, so a language chosen at sign-in reaches every key."""

from __future__ import annotations

from core.i18n import _


def key_words(text: str | None) -> str:
    """A binding's description or tooltip, translated now ("" for none: gettext would answer the catalogue's
    header for an empty message)."""
    return _(text) if text else ""
