"""The field a barcode scanner types into."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from core.i18n import N_
from screens import keys


class ScanInput(Input):
    """A part-number field for typing or scanning; Enter (shown in the footer) submits it.

    Enter stays the field's own binding, never a screen's priority binding: the field handles it
    after the characters queued before it, so a scanner's burst submits the whole code. A priority
    binding runs as soon as the app reads the key, before the field has seen the characters.
    """

    BINDINGS = [
        Binding(keys.OPEN, "submit", N_("Open part"), id="open_part",
                tooltip=N_("Open the part typed or scanned, or its only match")),
    ]
