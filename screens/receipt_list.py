"""The receipt list (入库清单) as it prints: the fixed-width slip the people involved sign for finance."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from core.i18n import N_, _
from screens import keys
from screens.widgets.footer import Footer


class ReceiptListScreen(Screen[None]):
    """The slip of one receipt, scrolled with the arrow and page keys."""

    AUTO_FOCUS = "#slip-scroll"
    BINDINGS = [  # print (the receipt list, in the preview) is the app's key
        Binding(keys.BACK, "back", N_("Back"), id="back", tooltip=N_("Back to the receipt")),
    ]

    def __init__(self, number: str, text: str) -> None:
        """The slip text of receipt `number` (from the core, so it reads as the printed one)."""
        super().__init__()
        self.number = number
        self.text = text

    def compose(self) -> ComposeResult:
        """A title over the slip."""
        yield Header()
        yield Static(_("Receipt list of {number}: {key} prints it").format(
            number=self.number, key=keys.label(keys.PRINT)), id="slip-title")
        with VerticalScroll(id="slip-scroll"):
            yield Static(Text(self.text, no_wrap=True), id="slip")
        yield Footer()

    def action_print(self) -> None:
        """The receipt list in the print preview."""
        from screens.print_preview import PrintPreviewScreen

        self.app.push_screen(PrintPreviewScreen([("receipt", self.number)]))

    def action_back(self) -> None:
        """Back to the receipt."""
        self.dismiss()
