"""The transfer and adjustment commands through typer's CliRunner: issue 15's names and JSON keys, exit codes 0/1/2,
one clear line and nothing changed on a refusal."""

from __future__ import annotations

import pytest

from tests.helpers.cli import Station, numbers_are_strings, refused
from tests.helpers.station import SAMPLES

PADS = "96536697"  # brake pads, EXCELLE, a set
HOME, SPARE = "EXC-01-02-03", "EXC-01-02-04"


@pytest.fixture
def station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("PLAN1", "planner"), ("PM1", "parts_manager"),
                       ("PM2", "parts_manager"), ("ACCT1", "accountant"), ("CHECK1", "checker")]:
        result = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert result.exit_code == 0, result.stderr
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    assert s.run("location", "add", SPARE, as_="STORE1").exit_code == 0
    result = s.run("stock", "adjust", PADS, "--location", HOME, "--qty", "6", "--reason", "opening", "--unit-cost",
                   "250", as_="PM1")
    assert result.exit_code == 0, result.stderr
    return s


def test_transfer_create_check_show_and_list(station):
    created = station.json("transfer", "create", PADS, "--from", HOME, "--to", SPARE, "--qty", "4", as_="STORE1")
    assert created == {"transfer": "TRF-2026-000001"}
    assert station.json("transfer", "show", "TRF-2026-000001")["state"] == "entered"
    assert station.count("stock_transfer_lot") == 0
    refused(station.run("transfer", "check", "TRF-2026-000001", as_="STORE1"), 1, "may not check transfers")
    checked = station.json("transfer", "check", "trf-2026-000001", as_="CHECK1")
    numbers_are_strings(checked)
    assert {key: checked[key] for key in ("transfer", "part_no", "from", "to", "qty", "state", "entered_by",
                                          "checked_by")} == {
        "transfer": "TRF-2026-000001", "part_no": PADS, "from": HOME, "to": SPARE, "qty": "4", "state": "checked",
        "entered_by": "STORE1", "checked_by": "CHECK1"}
    assert [(lot["qty"], lot["unit_cost"]) for lot in checked["lots"]] == [("4", "250.00")]
    listed = station.json("transfer", "list")
    assert [(row["transfer"], row["state"]) for row in listed] == [("TRF-2026-000001", "checked")]
    text = station.run("transfer", "show", "TRF-2026-000001")
    assert text.exit_code == 0
    assert "TRF-2026-000001: 96536697 4 from EXC-01-02-03 to EXC-01-02-04: checked" in text.stdout
    lots = station.json("part", "show", PADS)["lots"]
    assert sorted((lot["location"], lot["qty"]) for lot in lots) == [(HOME, "2"), (SPARE, "4")]
    assert station.run("stock", "check").exit_code == 0


@pytest.mark.parametrize(("args", "who", "code", "message"), [
    (["--from", HOME, "--to", HOME, "--qty", "1"], "STORE1", 2, "two different bins"),
    (["--from", HOME, "--to", "EXC-09-09-09", "--qty", "1"], "STORE1", 2, "unknown location EXC-09-09-09"),
    (["--from", HOME, "--to", SPARE, "--qty", "7"], "STORE1", 1, "on hand at that location 6"),
    (["--from", HOME, "--to", SPARE, "--qty", "abc"], "STORE1", 2, "not a number"),
    (["--from", HOME, "--to", SPARE, "--qty", "1"], "PLAN1", 1, "may not enter transfers"),
    (["--from", "QRN-01-01-01", "--to", SPARE, "--qty", "1"], "STORE1", 2, "unknown location QRN-01-01-01"),
])
def test_transfer_refusals_change_nothing(station, args, who, code, message):
    refused(station.run("transfer", "create", PADS, *args, as_=who), code, message)
    assert station.count("stock_transfer") == 0


def test_a_refused_or_cancelled_transfer_moves_nothing(station):
    station.json("transfer", "create", PADS, "--from", HOME, "--to", SPARE, "--qty", "1", as_="STORE1")
    station.json("transfer", "create", PADS, "--from", HOME, "--to", SPARE, "--qty", "1", as_="STORE1")
    assert station.json("transfer", "refuse", "TRF-2026-000001", "--note", "wrong bin", as_="PM1")["state"] == "refused"
    assert station.json("transfer", "cancel", "TRF-2026-000002", as_="STORE1")["state"] == "cancelled"
    refused(station.run("transfer", "check", "TRF-2026-000002", as_="CHECK1"), 1, "nothing to check")
    refused(station.run("transfer", "show", "TRF-2026-000009"), 2, "unknown transfer TRF-2026-000009")
    assert station.count("stock_transfer_lot") == 0


def test_stock_reasons_lists_the_codes_with_labels(station):
    reasons = station.json("stock", "reasons")
    assert [r["code"] for r in reasons] == ["damaged", "expired", "found", "lost", "claim_settled", "stocktake",
                                            "opening"]
    assert reasons[0]["label"] == "damaged in store"
    chinese = station.run("--lang", "zh_CN", "stock", "reasons")
    assert chinese.exit_code == 0 and "库内损坏" in chinese.stdout and "盘点" in chinese.stdout


def test_stock_adjust_refuses_a_reason_outside_the_list(station):
    moves = station.count("stock_move")
    refused(station.run("stock", "adjust", PADS, "--location", HOME, "--qty", "-1", "--reason", "broke it",
                        as_="PM1"), 2, "unknown reason 'broke it'; the reasons are damaged, expired, found")
    assert station.count("stock_move") == moves


def test_an_adjustment_above_the_limit_waits_for_both_approvals(station):
    assert station.run("setting", "set", "adjust_value_limit", "500", as_="ADMIN").exit_code == 0
    pending = station.json("stock", "adjust", PADS, "--location", HOME, "--qty", "-3", "--reason", "damaged",
                           "--note", "crushed box", as_="PM1")
    assert (pending["document"], pending["state"], pending["value"], pending["lots"]) == (
        "ADJ-2026-000002", "pending", "750.00", [])
    assert [row["document"] for row in station.json("stock", "pending")] == ["ADJ-2026-000002"]
    refused(station.run("stock", "approve", "ADJ-2026-000002", as_="PM1"), 1, "PM1 entered this adjustment")
    refused(station.run("stock", "approve", "ADJ-2026-000002", as_="STORE1"), 1, "may not approve")
    # PM1's entry is his approval: another parts manager has none to give, the accountant's posts it.
    refused(station.run("stock", "approve", "ADJ-2026-000002", as_="PM2"), 1, "already has the approval")
    posted = station.json("stock", "approve", "ADJ-2026-000002", as_="ACCT1")
    assert posted["state"] == "posted" and len(posted["lots"]) == 1
    assert station.json("part", "show", PADS)["on_hand"] == "3"
    refused(station.run("stock", "approve", "ADJ-2026-000002", as_="ACCT1"), 1, "nothing waits for approval")
    assert station.json("stock", "pending") == []


def test_stock_release_is_a_transfer_out_of_quarantine_checked_by_another(station):
    assert station.run("location", "add", "QRN-01-01-01", as_="PM1").exit_code == 0
    assert station.run("stock", "adjust", PADS, "--location", "QRN-01-01-01", "--qty", "1", "--reason", "found",
                       "--unit-cost", "250", as_="PM1").exit_code == 0
    refused(station.run("transfer", "create", PADS, "--from", "QRN-01-01-01", "--to", SPARE, "--qty", "1",
                        as_="STORE1"), 1, "leave quarantine only by a write-off")
    released = station.json("stock", "release", PADS, "--to", SPARE, "--qty", "1", as_="PM1")
    assert released == {"transfer": "TRF-2026-000001"}
    assert station.json("transfer", "check", "TRF-2026-000001", as_="CHECK1")["release"] is True
    lots = station.json("part", "show", PADS)["lots"]
    assert sorted((lot["location"], lot["qty"]) for lot in lots) == [(HOME, "6"), (SPARE, "1")]


def test_a_transfer_to_another_station_is_refused_on_sqlite(station):
    refused(station.run("transfer", "create", PADS, "--from", HOME, "--to", SPARE, "--to-station", "north", "--qty",
                        "1", as_="STORE1"), 1, "transfers between stations need PostgreSQL")
    assert station.count("stock_transfer") == 0
