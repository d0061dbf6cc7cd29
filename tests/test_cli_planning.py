"""The planning commands through the CLI: shortages, the forecast, drafts through the chain, orders and chasing."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from tests.helpers import SAMPLES
from tests.helpers.cli import Station, numbers_are_strings, refused

STAFF = [("STORE1", "storekeeper"), ("PLAN1", "planner"), ("ADV1", "advisor"), ("PM1", "parts_manager"),
         ("SM1", "station_manager"), ("ACCT1", "accountant"), ("SD1", "service_director")]


@pytest.fixture
def station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in STAFF:
        assert (
            s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN").exit_code == 0
        )
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    return s


def _ro(s: Station) -> str:
    return s.json("ro", "open", "--customer", "李女士", "--phone", "13900000000", "--vin", "LSGPC54U3AF123456",
                  "--plate", "沪B54321", "--series", "CRUZE", "--mileage", "31000", "--complaint", "headlamp broken",
                  as_="ADV1")["ro"]


def test_a_shortage_from_log_to_answer(station, clock):
    ro = _ro(station)
    logged = station.json("shortage", "log", "13301204", "--qty", "1", "--ro", ro, "--note", "car waiting",
                          as_="ADV1")
    number = logged["shortage"]
    clock.advance(minutes=12)
    listed = station.json("shortage", "list", "--open")
    numbers_are_strings(listed)
    assert [(s["shortage"], s["status"], s["minutes_left"], s["overdue"]) for s in listed] == [
        (number, "open", "18", False)]
    assert set(listed[0]) >= {"logged_at", "respond_by", "answered_at", "overdue", "minutes_left", "solution",
                              "eta", "status"}
    refused(station.run("shortage", "answer", number, "--solution", "order", "--eta", "2020-01-01", as_="PLAN1"), 2,
            "in the past")
    refused(station.run("shortage", "answer", number, "--solution", "pray", "--eta", "2026-12-24", as_="PLAN1"), 2,
            "unknown solution")
    refused(station.run("shortage", "answer", number, "--solution", "order", "--eta", "someday", as_="PLAN1"), 2,
            "not a date")
    answered = station.run("shortage", "answer", number, "--solution", "urgent_purchase", "--eta",
                           "2026-11-21 10:00", as_="PLAN1")
    assert answered.exit_code == 0, answered.stderr
    refused(station.run("shortage", "answer", number, "--solution", "order", "--eta", "2026-12-24", as_="PLAN1"), 1,
            "already answered")
    shown = station.json("shortage", "show", number)
    assert (shown["status"], shown["solution"], shown["overdue"]) == ("answered", "urgent_purchase", False)


def test_shortage_refusals(station):
    ro = _ro(station)
    refused(station.run("shortage", "log", "NOPE", "--qty", "1", "--ro", ro, as_="ADV1"), 2, "unknown part")
    refused(station.run("shortage", "log", "13301204", "--qty", "1", "--ro", "RO-2026-000099", as_="ADV1"), 2,
            "unknown repair order")
    refused(station.run("shortage", "log", "13301204", "--qty", "-1", "--ro", ro, as_="ADV1"), 2, "above zero")
    refused(station.run("shortage", "log", "13301204", "--qty", "1", "--ro", ro, as_="ADV1", pin="0000"), 1,
            "not accepted")
    refused(station.run("shortage", "log", "13301204", "--qty", "1", "--ro", ro, as_="STORE1"), 1, "may not")
    assert station.count("shortage") == 0


def test_a_draft_through_the_chain_to_orders(station, tmp_path, clock):
    draft = station.json("request", "draft", as_="PLAN1")["request"]
    assert station.run("request", "line", draft, "96536697:8", "13579188:1", as_="PLAN1").exit_code == 0
    refused(station.run("request", "review", draft, as_="PLAN1"), 1, "drafted this request")
    refused(station.run("request", "approve", draft, as_="SM1"), 1, "approved only after every review")
    refused(station.run("request", "review", draft, as_="ACCT1"), 1, "parts manager's review")
    for code in ("PM1", "SM1", "ACCT1"):
        result = station.run("request", "review", draft, "--comment", f"ok from {code}", as_=code)
        assert result.exit_code == 0, result.stderr
    assert station.run("request", "approve", draft, as_="SD1").exit_code == 0
    assert station.run("request", "approve", draft, as_="SM1").exit_code == 0
    shown = station.json("request", "show", draft)
    numbers_are_strings(shown)
    assert shown["state"] == "approved" and [h["action"] for h in shown["history"]] == [
        "created", "edited", "reviewed", "reviewed", "reviewed", "approved", "approved"]
    refused(station.run("request", "line", draft, "96536697:9", as_="PLAN1"), 1, "can no longer change")
    orders = station.json("po", "from-request", draft, as_="PLAN1")["pos"]
    shown = station.json("po", "show", orders[0])
    # 审批完《订单底稿》后: the draft's chain approved the order; the planner sends it to the maker.
    assert (shown["source"], shown["state"], shown["approved_by"], shown["sent_by"]) == (draft, "approved", "PLAN1",
                                                                                          None)
    assert len(orders) == 1
    refused(station.run("po", "chase", orders[0], "--note", "too early", as_="PLAN1"), 1, "nothing left to chase")
    sent = station.json("po", "send", orders[0], as_="PLAN1")
    assert (sent["state"], sent["sent_by"]) == ("sent", "PLAN1") and sent["sent_at"]
    out = tmp_path / "order.xlsx"
    assert station.run("po", "export", orders[0], "--out", str(out)).exit_code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("po", "supplier", "line", "part_no") and len(rows) == 3
    assert station.run("po", "chase", orders[0], "--note", "supplier says Friday", "--eta", "2026-11-27",
                       as_="PLAN1").exit_code == 0
    clock.advance(days=10)
    transit = station.json("po", "transit")
    numbers_are_strings(transit)
    assert [(t["po"], int(t["days_late"]) > 0, t["last_note"]) for t in transit] == [
        (orders[0], True, "supplier says Friday")]


def test_reject_and_the_spreadsheet(station, tmp_path):
    draft = station.json("request", "draft", as_="PLAN1")["request"]
    station.run("request", "line", draft, "96536697:8", as_="PLAN1")
    station.run("request", "review", draft, as_="PM1")
    refused(station.run("request", "reject", draft, "--comment", "", as_="SM1"), 2, "needs a comment")
    assert station.run("request", "reject", draft, "--comment", "wait for the campaign", as_="SM1").exit_code == 0
    shown = station.json("request", "show", draft)
    assert (shown["state"], shown["waiting_for"]) == ("returned", ["planner"])
    refused(station.run("request", "draft", as_="PLAN1"), 1, f"request {draft} for the month")
    sheet = tmp_path / "draft.xlsx"
    assert station.run("request", "export", draft, "--out", str(sheet), as_="PLAN1").exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("part_no,qty\n99999999,3\n", encoding="utf-8")
    result = station.run("request", "import", draft, str(bad), as_="PLAN1")
    refused(result, 2, "does not match")
    assert "99999999 is not on request" in result.stderr
    refused(station.run("request", "resubmit", draft, as_="PM1"), 1, "needs the role parts planner")
    resubmitted = station.run("request", "resubmit", draft, "--comment", "after the campaign", as_="PLAN1")
    assert resubmitted.exit_code == 0 and "waiting for: parts manager" in resubmitted.stdout


def test_forecast_and_settings(station):
    refused(station.run("setting", "set", "cycle", "week", as_="PLAN1"), 1, "may not change station settings")
    refused(station.run("setting", "set", "cycle", "fortnight", as_="ADMIN"), 2, "week, month")
    assert station.run("setting", "set", "cycle", "week", as_="ADMIN").exit_code == 0
    assert station.json("setting", "show")["cycle"] == "week"
    shown = station.json("forecast", "96536697")
    numbers_are_strings(shown)
    assert shown["forecast"] == "0" and shown["suggested"] == "0" and shown["history"] == []
    refused(station.run("forecast", "NOPE"), 2, "unknown part")
    refused(station.run("part", "set-supplier", "13579188", "BOSCH", as_="PLAN1"), 1, "`partsdesk supplier add BOSCH")
    assert station.run("supplier", "add", "BOSCH", "--name", "Bosch", as_="PLAN1").exit_code == 0
    assert station.run("part", "set-supplier", "13579188", "BOSCH", as_="PLAN1").exit_code == 0
