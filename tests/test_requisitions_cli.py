"""The CLI of requisitions written, then issued: `requisition write` (parts clerk), `requisition issue`
(storekeeper, the mechanic's PIN), `requisition cancel`, `requisition list` and `show`, the one-step `issue`
refused while separate_issue is on, reserved and available in `part show`."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import numbers_are_strings, refused
from tests.helpers.counter_cli import PADS, counter_station, in_repair

MECH_PIN = {"PARTSDESK_PIN_MECH1": "1234"}


@pytest.fixture
def station(tmp_path):
    """The counter station as it comes: separate_issue on; brake pads 10 at 250.00, then 5 at 270.00."""
    return counter_station(tmp_path / "station.sqlite", separate_issue=True)


def write(station, ro, *lines, as_="CLERK1"):
    args = ["requisition", "write", ro, "--json"]
    for line in lines:
        args += ["--line", line]
    return station.run(*args, as_=as_)


def test_write_gives_the_number_and_state_and_reserves(station):
    ro = in_repair(station)
    result = write(station, ro, f"{PADS}:12")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"requisition": "REQ-2026-000001", "state": "written"}
    part = station.json("part", "show", PADS, "--json", as_="STORE1")
    numbers_are_strings(part)
    assert (part["on_hand"], part["reserved"], part["available"]) == ("15", "12", "3")
    text = station.run("part", "show", PADS, as_="STORE1").stdout
    assert "reserved for written requisitions: 12; available to other repair orders: 3" in text
    listed = station.json("requisition", "list", "--json", as_="STORE1")
    assert [(w["requisition"], w["ro"], w["state"], w["writer"]["code"]) for w in listed] == [
        ("REQ-2026-000001", ro, "written", "CLERK1")]
    shown = station.json("requisition", "show", "REQ-2026-000001", "--json", as_="STORE1")
    assert shown["state"] == "written" and shown["lines"][0]["qty"] == "12"


def test_issue_of_the_written_requisition_gives_the_issue_json(station):
    ro = in_repair(station)
    write(station, ro, f"{PADS}:12")
    result = station.run("requisition", "issue", "REQ-2026-000001", "--to", "MECH1", "--json", as_="STORE1",
                         env=MECH_PIN)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"requisition": "REQ-2026-000001", "lines": [{"part_no": PADS, "qty": "12",
        "taken": [{"lot": "1", "location": "EXC-01-02-03", "qty": "10", "unit_cost": "250.00"},
                  {"lot": "2", "location": "EXC-01-02-03", "qty": "2", "unit_cost": "270.00"}]}]}
    part = station.json("part", "show", PADS, "--json", as_="STORE1")
    assert (part["on_hand"], part["reserved"], part["available"]) == ("3", "0", "3")
    assert station.json("requisition", "show", "REQ-2026-000001", "--json", as_="STORE1")["mechanic"]["code"] == "MECH1"
    again = station.run("requisition", "issue", "REQ-2026-000001", "--to", "MECH1", as_="STORE1", env=MECH_PIN)
    refused(again, 1, "REQ-2026-000001 is issued: only a written requisition is issued")


def test_refusals_are_one_line_and_change_nothing(station):
    ro, other = in_repair(station), in_repair(station)
    write(station, ro, f"{PADS}:12")
    refused(write(station, other, f"{PADS}:4"), 1, "on hand 15 of which 12 reserved for other repair orders")
    refused(write(station, other, f"{PADS}:1", as_="STORE1"), 1, "needs the role parts clerk")
    refused(write(station, other, "nonsense"), 2, "must be PART_NO:QTY")
    one_step = station.run("issue", other, "--line", f"{PADS}:1", "--to", "MECH1", as_="STORE1", env=MECH_PIN)
    refused(one_step, 1, "`partsdesk requisition write`")
    assert "`partsdesk requisition issue`" in one_step.stderr
    by_clerk = station.run("requisition", "issue", "REQ-2026-000001", "--to", "MECH1", as_="CLERK1", env=MECH_PIN)
    refused(by_clerk, 1, "needs the role storekeeper")
    refused(station.run("requisition", "cancel", "REQ-2026-000009", as_="CLERK1"), 2, "unknown requisition")
    assert station.count("written_requisition") == 1 and station.count("requisition") == 0
    part = station.json("part", "show", PADS, "--json", as_="STORE1")
    assert (part["on_hand"], part["reserved"]) == ("15", "12")


def test_cancel_releases_the_reservation(station):
    ro = in_repair(station)
    write(station, ro, f"{PADS}:12")
    result = station.run("requisition", "cancel", "REQ-2026-000001", as_="CLERK1")
    assert result.exit_code == 0, result.stderr
    assert "REQ-2026-000001 cancelled: its reservation is released" in result.stdout
    assert station.json("part", "show", PADS, "--json", as_="STORE1")["reserved"] == "0"
    assert station.json("requisition", "list", "--json", as_="STORE1") == []
    issue = station.run("requisition", "issue", "REQ-2026-000001", "--to", "MECH1", as_="STORE1", env=MECH_PIN)
    refused(issue, 1, "REQ-2026-000001 is cancelled")


def test_the_one_step_issue_still_works_where_separate_issue_is_off(station):
    ro, other = in_repair(station), in_repair(station)
    write(station, ro, f"{PADS}:12")
    assert station.run("setting", "set", "separate_issue", "off", as_="ADMIN").exit_code == 0
    taken = station.run("issue", other, "--line", f"{PADS}:4", "--to", "MECH1", as_="STORE1", env=MECH_PIN)
    refused(taken, 1, "12 reserved for other repair orders")
    done = station.run("issue", other, "--line", f"{PADS}:3", "--to", "MECH1", as_="STORE1", env=MECH_PIN)
    assert done.exit_code == 0 and done.stdout.strip() == "REQ-2026-000002"
