"""Printing one label from a screen: the PDF into the print folder, sent where a printer command is set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.i18n import _


def print_label(app, code: str, build: Callable, *, force: bool = False) -> str:
    """Build a label with `build(code, uow=...)`, write and send it; the line saying where it went. A label
    printed before is replaced only with `force` (FileExists otherwise: see print_label_asking).

    Call it from a thread worker (`run_blocking`): it reads the database and may wait on the printer. A refusal
    or a fault is raised for the screen to say: nothing else happened.
    """
    from core.printing.label_files import label_file
    from core.printing.output import send_to_printer, write_file
    from core.services.settings import get_settings

    folder = Path(app.print_folder)
    folder.mkdir(parents=True, exist_ok=True)
    with app.reading() as uow:
        settings = get_settings(uow=uow)
        data = label_file(build(code, uow=uow), ".pdf", settings["pdf_font"])
        command = settings["printer_command"].strip()
    path = write_file(folder / f"label-{code}.pdf", data, force=force)
    if command:
        send_to_printer(data, command)
    message = (_("label of {code} written to {path} and sent to the printer") if command
               else _("label of {code} written to {path} (no printer command set)"))
    return with_font_warning(message.format(code=code, path=path), settings["pdf_font"])


def with_font_warning(line: str, font_file: str) -> str:
    """What printing a PDF did, and the font warning when the PDF could not embed a Chinese font."""
    from core.printing.fonts import pdf_font

    warning = pdf_font(font_file).warning
    return _("{line}. Warning: {warning}").format(line=line, warning=warning) if warning else line


def print_label_asking(screen, code: str, build: Callable, done: Callable[[str], object],
                       *, force: bool = False) -> None:
    """Print a label from `screen` in a thread worker; where the label's file is there already, ask before
    replacing it (screens.widgets.replace). `done` gets the line to say; a refusal is the screen's error."""
    print_asking(screen, lambda replace: print_label(screen.app, code, build, force=replace), done, force=force)


def print_receipt_sheet(app, receipt: str, *, force: bool = False) -> str:
    """Write the A4 sheet of a counted receipt's labels, one per accepted unit (to stick on at putaway), into the
    print folder and send it where a printer command is set; the line saying where it went. Thread worker only."""
    from core.printing.label_sheets import label_sheet
    from core.printing.output import send_to_printer, write_file
    from core.services.settings import get_settings

    folder = Path(app.print_folder)
    folder.mkdir(parents=True, exist_ok=True)
    with app.reading() as uow:
        sheet = label_sheet(uow=uow, receipt=receipt)
        command = get_settings(uow=uow)["printer_command"].strip()
    path = write_file(folder / f"labels-{receipt}.pdf", sheet.pdf, force=force)
    if command:
        send_to_printer(sheet.pdf, command)
    message = (_("{count} labels of {receipt} written to {path} and sent to the printer") if command
               else _("{count} labels of {receipt} written to {path} (no printer command set)"))
    return with_font_warning(message.format(count=sheet.count, receipt=receipt, path=path), sheet.font_file)


def print_asking(screen, work: Callable[[bool], str], done: Callable[[str], object], *, force: bool = False) -> None:
    """Run `work(replace)` (it prints and says where) in a thread worker from `screen`; where its file is there
    already, ask before replacing it and run it again with replace=True. `done` gets the line to say."""
    from core.files import FileExists
    from screens.widgets.replace import ask_to_replace

    def failed(exc: Exception) -> object:
        if isinstance(exc, FileExists):
            return ask_to_replace(screen, exc, lambda: print_asking(screen, work, done, force=True), done)
        return screen.show_error(exc)

    screen.run_blocking(lambda: work(force), done, failed=failed, group="label")
