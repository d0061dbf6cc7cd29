"""`partsdesk report`: exit codes, JSON keys, XLSX and PDF exports read back, bad input in one line."""

from __future__ import annotations

import pytest

from tests.helpers.cli import Station, numbers_are_strings, refused
from tests.helpers.report_station import PADS, small_station

# The JSON keys of each report, by section (documented in the README's Reports section).
KEYS = {
    "valuation": {"lines": ["series", "zone", "qty", "value"]},
    "aging": {"buckets": ["bucket", "days", "qty", "value"]},
    "slow": {"summary": ["months", "parts", "qty", "value"],
             "parts": ["part_no", "name", "series", "last_issue", "months", "qty", "value"]},
    "consumption": {"lines": ["series", "month", "qty", "value"]},
    "abc": {"classes": ["class", "parts", "value", "share"],
            "parts": ["rank", "part_no", "name", "qty", "value", "class"]},
    "service": {"shortages": ["logged", "answered", "answered_in_time", "in_time_percent", "mean_answer_minutes",
                              "fulfilled", "mean_fulfil_minutes"],
                "late_receipts": ["receipt", "arrived", "posted", "days_late", "late_reason"]},
    "claims": {"lines": ["party", "age", "days", "claims", "amount"]},
}


@pytest.fixture
def station(db, clock, tmp_path):
    """The hand-computed station of tests/test_reports.py, driven through the CLI."""
    small_station(db, clock)
    db.dispose()
    return Station(tmp_path / "station.sqlite")


@pytest.mark.parametrize("name", sorted(KEYS))
def test_json_keys_and_strings(station, name):
    document = station.json("report", name)
    assert document["report"] == name
    for key, columns in KEYS[name].items():
        for row in document[key]:
            assert list(row) == columns
    numbers_are_strings(document)


def test_valuation_json_figures(station):
    document = station.json("report", "valuation", "--at", "2026-10-31")
    assert document["at"] == "2026-10-31"
    assert document["lines"][1] == {"series": "EXCELLE", "zone": "EXC", "qty": "19", "value": "1700.00"}
    assert document["totals"] == {"qty": "21", "value": "3700.00"}


def test_card_text_and_json(station):
    done = station.run("report", "card", PADS, "--from", "2026-11-01", "--to", "2026-11-20")
    assert done.exit_code == 0, done.stderr
    assert "ADJ-" in done.stdout and "closing quantity: 7" in done.stdout
    document = station.json("report", "card", PADS, "--from", "2026-11-01", "--to", "2026-11-20")
    assert [m["balance"] for m in document["moves"]] == ["10", "7"]
    assert document["totals"]["opening_qty"] == "6"


def test_xlsx_export_reads_back(station, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "valuation.xlsx"
    done = station.run("report", "valuation", "--out", str(out))
    assert done.exit_code == 0, done.stderr
    book = load_workbook(out)
    lines = list(book.worksheets[1].values)
    assert lines[0] == ("model series", "zone", "on hand", "value")
    assert lines[1] == ("CRUZE", "CRZ", 2, 2000)
    assert float(lines[2][3]) == 1920.0  # a number the spreadsheet adds up, not text
    # An existing file is not replaced without --force.
    refused(station.run("report", "valuation", "--out", str(out)), 2, "valuation.xlsx")
    assert station.run("report", "valuation", "--out", str(out), "--force").exit_code == 0


def test_pdf_export_reads_back(station, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "slow.pdf"
    done = station.run("report", "slow", "--out", str(out))
    assert done.exit_code == 0, done.stderr
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "呆滞件" in text and "13301204" in text and "2000.00" in text


@pytest.mark.parametrize("args, code, message", [
    (["valuation", "--at", "20261101"], 2, "bad date '20261101' for --at"),
    (["consumption", "--from", "2026-11-10", "--to", "2026-11-01"], 2, "--from 2026-11-10 is after --to"),
    (["card", "NOPE-1"], 2, "unknown part number NOPE-1"),
    (["card"], 2, "needs a part number"),
    (["valuation", PADS], 2, "only the stock card takes a part number"),
    (["sales"], 2, "unknown report 'sales'"),
    (["valuation", "--out", "v.csv"], 2, "must end in .xlsx or .pdf"),
    (["valuation", "--out", "v.xlsx", "--json"], 2, "give one of them"),
    (["service", "--at", "2026-11-01"], 2, "covers a period"),
])
def test_bad_input_one_line(station, tmp_path, args, code, message):
    result = station.run("report", *args)
    refused(result, code, message)
    assert not (tmp_path / "v.csv").exists()
