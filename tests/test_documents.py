"""Every document kind prints as fixed-width text and as PDF with its Chinese, its number, and (PDF) its number
as a Code 128 barcode; text tables keep their columns whatever mix of Chinese and Latin; a bad request is
one clear line and writes nothing."""

from __future__ import annotations

import io
import sys
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import event

from core import documents as kinds
from core.errors import BadInput, NotFound
from core.printing import documents, labels, pdf
from core.printing.documents import build_document, document_pdf, document_text, print_document
from core.printing.model import Block, Column, Document, PartName
from core.printing.output import PrinterFailed, send_to_printer, write_file
from core.printing.text import column_widths, render_text
from core.roles import Role
from core.services import (
    catalog,
    codes_lookup,
    receiving,
    requests,
    settings,
    shortages,
    stock,
    transfers,
    vehicles,
)
from core.services.purchasing import OrderLineRequest
from core.services.receiving import CountEntry
from core.textwidth import cell_width
from tests.helpers import add_parts, make_staff, receive
from tests.helpers.barcodes import modules_of, pdf_bar_groups
from tests.helpers.columns import field
from tests.helpers.counter import issue, order_in, take_back
from tests.helpers.orders import sent_order

# Chinese each kind must carry in both forms: its title and something that came from the data.
CHINESE = {
    "requisition": ["领料单", "前刹车片", "张三"],
    "return": ["退料单", "前刹车片", "多领"],
    "receipt": ["入库清单", "到货装箱单.csv"],
    "putaway": ["上架清单", "前刹车片", "左前大灯总成"],
    "discrepancy": ["验货异常现象记录表", "左前大灯总成", "破损"],
    "claim": ["索赔单", "上汽通用"],
    "po": ["采购订单", "机油滤清器", "上汽通用"],
    "ro": ["维修服务单", "刹车异响", "更换前刹车片", "张三"],
    "stocktake": ["盘点单", "前刹车片", "备件经理"],
}


def _flat(text: str) -> str:
    """Text without whitespace: a PDF table cell may wrap a name anywhere."""
    return "".join(text.split())


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("kind", list(CHINESE))
def test_each_kind_prints_as_text_with_its_chinese_and_number(db, papers, kind):
    with db.reading() as uow:
        text = document_text(kind, papers[kind], uow=uow)
    assert papers[kind] in text
    for chinese in CHINESE[kind]:
        assert chinese in text, (kind, chinese)


@pytest.mark.parametrize("kind", list(CHINESE))
def test_each_kind_fits_the_default_print_width(db, papers, kind):
    with db.reading() as uow:
        text = document_text(kind, papers[kind], uow=uow)
    assert max(cell_width(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("kind", list(CHINESE))
@pytest.mark.parametrize("width", [40, 48, 64, 120])
def test_every_text_form_fits_the_print_width_setting_and_cuts_no_figure(db, papers, staff, kind, width):
    with db.writing() as uow:
        settings.set_setting("print_width", str(width), actor=staff[Role.ADMIN], uow=uow)
    with db.reading() as uow:
        text = document_text(kind, papers[kind], uow=uow)
        document = build_document(kind, papers[kind], uow=uow)
    assert max(cell_width(line) for line in text.splitlines()) <= width
    words = text.split()
    for row in document.rows:
        for cell, column in zip(row if isinstance(row, tuple) else (), document.columns, strict=False):
            if column.align == "right" and cell:
                assert cell in words, (kind, width, cell)
    for _label, value in document.totals:
        assert value in words


@pytest.mark.parametrize("kind", list(CHINESE))
def test_each_kind_prints_as_pdf_with_its_chinese_number_and_barcode(db, papers, kind):
    with db.reading() as uow:
        data = document_pdf(kind, papers[kind], uow=uow)
        number = build_document(kind, papers[kind], uow=uow).number
    assert number == papers[kind]
    reader = PdfReader(io.BytesIO(data))
    text = _flat(_pdf_text(data))
    assert number in text
    for chinese in CHINESE[kind]:
        assert _flat(chinese) in text, (kind, chinese)
    # Every page carries the number as a barcode, and nothing else on the page is drawn as bars.
    for page in reader.pages:
        assert pdf_bar_groups(page) == [modules_of(number)]
    assert reader.metadata.title == number


def test_a_discrepancy_record_prints_by_its_own_number_or_its_receipts(db, papers):
    with db.reading() as uow:
        by_receipt = build_document("discrepancy", papers["receipt"], uow=uow)
        by_record = build_document("discrepancy", papers["discrepancy"].lower(), uow=uow)
        assert document_text("discrepancy", papers["discrepancy"], uow=uow) == document_text(
            "discrepancy", papers["receipt"], uow=uow)
        with pytest.raises(NotFound, match="unknown discrepancy record DSC-2026-000099"):
            build_document("discrepancy", "DSC-2026-000099", uow=uow)
    assert by_receipt == by_record and by_record.number == papers["discrepancy"]


def test_a_long_document_repeats_its_barcode_and_numbers_its_pages():
    rows = tuple((str(n), f"P{n:05d}", f"零件 {n} 号 part number {n}", "1") for n in range(1, 121))
    document = Document("po", "PO-2026-000042", "采购订单", "PURCHASE ORDER", (("Order", "PO-2026-000042"),),
                        (Column("#", 3, "right"), Column("Part", 8), Column("Name", 20, grow=True),
                         Column("Qty", 5, "right")), rows, signatures=("Planner 计划员",))
    reader = PdfReader(io.BytesIO(pdf.render_pdf(document)))
    pages = len(reader.pages)
    assert pages >= 3
    for number, page in enumerate(reader.pages, start=1):
        assert pdf_bar_groups(page) == [modules_of("PO-2026-000042")]
        assert f"{number} / {pages}" in page.extract_text()
    assert "零件120号" in _flat(reader.pages[-1].extract_text())


# -- text alignment -----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 72, 100])
def test_text_tables_keep_their_columns_with_mixed_chinese_and_latin(db, staff, width):
    add_parts(db, staff)
    names = {"A1B2": ("Headlamp LH 左前大灯 with LED 日间行车灯", "大灯总成左"), "ODD-9": ("x", "机"),
             "LATIN": ("Wiper blade 600 mm", None)}
    with db.writing() as uow:
        for part_no, (name, name_zh) in names.items():
            catalog.add_part(part_no, name, name_zh=name_zh, price="12.50", actor=staff[Role.PLANNER],
                             uow=uow)
    po = sent_order(db, staff, "SGM", [OrderLineRequest(p, Decimal(q), None)
                                       for p, q in (("A1B2", 3), ("ODD-9", 1250), ("LATIN", 7))])
    with db.reading() as uow:
        document = build_document("po", po, uow=uow)
        text = document_text("po", po, uow=uow, width=width)
    widths = column_widths(document.columns, width)
    starts = [sum(widths[:i]) + i for i in range(len(widths))]
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(" #"))
    assert lines[head + 1].split() == ["零件号", "名称", "订货", "已到", "未到", "单价", "金额"]
    body = lines[head + 3:head + 6]
    assert all(cell_width(line) <= width for line in lines)
    for line, row in zip(body, document.rows, strict=True):
        for start, column_width, cell, column in zip(starts, widths, row, document.columns, strict=True):
            shown = field(line, start, column_width)
            if column.align == "right":
                assert shown.strip() == cell and (shown.endswith(cell) or start + column_width > cell_width(line))
            else:
                # Two names too wide for the column: the Chinese one alone (never cut before the English one).
                if isinstance(cell, PartName) and cell_width(cell) > column_width:
                    cell = cell.chinese
                assert cell.startswith(shown.strip()) and shown.strip()


def test_a_name_longer_than_its_column_goes_on_under_itself_whole():
    """On paper a name is read whole: a Chinese name wider than its column continues on the next line, the row's
    figures on its first."""
    name = PartName("左前大灯总成 Headlamp assembly, left")
    name.chinese = "左前大灯总成"
    document = Document("receipt", "RCV-1", "入库清单", "RECEIPT LIST", (),
                        (Column("Part no", 8), Column("Name", 8), Column("Qty", 4, "right")),
                        (("13301204", name, "2"), ("96536697", "前刹车片", "10")))
    lines = render_text(document, 22).splitlines()
    first = lines.index("13301204 左前大灯    2")
    assert lines[first + 1] == "         总成" and lines[first + 2] == "96536697 前刹车片   10"


def test_the_text_renderer_lays_out_notes_totals_blocks_and_signatures():
    document = Document(
        "ro",
        "RO-1",
        "维修服务单",
        "REPAIR ORDER",
        (("Customer 客户", "张三"),),
        (Column("Doc", 10), Column("Name", 10, grow=True), Column("Value", 8, "right")),
        (("REQ-1", "刹车片", "10.00"), "a note 备注 under the line"),
        totals=(("Parts 备件合计", "10.00"),),
        blocks=(Block("Complaint 故障描述", ("异响",)),),
        signatures=("Customer 客户",),
    )
    text = render_text(document, 40)
    lines = text.splitlines()
    assert lines[0].strip() == "维修服务单  REPAIR ORDER" and lines[1] == "=" * 40
    assert "    a note 备注 under the line" in lines
    assert "Parts 备件合计: 10.00".rjust(40 - 4) in [line.rjust(36) for line in lines]
    assert "Complaint 故障描述:" in lines and "  异响" in lines
    # Too narrow for two: the label at the left margin, the line to sign on ending at the right one.
    assert any(line.startswith("Customer 客户 ") and line.endswith(" " + "_" * 16) and cell_width(line) == 40
               for line in lines)
    assert all(cell_width(line) <= 40 for line in lines)


# -- refusals and printing ----------------------------------------------------------------------


def test_an_unknown_kind_or_number_is_one_clear_line(db, staff):
    with db.reading() as uow:
        with pytest.raises(BadInput, match="unknown document kind 'invoice'; the kinds are requisition, return, "
                                           "receipt, putaway, discrepancy, claim, po, ro"):
            document_text("invoice", "X", uow=uow)
        for kind, message in [("po", "unknown purchase order PO-2026-000404"), ("ro", "unknown repair order"),
                              ("receipt", "unknown receipt"), ("claim", "unknown claim"),
                              ("requisition", "unknown requisition"), ("return", "unknown return")]:
            with pytest.raises(NotFound, match=message):
                document_pdf(kind, "PO-2026-000404" if kind == "po" else "X-1", uow=uow)
    assert kinds.kind_of("req-2026-000001") == kinds.REQUISITION and kinds.kind_of("PO-2026-1").name == "po"


def test_print_document_writes_the_file_whole_and_refuses_what_it_cannot_write(db, papers, tmp_path):
    with db.reading() as uow:
        tmp_path = tmp_path / "prints"
        tmp_path.mkdir()
        printed = print_document("po", papers["po"], form="pdf", out=tmp_path / "po.pdf", uow=uow)
        assert printed.path.read_bytes() == printed.data and printed.data.startswith(b"%PDF")
        for out in (tmp_path / "missing" / "po.txt", tmp_path):
            with pytest.raises(BadInput, match="cannot write"):
                print_document("po", papers["po"], out=out, uow=uow)
        with pytest.raises(BadInput, match="unknown form 'docx'"):
            print_document("po", papers["po"], form="docx", out=tmp_path / "x.docx", uow=uow)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["po.pdf"]


def test_sending_pipes_the_document_to_the_printer_command(db, papers, staff, tmp_path, short_python):
    spooled = tmp_path / "spooled.txt"
    catcher = short_python.catcher(spooled)
    with db.writing() as uow:
        with pytest.raises(PrinterFailed, match="no printer command is set"):
            print_document("ro", papers["ro"], out=tmp_path / "ro.txt", send=True, uow=uow)
        assert not (tmp_path / "ro.txt").exists()
        settings.set_setting("printer_command", catcher, actor=staff[Role.ADMIN], uow=uow)
    with db.reading() as uow:
        printed = print_document("ro", papers["ro"], out=tmp_path / "ro.txt", send=True, uow=uow)
    assert printed.sent and spooled.read_bytes() == (tmp_path / "ro.txt").read_bytes() == printed.data
    assert "刹车异响" in spooled.read_text(encoding="utf-8")


def test_a_failing_printer_is_one_clear_error():
    with pytest.raises(PrinterFailed, match=r"the printer command 'false' failed \(exit 1\)"):
        send_to_printer(b"x", "false")
    with pytest.raises(PrinterFailed, match="could not run"):
        send_to_printer(b"x", "/no/such/printer -d counter")
    with pytest.raises(PrinterFailed, match=r"failed \(exit 3\): paper jam"):
        send_to_printer(b"x", f"{sys.executable} -c \"import sys; print('paper jam', file=sys.stderr); sys.exit(3)\"")


def test_write_file_leaves_nothing_behind_when_it_cannot_write(tmp_path):
    target = tmp_path / "out.pdf"
    assert write_file(target, b"%PDF") == target and target.read_bytes() == b"%PDF"
    with pytest.raises(BadInput, match="cannot write"):
        write_file(tmp_path, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("print_width", "39", "from 40 to 200"), ("print_width", "8O", "not a number"),
    ("print_width", "80.5", "not a whole number"), ("label_columns", "0", "1 to 6"),
    ("label_rows", "16", "1 to 15"), ("printer_command", "lp -d 'counter", "not a command line"),
    ("printer_command", "lp " + "x" * 1000, "at most 1000 characters"),
])
def test_print_settings_are_checked(db, staff, key, value, message):
    with db.writing() as uow:
        with pytest.raises(BadInput, match=message):
            settings.set_setting(key, value, actor=staff[Role.ADMIN], uow=uow)
        assert settings.set_setting("print_width", "48", actor=staff[Role.ADMIN], uow=uow) == "48"
        assert settings.get_settings(uow=uow)["label_columns"] == "3"
        # A wrapper script at a deep path (a clone at a long path, in the tests) is a command line too.
        deep = "/" + "/".join(["station"] * 40) + "/print-slip --queue counter"
        assert settings.set_setting("printer_command", deep, actor=staff[Role.ADMIN], uow=uow) == deep


# -- the registry of kinds, and telling a number exists without reading the document ------------


def test_every_kind_is_named_once_and_every_paper_has_a_builder():
    # The vehicle slips print too (tests/test_vehicle_slips.py), after the stocktake.
    assert [kind.name for kind in kinds.papers()] == [*CHINESE, "vehicle-take", "vehicle-restore"]
    assert set(documents.BUILDERS) == {kind.name for kind in kinds.papers()}
    assert {kind.name for kind in kinds.KINDS if not kind.printable} == {"request", "shortage", "adjustment",
                                                                        "surplus", "transfer"}
    prefixes = [kind.prefix for kind in kinds.KINDS if kind.prefix]
    assert len(prefixes) == len(set(prefixes)) and kinds.PUTAWAY.prefix is None
    assert kinds.RECEIPT.title() == "receipt list 入库清单" and kinds.RECEIPT.paper_title() == "RECEIPT LIST"
    with pytest.raises(BadInput, match="unknown document kind 'request'"):
        kinds.paper_kind("request")  # a number, but no paper


def test_every_operator_may_print_every_paper_and_nobody_a_number_without_one(staff):
    for actor in staff.values():
        assert all(kinds.may_print(actor, kind) for kind in kinds.papers())
        assert not any(kinds.may_print(actor, kind) for kind in kinds.KINDS if not kind.printable)


@pytest.fixture
def numbered(db, staff, papers, tmp_path):
    """A number of every kind: the papers, and a shortage, an adjustment, a purchase request and a surplus."""
    with db.writing() as uow:
        shortage = shortages.log_shortage("96536697", "2", papers["ro"], actor=staff[Role.ADVISOR], uow=uow)
    with db.writing() as uow:
        adjustment = stock.adjust("96800106", "1", location="EXC-01-01-01", reason="found", unit_cost="38.50",
                                  actor=staff[Role.PARTS_MANAGER], uow=uow).document
    with db.writing() as uow:
        catalog.add_location("EXC-01-01-02", actor=staff[Role.STOREKEEPER], uow=uow)
        transfer = transfers.create_transfer("96800106", "1", from_location="EXC-01-01-01",
                                             to_location="EXC-01-01-02", actor=staff[Role.STOREKEEPER], uow=uow).number
    with db.writing() as uow:
        request = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    packing = tmp_path / "over.csv"
    packing.write_text("shipment_no,box_no,part_no,description,qty,unit_price\nSH-2,1,96536697,前刹车片,2,286.00\n",
                       encoding="utf-8")
    store, planner = staff[Role.STOREKEEPER], staff[Role.PLANNER]
    with db.writing() as uow:
        receipt = receiving.open_receipt(packing, actor=store, uow=uow)
    with db.writing() as uow:
        receiving.check_boxes(receipt, 1, actor=store, second=planner, uow=uow)
    with db.writing() as uow:
        receiving.count_receipt(receipt, [CountEntry("96536697", Decimal(3))], first=store, second=planner, uow=uow)
    with db.writing() as uow:
        surplus = receiving.post_receipt(receipt, actor=planner, uow=uow).surplus_no
    with db.writing() as uow:  # 拆新车: taken off a new vehicle, then one put back
        taken = vehicles.take("LSGJA52U5CH123456", ["96800106:2"], location="EXC-01-01-01", actor=store,
                              uow=uow).document
    with db.writing() as uow:
        restored = vehicles.restore("LSGJA52U5CH123456", ["96800106:1"], actor=store, uow=uow).document
    others = {"shortage": shortage, "adjustment": adjustment, "request": request, "surplus": surplus,
              "vehicle-take": taken, "vehicle-restore": restored, "transfer": transfer}
    return {**{kind: number for kind, number in papers.items() if kind != "putaway"}, **others}


@pytest.fixture
def selects(db):
    """The SELECT statements the database runs, as they run."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_each_number_is_found_by_its_prefix_with_one_select(db, numbered, selects):
    assert set(numbered) == {kind.name for kind in kinds.KINDS} - {"putaway"}
    for name, number in numbered.items():
        kind = kinds.kind_of(number.lower())
        assert kind is not None and kind.name == name, number
        missing = number[:-1] + ("9" if number[-1] != "9" else "8")
        with db.reading() as uow, uow.read() as conn:
            selects.clear()
            assert kinds.number_exists(conn, kind, number) and not kinds.number_exists(conn, kind, missing)
            assert len(selects) == 2, (name, selects)
    with db.reading() as uow, uow.read() as conn:
        with pytest.raises(NotFound, match="unknown discrepancy record DSC-2026-000404"):
            kinds.require_number(conn, kinds.DISCREPANCY, "dsc-2026-000404")


def test_a_scan_tells_a_document_by_its_number_without_reading_it(db, numbered, selects):
    ro = numbered["ro"]
    expected = {"requisition": ro, "return": ro}
    for name in ("requisition", "return", "receipt", "discrepancy", "claim", "po", "ro", "request"):
        selects.clear()
        with db.reading() as uow:
            resolved = codes_lookup.resolve_code(f" {numbered[name].lower()} ", uow=uow)
        assert resolved == codes_lookup.Resolved(codes_lookup.DOCUMENT, numbered[name], name, expected.get(name))
        # The number's own row (and, for the counter's slips, their repair order): never a line of it.
        assert len(selects) <= 2 and not any("_line" in statement for statement in selects), (name, selects)
    assert codes_lookup.REQUEST_KIND == "request"
    for name in ("shortage", "adjustment", "surplus"):  # numbers a scan does not open
        with db.reading() as uow, pytest.raises(NotFound, match="is no known part, location or document"):
            codes_lookup.resolve_code(numbered[name], uow=uow)
    with db.reading() as uow:
        assert codes_lookup.resolve_code("exc-01-02-03", uow=uow) == codes_lookup.Resolved("location", "EXC-01-02-03")
        assert codes_lookup.resolve_code("9653 6697", uow=uow) == codes_lookup.Resolved("part", "96536697")
        with pytest.raises(NotFound, match="no known part"):
            codes_lookup.resolve_code("EXC-09-09-09", uow=uow)  # the location's form, no such bin


def test_a_document_label_reads_only_the_number(db, numbered, selects):
    selects.clear()
    with db.reading() as uow:
        label = labels.document_label(numbered["discrepancy"].lower(), uow=uow)
    assert label.code == numbered["discrepancy"]
    assert label.lines == ("验货异常现象记录表", "RECEIVING DISCREPANCY RECORD")
    assert len(selects) == 1 and "receipt_line" not in selects[0]
    with db.reading() as uow, pytest.raises(NotFound, match="is not the number of a document that prints"):
        labels.document_label(numbered["shortage"], uow=uow)


def test_a_scan_finds_a_slip_and_its_repair_order_on_both_databases(any_db, clock):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    receive(any_db, staff, "96536697", 2, cost="250.00")
    ro = order_in(any_db, staff, "in_repair")
    req = issue(any_db, staff, ro, ("96536697", "2"))
    ret = take_back(any_db, staff, req.number, ("96536697", "1"))
    with any_db.reading() as uow:
        assert codes_lookup.resolve_code(req.number, uow=uow).parent == ro
        assert codes_lookup.resolve_code(ret.number, uow=uow) == codes_lookup.Resolved("document", ret.number,
                                                                                       "return", ro)
        assert codes_lookup.resolve_code(ro, uow=uow) == codes_lookup.Resolved("document", ro, "ro")
        with uow.read() as conn:
            assert kinds.number_exists(conn, kinds.REQUISITION, req.number.lower())
            # The stock went on the shelf as an opening balance: that adjustment's number exists, the next not.
            assert kinds.number_exists(conn, kinds.ADJUSTMENT, "ADJ-2026-000001")
            assert not kinds.number_exists(conn, kinds.ADJUSTMENT, "ADJ-2026-000002")
