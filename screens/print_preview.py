"""The print preview: any printable document as its text slip, printed as text or PDF into the print folder
and, where the station has a printer command, sent to it; the one way the desk prints."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from core.decimals import fmt_money
from core.documents import RECEIPT, may_print, paper_kind
from core.errors import BadInput, PartsdeskError
from core.files import FileExists
from core.i18n import N_, _
from core.printing.documents import PDF, TEXT, document_text, print_document
from core.roles import Permission, allows, require
from core.services.receiving import ReceiptInfo, record_invoice
from core.services.settings import get_settings
from screens import keys
from screens.widgets.calls import ServiceCalls
from screens.widgets.footer import Footer
from screens.widgets.invoice import InvoiceDialog
from screens.widgets.label_print import print_label_asking, with_font_warning
from screens.widgets.replace import ask_to_replace


def print_file_name(kind: str, number: str, form: str) -> str:
    """The file a document prints to: its number, and the kind where a number has two papers (a receipt's putaway)."""
    suffix = ".pdf" if form == PDF else ".txt"
    return f"{number}-{kind}{suffix}" if kind == "putaway" else f"{number}{suffix}"


def kind_title(kind: str) -> str:
    """A kind of document as the preview names it: its title in the document registry (core.documents)."""
    try:
        return paper_kind(kind).title()
    except BadInput:  # said on the message line when the document is read
        return kind


class PrintPreviewScreen(ServiceCalls, Screen[None]):
    """One or more documents (a receipt's list, putaway, discrepancy record and claims) shown one at a time
    as their text slip; the keys print the one shown."""

    AUTO_FOCUS = "#preview-scroll"
    # Print (the text slip) is the app's key. Letters: the preview has no text field.
    BINDINGS = [
        Binding("p", "pdf", N_("PDF"), id="print_pdf",
                tooltip=N_("Write the PDF (with its barcode) to the print folder; sent to the printer if one is set")),
        Binding("s", "send", N_("Send"), id="send_print",
                tooltip=N_("Write the text slip and send it to the printer command (an error when none is set)")),
        Binding("n", "next", N_("Next paper"), id="next_paper", tooltip=N_("Show the next document of this set")),
        Binding("i", "invoice", N_("Invoice"), id="check_invoice",
                tooltip=N_("Check the receipt against the supplier's invoice (accountant)")),
        Binding("l", "label", N_("Label"), id="document_label",
                tooltip=N_("Print the document's label for its box or folder: its number as the barcode")),
        Binding(keys.BACK, "back", N_("Close"), id="close_preview", tooltip=N_("Close the preview")),
    ]

    def __init__(self, documents: Sequence[tuple[str, str]], index: int = 0) -> None:
        """Preview `documents`, (kind, number) pairs, starting with the one at `index`."""
        super().__init__()
        self.documents = list(documents)
        self.index = index
        self.text = ""

    @property
    def kind(self) -> str:
        """The kind of the document shown."""
        return self.documents[self.index][0]

    @property
    def number(self) -> str:
        """The number of the document shown."""
        return self.documents[self.index][1]

    def compose(self) -> ComposeResult:
        """Title, the slip in a scrolling box, the message line."""
        yield Header()
        with Vertical(id="preview-body"):
            yield Static(id="preview-title")
            with ScrollableContainer(id="preview-scroll"):
                # Never wrapped: a slip's columns are its point; a narrow terminal scrolls it sideways.
                yield Static(id="preview-text")
            yield Static("", id="preview-status")
        yield Footer()

    def on_mount(self) -> None:
        """Read the first document."""
        self._show_title()
        self._load(self.kind, self.number)

    def _show_title(self) -> None:
        title = Text.assemble((self.number, "bold"), "  ", kind_title(self.kind))
        if len(self.documents) > 1:
            title.append("  " + _("({index} of {count}: n shows the next)").format(
                index=self.index + 1, count=len(self.documents)), style="dim")
        self.query_one("#preview-title", Static).update(title)

    def _load(self, kind: str, number: str) -> None:
        # An unknown number or a database fault is said on the message line.
        self.run_read(lambda uow: document_text(kind, number, uow=uow), partial(self._loaded, kind, number),
                      failed=self._failed, group="preview")

    def _loaded(self, kind: str, number: str, text: str) -> None:
        if (kind, number) != (self.kind, self.number):
            return
        self.text = text
        self.query_one("#preview-text", Static).update(Text(text, no_wrap=True, overflow="crop"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The next key only for a set of more than one; the print keys for an operator who may print it."""
        if action == "next":
            return len(self.documents) > 1
        if action == "invoice":
            # The accountant reads the receipt's papers here; the invoice is checked against the receipt shown.
            actor = self.app.actor
            return self.kind == RECEIPT.name and actor is not None and allows(require, actor, Permission.CHECK_INVOICE)
        if action == "label":  # a paper with a number of its own (the putaway list is the receipt's)
            try:
                return paper_kind(self.kind).prefix is not None
            except BadInput:
                return False
        if action in ("print", "pdf", "send"):
            try:
                kind = paper_kind(self.kind)
            except BadInput:
                return True  # printing says why on the message line
            return self.app.actor is not None and may_print(self.app.actor, kind)
        return True

    def action_next(self) -> None:
        """Show the next document of the set (round to the first)."""
        self.index = (self.index + 1) % len(self.documents)
        self.text = ""
        self.query_one("#preview-text", Static).update("")
        self.say("")
        self._show_title()
        self._load(self.kind, self.number)

    def action_print(self, form: str = TEXT) -> None:
        """Write the document in `form` to the print folder; send it where a printer command is set."""
        self.say(_("printing…"), "waiting")
        self._print(self.kind, self.number, form, None)

    def action_pdf(self) -> None:
        """Write the PDF, with its barcode, to the print folder; send it where a printer command is set."""
        self.action_print(PDF)

    def action_send(self) -> None:
        """Write the text slip and send it to the printer command."""
        self.say(_("printing…"), "waiting")
        self._print(self.kind, self.number, TEXT, True)

    def _print(self, kind: str, number: str, form: str, send: bool | None, force: bool = False) -> None:
        # The printer's or the file's one line on failure: nothing else happened. A file printed before is
        # replaced only after the question (force); the database's own file is refused with its line.
        folder = Path(self.app.print_folder)

        def print_it(uow) -> str:
            folder.mkdir(parents=True, exist_ok=True)
            settings = get_settings(uow=uow)
            printer_set = send if send is not None else bool(settings["printer_command"].strip())
            printed = print_document(kind, number, form=form, out=folder / print_file_name(kind, number, form),
                                     send=printer_set, force=force, uow=uow)
            if printed.sent:
                line = _("{number} written to {path} and sent to the printer").format(number=number, path=printed.path)
            else:
                line = _("{number} written to {path} (no printer command set)").format(number=number, path=printed.path)
            return with_font_warning(line, settings["pdf_font"]) if form == PDF else line

        def failed(exc: Exception) -> object:
            if isinstance(exc, FileExists):
                self.say(_("{path} exists").format(path=exc.path), "waiting")
                return ask_to_replace(self, exc, lambda: self._print(kind, number, form, send, force=True),
                                      lambda line: self.say(line, "notice"))
            return self._failed(exc)

        self.run_read(print_it, lambda message: self.say(message, "notice"), failed=failed, group="print")

    def _failed(self, exc: Exception) -> None:
        """The one line of a refusal, the printer or the print folder (a fault logged too)."""
        if not isinstance(exc, PartsdeskError):
            self.log.error(exc)
        self.say(_message(exc), "error")

    def action_invoice(self) -> None:
        """Enter the supplier's invoice for the receipt shown and say how it compares with the receipt's value."""
        number = self.number

        def record(invoice_no: str, amount: str, uow) -> ReceiptInfo:
            return record_invoice(number, invoice_no, amount, actor=self.app.actor, uow=uow)

        def recorded(receipt: ReceiptInfo | None) -> None:
            if receipt is None or receipt.invoice is None:
                return
            difference = receipt.invoice_difference
            if difference:
                self.say(_("invoice {invoice} recorded: it differs from the receipt's value {value} by {difference}")
                         .format(invoice=receipt.invoice.number, value=fmt_money(receipt.value),
                                 difference=fmt_money(difference)), "error")
            else:
                self.say(_("invoice {invoice} recorded: it matches the receipt's value {value}").format(
                    invoice=receipt.invoice.number, value=fmt_money(receipt.value)), "notice")
            self._load(self.kind, self.number)  # the receipt list prints the invoice

        self.app.push_screen(InvoiceDialog(number, record), recorded)

    def action_label(self) -> None:
        """Print the shown document's label (`label document`: its number as the barcode, for a box or a folder),
        as the part screen prints a part's."""
        from core.printing.labels import document_label

        self.say(_("printing…"), "waiting")
        print_label_asking(self, self.number, document_label, lambda line: self.say(line, "notice"))

    def action_back(self) -> None:
        """Back to the screen the preview was opened from."""
        self.dismiss()

    def say(self, message: str, kind: str = "") -> None:
        """One line under the slip: what printing did, or why it did not."""
        if not self.is_attached:
            return
        status = self.query_one("#preview-status", Static)
        status.update(Text(message))
        status.set_classes(kind)


def _message(exc: Exception) -> str:
    if isinstance(exc, PartsdeskError):
        return exc.message
    if isinstance(exc, OSError):
        return _("cannot write to the print folder: {reason}").format(reason=exc.strerror or exc)
    return str(exc)
