"""`partsdesk label …` and `partsdesk print …` through the CLI: files written whole, exit codes 0/1/2, one clear
line on a refusal and nothing left behind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import SAMPLES
from tests.helpers.barcodes import modules_of, pdf_bar_groups, svg_modules
from tests.helpers.cli import Station, invoke, refused
from tests.helpers.orders import sent_order_cli

LOCATIONS = ["EXC-01-01-01", "EXC-01-01-02", "EXC-01-02-03"]  # the sample master's EXC-01 bins


@pytest.fixture
def station(tmp_path, monkeypatch):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("STORE2", "storekeeper"), ("PLAN1", "planner")]:
        added = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert added.exit_code == 0, added.stderr
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    added = s.run("part", "add", "92234567", "--name", "Brake disc", "--name-zh", "前刹车盘", "--model-series",
                  "EXCELLE", "--location", "EXC-02-01-01", "--price", "420", as_="PLAN1")
    assert added.exit_code == 0, added.stderr
    monkeypatch.setenv("PARTSDESK_PIN_STORE1", "1234")
    monkeypatch.setenv("PARTSDESK_PIN_STORE2", "1234")
    monkeypatch.setenv("PARTSDESK_PIN_PLAN1", "1234")
    return s


@pytest.fixture
def order(station):
    return sent_order_cli(station, "SGM", "92234567:4", "96800106:60")


@pytest.fixture
def out(tmp_path):
    """A folder of its own for what the commands write, so that anything left behind shows."""
    folder = tmp_path / "prints"
    folder.mkdir()
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- labels -------------------------------------------------------------------------------------


def test_label_files_decode_to_their_codes(station, order, out):
    result = station.run("label", "part", " 92234567 ", "--out", str(out / "part.svg"))
    assert result.exit_code == 0 and "label 92234567 written to" in result.stdout, result.stderr
    svg = (out / "part.svg").read_bytes()
    assert svg_modules(svg) == modules_of("92234567") and "前刹车盘".encode() in svg
    assert station.run("label", "location", "exc-01-02-03", "--out", str(out / "bin.png")).exit_code == 0
    assert (out / "bin.png").read_bytes().startswith(b"\x89PNG")
    assert station.run("label", "document", order, "--out", str(out / "po.pdf")).exit_code == 0
    assert pdf_bar_groups(PdfReader(out / "po.pdf").pages[0]) == [modules_of(order)]
    assert _files(out) == ["bin.png", "part.svg", "po.pdf"]


def test_a_label_that_cannot_be_made_or_written_is_refused_with_nothing_left(station, out, tmp_path):
    refused(station.run("label", "part", "NOPE-1", "--out", str(out / "x.svg")), 2, "unknown part number NOPE-1")
    refused(station.run("label", "location", "EXC-09-09-09", "--out", str(out / "x.svg")), 2,
            "unknown location EXC-09-09-09")
    refused(station.run("label", "part", "96536697", "--out", str(out / "x.jpg")), 2,
            "a label file is .svg, .png or .pdf")
    refused(station.run("label", "part", "96536697", "--out", str(out / "missing" / "x.svg")), 2, "cannot write")
    taken = tmp_path / "taken.svg"  # a folder where the file should go
    taken.mkdir()
    refused(station.run("label", "part", "96536697", "--out", str(taken)), 2, "cannot write")
    assert _files(taken) == []
    refused(station.run("label", "document", "INV-1", "--out", str(out / "x.svg")), 2,
            "'INV-1' is not the number of a document that prints")
    assert _files(out) == []


def test_a_location_sheet_follows_the_grid_settings(station, out):
    result = station.run("label", "sheet", "--locations", "EXC-01-*", "--out", str(out / "bins.pdf"))
    assert result.exit_code == 0 and "3 labels on 1 page written" in result.stdout, result.stderr
    reader = PdfReader(out / "bins.pdf")
    assert sorted(pdf_bar_groups(reader.pages[0])) == sorted(modules_of(code) for code in LOCATIONS)
    for key, value in (("label_columns", "1"), ("label_rows", "2")):
        assert station.run("setting", "set", key, value, as_="ADMIN").exit_code == 0
    again = ("label", "sheet", "--locations", "EXC-01", "--out", str(out / "bins.pdf"))
    refused(station.run(*again), 2, "bins.pdf exists: give --force to replace it")
    result = station.run(*again, "--force")
    assert "3 labels on 2 pages written" in result.stdout
    assert [len(pdf_bar_groups(page)) for page in PdfReader(out / "bins.pdf").pages] == [2, 1]


def test_a_part_sheet_matches_a_prefix(station, out):
    result = station.run("label", "sheet", "--parts", "9680", "--out", str(out / "parts.pdf"))
    assert result.exit_code == 0, result.stderr
    assert pdf_bar_groups(PdfReader(out / "parts.pdf").pages[0]) == [modules_of("96800106")]


def test_a_receipt_sheet_has_a_label_per_accepted_unit(station, out):
    receipt = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), "--carrier", "SF",
                           as_="STORE1")["receipt"]
    sheet = ["label", "sheet", "--receipt", receipt, "--out", str(out / "rcpt.pdf")]
    refused(station.run(*sheet), 1, f"receipt {receipt} has nothing accepted yet: count it first")
    assert station.run("receive", "boxes", receipt, "--boxes", "3", "--by", "STORE1", "--by", "PLAN1",
                       as_="STORE1").exit_code == 0
    counted = invoke(["--db", str(station.path), "receive", "count", receipt, "--by", "STORE1", "--by",
                      "STORE2", "--line", "96536697=10", "--line", "96800106=60", "--line", "13301204=2",
                      "--line", "19300011=48", "--line", "13227301=6"])
    assert counted.exit_code == 0, counted.stderr
    result = station.run(*sheet)
    # 10 pads, 2 lamps and 6 of 13227301 one each; the 60 filters, over the cap, one label; the 48 litres of
    # 19300011 (a divisible unit) one label for the line.
    assert result.exit_code == 0 and "20 labels on 1 page written" in result.stdout, result.stderr
    assert "one label for the whole line of 96800106, 19300011: more than 50 units" in result.stdout
    assert sum(len(pdf_bar_groups(page)) for page in PdfReader(out / "rcpt.pdf").pages) == 20
    per_line = station.run(*sheet, "--per-line", "--force")
    assert "5 labels on 1 page written" in per_line.stdout
    assert len(pdf_bar_groups(PdfReader(out / "rcpt.pdf").pages[0])) == 5


def test_a_sheet_request_that_makes_no_sense_is_refused(station, out):
    pdf = str(out / "x.pdf")
    refused(station.run("label", "sheet", "--out", pdf), 2, "name exactly one of --parts")
    refused(station.run("label", "sheet", "--parts", "9", "--locations", "EXC", "--out", pdf), 2,
            "name exactly one of --parts")
    refused(station.run("label", "sheet", "--parts", "9", "--per-line", "--out", pdf), 2, "--per-line goes with")
    refused(station.run("label", "sheet", "--parts", "9", "--out", str(out / "x.svg")), 2, "a label sheet is a PDF")
    refused(station.run("label", "sheet", "--locations", "ZZZ-*", "--out", pdf), 2, "no location matches 'ZZZ-*'")
    refused(station.run("label", "sheet", "--receipt", "RCV-2026-000404", "--out", pdf), 2,
            "unknown receipt RCV-2026-000404")
    assert _files(out) == []


# -- printing -----------------------------------------------------------------------------------


def test_print_text_to_the_screen_and_pdf_to_a_file(station, order, out):
    shown = station.run("print", "po", order.lower())
    assert shown.exit_code == 0, shown.stderr
    assert "采购订单  PURCHASE ORDER" in shown.stdout and order in shown.stdout and "前刹车盘" in shown.stdout
    narrow = station.run("print", "po", order, "--width", "48", "--out", str(out / "po.txt"))
    assert narrow.exit_code == 0 and "written to" in narrow.stdout
    assert max(len(line) for line in (out / "po.txt").read_text(encoding="utf-8").splitlines()) <= 48
    assert station.run("print", "po", order, "--out", str(out / "po.pdf")).exit_code == 0  # .pdf: the PDF form
    assert (out / "po.pdf").read_bytes().startswith(b"%PDF")
    reader = PdfReader(out / "po.pdf")
    assert order in reader.pages[0].extract_text() and "前刹车盘" in "".join(reader.pages[0].extract_text().split())
    assert station.run("print", "po", order, "--format", "pdf", "--out", str(out / "po.bin")).exit_code == 0
    assert (out / "po.bin").read_bytes().startswith(b"%PDF")
    assert _files(out) == ["po.bin", "po.pdf", "po.txt"]


def test_print_refusals_are_one_line_and_leave_nothing(station, order, out):
    refused(station.run("print", "invoice", order), 2, "unknown document kind 'invoice'; the kinds are requisition")
    refused(station.run("print", "po", "PO-2026-000404"), 2, "unknown purchase order PO-2026-000404")
    refused(station.run("print", "ro", "RO-2026-000404", "--format", "pdf", "--out", str(out / "x.pdf")), 2,
            "unknown repair order RO-2026-000404")
    refused(station.run("print", "po", order, "--format", "pdf"), 2, "a PDF goes to a file")
    refused(station.run("print", "po", order, "--format", "docx", "--out", str(out / "x.docx")), 2,
            "unknown form 'docx'")
    refused(station.run("print", "po", order, "--out", str(out / "missing" / "po.txt")), 2, "cannot write")
    refused(station.run("print", "po", order, "--format", "pdf", "--out", str(out)), 2, "cannot write")
    refused(station.run("print", "po", order, "--out", str(out / "po.txt"), "--send"), 1,
            "no printer command is set")
    assert _files(out) == []


def test_send_pipes_the_document_to_the_printer_command(station, order, out, short_python):
    spooled = out / "spooled"
    catcher = short_python.catcher(spooled)  # short at any clone path (tests/helpers/printer.py)
    assert station.run("setting", "set", "printer_command", catcher, as_="ADMIN").exit_code == 0
    sent = station.run("print", "po", order, "--send")
    assert sent.exit_code == 0 and "sent to the printer" in sent.stdout, sent.stderr
    assert spooled.read_text(encoding="utf-8") == station.run("print", "po", order).stdout
    sent = station.run("print", "po", order, "--out", str(out / "po.pdf"), "--send")
    assert sent.exit_code == 0 and spooled.read_bytes() == (out / "po.pdf").read_bytes()
    assert PdfReader(io.BytesIO(spooled.read_bytes())).pages


def test_a_failing_printer_is_exit_1_and_keeps_the_file(station, order, out):
    assert station.run("setting", "set", "printer_command", "false", as_="ADMIN").exit_code == 0
    refused(station.run("print", "po", order, "--out", str(out / "po.txt"), "--send"), 1,
            f"the printer command 'false' failed (exit 1); {out / 'po.txt'} is written")
    refused(station.run("print", "po", order, "--send"), 1, "the printer command 'false' failed (exit 1)")
    assert _files(out) == ["po.txt"]
