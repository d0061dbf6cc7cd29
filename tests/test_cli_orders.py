"""Orders through the CLI (备件工作流程及制度, item 2): `po create` refused unless urgent for a shortage or repair
order, `po approve` by the parts manager, `po send` by the planner, `po show --json` giving the state."""

from __future__ import annotations

import pytest

from tests.helpers import SAMPLES
from tests.helpers.cli import Station, numbers_are_strings, refused
from tests.helpers.counter_cli import OPEN


@pytest.fixture
def station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("PLAN1", "planner"), ("PM1", "parts_manager"), ("PM2", "parts_manager"),
                       ("ADV1", "advisor"), ("STORE1", "storekeeper")]:
        assert s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234",
                     as_="ADMIN").exit_code == 0
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    return s


def test_po_create_without_urgent_for_is_refused_naming_from_request(station):
    for extra in ([], ["--urgent"], ["--for", "RO-2026-000001"]):
        refused(station.run("po", "create", *extra, "--supplier", "SGM", "--line", "96536697:5000", as_="PLAN1"), 1,
                "po from-request")
    assert station.count("purchase_order") == 0


def test_an_urgent_order_is_approved_then_sent(station, tmp_path):
    ro = station.json(*OPEN, as_="ADV1")["ro"]
    shortage = station.json("shortage", "log", "13301204", "--qty", "1", "--ro", ro, as_="ADV1")["shortage"]
    refused(station.run("po", "create", "--urgent", "--for", shortage, "--supplier", "ACME", "--line", "13301204:1",
                        as_="PLAN1"), 1, "`partsdesk supplier add ACME")
    created = station.json("po", "create", "--urgent", "--for", shortage, "--for", ro, "--supplier", "SGM",
                           "--line", "13301204:1", as_="PM1")
    po = created["po"]
    shown = station.json("po", "show", po)
    numbers_are_strings(shown)
    assert (created["state"], shown["state"], shown["urgent"], shown["serves"]) == ("draft", "draft", True,
                                                                                     [shortage, ro])
    refused(station.run("po", "send", po, as_="PLAN1"), 1, "only an approved order is sent")
    refused(station.run("po", "approve", po, as_="PLAN1"), 1, "may not approve purchase orders")
    refused(station.run("po", "approve", po, as_="PM1"), 1, "may not approve it")
    assert station.json("po", "show", po)["state"] == "draft"
    approved = station.json("po", "approve", po, as_="PM2")
    assert (approved["state"], approved["approved_by"]) == ("approved", "PM2")
    refused(station.run("po", "send", po, as_="PM2"), 1, "may not send purchase orders")
    assert station.run("po", "export", po, "--out", str(tmp_path / "po.csv")).exit_code == 0
    result = station.run("po", "send", po, as_="PLAN1")
    assert result.exit_code == 0 and f"order {po} sent to SGM by PLAN1" in result.stdout
    shown = station.json("po", "show", po)
    assert (shown["state"], shown["sent_by"]) == ("sent", "PLAN1") and shown["sent_at"]
    assert [o["po"] for o in station.json("po", "list", "--state", "sent")] == [po]
    text = station.run("po", "show", po).stdout
    assert f"urgent order for {shortage}, {ro}" in text and "sent by PLAN1" in text


def test_a_shortage_answered_order_shows_on_the_draft(station):
    ro = station.json(*OPEN, as_="ADV1")["ro"]
    shortage = station.json("shortage", "log", "13301204", "--qty", "1", "--ro", ro, as_="ADV1")["shortage"]
    draft = station.json("request", "draft", as_="PLAN1")["request"]
    answered = station.json("shortage", "answer", shortage, "--solution", "order", "--eta", "2099-01-01",
                            as_="PLAN1")
    assert answered["ordered_on"] == draft
    lines = station.json("request", "show", draft)["lines"]
    assert [(line["part_no"], line["qty"], line["shortage"], line["ro"]) for line in lines
            if line["shortage"]] == [("13301204", "1", shortage, ro)]
    assert f"special order for {ro} ({shortage})" in station.run("request", "show", draft).stdout


def test_supplier_add_is_the_only_way_to_register_one(station):
    refused(station.run("part", "set-supplier", "96536697", "BOSCH", as_="PLAN1"), 1, "supplier add BOSCH")
    assert station.run("supplier", "add", "BOSCH", "--name", "Bosch", as_="PLAN1").exit_code == 0
    refused(station.run("supplier", "add", "BOSCH", "--name", "Bosch", as_="PLAN1"), 1, "already exists")
    assert station.run("supplier", "rename", "SGM", "--name", "上汽通用 SAIC-GM", as_="PLAN1").exit_code == 0
    assert station.json("supplier", "list")["suppliers"] == [{"code": "BOSCH", "name": "Bosch"},
                                                             {"code": "SGM", "name": "上汽通用 SAIC-GM"}]
