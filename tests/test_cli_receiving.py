"""The receiving commands through the CLI: the whole procedure, JSON shapes, exit codes, refusals changing nothing."""

from __future__ import annotations

import pytest

from tests.helpers import SAMPLES
from tests.helpers.cli import Station, invoke, numbers_are_strings, refused, runner  # noqa: F401
from tests.helpers.orders import sent_order_cli


@pytest.fixture
def station(tmp_path, monkeypatch):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("STORE2", "storekeeper"), ("PLAN1", "planner"),
                       ("MECH1", "mechanic"), ("ACCT1", "accountant")]:
        assert (
            s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN").exit_code == 0
        )
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    # Each counter signs with their own PIN.
    monkeypatch.setenv("PARTSDESK_PIN_STORE1", "1234")
    monkeypatch.setenv("PARTSDESK_PIN_STORE2", "1234")
    monkeypatch.setenv("PARTSDESK_PIN_PLAN1", "1234")
    return s


def _run_counted(s: Station, *extra: str):
    """A counter run: the two counters' PINs come from PARTSDESK_PIN_<CODE>, no acting operator needed."""
    return invoke(["--db", str(s.path), *extra])


def test_the_whole_procedure(station):
    po = sent_order_cli(station, "SGM", "96536697:10:250", "96800106:60")
    assert po.startswith("PO-2026-")
    shown = station.json("po", "show", po)
    numbers_are_strings(shown)
    assert [(line["part_no"], line["ordered"], line["received"], line["outstanding"]) for line in shown["lines"]] == [
        ("96536697", "10", "0", "10"), ("96800106", "60", "0", "60")]
    receipt = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), "--po", po, "--carrier", "SF",
                           as_="STORE1")["receipt"]
    boxes = station.run("receive", "boxes", receipt, "--boxes", "3", "--by", "STORE1", "--by", "PLAN1",
                        "--broken-seal", "2", as_="STORE1")
    assert boxes.exit_code == 0 and "open and count" in boxes.stdout
    counted = _run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "STORE2",
                           "--line", "96536697=12", "--line", "96800106=50", "--line", "13301204=2/1",
                           "--line", "19300011=48", "--line", "13227301=6", "--json")
    assert counted.exit_code == 0, counted.stderr
    shown = station.json("receive", "show", receipt)
    numbers_are_strings(shown)
    assert shown["state"] == "counted" and shown["overdue"] is False
    assert shown["deadline"].startswith("2026-11-23T08:30")
    lines = {line["part_no"]: line for line in shown["lines"]}
    assert {p: line["difference"] for p, line in lines.items()} == {
        "96536697": "over", "96800106": "short", "13301204": "damaged", "19300011": "ok", "13227301": "ok"}
    assert set(lines["96800106"]) >= {"part_no", "expected", "counted", "damaged", "accepted", "difference",
                                      "location"}
    assert (lines["13301204"]["counted"], lines["13301204"]["damaged"], lines["13301204"]["accepted"]) == (
        "2", "1", "1")
    refused(station.run("receive", "post", receipt, as_="STORE1"), 1, "may not post receipts")
    posted = station.json("receive", "post", receipt, as_="PLAN1")
    assert posted["state"] == "posted" and posted["discrepancy_record"] and posted["surplus_receipt"]
    # 多发 on the supplier's claim; the broken box's shortfall and damage are the carrier's.
    assert [(c["party"], c["party_code"]) for c in posted["claims"]] == [("supplier", "SGM"), ("carrier", "SF")]
    over = station.json("claim", "show", posted["claims"][0]["claim"])
    assert [(line["part_no"], line["kind"], line["qty"]) for line in over["lines"]] == [("96536697", "over", "2")]
    claim = station.json("claim", "show", posted["claims"][1]["claim"])
    assert {(line["part_no"], line["kind"], line["qty"]) for line in claim["lines"]} == {
        ("96800106", "short", "10"), ("13301204", "damaged", "1")}
    assert station.json("part", "show", "96536697")["on_hand"] == "12"
    placed = station.json("po", "show", po)
    assert placed["state"] == "partly_received"  # 10 oil filters stay on back-order
    assert [(line["received"], line["outstanding"]) for line in placed["lines"]] == [("12", "0"), ("50", "10")]
    putaway = station.json("receive", "putaway", receipt)
    assert {p["location"] for p in putaway} >= {"EXC-01-02-03", "EXC-01-01-01"}
    slip = station.run("receive", "slip", receipt)
    assert slip.exit_code == 0 and "入库清单" in slip.stdout and posted["discrepancy_record"] in slip.stdout
    assert station.run("receive", "discrepancy", receipt).exit_code == 0
    assert [c["claim"] for c in station.json("claim", "list")] == [c["claim"] for c in posted["claims"][::-1]]
    assert station.run("claim", "send", claim["claim"], as_="PLAN1").exit_code == 0
    # The damaged lamp waits in quarantine: settling says what became of it.
    refused(station.run("claim", "settle", claim["claim"], "--amount", "1500", as_="PLAN1"), 1, "--outcome")
    assert station.run("claim", "settle", claim["claim"], "--amount", "1500", "--outcome", "credit",
                       as_="PLAN1").exit_code == 0
    assert station.json("claim", "show", claim["claim"])["settled_amount"] == "1500.00"
    assert station.json("stock", "check")["ok"] is True


def test_count_from_a_file_and_slip_to_a_file(station, tmp_path):
    receipt = station.json("receive", "open", str(SAMPLES / "packing_list_gb18030.csv"), as_="STORE1")["receipt"]
    assert station.run("receive", "boxes", receipt, "--boxes", "3", "--by", "STORE1", "--by", "PLAN1",
                       as_="STORE1").exit_code == 0
    sheet = tmp_path / "count.csv"
    sheet.write_text("part_no,qty\n96536697,10\n96800106,40\n96800106,20\n13301204,2\n19300011,48\n13227301,6\n",
                     encoding="utf-8")
    result = _run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "PLAN1", "--file",
                          str(sheet))
    assert result.exit_code == 0, result.stderr
    assert {line["difference"] for line in station.json("receive", "show", receipt)["lines"]} == {"ok"}
    assert station.run("receive", "post", receipt, as_="PLAN1").exit_code == 0
    out = tmp_path / "slip.txt"
    assert station.run("receive", "slip", receipt, "--out", str(out)).exit_code == 0
    assert "入库清单" in out.read_text(encoding="utf-8")
    refused(station.run("receive", "slip", receipt, "--out", str(tmp_path / "no" / "dir" / "x.txt")), 2,
            "cannot write")


def test_refusals_change_nothing(station, tmp_path):
    refused(station.run("receive", "open", str(SAMPLES / "parts_master_bad.csv"), as_="STORE1"), 2,
            "lacks the column")
    empty = tmp_path / "empty.csv"
    empty.write_text("shipment_no,box_no,part_no,description,qty,unit_price\n", encoding="utf-8")
    refused(station.run("receive", "open", str(empty), as_="STORE1"), 2, "empty packing list")
    bad = tmp_path / "bad.csv"
    bad.write_text("box_no,part_no,qty\n1,96800106,-3\n1,96536697,x\n", encoding="utf-8")
    result = station.run("receive", "open", str(bad), as_="STORE1")
    refused(result, 2, "2 problems")
    assert "row 2, qty" in result.stderr and "row 3, qty" in result.stderr
    assert station.count("receipt") == 0
    refused(station.run("receive", "show", "RCV-2026-000042"), 2, "unknown receipt RCV-2026-000042")
    receipt = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), as_="STORE1")["receipt"]
    refused(_run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "PLAN1", "--line",
                         "96800106=3"), 1, "check the boxes first")
    station.run("receive", "boxes", receipt, "--boxes", "3", "--by", "STORE1", "--by", "PLAN1", as_="STORE1")
    refused(station.run("receive", "post", receipt, as_="PLAN1"), 1, "not counted yet")
    refused(_run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "STORE1", "--line",
                         "96800106=3"), 1, "two different people")
    refused(_run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--line", "96800106=3"), 2,
            "exactly two counters")
    refused(_run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "PLAN1", "--line",
                         "96800106=-3"), 2, "negative")
    refused(_run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "PLAN1", "--line",
                         "96800106=lots"), 2, "not a number")
    refused(_run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "PLAN1", "--line",
                         "96800106=5000000"), 2, "not a count")
    wrong_pin = invoke(["--db", str(station.path), "receive", "count", receipt, "--by", "STORE1",
                        "--by", "PLAN1", "--line", "96800106=3"], env={"PARTSDESK_PIN_PLAN1": "9999"})
    refused(wrong_pin, 1, "not accepted")
    assert station.json("receive", "show", receipt)["state"] == "boxes_checked"
    _run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "PLAN1",
                 *[arg for p in ("96536697=10", "96800106=60", "13301204=2", "19300011=48", "13227301=6")
                   for arg in ("--line", p)])
    assert station.run("receive", "post", receipt, as_="PLAN1").exit_code == 0
    moves = station.count("stock_move")
    refused(station.run("receive", "post", receipt, as_="PLAN1"), 1, "already posted")
    refused(_run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "PLAN1", "--line",
                         "96800106=3"), 1, "already posted")
    assert station.count("stock_move") == moves
    urgent = ["po", "create", "--urgent", "--for", "RO-2026-000001", "--supplier", "SGM"]
    refused(station.run(*urgent, "--line", "96800106:0", as_="PLAN1"), 2, "more than zero")
    refused(station.run(*urgent, "--line", "NOPE:1", as_="PLAN1"), 2, "unknown part")
    refused(station.run("po", "show", "PO-2026-000009"), 2, "unknown purchase order")
    refused(station.run("claim", "show", "CLM-2026-000009"), 2, "unknown claim")


def test_the_same_shipment_twice_is_refused_unless_again(station):
    first = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), "--supplier", "SGM",
                         as_="STORE1")["receipt"]
    refused(station.run("receive", "open", str(SAMPLES / "packing_list.csv"), "--supplier", "SGM", as_="STORE1"), 1,
            f"shipment SH20261120-001 from SGM is already on receipt {first} (arrived)")
    assert station.count("receipt") == 1
    again = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), "--supplier", "SGM", "--again",
                         as_="STORE1")["receipt"]
    assert again != first and station.count("receipt") == 2


def test_a_claim_against_an_unnamed_party_is_refused_until_named(station):
    receipt = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), as_="STORE1")["receipt"]
    station.run("receive", "boxes", receipt, "--boxes", "3", "--by", "STORE1", "--by", "PLAN1", as_="STORE1")
    result = _run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "PLAN1",
                          *[arg for p in ("96536697=9", "96800106=60", "13301204=2", "19300011=48", "13227301=6")
                            for arg in ("--line", p)])
    assert result.exit_code == 0, result.stderr
    refused(station.run("receive", "post", receipt, as_="PLAN1"), 1,
            f"receipt {receipt} claims from its supplier but names none: name it first")
    assert station.json("receive", "show", receipt)["state"] == "counted"
    assert station.run("receive", "name", receipt, "--supplier", "SGM", as_="STORE1").exit_code == 0
    posted = station.json("receive", "post", receipt, as_="PLAN1")
    assert [(c["party"], c["party_code"]) for c in posted["claims"]] == [("supplier", "SGM")]


def test_receive_list_flags_overdue(station, clock):
    receipt = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), as_="STORE1")["receipt"]
    clock.advance(days=4)
    listed = station.json("receive", "list", "--open")
    assert [(r["receipt"], r["overdue"]) for r in listed] == [(receipt, True)]
    assert "OVERDUE" in station.run("receive", "list").stdout


def test_two_counters_scan_the_stored_count_and_sign_it_then_reopen(station):
    receipt = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), as_="STORE1")["receipt"]
    station.run("receive", "boxes", receipt, "--boxes", "3", "--by", "STORE1", "--by", "PLAN1", as_="STORE1")
    assert station.run("receive", "scan", receipt, "96536697", "96536697", as_="STORE1").exit_code == 0
    scanned = station.json("receive", "scan", receipt, "96536697", "96800106", as_="STORE2")
    # A current number is superseded by nothing.
    assert scanned["parts"]["96536697"] == {"counted": "3", "damaged": "0", "mine": "1", "superseded_by": []}
    assert scanned["by_counter"] == {"STORE1": "2", "STORE2": "2"}
    signed = _run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "STORE2")
    assert signed.exit_code == 0, signed.stderr
    lines = {line["part_no"]: line for line in station.json("receive", "show", receipt)["lines"]}
    assert (lines["96536697"]["counted"], lines["96800106"]["counted"]) == ("3", "1")
    refused(station.run("receive", "scan", receipt, "96536697", as_="STORE1"), 1, "nothing more is counted")
    reopened = station.run("receive", "reopen", receipt, as_="STORE2")
    assert reopened.exit_code == 0 and "both signatures are cleared" in reopened.stdout
    assert station.json("receive", "show", receipt)["state"] == "boxes_checked"
    assert station.json("receive", "scan", receipt, "96536697", as_="STORE1")["parts"]["96536697"]["counted"] == "4"


# -- the procedure's rules (备件工作流程及制度): box check together, same-day receipts, damaged on the books -----


def _opened(station) -> str:
    return station.json("receive", "open", str(SAMPLES / "packing_list.csv"), "--supplier", "SGM",
                        as_="STORE1")["receipt"]


def test_the_box_check_needs_a_storekeeper_and_a_planner(station):
    """库房管理员和计划员一起验收箱数: one signer, the same person twice, or two storekeepers: exit 1, nothing
    recorded."""
    receipt = _opened(station)
    boxes = ("receive", "boxes", receipt, "--boxes", "3")
    refused(station.run(*boxes, "--by", "STORE1", as_="STORE1"), 1, "a storekeeper and a planner")
    refused(station.run(*boxes, "--by", "STORE1", "--by", "STORE1", as_="STORE1"), 1, "cannot sign twice")
    refused(station.run(*boxes, "--by", "STORE1", "--by", "STORE2", as_="STORE1"), 1, "not that pair")
    assert station.json("receive", "show", receipt)["state"] == "arrived"
    checked = station.json(*boxes, "--by", "PLAN1", "--by", "STORE1", "--json", as_="STORE1")
    assert checked["box_check_signers"] == [{"role": "storekeeper", "by": "STORE1"}, {"role": "planner", "by": "PLAN1"}]


def _counted(station, *lines: str) -> str:
    receipt = _opened(station)
    station.run("receive", "boxes", receipt, "--boxes", "3", "--by", "STORE1", "--by", "PLAN1", as_="STORE1")
    counts = {"96536697": "10", "96800106": "60", "13301204": "2", "19300011": "48", "13227301": "6"}
    counts.update(dict(line.split("=") for line in lines))
    args = [arg for part, qty in counts.items() for arg in ("--line", f"{part}={qty}")]
    signed = _run_counted(station, "receive", "count", receipt, "--by", "STORE1", "--by", "STORE2", *args)
    assert signed.exit_code == 0
    return receipt


def test_a_late_receipt_needs_its_reason_and_the_accountant_checks_the_invoice(station, clock):
    """当日报财务。如遇特殊情况，办理入库最多不超过3天; 财务要当日审核单据之间是否相符，并与发票相一致."""
    receipt = _counted(station)
    assert station.json("receive", "show", receipt)["timing"] == "today"
    clock.advance(days=1)
    assert station.json("receive", "show", receipt)["timing"] == "late"
    refused(station.run("receive", "post", receipt, as_="PLAN1"), 1, "--late-reason")
    assert station.json("receive", "show", receipt)["state"] == "counted"
    posted = station.json("receive", "post", receipt, "--late-reason", "supplier's papers came a day later",
                          as_="PLAN1")
    assert posted["state"] == "posted" and posted["late_reason"] == "supplier's papers came a day later"
    listed = station.run("receive", "list")
    assert "supplier's papers came a day later" in listed.stdout
    refused(station.run("receive", "invoice", receipt, "--number", "INV-7", "--amount", "1", as_="PLAN1"), 1,
            "may not")
    value = station.json("receive", "show", receipt)["value"]
    shown = station.json("receive", "invoice", receipt, "--number", "INV-7", "--amount", value, "--json",
                         as_="ACCT1")
    assert (shown["invoice"]["number"], shown["invoice_difference"]) == ("INV-7", "0.00")
    station.run("receive", "invoice", receipt, "--number", "INV-7", "--amount", "1", as_="ACCT1")
    assert station.json("receive", "show", receipt)["invoice_difference"].startswith("-")


def test_damaged_units_are_in_quarantine_on_the_claim_until_its_outcome(station):
    """损坏的…先办理入库及索赔手续，报财务挂账处理; 多收的办理盈利入库，误发的(包括多发…)与厂家办理索赔业务."""
    receipt = _counted(station, "13301204=2/1", "96536697=12")
    posted = station.json("receive", "post", receipt, as_="PLAN1")
    lots = station.json("part", "show", "13301204")["lots"]
    assert {"location": "QRN-01-01-01", "qty": "1"}.items() <= next(
        lot for lot in lots if lot["location"] == "QRN-01-01-01").items()
    claim = station.json("claim", "show", posted["claims"][0]["claim"])
    kinds = {line["kind"]: line for line in claim["lines"]}
    assert (kinds["damaged"]["in_quarantine"], kinds["damaged"]["location"]) == ("1", "QRN-01-01-01")
    assert kinds["over"]["qty"] == "2" and claim["receivable"] == kinds["damaged"]["amount"]
    listed = station.run("claim", "list")
    assert f"{claim['receivable']}" in listed.stdout and "SGM" in listed.stdout
    station.run("claim", "send", claim["claim"], as_="PLAN1")
    assert station.run("claim", "settle", claim["claim"], "--outcome", "accepted", as_="PLAN1").exit_code == 0
    assert all(lot["location"] != "QRN-01-01-01" for lot in station.json("part", "show", "13301204")["lots"])
    assert station.json("stock", "check")["ok"] is True
