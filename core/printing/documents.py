"""Printing a document: how each kind of paper is built from the database (the kinds themselves, with their
prefixes, titles and who prints them, are core.documents), and printing one as text or PDF, to a file and
to the printer command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import documents as kinds
from core.errors import BadInput
from core.i18n import _
from core.printing import counter_forms, receiving_forms, stocktake_forms, vehicle_forms
from core.printing.model import Document
from core.printing.text import render_text
from core.units import ReadUnit

TEXT, PDF = "text", "pdf"
FORMS = (TEXT, PDF)

# How each paper of the registry is read and laid out: one structured document, rendered as text or PDF.
BUILDERS: dict[str, Callable[[str, ReadUnit], Document]] = {
    kinds.REQUISITION.name: counter_forms.requisition_document,
    kinds.RETURN.name: counter_forms.return_document,
    kinds.RECEIPT.name: receiving_forms.receipt_document,
    kinds.PUTAWAY.name: receiving_forms.putaway_document,
    kinds.DISCREPANCY.name: receiving_forms.discrepancy_document,
    kinds.CLAIM.name: receiving_forms.claim_document,
    kinds.ORDER.name: receiving_forms.order_document,
    kinds.REPAIR_ORDER.name: counter_forms.repair_order_document,
    kinds.STOCKTAKE.name: stocktake_forms.stocktake_document,
    kinds.VEHICLE_TAKE.name: vehicle_forms.vehicle_document,
    kinds.VEHICLE_RESTORE.name: vehicle_forms.vehicle_document,
}


def build_document(kind: str, number: str, *, uow: ReadUnit) -> Document:
    """The structured form of a document; BadInput for a kind without paper, NotFound for an unknown number."""
    return BUILDERS[kinds.paper_kind(kind).name](number, uow)


def document_text(kind: str, number: str, *, uow: ReadUnit, width: int | None = None) -> str:
    """A document as fixed-width text (Chinese counts double), `width` columns or the print_width setting."""
    from core.services.settings import get_settings

    document = build_document(kind, number, uow=uow)
    return render_text(document, width or int(get_settings(uow=uow)["print_width"]))


def document_pdf(kind: str, number: str, *, uow: ReadUnit) -> bytes:
    """A document as an A4 PDF with Chinese (in the pdf_font setting's font, or one found) and its number as a
    Code 128 barcode."""
    from core.printing.pdf import render_pdf
    from core.services.settings import get_settings

    return render_pdf(build_document(kind, number, uow=uow), font_file=get_settings(uow=uow)["pdf_font"])


@dataclass(frozen=True, slots=True)
class Printed:
    """What `print_document` did: the form, the bytes, the file written (if any), whether it went to the printer."""

    form: str
    data: bytes
    path: Path | None
    sent: bool


def print_document(
    kind: str, number: str, *, form: str = TEXT, out: str | Path | None = None, send: bool = False,
    width: int | None = None, uow: ReadUnit, force: bool = False,
) -> Printed:
    """Render a document, write it to `out` (whole or not at all) and, when asked, pipe it to the
    printer command of the settings; the screens' print key and `partsdesk print` both come here. An existing
    `out` is replaced only with `force` (core.files)."""
    from core.files import check_target
    from core.printing.output import PrinterFailed, checked_command, send_to_printer, write_file
    from core.services.settings import get_settings

    kinds.paper_kind(kind)
    if form not in FORMS:
        raise BadInput(_("unknown form {form!r}: text or pdf").format(form=form))
    # Checked first: with no printer command set, nothing is rendered or written.
    command = checked_command(get_settings(uow=uow)["printer_command"]) if send else ""
    if out is not None:
        check_target(out, force=force)  # a refused file is said before anything is rendered or sent
    if form == PDF:
        data = document_pdf(kind, number, uow=uow)
    else:
        data = document_text(kind, number, uow=uow, width=width).encode("utf-8")
    path = write_file(out, data, force=force) if out is not None else None
    if send:
        try:
            send_to_printer(data, command)
        except PrinterFailed as exc:
            if path is None:
                raise
            raise PrinterFailed(_("{reason}; {path} is written").format(reason=exc.message, path=path)) from None
    return Printed(form, data, path, send)
