"""Prices and settlement through the CLI: `price rule`, `part show` with its selling price, `ro payer`, `ro show`'s
charges and cost, `ro settle` refused while a requisition is open and printing the settlement slip."""

from __future__ import annotations

import pytest

from tests.helpers.cli import numbers_are_strings, refused
from tests.helpers.counter_cli import PADS, counter_station, in_repair


@pytest.fixture
def station(tmp_path):
    """The counter station: brake pads (list 286.00, EXCELLE) in two lots, 10 at 250.00, then 5 at 270.00."""
    return counter_station(tmp_path / "station.sqlite")


def test_prices_and_settlement_through_the_cli(station):
    # One station for both (building it is most of the time): the order first, at list price, then the rules.
    _payer_charges_and_settlement_refused_while_a_requisition_is_open(station)
    _price_rules_the_selling_price_and_their_refusals(station)


def _price_rules_the_selling_price_and_their_refusals(station):
    # Bad input exits 2, a refusal by the rules or the roles 1, as every command of the desk (core.errors).
    assert station.json("price", "rule", "list") == []
    assert station.json("part", "show", PADS)["selling_price"] == "286.00"  # no rule: the list price
    rule = station.json("price", "rule", "set", "--series", "excelle", "--markup", "20", "--floor", "5", as_="PM1")
    assert {k: rule[k] for k in ("scope", "key", "markup", "floor", "set_by")} == {
        "scope": "series", "key": "EXCELLE", "markup": "20.00", "floor": "5.00", "set_by": "PM1"}
    listed = station.json("price", "rule", "list")
    numbers_are_strings(listed)
    assert [(r["scope"], r["key"]) for r in listed] == [("series", "EXCELLE")]
    assert station.json("part", "show", PADS)["selling_price"] == "300.00"  # the oldest lot's 250.00 plus 20%
    # Settled before the rule: the order keeps the amounts it was settled at.
    assert station.json("ro", "show", "RO-2026-000001")["charges"][1]["amount"] == "572.00"
    assert station.run("part", "set-general", PADS, "--group", "brakes", as_="PLAN1").exit_code == 0
    station.json("price", "rule", "set", "--group", "BRAKES", "--markup", "10", as_="PM1")
    shown = station.json("part", "show", PADS)
    assert (shown["part_group"], shown["selling_price"], shown["general"]) == ("BRAKES", "275.00", False)
    refused(station.run("price", "rule", "set", "--series", "EXCELLE", "--markup", "abc", as_="PM1"), 2, "the markup")
    refused(station.run("price", "rule", "set", "--markup", "10", as_="PM1"), 2, "name one of --series, --group")
    refused(station.run("price", "rule", "set", "--group", "X", "--markup", "5", as_="ADV1"), 1,
            "ADV1 may not set the station's price rules")
    refused(station.run("price", "rule", "remove", "--group", "NOPE", as_="PM1"), 2, "no price rule for NOPE")
    assert station.run("price", "rule", "remove", "--group", "brakes", as_="PM1").exit_code == 0
    assert len(station.json("price", "rule", "list")) == 1


def _payer_charges_and_settlement_refused_while_a_requisition_is_open(station):
    ro = in_repair(station)
    issued = station.run("issue", ro, "--line", f"{PADS}:2", "--to", "MECH1", as_="STORE1",
                         env={"PARTSDESK_PIN_MECH1": "1234"})
    assert issued.exit_code == 0, issued.stderr
    shown = station.json("ro", "show", ro)
    numbers_are_strings(shown)
    assert shown["charges"] == [{"payer": "customer", "amount": "572.00"}, {"payer": "warranty", "amount": "0.00"},
                                {"payer": "internal", "amount": "0.00"}]
    assert shown["cost"] == "500.00"
    payer = station.json("ro", "payer", ro, PADS, "--payer", "warranty", as_="ADV1")
    assert payer["charges"][1] == {"payer": "warranty", "amount": "572.00"}
    refused(station.run("ro", "payer", ro, PADS, "--payer", "insurer", as_="ADV1"), 2,
            "the payer is customer, warranty or internal")
    refused(station.run("ro", "payer", ro, "96800106", "--payer", "internal", as_="ADV1"), 1,
            "96800106 is not issued on")
    written = station.json("requisition", "write", ro, "--line", f"{PADS}:1", as_="CLERK1")
    for state, who, extra in [("reinspection", "MECH1", ()), ("ready", "ADV1", ("--note", "ok")),
                              ("delivered", "ADV1", ("--customer-confirmed",))]:
        moved = station.run("ro", "state", ro, state, *extra, as_=who)
        assert moved.exit_code == 0, moved.stderr
    refused(station.run("ro", "settle", ro, as_="ACCT1"), 1,
            f"cannot be settled while requisition {written['requisition']} is written and not issued")
    assert station.json("ro", "show", ro)["state"] == "delivered"
    assert station.run("requisition", "cancel", written["requisition"], as_="CLERK1").exit_code == 0
    settled = station.run("ro", "settle", ro, as_="ACCT1")
    assert settled.exit_code == 0, settled.stderr
    assert "结算单" in settled.stdout and "572.00" in settled.stdout
    after = station.json("ro", "show", ro)
    assert after["state"] == "settled" and after["charges"][1]["amount"] == "572.00"
    printed = station.run("print", "settlement", ro)
    assert printed.exit_code == 0 and "SETTLEMENT SLIP" in printed.stdout and "572.00" in printed.stdout
