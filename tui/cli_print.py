"""CLI commands for labels and printing: Code 128 labels and A4 sheets of them, every document as text or PDF.

`partsdesk label part|location|document CODE --out FILE` (.svg, .png, .pdf); `partsdesk label sheet
(--parts P | --locations P | --receipt RCPT) --out FILE.pdf`; `partsdesk print KIND NUMBER [--format
text|pdf] [--out FILE] [--send]`, where --send pipes what was printed to the printer_command setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from core.documents import papers
from core.errors import BadInput
from core.i18n import N_, _, ngettext
from tui.cli_support import ForceOption, say, state

# Said under `partsdesk print --help`: which font a PDF carries, so that it prints on any desk.
FONT_HELP = N_("PDF font: a PDF embeds a Chinese TrueType font, so that it prints anywhere: the file of the "
               "pdf_font setting, else of PARTSDESK_PDF_FONT (a path; #N picks a font of a .ttc), else one the "
               "machine has (WenQuanYi, AR PL, Noto CJK, Source Han, SimSun: fc-list :lang=zh lists them). "
               "Without one it falls back to reportlab's STSong-Light, which prints Chinese only where the "
               "viewer has a Chinese font, and says so on stderr.")
PAPERS = [kind.name for kind in papers()]  # the registry's papers, in its order (core.documents)

label_app = typer.Typer(help=_("Code 128 labels for parts, locations and documents, and A4 sheets of them."),
                        rich_markup_mode=None)

LabelOut = Annotated[Path, typer.Option("--out", help=_("The file to write: .svg, .png (needs Pillow) or .pdf."))]
SheetOut = Annotated[Path, typer.Option("--out", help=_("The PDF to write."))]


def register(app: typer.Typer) -> None:
    """Add the label and print commands to the top-level app."""
    app.add_typer(label_app, name="label")
    app.command("print", epilog=_(FONT_HELP))(print_command)


def _write_label(ctx: typer.Context, build, code: str, out: Path, force: bool) -> None:
    from core.printing.label_files import label_file
    from core.printing.output import write_file
    from core.services.settings import get_settings

    with state(ctx).database().reading() as uow:
        label = build(code, uow=uow)
        font_file = get_settings(uow=uow)["pdf_font"]
    data = label_file(label, out.suffix, font_file)  # a format it cannot write is refused before any file appears
    write_file(out, data, force=force)
    say(_("label {code} written to {path}").format(code=label.code, path=out))
    if out.suffix.lower() == ".pdf":
        _warn_font(font_file)


@label_app.command("part")
def label_part(ctx: typer.Context, part_no: str, out: LabelOut, force: ForceOption = False) -> None:
    """A part's label: its number as the barcode, its names, model series and location."""
    from core.printing.labels import part_label

    _write_label(ctx, part_label, part_no, out, force)


@label_app.command("location")
def label_location(ctx: typer.Context, location: str, out: LabelOut, force: ForceOption = False) -> None:
    """A location's label: its code as the barcode and the model series it holds."""
    from core.printing.labels import location_label

    _write_label(ctx, location_label, location, out, force)


@label_app.command("document")
def label_document(ctx: typer.Context, number: str, out: LabelOut, force: ForceOption = False) -> None:
    """A document's label, for a box or a folder: its number as the barcode and its kind."""
    from core.printing.labels import document_label

    _write_label(ctx, document_label, number, out, force)


@label_app.command("sheet")
def label_sheet(
    ctx: typer.Context,
    out: SheetOut,
    parts: Annotated[
        Optional[str], typer.Option(help=_("Parts whose number starts with this, or matches a glob like 9653*."))
    ] = None,
    locations: Annotated[
        Optional[str], typer.Option(help=_("Locations matching a prefix or a glob like EXC-01-*."))
    ] = None,
    receipt: Annotated[
        Optional[str],
        typer.Option(help=_("A counted receipt: a label for each accepted unit, to stick on at putaway.")),
    ] = None,
    per_line: Annotated[
        bool, typer.Option("--per-line", help=_("With --receipt: one label per line instead of per unit."))
    ] = False,
    force: ForceOption = False,
) -> None:
    """An A4 PDF of labels in the grid of the label_columns and label_rows settings."""
    from core.printing import label_sheets
    from core.printing.labels import UNIT_CAP
    from core.printing.output import write_file

    label_sheets.check_choice(parts, locations, receipt, per_line)
    if out.suffix.lower() != ".pdf":
        raise BadInput(_("a label sheet is a PDF: --out FILE.pdf"))
    with state(ctx).database().reading() as uow:
        sheet = label_sheets.label_sheet(uow=uow, parts=parts, locations=locations, receipt=receipt, per_line=per_line)
    write_file(out, sheet.pdf, force=force)
    say(ngettext(
        "{count} labels on {pages} page written to {path}",
        "{count} labels on {pages} pages written to {path}", sheet.pages).format(
        count=sheet.count, pages=sheet.pages, path=out))
    if sheet.single:
        say(_("one label for the whole line of {parts}: more than {cap} units, or a divisible unit "
              "(litres, metres)").format(parts=", ".join(sheet.single), cap=UNIT_CAP))
    _warn_font(sheet.font_file)


def print_command(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Argument(help=_("{kinds} or {last}.").format(kinds=", ".join(PAPERS[:-1]), last=PAPERS[-1]))
    ],
    number: Annotated[str, typer.Argument(help=_("The document's number (putaway: the receipt's)."))],
    form: Annotated[
        Optional[str],
        typer.Option("--format", help=_("text or pdf (default: pdf for an --out ending in .pdf, else text).")),
    ] = None,
    out: Annotated[
        Optional[Path], typer.Option("--out", help=_("Write to this file (text without it goes to the screen)."))
    ] = None,
    width: Annotated[
        Optional[int],
        typer.Option(min=40, max=200, help=_("Text width in columns (default: the print_width setting).")),
    ] = None,
    send: Annotated[bool, typer.Option("--send", help=_("Pipe it to the printer_command setting too."))] = False,
    force: ForceOption = False,
) -> None:
    """Print a document as fixed-width text or as PDF, to the screen, a file and the printer."""
    from core.printing.documents import PDF, TEXT, print_document
    from core.services.settings import get_settings

    chosen = (form or (PDF if out is not None and out.suffix.lower() == ".pdf" else TEXT)).strip().lower()
    if chosen == PDF and out is None and not send:
        raise BadInput(_("a PDF goes to a file: --out FILE.pdf"))
    with state(ctx).database().reading() as uow:
        printed = print_document(kind, number, form=chosen, out=out, send=send, width=width, uow=uow,
                                 force=force)
        font_file = get_settings(uow=uow)["pdf_font"]
    if printed.path is None and not send:
        typer.echo(printed.data.decode("utf-8"), nl=False)
    if printed.path is not None:
        say(_("written to {path}").format(path=printed.path))
    if send:
        say(_("sent to the printer"))
    if chosen == PDF:
        _warn_font(font_file)


def _warn_font(font_file: str) -> None:
    """Say on stderr, in one line, that the PDF names a font it does not carry (the CID fallback)."""
    from core.printing.fonts import pdf_font

    warning = pdf_font(font_file).warning
    if warning:
        typer.echo("partsdesk: " + _("warning: {warning}").format(warning=warning), err=True)
