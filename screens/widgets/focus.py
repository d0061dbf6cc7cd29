"""Keeping a burst of keys in order when a widget moves the focus in the middle of it."""

from __future__ import annotations

from textual import events


class ForwardsKeys:
    """Mixin for a widget: keys that reach it after it gave the focus away go on to the widget that has it.

    The app routes each key to the widget focused when the app reads it, but a widget moves the focus
    only when it handles a key. The app hands keys on one at a time (tui.key_queue), so this is a second
    line: a key that still reaches a widget after it gave the focus away is forwarded, not lost.
    """

    def on_key(self, event: events.Key) -> None:
        """A key that came after the focus moved goes on to the widget that has the focus now.

        Textual runs a subclass's `on_key` before a base class's key handler (Input's typing, DataTable's
        cursor keys), and `prevent_default` keeps those from seeing the forwarded key.
        """
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            key = events.Key(event.key, event.character)
            key.time = event.time  # the scanner reads the key's own time
            # Marked as forwarded, like every key the app hands a widget: bubbling back up, it is not handed on again.
            focused._forward_event(key)  # noqa: SLF001 (Textual's own way of handing a key to a widget)
