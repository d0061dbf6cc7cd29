"""Entering a counter sale (销售订单, 一审): the customer, the phone, and the lines, each a part typed or scanned and
its quantity; F9 enters it, to wait for a second person's check (二审) before any part leaves the store."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from core.decimals import fmt_money, fmt_qty
from core.i18n import N_, _, ngettext
from core.labels import part_name
from core.services.sales import Quote, SaleView, create_sale, parse_line, quote
from screens import keys
from screens.widgets.dialogs import Dialog, YesNoDialog
from screens.widgets.footer import Footer

SHOWN_LINES = 4


class SaleDialog(Dialog[SaleView]):
    """Customer, phone, then part and quantity line after line (Enter in the quantity adds it); F9 enters the sale."""

    AUTO_FOCUS = "#sf-customer"
    BINDINGS = [Binding(keys.COMMIT, "enter_sale", N_("Enter sale"), id="enter_sale",
                        tooltip=N_("Enter the sale: it waits for a second person's check (二审)"))]
    FIELDS = {"customer": "#sf-customer", "phone": "#sf-phone"}

    def __init__(self, actor) -> None:
        """A new sale entered by `actor`."""
        super().__init__()
        self.actor = actor
        self.lines: list[tuple[Quote, Decimal]] = []

    def compose(self) -> ComposeResult:
        """Title, what happens next, the fields, the lines so far and the message line."""
        with Vertical(classes="dialog-box wide"):
            yield Static(Text(_("New counter sale (销售订单)")), classes="dialog-title")
            yield Static(Text(_("Nothing leaves the store until a second person checks it (二审).")),
                         classes="dialog-summary")
            with Horizontal(classes="sf-row"):
                with Vertical(classes="sf-wide"):
                    yield Label(_("Customer"), classes="field-label")
                    yield Input(id="sf-customer", max_length=100, compact=True)
                with Vertical(classes="sf-narrow"):
                    yield Label(_("Phone"), classes="field-label")
                    yield Input(id="sf-phone", max_length=40, compact=True)
            with Horizontal(classes="sf-row"):
                with Vertical(classes="sf-wide"):
                    yield Label(_("Part (type or scan)"), classes="field-label")
                    yield Input(id="sf-part", max_length=40, compact=True)
                with Vertical(classes="sf-narrow"):
                    yield Label(_("Quantity"), classes="field-label")
                    yield Input(id="sf-qty", compact=True)
            yield Static("", id="sf-lines")
            yield self.message_line(_("Enter in the quantity adds the line · {commit} enters the sale · Escape "
                                      "cancels").format(commit=keys.label(keys.COMMIT)))
        yield Footer()

    @on(Input.Submitted, "#sf-customer")
    def _customer_done(self) -> None:
        self.set_focus(self.query_one("#sf-phone", Input))

    @on(Input.Submitted, "#sf-phone")
    def _phone_done(self) -> None:
        self.set_focus(self.query_one("#sf-part", Input))

    @on(Input.Submitted, "#sf-part")
    def _part_done(self) -> None:
        if self.query_one("#sf-part", Input).value.strip():
            self.set_focus(self.query_one("#sf-qty", Input))

    @on(Input.Submitted, "#sf-qty")
    def _qty_done(self) -> None:
        part = self.query_one("#sf-part", Input).value
        qty = self.query_one("#sf-qty", Input).value
        try:  # core's one reader of quantities: a refusal is its one line, the fields keep what was typed
            part_no, amount = parse_line(f"{part}:{qty}")
        except Exception as exc:
            self.show_error(exc)
            return
        self.run_read(lambda uow: quote(part_no, uow=uow), lambda found: self._add(found, amount), group="quote")

    def _add(self, found: Quote, qty: Decimal) -> None:
        self.lines.append((found, qty))
        self.query_one("#sf-part", Input).clear()
        self.query_one("#sf-qty", Input).clear()
        self.set_focus(self.query_one("#sf-part", Input))
        self._show_lines()
        self.say(_("{part_no} × {qty} added").format(part_no=found.part_no, qty=fmt_qty(qty)), "notice")

    def _show_lines(self) -> None:
        text = Text()
        total = sum((found.price * qty for found, qty in self.lines), Decimal(0))
        hidden = max(0, len(self.lines) - SHOWN_LINES)  # the newest lines stay in sight; the total counts all
        if hidden:
            text.append(ngettext("… {count} line before\n", "… {count} lines before\n", hidden).format(count=hidden),
                        style="dim")
        for index, (found, qty) in enumerate(self.lines[hidden:], start=hidden + 1):
            amount = found.price * qty
            text.append(f"{index:>2} {found.part_no}  {part_name(found.name, found.name_zh)}  × {fmt_qty(qty)}  "
                        f"{fmt_money(found.price)}  {fmt_money(amount)}\n")
        if self.lines:
            text.append(_("Total {total}").format(total=fmt_money(total)), style="bold")
        self.query_one("#sf-lines", Static).update(text)

    def action_enter_sale(self) -> None:
        """Enter the sale with the lines added; refused with its one line (no customer, no line)."""
        customer = self.query_one("#sf-customer", Input).value
        phone = self.query_one("#sf-phone", Input).value
        lines = [(found.part_no, qty) for found, qty in self.lines]
        actor = self.actor
        self.confirm(lambda uow: create_sale(customer, lines, phone=phone, actor=actor, uow=uow))

    def action_cancel(self) -> None:
        """Close; with lines added, ask first: they would be lost."""
        if not self.lines:
            self.dismiss(None)
            return
        self.app.push_screen(YesNoDialog(_("Drop this sale?"), ngettext(
            "{count} line is not entered yet: drop it?", "{count} lines are not entered yet: drop them?",
            len(self.lines)).format(count=len(self.lines)), kind="warning"),
                             lambda yes: self.dismiss(None) if yes else None)
