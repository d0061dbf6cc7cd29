"""The sale commands through typer's CliRunner: issue 16's names and JSON keys, the two-person check, the delivery
note, and one clear line with nothing changed on a refusal."""

from __future__ import annotations

import pytest

from tests.helpers.cli import Station, numbers_are_strings, refused
from tests.helpers.station import SAMPLES

PADS = "96536697"  # brake pads, EXCELLE, a set
HOME = "EXC-01-02-03"


@pytest.fixture
def station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("PLAN1", "planner"), ("PM1", "parts_manager"),
                       ("CHECK1", "checker"), ("ACCT1", "accountant")]:
        result = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert result.exit_code == 0, result.stderr
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    result = s.run("stock", "adjust", PADS, "--location", HOME, "--qty", "6", "--reason", "opening", "--unit-cost",
                   "250", as_="PM1")
    assert result.exit_code == 0, result.stderr
    return s


def test_sale_create_check_settle_return_and_print(station, tmp_path):
    created = station.json("sale", "create", "--customer", "李四汽修", "--phone", "13800138000", "--line", f"{PADS}:4",
                           as_="STORE1")
    assert created == {"sale": "SAL-2026-000001"}
    refused(station.run("sale", "check", "SAL-2026-000001", as_="STORE1"), 1, "may not check counter sales")
    checked = station.json("sale", "check", "sal-2026-000001", as_="CHECK1")
    numbers_are_strings(checked)
    assert {key: checked[key] for key in ("sale", "customer", "phone", "state", "entered_by", "checked_by")} == {
        "sale": "SAL-2026-000001", "customer": "李四汽修", "phone": "13800138000", "state": "checked",
        "entered_by": "STORE1", "checked_by": "CHECK1"}
    assert [(line["part_no"], line["qty"], line["lots"][0]["location"]) for line in checked["lines"]] == [
        (PADS, "4", HOME)]
    returned = station.json("sale", "return", "SAL-2026-000001", "--line", f"{PADS}:1", as_="STORE1")
    assert returned["lines"][0]["returned"] == "1"
    settled = station.json("sale", "settle", "SAL-2026-000001", as_="ACCT1")
    assert settled["state"] == "settled" and settled["amount"] == settled["net"] and settled["refund"] == "0.00"
    after = station.json("sale", "return", "SAL-2026-000001", "--line", f"{PADS}:1", as_="STORE1")
    assert (after["amount"], after["refund"]) == (settled["amount"], after["lines"][0]["unit_price"])
    assert [(row["sale"], row["state"]) for row in station.json("sale", "list")] == [("SAL-2026-000001", "settled")]
    printed = station.run("print", "sale", "SAL-2026-000001")
    assert printed.exit_code == 0 and "发货通知单" in printed.stdout and "李四汽修" in printed.stdout
    assert station.run("stock", "check").exit_code == 0


def test_sale_refusals_change_nothing(station):
    refused(station.run("sale", "create", "--customer", "王五", "--line", f"{PADS}:abc", as_="STORE1"), 2,
            "not a number")
    refused(station.run("sale", "create", "--customer", "王五", "--line", f"{PADS}:1", as_="PLAN1"), 1,
            "may not enter counter sales")
    assert station.count("sales_order") == 0
    station.json("sale", "create", "--customer", "王五", "--line", f"{PADS}:9", as_="STORE1")
    refused(station.run("sale", "check", "SAL-2026-000001", as_="CHECK1"), 1, "not enough stock of 96536697")
    assert station.json("sale", "cancel", "SAL-2026-000001", as_="STORE1")["state"] == "cancelled"
    refused(station.run("sale", "show", "SAL-2026-000009"), 2, "unknown sale SAL-2026-000009")
    assert station.count("sales_return") == 0
