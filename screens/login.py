"""Signing in: operator code and PIN; the PIN is checked in a thread (scrypt) once the database is open.

This module is imported before the first frame, so it imports no service and no database code.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from core.errors import AuthenticationFailed
from core.i18n import N_, _
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.fields import CodeInput
from screens.widgets.footer import Footer


class PinInput(Input):
    """The PIN, shown as dots; Enter signs in."""

    BINDINGS = [Binding(keys.OPEN, "submit", N_("Sign in"), id="sign_in", tooltip=N_("Sign in with code and PIN"))]


class LoginScreen(ServiceCalls, Screen[None]):
    """Operator code, PIN, Enter: the first screen of the desk, in the station's language, with a key to switch."""

    AUTO_FOCUS = "#code"
    # The language names are written each in its own language, never translated: a reader of either finds his.
    BINDINGS = [Binding(keys.LANGUAGE, "switch_language", "中文 / English", id="switch_language",
                        tooltip=N_("Sign in in the other language: Chinese or English"))]

    def compose(self) -> ComposeResult:
        """The form: code, PIN and the message line."""
        yield Header()
        with Vertical(id="login-column"):
            with Center(), Vertical(id="login-form"):
                yield Static(id="login-title")
                yield Label(id="code-label", classes="field-label")
                yield CodeInput(id="code", max_length=16)
                yield Label(id="pin-label", classes="field-label")
                yield PinInput(id="pin", password=True, max_length=12)
            # Outside the narrow form: database messages are long and must read as one line.
            yield Static("", id="login-message")
        yield Footer()

    def relabel(self) -> None:
        """Write the form's words in the active language, the code and PIN typed so far kept."""
        self.query_one("#login-title", Static).update(_("Sign in to the parts desk"))
        self.query_one("#code-label", Label).update(_("Operator code"))
        self.query_one("#code", Input).placeholder = _("e.g. STORE1")
        self.query_one("#pin-label", Label).update(_("PIN"))
        self.query_one("#pin", Input).placeholder = _("4-12 digits")

    def action_switch_language(self) -> None:
        """The other language, for this sign-in (the station's returns at the next sign-out)."""
        self.app.switch_language()

    def on_mount(self) -> None:
        """The form's words; a database problem already known (after a sign-out, say)."""
        self.relabel()
        error = getattr(self.app, "database_error", None)
        notice = getattr(self.app, "database_notice", None)
        if error or notice:
            self.database_opened(error, notice)

    def database_opened(self, error: str | None, notice: str | None) -> None:
        """Called by the app when the background opening ends: show what stops or warns the operator."""
        if error:
            self.say(error, "error")
        elif notice:
            self.say(_(notice), "notice")  # marked by the app when the database opened, translated now
        elif self.query_one("#login-message", Static).has_class("waiting"):
            self.say("", "")

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
            self.say(_("checking…"), "waiting")
        else:
            self.say(_("waiting for the database…"), "waiting")
        self._authenticate(code, pin)

    def _authenticate(self, code: str, pin: str) -> None:
        """Check code and PIN off the UI thread: scrypt costs tens of milliseconds on purpose."""

        def check(uow):
            from core.services.operators import authenticate  # in the thread: the login loads no service

            return authenticate(code, pin, uow=uow)

        # A write unit: a wrong PIN is counted in the database (core.services.operators.authenticate).
        self.run_write(check, self._accepted, failed=self._refused, group="sign-in")

    def reset(self) -> None:
        """Empty the form for the next operator (after a sign-in and on sign-out)."""
        self.query_one("#code", Input).clear()
        self.query_one("#pin", Input).clear()
        self.say("", "")
        self.set_focus(self.query_one("#code", Input))

    def _accepted(self, actor) -> None:
        self.reset()
        self.app.sign_in(actor)

    def _refused(self, exc: Exception) -> None:
        """The line, never a traceback; a wrong PIN is emptied, and the cursor waits in the PIN."""
        self.show_error(exc)
        pin_input = self.query_one("#pin", Input)
        if isinstance(exc, AuthenticationFailed):
            pin_input.clear()
        self.set_focus(pin_input)

    def say(self, message: str, kind: str = "") -> None:
        """The message line under the form (kind: error, notice, waiting or nothing)."""
        line = self.query_one("#login-message", Static)
        line.update(message)
        line.set_classes(kind)
