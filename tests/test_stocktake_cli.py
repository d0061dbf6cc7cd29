"""The stocktake commands through the CLI: the whole run, JSON keys of the contract, exit codes, refusals."""

from __future__ import annotations

import pytest

from tests.helpers import SAMPLES
from tests.helpers.cli import Station, invoke, numbers_are_strings, refused

PADS = "96536697"


@pytest.fixture
def station(tmp_path, monkeypatch):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("STORE2", "storekeeper"), ("PLAN1", "planner"),
                       ("PM1", "parts_manager"), ("ACCT1", "accountant")]:
        assert s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234",
                     as_="ADMIN").exit_code == 0
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    assert s.run("stock", "adjust", PADS, "--qty", "6", "--location", "EXC-01-02-03",
                 "--reason", "opening balance", "--unit-cost", "30", as_="PM1").exit_code == 0
    monkeypatch.setenv("PARTSDESK_PIN_STORE1", "1234")
    monkeypatch.setenv("PARTSDESK_PIN_STORE2", "1234")
    return s


def _counted(s: Station, *extra: str):
    return invoke(["--db", str(s.path), *extra])


def test_the_whole_stocktake(station, tmp_path):
    number = station.json("stocktake", "open", "--locations", "EXC-01-02-03", as_="STORE1")["stocktake"]
    assert number.startswith("STK-2026-")
    sheet = station.json("stocktake", "sheet", number)
    assert [set(line) for line in sheet["lines"]] == [{"part_no", "location", "name"}]
    assert "book" not in station.run("stocktake", "sheet", number).stdout
    counted = _counted(station, "stocktake", "count", number, "--by", "STORE1", "--by", "STORE2",
                       "--line", f"{PADS}@EXC-01-02-03=4", "--json")
    assert counted.exit_code == 0, counted.stderr
    assert counted.stdout.count('"book": null') == 1  # blind until closed
    closed = station.json("stocktake", "close", number, as_="STORE1")
    numbers_are_strings(closed)
    (line,) = closed["lines"]
    assert {k: line[k] for k in ("part_no", "location", "book", "counted", "variance", "value")} == {
        "part_no": PADS, "location": "EXC-01-02-03", "book": "6", "counted": "4", "variance": "-2",
        "value": "-60.00"}
    assert station.run("stocktake", "approve", number, as_="STORE1").exit_code == 1  # not a parts manager
    approved = station.json("stocktake", "approve", number, as_="PM1")
    assert approved == {"stocktake": number, "state": "approved", "moves": "1"}
    shown = station.json("stocktake", "show", number)
    assert shown["state"] == "approved" and shown["counters"] == ["STORE1", "STORE2"]
    assert station.json("stocktake", "list")["stocktakes"][0]["stocktake"] == number
    assert station.run("stock", "check").exit_code == 0
    printed = station.run("print", "stocktake", number)
    assert printed.exit_code == 0 and "盘点单" in printed.stdout and "-60.00" in printed.stdout
    pdf = tmp_path / "stk.pdf"
    assert station.run("print", "stocktake", number, "--format", "pdf", "--out", str(pdf)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_count_from_a_file_and_recount(station, tmp_path):
    number = station.json("stocktake", "open", "--locations", "EXC-01-02-0?", as_="STORE1")["stocktake"]
    sheet = tmp_path / "counts.csv"
    sheet.write_text(f"part_no,location,qty\n{PADS},EXC-01-02-03,5\n", encoding="utf-8")
    assert _counted(station, "stocktake", "count", number, "--by", "STORE1", "--by", "STORE2",
                    "--file", str(sheet)).exit_code == 0
    assert station.run("stocktake", "close", number, as_="STORE1").exit_code == 0
    recounted = station.json("stocktake", "recount", number, f"{PADS}@EXC-01-02-03", as_="PM1")
    assert recounted["state"] == "open" and recounted["lines"][0]["counted"] is None


@pytest.mark.parametrize(("args", "code", "message"), [
    (("--zone", "EXC", "--cycle"), 2, "give one scope"),
    (("--zone", "1"), 2, "is not a zone code"),
    (("--locations", "NOPE-*"), 2, "no bin matches"),
])
def test_open_refusals(station, args, code, message):
    refused(station.run("stocktake", "open", *args, as_="STORE1"), code, message)
    assert station.count("stocktake") == 0


def test_count_refusals_change_nothing(station):
    number = station.json("stocktake", "open", "--zone", "EXC", as_="STORE1")["stocktake"]
    base = ("stocktake", "count", number, "--by", "STORE1", "--by", "STORE2", "--line")
    refused(_counted(station, *base, f"{PADS}=4"), 2, "is not PART_NO@LOCATION=QTY")
    refused(_counted(station, *base, f"{PADS}@EXC-01-02-03=-1"), 2, "cannot be negative")
    refused(_counted(station, *base, "NOPE1@EXC-01-02-03=1"), 2, "unknown part number")
    refused(_counted(station, "stocktake", "count", number, "--by", "STORE1", "--by", "STORE1", "--line",
                     f"{PADS}@EXC-01-02-03=1"), 1, "two different people")
    refused(station.run("stocktake", "close", number, as_="STORE1"), 1, "not counted yet")
    refused(station.run("stocktake", "show", "STK-2026-000099"), 2, "unknown stocktake")
    assert station.json("stocktake", "show", number)["lines_counted"] == "0"
