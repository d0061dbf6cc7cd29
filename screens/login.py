"""Signing in: operator code and PIN; the PIN is checked in a thread (scrypt) once the database is open.

This module is imported before the first frame, so it imports no service and no database code.
"""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Static

from core.errors import AuthenticationFailed, PartsdeskError
from core.i18n import _
from screens.widgets.focus import ForwardsKeys


class CodeInput(ForwardsKeys, Input):
    """The operator code; Enter moves on to the PIN, and keys typed right behind it follow there."""

    BINDINGS = [Binding("enter", "submit", _("Next"), id="next_field", tooltip=_("Move on to the PIN"))]

    async def _on_key(self, event: events.Key) -> None:
        # Enter is handled here, in order with the characters, not by the binding (which the app
        # runs only after the characters queued behind it): "STORE1⏎1234⏎" typed ahead signs in.
        if event.key == "enter" and self.screen.focused is self and self.value.strip():
            event.stop()
            event.prevent_default()
            self.screen.focus_next()


class PinInput(Input):
    """The PIN, shown as dots; Enter signs in."""

    BINDINGS = [Binding("enter", "submit", _("Sign in"), id="sign_in", tooltip=_("Sign in with code and PIN"))]


class LoginScreen(Screen[None]):
    """Operator code, PIN, Enter: the first screen of the desk."""

    AUTO_FOCUS = "#code"

    def compose(self) -> ComposeResult:
        """The form: code, PIN and the message line."""
        yield Header()
        with Vertical(id="login-column"):
            with Center(), Vertical(id="login-form"):
                yield Static(_("Sign in to the parts desk"), id="login-title")
                yield Label(_("Operator code"), classes="field-label")
                yield CodeInput(placeholder=_("e.g. STORE1"), id="code", max_length=16)
                yield Label(_("PIN"), classes="field-label")
                yield PinInput(placeholder=_("4-12 digits"), id="pin", password=True, max_length=12)
            # Outside the narrow form: database messages are long and must read as one line.
            yield Static("", id="login-message")
        yield Footer()

    def on_mount(self) -> None:
        """Show a database problem already known (after a sign-out, say)."""
        error = getattr(self.app, "database_error", None)
        notice = getattr(self.app, "database_notice", None)
        if error or notice:
            self.database_opened(error, notice)

    def database_opened(self, error: str | None, notice: str | None) -> None:
        """Called by the app when the background opening ends: show what stops or warns the operator."""
        if error:
            self._say(error, "error")
        elif notice:
            self._say(notice, "notice")
        elif self.query_one("#login-message", Static).has_class("waiting"):
            self._say("", "")

    @on(Input.Submitted, "#code")
    def _code_submitted(self) -> None:
        """Enter in the code: on to the PIN."""
        if self.query_one("#code", Input).value.strip():
            # The screen's set_focus, not the widget's focus(): that one waits a turn, and keys typed
            # meanwhile would still go to the code.
            self.set_focus(self.query_one("#pin", Input))

    @on(Input.Submitted, "#pin")
    def _pin_submitted(self) -> None:
        """Enter in the PIN: check code and PIN."""
        code_input = self.query_one("#code", Input)
        pin_input = self.query_one("#pin", Input)
        code, pin = code_input.value.strip(), pin_input.value
        if not code:
            self.set_focus(code_input)
            return
        if not pin:
            return
        if getattr(self.app, "database_ready", False):
            self._say(_("checking…"), "waiting")
        else:
            self._say(_("waiting for the database…"), "waiting")
        self._authenticate(code, pin)

    @work(thread=True, exclusive=True, group="sign-in")
    def _authenticate(self, code: str, pin: str) -> None:
        """Check code and PIN off the UI thread: scrypt costs tens of milliseconds on purpose."""
        try:
            from core.services.operators import authenticate

            with self.app.reading() as uow:
                actor = authenticate(code, pin, uow=uow)
        except AuthenticationFailed as exc:
            self.app.call_from_thread(self._refused, exc.message, clear_pin=True)
        except PartsdeskError as exc:
            self.app.call_from_thread(self._refused, exc.message, clear_pin=False)
        except Exception as exc:  # a database fault: the operator needs the line, not a traceback
            self.log.error(exc)
            self.app.call_from_thread(self._refused, str(exc), clear_pin=False)
        else:
            self.app.call_from_thread(self._accepted, actor)

    def reset(self) -> None:
        """Empty the form for the next operator (after a sign-in and on sign-out)."""
        self.query_one("#code", Input).clear()
        self.query_one("#pin", Input).clear()
        self._say("", "")
        self.set_focus(self.query_one("#code", Input))

    def _accepted(self, actor) -> None:
        self.reset()
        self.app.sign_in(actor)

    def _refused(self, message: str, *, clear_pin: bool) -> None:
        self._say(message, "error")
        pin_input = self.query_one("#pin", Input)
        if clear_pin:
            pin_input.clear()
        self.set_focus(pin_input)

    def _say(self, message: str, kind: str) -> None:
        line = self.query_one("#login-message", Static)
        line.update(message)
        line.set_classes(kind)
