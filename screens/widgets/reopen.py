"""Screens that exist once in the stack: opening one again returns to it instead of stacking a copy."""

from __future__ import annotations

from textual.app import App


class OpensOnce:
    """Mixin for a Screen built as `cls(select)` with a `select(number)` method that moves its cursor."""

    @classmethod
    def open(cls, app: App, number: str | None = None) -> None:
        """Open the screen, or go back to the one already open (closing what lies above it), at `number`."""
        for index, screen in enumerate(app.screen_stack):
            if isinstance(screen, cls):
                for _above in app.screen_stack[index + 1:]:
                    app.pop_screen()
                screen.select(number)
                return
        app.push_screen(cls(number))
