"""Code 128 labels: each label's bars decode back to its code (checked against python-barcode's own encoding),
sheets hold one label per match in the settings' grid, and a code a scanner could not carry is refused."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core.errors import BadInput, NotFound, RuleViolation
from core.printing import label_files
from core.printing.barcodes import bar_runs, check_code
from core.printing.labels import (
    UNIT_CAP,
    Label,
    document_label,
    glob_to_like,
    location_label,
    location_labels,
    part_label,
    part_labels,
    receipt_labels,
)
from core.roles import Role
from core.services import catalog, receiving
from core.services.receiving import CountEntry
from tests.helpers import PARTS, add_parts
from tests.helpers.barcodes import modules_of, pdf_bar_groups, runs_to_modules, svg_modules, svg_texts


@pytest.fixture
def parts(db, staff):
    add_parts(db, staff)
    return db, staff


# -- the code and its bars, without a database --------------------------------------------------


@pytest.mark.parametrize("code", ["96536697", "EXC-01-02-03", "RCV-2026-000123", "5C6941005B", "A/B.C_D-1"])
def test_the_bars_are_python_barcodes_own_encoding(code):
    runs = bar_runs(code)
    assert runs_to_modules([(float(start), float(width)) for start, width in runs]) == modules_of(code)


@pytest.mark.parametrize(("code", "shown"), [
    ("96536697前", "'前' (character 9)"), ("EXC\x01", "'\\x01' (character 4)"), ("A B", "' ' (character 2)"),
    ("\t", "'\\t' (character 1)"), ("é", "'é' (character 1)"),
])
def test_a_code_a_scanner_cannot_carry_is_refused_in_one_line(code, shown):
    with pytest.raises(BadInput) as refused:
        label_files.label_svg(Label(code, ("x",)))
    message = refused.value.message
    assert "cannot be printed as a Code 128 barcode" in message and shown in message and "\n" not in message


def test_an_empty_or_overlong_code_is_refused():
    with pytest.raises(BadInput, match="empty code"):
        check_code("")
    with pytest.raises(BadInput, match="longer than 40"):
        check_code("A" * 41)


def test_a_label_file_format_is_named_by_its_extension():
    label = Label("96536697", ("前刹车片",))
    assert label_files.label_file(label, ".SVG").startswith(b"<?xml")
    assert label_files.label_file(label, ".pdf").startswith(b"%PDF")
    with pytest.raises(BadInput, match="a label file is .svg, .png or .pdf"):
        label_files.label_file(label, ".jpg")


@pytest.mark.parametrize(("pattern", "like"), [
    ("EXC-01", "EXC-01%"), ("exc-01-*", "EXC-01-%"), ("9653?697", "9653_697"), ("A_B*", "A\\_B%"), ("50%", "50\\%%"),
])
def test_patterns_are_prefixes_or_globs(pattern, like):
    assert glob_to_like(pattern) == like


def test_an_empty_pattern_is_refused():
    with pytest.raises(BadInput, match="the pattern is empty"):
        glob_to_like("  ")


# -- labels from the station --------------------------------------------------------------------


def test_a_part_label_decodes_to_its_number_and_shows_names_series_and_location(parts):
    db, _staff = parts
    with db.reading() as uow:
        label = part_label(" 96536697 ", uow=uow)
    svg = label_files.label_svg(label)
    assert svg_modules(svg) == modules_of("96536697")
    assert svg_texts(svg) == ["96536697", "前刹车片", "Front brake pad set", "EXCELLE  EXC-01-02-03"]


def test_a_location_label_decodes_to_its_code(parts):
    db, staff = parts
    with db.writing() as uow:
        catalog.add_location("GEN-02-01-01", "GENERAL", actor=staff[Role.STOREKEEPER], uow=uow)
    with db.reading() as uow:
        label = location_label("gen-02-01-01", uow=uow)
        with pytest.raises(NotFound, match="unknown location GEN-09-09-09"):
            location_label("GEN-09-09-09", uow=uow)
        with pytest.raises(BadInput, match="does not follow the scheme"):
            location_label("shelf 3", uow=uow)
    svg = label_files.label_svg(label)
    assert svg_modules(svg) == modules_of("GEN-02-01-01")
    assert svg_texts(svg) == ["GEN-02-01-01", "GENERAL"]


def test_a_document_label_decodes_to_its_number(parts, tmp_path):
    db, staff = parts
    packing = tmp_path / "packing.csv"
    packing.write_text("shipment_no,box_no,part_no,description,qty,unit_price\nS1,1,96536697,前刹车片,4,286\n",
                       encoding="utf-8")
    with db.writing() as uow:
        number = receiving.open_receipt(packing, actor=staff[Role.STOREKEEPER], uow=uow)
    with db.reading() as uow:
        label = document_label(number.lower(), uow=uow)
        with pytest.raises(NotFound, match="not the number of a document that prints"):
            document_label("XYZ-2026-000001", uow=uow)
        with pytest.raises(NotFound, match="unknown receipt RCV-2026-999999"):
            document_label("RCV-2026-999999", uow=uow)
    svg = label_files.label_svg(label)
    assert svg_modules(svg) == modules_of(number)
    assert svg_texts(svg) == [number, "入库清单", "RECEIPT LIST"]


def test_a_png_label_decodes_to_its_code(parts):
    image_module = pytest.importorskip("PIL.Image", reason="PNG labels need Pillow (the images extra)")
    db, _staff = parts
    with db.reading() as uow:
        label = part_label("13301204", uow=uow)
    image = image_module.open(io.BytesIO(label_files.label_png(label)))
    assert round(image.info["dpi"][0]) == 300
    box = label_files.layout(label)
    row = round((box.top + box.bar_height / 2) * 300 / 25.4)
    dark = [image.getpixel((x, row)) < 128 for x in range(image.width)]
    runs, start = [], None
    for x, black in enumerate([*dark, False]):
        if black and start is None:
            start = x
        elif not black and start is not None:
            runs.append((float(start), float(x - start)))
            start = None
    assert runs_to_modules(runs) == modules_of("13301204")


def test_a_png_label_without_a_chinese_font_leaves_the_chinese_out(parts, monkeypatch):
    pytest.importorskip("PIL.Image", reason="PNG labels need Pillow (the images extra)")
    monkeypatch.setattr(label_files, "_cjk_fonts", lambda setting: [])
    label = Label("96536697", ("前刹车片", "Front brake pad set", "EXCELLE 前 EXC-01-02-03"))
    assert label_files._latin_only(label).lines == ("Front brake pad set", "EXCELLE  EXC-01-02-03")
    assert label_files.label_png(label).startswith(b"\x89PNG")


def test_a_long_name_is_cut_to_the_label_and_the_code_never_is():
    label = Label("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-./_", ("左前大灯总成" * 10, "x" * 200))
    box = label_files.layout(label)
    assert box.lines[0].text == label.code
    assert len(box.lines[1].text) < 30 and len(box.lines[2].text) < 100
    assert box.left >= label_files.PAD and box.modules * box.module <= box.width - 2 * label_files.PAD


# -- sheets -------------------------------------------------------------------------------------


def _sheet_codes(data: bytes) -> tuple[int, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        found += pdf_bar_groups(page)
    return len(reader.pages), found


def test_a_location_sheet_holds_one_decodable_label_per_matching_location(parts):
    db, staff = parts
    codes = [f"EXC-07-{shelf:02d}-{bin_:02d}" for shelf in range(1, 6) for bin_ in range(1, 6)]  # 25
    with db.writing() as uow:
        for code in [*codes, "EXC-08-01-01", "CRZ-07-01-01"]:  # each bin in its zone's series
            catalog.add_location(code, "CRUZE" if code.startswith("CRZ") else "EXCELLE",
                                 actor=staff[Role.STOREKEEPER], uow=uow)
    with db.reading() as uow:
        labels = location_labels("exc-07-*", uow=uow)
        assert [label.code for label in location_labels("EXC-07", uow=uow)] == codes
        with pytest.raises(NotFound, match="no location matches 'ZZZ-\\*'"):
            location_labels("ZZZ-*", uow=uow)
    assert [label.code for label in labels] == codes
    pages, found = _sheet_codes(label_files.sheet_pdf(labels, 3, 8))
    assert pages == 2  # 24 to a page
    assert sorted(found) == sorted(modules_of(code) for code in codes)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(label_files.sheet_pdf(labels, 3, 8))).pages)
    assert all(text.count(code) == 1 for code in codes) and "EXC-08-01-01" not in text


def test_a_part_sheet_follows_the_grid_and_carries_chinese(parts):
    db, _staff = parts
    with db.reading() as uow:
        labels = part_labels("9*", uow=uow)
    assert [label.code for label in labels] == sorted(p for p in PARTS if p.startswith("9"))
    pages, found = _sheet_codes(label_files.sheet_pdf(labels * 3, 2, 2))
    assert pages == 2 and len(found) == 6
    text = PdfReader(io.BytesIO(label_files.sheet_pdf(labels, 2, 2))).pages[0].extract_text()
    assert "前刹车片" in text and "机油滤清器" in text


def test_a_receipt_sheet_has_a_label_per_accepted_unit(parts, tmp_path):
    db, staff = parts
    packing = tmp_path / "packing.csv"
    packing.write_text("shipment_no,box_no,part_no,description,qty,unit_price\n"
                       "S1,1,96536697,pads,4,286\nS1,1,96800106,filters,60,38.5\nS1,2,13301204,lamp,2,1580\n",
                       encoding="utf-8")
    store, planner = staff[Role.STOREKEEPER], staff[Role.PLANNER]
    with db.writing() as uow:
        number = receiving.open_receipt(packing, actor=store, uow=uow)
    with db.reading() as uow, pytest.raises(RuleViolation, match=f"receipt {number} has nothing accepted"):
        receipt_labels(number, uow=uow)
    with db.writing() as uow:
        receiving.check_boxes(number, 2, actor=store, uow=uow)
    with db.writing() as uow:
        # One lamp damaged: not accepted, so not labelled.
        receiving.count_receipt(number, [CountEntry("96536697", Decimal(4)), CountEntry("96800106", Decimal(60)),
                                         CountEntry("13301204", Decimal(2), Decimal(1))],
                                first=store, second=planner, uow=uow)
    with db.reading() as uow:
        per_unit = receipt_labels(number, uow=uow)
        per_line = receipt_labels(number, uow=uow, per_unit=False)
    codes = [label.code for label in per_unit.labels]
    assert UNIT_CAP < 60
    assert codes == ["13301204"] + ["96800106"] + ["96536697"] * 4  # walking order: by location
    assert per_unit.single == ("96800106",) and per_unit.lines == 3
    assert [label.code for label in per_line.labels] == ["13301204", "96800106", "96536697"]
    assert per_unit.labels[0].lines[-1].endswith("CRZ-03-01-01")
    _pages, found = _sheet_codes(label_files.sheet_pdf(per_unit.labels, 3, 8))
    assert sorted(found) == sorted(modules_of(code) for code in codes)
