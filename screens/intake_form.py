"""The intake form (接车): customer, vehicle, complaint, inspection notes and the configuration checklist.

Each field is checked when the cursor leaves it, with the words the core would refuse it with (the
checks are core.intake's), and F9 (the commit key) checks them all again before the core opens the repair order.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Header, Input, Label, Static

from core.codes import normalise_series
from core.errors import BadInput
from core.i18n import N_, _, ngettext
from core.intake import (
    CHECKLIST_ITEMS,
    checklist_title,
    optional_text,
    parse_mileage,
    required_text,
    validate_phone,
    validate_plate,
    validate_vin,
)
from core.services.repair_orders import open_repair_order
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.leaving import ask_before_leaving


def _series(text: str) -> str:
    series = normalise_series(text)
    if series is None:
        raise BadInput(_("the vehicle's model series is empty"))
    return series


# id, label, placeholder, check (the normalised value or BadInput), group heading it starts
FIELDS: tuple[tuple[str, Callable[[], str], Callable[[], str], Callable[[str], object]], ...] = (
    ("customer", lambda: _("Name 姓名"), lambda: _("the customer's name"),
     lambda v: required_text(v, _("the customer's name"), 100)),
    ("phone", lambda: _("Phone 电话"), lambda: _("e.g. 138 0013 8000"), validate_phone),
    ("address", lambda: _("Address 地址"), lambda: _("optional"), lambda v: optional_text(v, _("the address"), 200)),
    ("vin", lambda: _("VIN 车架号"), lambda: _("17 characters, no I, O or Q"), validate_vin),
    ("plate", lambda: _("Plate 车牌"), lambda: _("e.g. 沪A12345"), validate_plate),
    ("series", lambda: _("Series 车型"), lambda: _("e.g. EXCELLE"), _series),
    ("mileage", lambda: _("Mileage 里程"), lambda: _("km"), parse_mileage),
    ("complaint", lambda: _("Complaint 故障"), lambda: _("what the customer reports"),
     lambda v: required_text(v, _("the complaint"), 1000)),
    ("inspection", lambda: _("Appearance 外观"), lambda: _("scratches, dents, damage found at intake (optional)"),
     lambda v: optional_text(v, _("the inspection notes"), 1000)),
)
_HEADINGS = {"customer": lambda: _("Customer 客户"), "vin": lambda: _("Vehicle 车辆"),
             "complaint": lambda: _("Complaint and intake inspection 故障与接车检查")}
_CHECKS = {key: check for key, _label, _placeholder, check in FIELDS}


class RepairOrderForm(ServiceCalls, Screen["object | None"]):
    """A car coming in: F9 opens the repair order (dismissed with it), Escape leaves without one."""

    AUTO_FOCUS = "#field-customer"
    BINDINGS = [
        Binding(keys.COMMIT, "open_order", N_("Open order"), id="open_order", priority=True,
                tooltip=N_("Check every field and open the repair order")),
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Leave the form; no order is opened")),
    ]

    def compose(self) -> ComposeResult:
        """The fields with their error lines on the left, the checklist on the right, the status line."""
        yield Header()
        with Horizontal(id="form-body"):
            with VerticalScroll(id="form-fields"):
                for key, label, placeholder, _check in FIELDS:
                    if key in _HEADINGS:
                        yield Static(_HEADINGS[key](), classes="heading")
                    with Horizontal(classes="form-row"):
                        yield Label(label(), classes="form-label")
                        yield Input(placeholder=placeholder(), id=f"field-{key}", classes="form-input")
                    yield Static("", id=f"error-{key}", classes="form-error")
            with Vertical(id="form-checklist"):
                yield Static(_("Configuration checklist 随车物品"), classes="heading")
                yield Static(_("space ticks what is in the car"), classes="form-hint")
                for code in CHECKLIST_ITEMS:
                    yield Checkbox(checklist_title(code), id=f"check-{code}", classes="form-check")
        yield Static("", id="form-status")
        yield Footer()

    def _field(self, key: str) -> Input:
        return self.query_one(f"#field-{key}", Input)

    def check(self, key: str, *, tidy: bool = True) -> object:
        """Check one field: show its error (or clear it) and, when valid, tidy the value as it will be kept.

        Returns the checked value, or raises BadInput.
        """
        field = self._field(key)
        error = self.query_one(f"#error-{key}", Static)
        try:
            value = _CHECKS[key](field.value)
        except BadInput as exc:
            error.update(Text(exc.message))
            error.add_class("shown")
            field.add_class("invalid")
            raise
        error.update("")
        error.remove_class("shown")
        field.remove_class("invalid")
        if tidy and isinstance(value, str) and value != field.value and key in ("vin", "plate", "series"):
            field.value = value
        return value

    @on(Input.Blurred, ".form-input")
    def _left_field(self, event: Input.Blurred) -> None:
        key = (event.input.id or "").removeprefix("field-")
        if key in _CHECKS and event.input.value.strip():
            try:
                self.check(key)
            except BadInput:
                pass

    @on(Input.Submitted, ".form-input")
    def _next_field(self) -> None:
        self.focus_next()

    def action_open_order(self) -> None:
        """Check every field; with all valid, the core opens the order."""
        values, bad = {}, []
        for key, *_rest in FIELDS:
            try:
                values[key] = self.check(key)
            except BadInput:
                bad.append(key)
        if bad:
            self.say(ngettext(
                "{count} field needs attention: the repair order is not opened yet",
                "{count} fields need attention: the repair order is not opened yet", len(bad)).format(
                count=len(bad)), "error")
            self.set_focus(self._field(bad[0]))
            return
        checklist = {code: self.query_one(f"#check-{code}", Checkbox).value for code in CHECKLIST_ITEMS}
        self.say(_("opening…"), "waiting")
        actor = self.app.actor
        # A refusal or a database fault is said on the status line, the form kept as typed.
        self.run_write(lambda uow: open_repair_order(
            customer=values["customer"], phone=values["phone"], address=values["address"],
            vin=values["vin"], plate=values["plate"], series=values["series"], mileage=values["mileage"],
            complaint=values["complaint"], inspection=values["inspection"], checklist=checklist,
            actor=actor, uow=uow), self.dismiss, group="open")

    def unsaved_work(self) -> str | None:
        """A half-filled form: what was typed is lost on leaving, so leaving asks first."""
        typed = sum(bool(self._field(key).value.strip()) for key, *_rest in FIELDS)
        ticked = sum(box.value for box in self.query(Checkbox))
        if not typed and not ticked:
            return None
        return ngettext(
            "the intake form has {count} field filled, no repair order opened",
            "the intake form has {count} fields filled, no repair order opened", typed + ticked,
        ).format(count=typed + ticked)

    def action_back(self) -> None:
        """Leave without opening an order; a half-filled form asks first."""
        lost = [line] if (line := self.unsaved_work()) else []
        ask_before_leaving(self.app, lost, lambda: self.dismiss(None), doing=_("Leaving the form"))

    def say(self, message: str, kind: str = "") -> None:
        """The status line (kind: error, waiting or nothing); errors of the service calls come here too."""
        status = self.query_one("#form-status", Static)
        status.update(Text(message))
        status.set_classes(kind)
