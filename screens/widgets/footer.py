"""The desk's footer: as many of the screen's keys as fit the terminal's width, never one cut in half, and always
the key of the help screen that lists every key (screens.help).

Textual's Footer shows every shown binding in one scrolling row: on 80 columns (and on 120 for the busier
screens) the last keys were cut mid-word ("f12 Sig▏") or scrolled out of sight. This footer ranks the keys —
the screen's own and print first, then the app's ( go to code, sign out, quit), the workflows' last, since home
lists those — and shows the ones that fit whole, in their usual order; the rest stay one key away, in the help
screen and in the command palette.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey  # noqa: PLC2701 - the footer's own key widget, to compose the same

from core.textwidth import cell_width

# Columns a key takes besides its key and description: the space between them and the margin after it.
_KEY_EXTRA = 2
# The palette's key on the right: its border, its padding and the words "^p palette".
_PALETTE_EXTRA = 3


def _width(app, binding: Binding) -> int:
    """Columns the key takes in the footer."""
    return cell_width(app.get_key_display(binding)) + cell_width(binding.description) + _KEY_EXTRA


def _rank(app, node, binding: Binding) -> int:
    """Which keys give way first when the row is full: print (what a screen shows, printed) keeps its place, then
    the screen's own keys in their order, then the app's; the workflows go first (home lists them)."""
    if binding.action == "print":
        return 0
    if node is not app:
        return 1
    return 3 if binding.action.startswith("workflow(") else 2


class Footer(TextualFooter):
    """Textual's footer, compact, showing whole keys only, as many as the width holds, and the help key always."""

    def __init__(self, **kwargs) -> None:
        """A compact footer; other arguments as Textual's."""
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self._composed_width = 0

    def compose(self) -> ComposeResult:
        """The keys that fit, in the screen's order, then the help key and the palette's."""
        if not self._bindings_ready:
            return
        app, active = self.app, self.screen.active_bindings
        shown: list[tuple[int, object, Binding, bool, str]] = []
        seen_actions: set[str] = set()
        help_key = None
        for order, (node, binding, enabled, tooltip) in enumerate(active.values()):
            if binding.key == app.COMMAND_PALETTE_BINDING:
                continue
            if node is app and binding.action == "help":
                if binding.show:  # F1; "?" is its hidden twin
                    help_key = (binding, enabled, tooltip)
                continue
            if not binding.show or binding.action in seen_actions:  # one action bound to two keys: shown once
                continue
            seen_actions.add(binding.action)
            shown.append((order, node, binding, enabled, tooltip))
        width = self.size.width or app.size.width
        self._composed_width = width
        room = width
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            room -= _width(app, palette.binding) - _KEY_EXTRA + _PALETTE_EXTRA
        if help_key is not None:
            room -= _width(app, help_key[0])
        fitting: set[int] = set()
        for order, _node, binding, _enabled, _tooltip in sorted(shown, key=lambda row: (_rank(app, row[1], row[2]),
                                                                                        row[0])):
            need = _width(app, binding)
            if need <= room:
                fitting.add(order)
                room -= need
        for order, _node, binding, enabled, tooltip in shown:
            if order in fitting:
                yield self._key(binding, enabled, tooltip)
        if help_key is not None:
            yield self._key(*help_key)
        yield from self._palette_key(active)

    def _key(self, binding: Binding, enabled: bool, tooltip: str, classes: str = "") -> FooterKey:
        return FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                         disabled=not enabled, tooltip=tooltip or binding.tooltip, classes=classes,
                         ).data_bind(compact=TextualFooter.compact)

    def _palette_key(self, active) -> ComposeResult:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return
        found = active.get(self.app.COMMAND_PALETTE_BINDING)
        if found is not None:
            yield self._key(found.binding, found.enabled, found.binding.tooltip or found.binding.description,
                            classes="-command-palette")

    def on_resize(self, event: events.Resize) -> None:
        """Another width holds other keys: compose them again."""
        if self._bindings_ready and event.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)
