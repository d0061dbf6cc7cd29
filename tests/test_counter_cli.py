"""The counter through the CLI (typer's CliRunner): ro, issue, requisition, return — output, JSON shapes, exit codes,
and nothing changed when refused."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import numbers_are_strings, refused
from tests.helpers.counter_cli import OPEN, PADS, VIN, counter_station, in_repair


@pytest.fixture
def station(tmp_path):
    """Operators for the counter, the sample parts and brake pads in two lots (10 at 250.00, then 5 at 270.00)."""
    return counter_station(tmp_path / "station.sqlite")


def issue(station, ro, *lines, json_: bool = False):
    """`partsdesk issue RO --line … --to MECH1` as STORE1, the mechanic's PIN in his own variable."""
    args = ["issue", ro, "--to", "MECH1", *(["--json"] if json_ else [])]
    for line in lines:
        args += ["--line", line]
    return station.run(*args, as_="STORE1", env={"PARTSDESK_PIN_MECH1": "1234"})


def test_ro_open_prints_the_number_and_json(station):
    assert station.json(*OPEN, as_="ADV1") == {"ro": "RO-2026-000001"}
    human = station.run(*OPEN, "--present", "jack", "--absent", "spare_wheel", as_="ADV1")
    assert human.exit_code == 0 and human.stdout.strip() == "RO-2026-000002"
    shown = station.json("ro", "show", "RO-2026-000002")
    numbers_are_strings(shown)
    assert shown["inspection"]["checklist"] == {"spare_wheel": False, "jack": True}
    assert shown["vehicle"] == {"vin": VIN, "plate": "沪A12345", "series": "EXCELLE", "mileage": "45000"}
    assert shown["state"] == "intake" and shown["next_states"] == ["diagnosing", "cancelled"]


@pytest.mark.parametrize(("option", "value", "code", "message"), [
    ("--vin", "LSGPC52U6AF10234O", 2, "never uses I, O or Q"),
    ("--vin", "LSGPC52U6AF1023", 2, "has 15 characters"),
    ("--mileage", "far", 2, "not a whole number"),
    ("--phone", "call me", 2, "not a phone number"),
])
def test_ro_open_refuses_bad_input_in_one_line(station, option, value, code, message):
    args = list(OPEN)
    args[args.index(option) + 1] = value
    refused(station.run(*args, as_="ADV1"), code, message)
    refused(station.run(*OPEN, "--present", "sunroof", as_="ADV1"), 2, "unknown checklist item 'sunroof'")
    refused(station.run(*OPEN, as_="STORE1"), 1, "STORE1 may not open or hand back repair orders")
    assert station.count("repair_order") == 0


def test_the_mechanics_pin_as_an_option_warns_that_ps_shows_it(station):
    ro = in_repair(station)
    given = station.run("issue", ro, "--line", f"{PADS}:1", "--to", "MECH1", "--confirm-pin", "1234", as_="STORE1")
    assert given.exit_code == 0, given.stderr
    assert ("--confirm-pin is visible to other users in the process list; use PARTSDESK_PIN_MECH1 or the prompt"
            in given.stderr)
    assert "visible" not in issue(station, ro, f"{PADS}:1").stderr  # PARTSDESK_PIN_MECH1: no warning


def test_issue_json_shape_and_oldest_first(station):
    ro = in_repair(station)
    result = issue(station, ro, f"{PADS}:12", json_=True)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    numbers_are_strings(document)
    assert document == {"requisition": "REQ-2026-000001", "lines": [{"part_no": PADS, "qty": "12", "taken": [
        {"lot": "1", "location": "EXC-01-02-03", "qty": "10", "unit_cost": "250.00"},
        {"lot": "2", "location": "EXC-01-02-03", "qty": "2", "unit_cost": "270.00"}]}]}
    human = issue(station, ro, f"{PADS}:1")
    assert human.exit_code == 0 and human.stdout.strip() == "REQ-2026-000002"


def test_issue_refusals_are_one_line_and_change_nothing(station):
    ro = in_repair(station)
    moves = station.count("stock_move")
    refused(issue(station, ro, f"{PADS}:16"), 1, "not enough stock of 96536697: asked 16, on hand 15")
    refused(issue(station, ro, f"{PADS}:1", "96800106:1"), 1, "96800106: asked 1, on hand 0")
    refused(issue(station, ro, f"{PADS}:0"), 2, "must be more than zero")
    refused(issue(station, ro, f"{PADS}:-3"), 2, "must be more than zero")
    refused(issue(station, ro, f"{PADS}:two"), 2, "is not a number")
    refused(issue(station, ro, PADS), 2, "must be PART_NO:QTY")
    refused(issue(station, "RO-2026-000404", f"{PADS}:1"), 2, "unknown repair order RO-2026-000404")
    refused(station.run("issue", ro, "--line", f"{PADS}:1", "--to", "STORE1", as_="STORE1"), 1,
            "STORE1 may not issue to himself")
    refused(station.run("issue", ro, "--line", f"{PADS}:1", "--to", "MECH1", "--confirm-pin", "9999", as_="STORE1"),
            1, "mechanic's code or PIN was not accepted")
    refused(station.run("issue", ro, "--line", f"{PADS}:1", as_="STORE1"), 2, "Missing option '--to'")
    # The storekeeper's PARTSDESK_PIN never signs for the mechanic: without his own PIN and with no terminal to
    # ask it at, one line says where it can come from.
    refused(station.run("issue", ro, "--line", f"{PADS}:1", "--to", "MECH1", as_="STORE1"), 2, "no PIN for MECH1")
    assert station.count("stock_move") == moves and station.count("requisition") == 0


def test_the_mechanic_pin_can_be_typed_at_a_hidden_prompt(station):
    ro = in_repair(station)
    result = station.run("issue", ro, "--line", f"{PADS}:1", "--to", "MECH1", as_="STORE1", input="1234\n")
    assert result.exit_code == 0, result.stderr
    assert "REQ-2026-000001" in result.stdout and "1234\n" not in result.stdout


def test_no_issue_against_a_closed_order(station):
    ro = station.json(*OPEN, as_="ADV1")["ro"]
    assert station.run("ro", "state", ro, "cancelled", "--note", "customer withdrew", as_="ADV1").exit_code == 0
    refused(issue(station, ro, f"{PADS}:1"), 1, "is cancelled: no issue against a closed repair order")


def test_requisition_show_json_and_slip(station):
    ro = in_repair(station)
    assert issue(station, ro, f"{PADS}:11").exit_code == 0
    shown = station.json("requisition", "show", "REQ-2026-000001")
    numbers_are_strings(shown)
    assert shown["ro"] == ro and shown["mechanic"]["code"] == "MECH1" and shown["storekeeper"]["code"] == "STORE1"
    assert shown["lines"][0]["qty"] == "11" and shown["lines"][0]["cost"] == "2770.00"
    assert shown["cost"] == "2770.00" and shown["returns"] == [] and shown["return_slips"] == []
    slip = station.run("requisition", "show", "req-2026-000001")
    assert slip.exit_code == 0 and "领料单  REQUISITION" in slip.stdout and VIN in slip.stdout
    assert "Requisition 领料单: REQ-2026-000001" in slip.stdout
    refused(station.run("requisition", "show", "REQ-2026-000999"), 2, "unknown requisition REQ-2026-000999")


def test_return_then_settle_then_return_again(station):
    ro = in_repair(station)
    assert issue(station, ro, f"{PADS}:11").exit_code == 0
    env = {"PARTSDESK_PIN_MECH1": "1234"}
    result = station.run("return", "REQ-2026-000001", "--line", f"{PADS}:2", "--reason", "not needed", "--json",
                         as_="STORE1", env=env)
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout)
    numbers_are_strings(first)
    assert first["return"] == "RET-2026-000001" and first["on_requisition"] is True
    assert [(ln["lot"], ln["qty"], ln["location"], ln["damaged"]) for ln in first["lines"]] == [
        ("2", "1", "EXC-01-02-03", False), ("1", "1", "EXC-01-02-03", False)]
    shown = station.json("requisition", "show", "REQ-2026-000001")
    assert [(r["return"], r["qty"], r["cost"]) for r in shown["returns"]] == [
        ("RET-2026-000001", "-1", "-270.00"), ("RET-2026-000001", "-1", "-250.00")]
    assert shown["net_cost"] == "2250.00"
    for args, who in [(("ro", "state", ro, "reinspection"), "MECH1"),
                      (("ro", "state", ro, "ready", "--note", "road test ok"), "ADV1"),
                      (("ro", "state", ro, "delivered", "--customer-confirmed"), "ADV1"),
                      (("ro", "settle", ro), "ACCT1")]:
        result = station.run(*args, as_=who)
        assert result.exit_code == 0, result.stderr
    later = station.run("return", "REQ-2026-000001", "--line", f"{PADS}:2", as_="STORE1", env=env)
    assert later.exit_code == 0 and later.stdout.strip() == "RET-2026-000002"
    assert station.json("return", "show", "RET-2026-000002")["on_requisition"] is False
    assert station.json("requisition", "show", "REQ-2026-000001")["return_slips"] == ["RET-2026-000002"]
    slip = station.run("return", "show", "RET-2026-000002")
    assert slip.exit_code == 0 and "退料单  RETURN SLIP" in slip.stdout
    assert "Return 退料单: RET-2026-000002" in slip.stdout
    assert station.json("stock", "check")["ok"] is True
    # 2770 issued; back: 1 from the newer lot (270), 1 and then 2 from the older lot (250 each)
    assert station.json("ro", "show", ro)["parts_cost"] == "1750.00"


def test_return_refusals(station):
    ro = in_repair(station)
    assert issue(station, ro, f"{PADS}:2").exit_code == 0
    env = {"PARTSDESK_PIN_MECH1": "1234"}
    moves = station.count("stock_move")
    refused(station.run("return", "REQ-2026-000001", "--line", f"{PADS}:3", as_="STORE1", env=env), 1,
            "has 2 of 96536697 issued and not returned; 3 cannot come back")
    refused(station.run("return", "REQ-2026-000001", "--line", "96800106:1", as_="STORE1", env=env), 1,
            "96800106 was not issued on REQ-2026-000001")
    refused(station.run("return", "REQ-2026-000001", "--line", f"{PADS}:0", as_="STORE1", env=env), 2,
            "must be more than zero")
    refused(station.run("return", "REQ-2026-000001", "--line", f"{PADS}:1", "--damaged", f"{PADS}:1", "--note",
                        "cracked", as_="STORE1", env=env), 1,
            f"{PADS} is damaged: only a part confirmed intact comes back; it stays consumed on {ro}")
    refused(station.run("return", "REQ-2026-000001", "--line", f"{PADS}:1", as_="STORE1",
                        env={"PARTSDESK_PIN_MECH1": "0000"}), 1, "not accepted")
    refused(station.run("return", "REQ-2026-000404", "--line", f"{PADS}:1", as_="STORE1", env=env), 2,
            "unknown requisition")
    refused(station.run("return", "show", "RET-2026-000404"), 2, "unknown return RET-2026-000404")
    assert station.count("stock_move") == moves and station.count("return_slip") == 0
    shown = station.run("return", "--help").stdout
    assert "show" in shown and "--line" in shown and "--damaged" in shown and "--confirm-pin" in shown


def test_ro_state_warranty_and_list(station):
    ro = station.json(*OPEN, as_="ADV1")["ro"]
    refused(station.run("ro", "state", ro, "ready", as_="ADV1"), 1, "cannot go from intake to ready")
    refused(station.run("ro", "state", ro, "fixed", as_="ADV1"), 2, "unknown repair-order state 'fixed'")
    refused(station.run("ro", "state", ro, "diagnosing", as_="ADV1"), 1, "assign one before diagnosis")
    refused(station.run("ro", "warranty", ro, "--reason", "x", as_="ADV1"), 2, "say --in or --out")
    refused(station.run("ro", "assign", ro, "STORE1", as_="ADV1"), 1, "not an active mechanic")
    refused(station.run("ro", "show", "RO-2026-000404"), 2, "unknown repair order")
    assert station.run("ro", "assign", ro, "MECH1", as_="ADV1").exit_code == 0
    moved = station.json("ro", "state", ro, "diagnosing", "--note", "checking brakes", as_="MECH1")
    assert moved["state"] == "diagnosing"
    assert moved["history"][-1] | {"at": None} == {"at": None, "by": "MECH1", "kind": "state", "from": "intake",
                                                  "to": "diagnosing", "text": "checking brakes"}
    assert station.run("ro", "note", ro, "pads worn 磨损", as_="MECH1").exit_code == 0
    listed = station.json("ro", "list")
    numbers_are_strings(listed)
    assert [(o["ro"], o["state"], o["technician"]) for o in listed] == [(ro, "diagnosing", "MECH1")]
    assert station.json("ro", "list", "--state", "intake") == []
    human = station.run("ro", "show", ro)
    assert human.exit_code == 0 and "pads worn 磨损" in human.stdout and "diagnosing" in human.stdout
