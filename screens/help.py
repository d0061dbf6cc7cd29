"""The keys of this screen (F1, or ?): every key the screen under it answers to, with what it does, read from the
screen's active bindings when it opens, so that the list can never go stale.

The footer shows the keys that fit the terminal's width (screens.widgets.footer); this dialog lists them all,
the hidden ones too, and says which cannot apply now.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from core.i18n import _
from screens.commands import desk_key
from screens.key_words import binding_words, key_words
from screens.widgets.dialogs import Dialog
from screens.widgets.footer import Footer
from screens.widgets.tables import Column, FittingTable


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """One key of a screen: how it is written, what it does, more words on it, and whether it applies now."""

    key: str
    description: str
    tooltip: str
    enabled: bool


def screen_keys(screen: Screen) -> list[KeyHelp]:
    """Every described key the screen answers to now (its focused widget's, its own, the app's), each action once,
    in the footer's order; keys that cannot apply now are listed too, marked."""
    app = screen.app
    found: dict[str, KeyHelp] = {}
    for node, binding, enabled, tooltip in screen.active_bindings.values():
        if not desk_key(node, binding):
            continue
        key = app.get_key_display(binding)
        action = f"{id(node)}:{binding.action}"
        if action in found:  # one action on two keys: both keys on its line
            known = found[action]
            found[action] = KeyHelp(f"{known.key}, {key}", known.description, known.tooltip, known.enabled)
            continue
        found[action] = KeyHelp(key, binding_words(binding), key_words(tooltip or binding.tooltip), enabled)
    return list(found.values())


class KeysDialog(Dialog[None]):
    """The list of the keys of the screen under it; Escape closes, Enter runs nothing (it is a list to read)."""

    DEFAULT_CLASSES = "dialog keys-dialog"
    AUTO_FOCUS = "#keys-list"

    def __init__(self, listed: list[KeyHelp]) -> None:
        """The keys `listed` of the screen under it."""
        super().__init__()
        self.listed = listed

    def compose(self) -> ComposeResult:
        """Title, the keys as a table and the hint."""
        with Vertical(classes="dialog-box wide"):
            yield Static(Text(_("The keys of this screen")), classes="dialog-title")
            yield FittingTable(id="keys-list")
            yield self.message_line(_("Greyed keys cannot apply now · the palette (ctrl+p) runs any of them · "
                                      "Escape closes"))
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table: key, what it does, and more words on it where there are any."""
        table = self.query_one("#keys-list", FittingTable)
        table.set_columns(Column("key", _("Key"), 8), Column("does", _("What it does"), 20, min_width=12),
                          Column("more", _("More"), 0, min_width=10))
        for entry in self.listed:
            style = "" if entry.enabled else "dim"
            table.add_row(Text(entry.key, style=f"bold {style}".strip()), Text(entry.description, style=style),
                          Text(entry.tooltip or "", style=style))
