"""The slips of 拆新车 print as paper: a take (拆车入库单, VTK) and a restore (恢复新车负入库单, VRS), as text and PDF,
with the VIN, each part's bin, units and lot cost, and the total; an unknown number is refused in one line."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from core.errors import NotFound
from core.printing.documents import build_document, document_pdf, document_text
from core.roles import Role
from core.services import vehicles
from tests.helpers import add_parts, make_staff, receive

VIN = "LSGJA52U5CH123456"
PADS, PAD_BIN = "96536697", "EXC-01-02-03"


@pytest.fixture
def slips(db, clock):
    """A take of 2 pads off the vehicle (at the last cost, 250.00) and 1 of them put back."""
    staff = make_staff(db)
    add_parts(db, staff)
    receive(db, staff, PADS, 3, cost="250.00")
    clock.advance(days=1)
    with db.writing() as uow:
        taken = vehicles.take(VIN, [f"{PADS}:2"], location=PAD_BIN, actor=staff[Role.STOREKEEPER], uow=uow)
    with db.writing() as uow:
        restored = vehicles.restore(VIN, [f"{PADS}:1"], actor=staff[Role.STOREKEEPER], uow=uow)
    return taken.document, restored.document


def test_take_and_restore_print_as_text(db, slips):
    taken, restored = slips
    with db.reading() as uow:
        take_text = document_text("vehicle-take", taken, uow=uow)
        restore_text = document_text("vehicle-restore", restored, uow=uow)
        take = build_document("vehicle-take", taken, uow=uow)
    assert "拆车入库单" in take_text and taken in take_text and VIN in take_text and PAD_BIN in take_text
    assert "恢复新车负入库单" in restore_text and restored in restore_text and VIN in restore_text
    assert take.rows == ((PAD_BIN, PADS, take.rows[0][2], "2", "250.00", "500.00"),)
    assert "500.00" in take_text and "250.00" in restore_text


def test_a_slip_prints_as_pdf_with_its_number(db, slips):
    taken, _restored = slips
    with db.reading() as uow:
        data = document_pdf("vehicle-take", taken, uow=uow)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert taken in text and VIN in text


def test_an_unknown_slip_is_refused(db, slips):
    with db.reading() as uow, pytest.raises(NotFound, match="VTK-2026-000099"):
        document_text("vehicle-take", "VTK-2026-000099", uow=uow)


def test_a_slip_fits_a_narrow_print_width(db, slips):
    from core.textwidth import cell_width

    with db.reading() as uow:
        text = document_text("vehicle-take", slips[0], uow=uow, width=40)
    assert max(cell_width(line) for line in text.splitlines()) <= 40 and "500.00" in text.split()
