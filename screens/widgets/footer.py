"""The desk's footer: as many of the screen's keys as fit the terminal's width, never one cut in half, and always
the key of the help screen that lists every key (screens.help).

Textual's Footer shows every shown binding in one scrolling row: on 80 columns (and on 120 for the busier
screens) the last keys were cut mid-word ("f12 Sig▏") or scrolled out of sight. This footer ranks the keys —
the screen's own and print first, then the app's (go to code, sign out, quit), the workflows' last, since home
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
from screens.key_words import binding_words, key_words

# Columns a key takes besides its key and description: the space between them and the margin after it.
_KEY_EXTRA = 2
# The palette's key on the right besides its key and description: its border, the space between and its padding.
_PALETTE_EXTRA = 3


def _width(app, binding: Binding) -> int:
    """Columns the key takes in the footer."""
    return cell_width(app.get_key_display(binding)) + cell_width(binding_words(binding)) + _KEY_EXTRA


def _rank(app, node, binding: Binding, first: tuple[str, ...] = ()) -> int:
    """Which keys give way first when the row is full: print (what a screen shows, printed) and the keys the screen
    names in FOOTER_FIRST keep their place, then the screen's own keys in their order, then the app's; the
    workflows go first (home lists them)."""
    if binding.action == "print" or (binding.id is not None and binding.id in first):
        return 0
    if node is not app:
        return 1
    return 3 if binding.action.startswith("workflow(") else 2


class Footer(TextualFooter):
    """Textual's footer, compact, showing whole keys only, as many as the width holds, and the help key always.

    It composes its keys again only when what it shows would change: a screen refreshes its bindings on every
    focus move and every list read, and composing the footer's keys anew each time was most of the time a
    screen took to open.
    """

    def __init__(self, **kwargs) -> None:
        """A compact footer; other arguments as Textual's."""
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self._composed_width = 0
        self._shown: tuple | None = None  # what the keys composed last show
        self._recompose_queued = False

    def _choose(self, width: int) -> list[tuple[Binding, bool, str, str]]:
        """The keys to show at `width`, in order: (binding, enabled, tooltip, classes)."""
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
        room = width
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        with_palette = palette is not None and self.show_command_palette and app.ENABLE_COMMAND_PALETTE
        if with_palette:
            room -= _width(app, palette.binding) - _KEY_EXTRA + _PALETTE_EXTRA
        if help_key is not None:
            room -= _width(app, help_key[0])
        fitting: set[int] = set()
        first = getattr(self.screen, "FOOTER_FIRST", ())  # binding ids the screen wants shown before all others
        for order, _node, binding, _enabled, _tooltip in sorted(
                shown, key=lambda row: (_rank(app, row[1], row[2], first), row[0])):
            need = _width(app, binding)
            if need <= room:
                fitting.add(order)
                room -= need
        chosen = [(binding, enabled, tooltip, "") for order, _node, binding, enabled, tooltip in shown
                  if order in fitting]
        if help_key is not None:
            chosen.append((*help_key, ""))
        if with_palette:
            chosen.append((palette.binding, palette.enabled,
                           key_words(palette.binding.tooltip or palette.binding.description), "-command-palette"))
        return chosen

    @staticmethod
    def _signature(chosen: list[tuple[Binding, bool, str, str]]) -> tuple:
        # The words as shown: after a change of language the same keys read differently.
        return tuple((binding.key, binding.action, binding_words(binding), enabled, key_words(tooltip),
                      classes)
                     for binding, enabled, tooltip, classes in chosen)

    def compose(self) -> ComposeResult:
        """The keys that fit, in the screen's order, then the help key and the palette's."""
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        chosen = self._choose(width)
        self._composed_width, self._shown = width, self._signature(chosen)
        for binding, enabled, tooltip, classes in chosen:
            # Born compact (the class Textual's data binding would add one key at a time, each a restyle).
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding_words(binding),
                            binding.action, disabled=not enabled, tooltip=key_words(tooltip or binding.tooltip),
                            classes=f"{classes} -compact")

    def bindings_changed(self, screen) -> None:
        """The screen's bindings changed: compose again only if what the footer shows changes, and once for any
        number of changes before it does."""
        if (self._bindings_ready and self.is_attached and screen is self.screen and self._shown is not None
                and self._signature(self._choose(self._composed_width)) == self._shown):
            return
        self._bindings_ready = True
        # A new screen changes its bindings three or four times (mount, focus, first read) before the footer's
        # first recompose runs: each queued its own, and the later ones composed the same keys again.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._queue_recompose()

    def _queue_recompose(self) -> None:
        if not self._recompose_queued:
            self._recompose_queued = True
            self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._recompose_queued = False
        if not self.is_attached:  # its screen closed meanwhile (signed out)
            return
        # The width and the bindings may be back to what the footer shows by now (a focus passing through).
        width = self.size.width or self.app.size.width
        if (self._shown is not None and width == self._composed_width
                and self._signature(self._choose(width)) == self._shown):
            return
        await self.recompose()

    def on_resize(self, event: events.Resize) -> None:
        """Another width holds other keys: compose them again."""
        if self._bindings_ready and event.size.width != self._composed_width:
            self._queue_recompose()
