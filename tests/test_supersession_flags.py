"""An old (superseded) number met at the counter, in receiving and in ordering, on SQLite and PostgreSQL: the
counter counts what the issue takes for it and flags it; receiving counts a packing-list line of an old number as
shipped and flags it on the count, the putaway list and the discrepancy record; a draft's line of an old number goes
to the newest (never ordered twice) and making orders from a draft says the redirect; the CLI's messages, JSON keys
and exit codes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.printing.documents import document_text
from core.roles import Role
from core.services import (
    catalog,
    ordering,
    purchasing,
    receipt_counts,
    requests,
    requisitions,
    supersession,
    written_requisitions,
)
from core.services.part_import import import_parts
from core.services.receiving import CountEntry, get_receipt, post_receipt, putaway_list
from core.services.requests import LineChange
from tests.helpers import make_staff, receive
from tests.helpers.cli import refused
from tests.helpers.counter import issue, order_in
from tests.helpers.counter_cli import counter_station
from tests.helpers.receiving import ALL_COUNTED, OIL_FILTER, PACKING_LIST, boxes_checked, counted, open_sample
from tests.helpers.station import SAMPLES

NEW_FILTER = "96800107"
FILTER_BIN = "EXC-01-01-01"
A, C = "5C6941005", "5C6941005B"
OLD_KIT, KIT1, KIT2 = "5C6941009", "5C6941009K1", "5C6941009K2"
BIN = "EXC-01-02-03"
RECEIVED_FLAG = f"{OIL_FILTER} is superseded by {NEW_FILTER}: counted as shipped, shelved as {OIL_FILTER}"


def _supersede(database, staff, old, new, *, interchangeable=True):
    with database.writing() as uow:
        supersession.supersede(old, [new], interchangeable=interchangeable, effective_on="2026-06-01",
                               actor=staff[Role.PLANNER], uow=uow)


@pytest.fixture
def station(any_db, clock):
    """The sample parts master, a new oil filter superseding the sample's (the packing list still ships the old
    one), and a mirror A superseded by C."""
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
    with any_db.writing() as uow:
        catalog.add_part(NEW_FILTER, "Oil filter, new", model_series="EXCELLE", price="40", location=FILTER_BIN,
                         actor=staff[Role.PLANNER], uow=uow)
        for part_no, price in ((A, "100"), (C, "120")):
            catalog.add_part(part_no, f"Mirror {part_no}", model_series="EXCELLE", price=price, location=BIN,
                             actor=staff[Role.PLANNER], uow=uow)
    _supersede(any_db, staff, OIL_FILTER, NEW_FILTER)
    _supersede(any_db, staff, A, C)
    return any_db, staff


# -- the counter -----------------------------------------------------------------------------------


def _counter(database, part_no, ro=None):
    with database.reading() as uow:
        return requisitions.counter_stock([part_no], uow=uow, ro_no=ro)[part_no]


def test_the_counter_counts_what_the_issue_takes_for_an_old_number(station, clock):
    database, staff = station
    receive(database, staff, C, 5, location=BIN)
    receive(database, staff, A, 2, location=BIN)
    held = _counter(database, A)
    # A's 2 and C's 5: what an issue of A takes (the old stock first), so 6 of A is not short at the counter.
    assert (held.on_hand, held.left, held.newest, held.issued_from) == (7, 2, (C,), (A, C))
    assert supersession.counter_note(A, held.newest, held.left, held.issued_from) == (
        f"{A} is superseded by {C}: 2 of {A} left; issued from {A}, {C}, the oldest first")
    ro = order_in(database, staff, "in_repair")
    issued = issue(database, staff, ro, (A, "6"))
    assert [(line.part_no, line.qty) for line in issued.lines] == [(A, 2), (C, 4)]
    # The newest number is not flagged, and counts the old stock its issue takes first.
    assert _counter(database, C).newest == () and _counter(database, C).on_hand == 1


def test_the_counter_counts_only_the_old_number_when_not_interchangeable(station, clock):
    database, staff = station
    _supersede(database, staff, A, C, interchangeable=False)
    receive(database, staff, C, 5, location=BIN)
    receive(database, staff, A, 2, location=BIN)
    held = _counter(database, A)
    assert (held.on_hand, held.left, held.newest, held.issued_from) == (2, 2, (C,), ())
    assert supersession.counter_note(A, held.newest, held.left, held.issued_from) == (
        f"{A} is superseded by {C}: 2 of {A} left; only {A} is issued")
    # The issue agrees: 3 of A is short.
    ro = order_in(database, staff, "in_repair")
    with pytest.raises(requisitions.ShortOfStock):
        issue(database, staff, ro, (A, "3"))


def _kit(database, staff, *, interchangeable=True):
    """OLD_KIT superseded by the kit KIT1 + KIT2, all in one bin."""
    with database.writing() as uow:
        for part_no in (OLD_KIT, KIT1, KIT2):
            catalog.add_part(part_no, f"Lamp {part_no}", model_series="EXCELLE", price="80", location=BIN,
                             actor=staff[Role.PLANNER], uow=uow)
    _supersede(database, staff, OLD_KIT, KIT1, interchangeable=interchangeable)
    _supersede(database, staff, OLD_KIT, KIT2, interchangeable=interchangeable)


def test_the_counter_counts_a_kits_old_number_as_the_issue_takes_it(station, clock):
    database, staff = station
    _kit(database, staff)
    receive(database, staff, OLD_KIT, 2, location=BIN)
    receive(database, staff, KIT1, 5, location=BIN)
    receive(database, staff, KIT2, 3, location=BIN)
    held = _counter(database, OLD_KIT)
    # Its own 2, then as many kits as the scarcer kit part makes: 3.
    assert (held.on_hand, held.reserved, held.available, held.left) == (5, 0, 5, 2)
    assert (held.newest, held.issued_from, held.location) == ((KIT1, KIT2), (OLD_KIT, KIT1, KIT2), BIN)
    assert supersession.counter_note(OLD_KIT, held.newest, held.left, held.issued_from) == (
        f"{OLD_KIT} is superseded by the kit {KIT1}, {KIT2}: 2 of {OLD_KIT} left; issued from {OLD_KIT} first, "
        "then one of each kit part")
    # Another order's written requisition keeps one of KIT2: one kit fewer for this order.
    other, ro = order_in(database, staff, "in_repair"), order_in(database, staff, "in_repair")
    with database.writing() as uow:
        written_requisitions.write_requisition(other, [(KIT2, "1")], actor=staff[Role.PARTS_CLERK], uow=uow)
    held = _counter(database, OLD_KIT, ro)
    assert (held.on_hand, held.available) == (4, 4)
    # The issue agrees: 5 is short (the kit part named), 4 is the old number's 2 and two kits.
    with pytest.raises(requisitions.ShortOfStock, match=f"not enough stock of {KIT2}: asked 3, on hand 3 of which 1"):
        issue(database, staff, ro, (OLD_KIT, "5"))
    issued = issue(database, staff, ro, (OLD_KIT, "4"))
    assert [(line.part_no, line.qty) for line in issued.lines] == [(OLD_KIT, 2), (KIT1, 2), (KIT2, 2)]
    assert _counter(database, OLD_KIT, ro).available == 0


def test_the_counter_counts_only_the_old_number_of_a_kit_not_interchangeable(station, clock):
    database, staff = station
    _kit(database, staff, interchangeable=False)
    receive(database, staff, OLD_KIT, 2, location=BIN)
    receive(database, staff, KIT1, 5, location=BIN)
    receive(database, staff, KIT2, 3, location=BIN)
    held = _counter(database, OLD_KIT)
    assert (held.on_hand, held.issued_from) == (2, ())
    assert supersession.counter_note(OLD_KIT, held.newest, held.left, held.issued_from) == (
        f"{OLD_KIT} is superseded by {KIT1}, {KIT2}: 2 of {OLD_KIT} left; only {OLD_KIT} is issued")


# -- receiving -------------------------------------------------------------------------------------


def test_a_packing_list_line_of_an_old_number_is_received_as_shipped_and_flagged(station, clock):
    database, staff = station
    number = boxes_checked(database, staff, open_sample(database, staff))
    with database.writing() as uow:
        scanned = receipt_counts.scan_part(number, OIL_FILTER, actor=staff[Role.STOREKEEPER], uow=uow)
    assert scanned.parts[OIL_FILTER].superseded_by == (NEW_FILTER,)
    assert scanned.parts[OIL_FILTER].superseded_note == f"{OIL_FILTER} is superseded by {NEW_FILTER}"
    counted(database, staff, number)
    with database.reading() as uow:
        line = next(line for line in get_receipt(number, uow=uow).lines if line.part_no == OIL_FILTER)
        (putaway,) = [p for p in putaway_list(number, uow=uow) if p.part_no == OIL_FILTER]
        others = [p for p in putaway_list(number, uow=uow) if p.part_no != OIL_FILTER]
        discrepancy = document_text("discrepancy", number, uow=uow, width=120)
        putaway_paper = document_text("putaway", number, uow=uow, width=120)
    # Counted as it arrived: no difference, the whole 60 to the shelf under the old number.
    assert (line.superseded_by, line.difference, line.accepted) == ((NEW_FILTER,), "ok", 60)
    assert line.superseded_note == RECEIVED_FLAG
    assert putaway.superseded_note == RECEIVED_FLAG and all(p.superseded_note is None for p in others)
    assert "Every line agrees with the packing list." in discrepancy and RECEIVED_FLAG in discrepancy
    assert RECEIVED_FLAG in putaway_paper
    with database.writing() as uow:
        post_receipt(number, actor=staff[Role.PLANNER], uow=uow)
    assert _counter(database, OIL_FILTER).left == 60


def test_an_old_number_the_list_does_not_name_is_a_wrong_part_flagged(station, clock):
    database, staff = station
    number = boxes_checked(database, staff, open_sample(database, staff))
    with database.writing() as uow:
        scanned = receipt_counts.scan_part(number, A, actor=staff[Role.STOREKEEPER], uow=uow)
    assert scanned.parts[A].superseded_note == f"{A} is superseded by {C}"
    counted(database, staff, number, [*ALL_COUNTED, CountEntry(A, Decimal(1))])
    with database.reading() as uow:
        lines = {line.part_no: line for line in get_receipt(number, uow=uow).lines}
        assert supersession.scanned_note(A, uow=uow) == f"{A} is superseded by {C}"
        assert supersession.scanned_note(C, uow=uow) is None
    # Not shipped as listed: a wrong part like any other (no shelf), its flag the plain one.
    assert lines[A].difference == "wrong_part" and lines[A].superseded_note == f"{A} is superseded by {C}"


# -- ordering --------------------------------------------------------------------------------------


def _approve(database, staff, number):
    with database.writing() as uow:
        for role in (Role.PARTS_MANAGER, Role.STATION_MANAGER, Role.ACCOUNTANT):
            requests.review_request(number, actor=staff[role], uow=uow)
        for role in (Role.STATION_MANAGER, Role.SERVICE_DIRECTOR):
            requests.approve_request(number, actor=staff[role], uow=uow)


def test_a_drafted_line_of_a_number_superseded_since_goes_to_the_newest_once(station, clock):
    database, staff = station
    receive(database, staff, NEW_FILTER, 1, location=FILTER_BIN)
    with database.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    with database.writing() as uow:
        catalog.add_part("5C6941005Z", "Mirror Z", model_series="EXCELLE", price="90", location=BIN,
                         actor=staff[Role.PLANNER], uow=uow)
        requests.edit_request(number, [LineChange("5C6941005Z", Decimal(5))], actor=staff[Role.PLANNER], uow=uow)
    _supersede(database, staff, "5C6941005Z", C)  # superseded after it was drafted
    with database.reading() as uow:
        assert ordering.request_redirects(number, uow=uow) == {"5C6941005Z": (C,)}
    with database.writing() as uow:
        info = requests.edit_request(number, [LineChange("5C6941005Z", Decimal(3))], actor=staff[Role.PLANNER],
                                     uow=uow)
    drafted = {line.part_no: line.qty for line in info.lines}
    # The old line goes and the newest takes the quantity typed: 3 ordered, not 5 + 3.
    assert info.redirected == {"5C6941005Z": (C,)} and drafted[C] == 3 and "5C6941005Z" not in drafted
    with database.reading() as uow:
        assert ordering.request_redirects(number, uow=uow) == {}


def test_orders_from_a_draft_holding_an_old_number_order_the_newest(station, clock):
    database, staff = station
    with database.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    with database.writing() as uow:
        catalog.add_part("5C6941005Z", "Mirror Z", model_series="EXCELLE", price="90", location=BIN,
                         actor=staff[Role.PLANNER], uow=uow)
        requests.edit_request(number, [LineChange("5C6941005Z", Decimal(5))], actor=staff[Role.PLANNER], uow=uow)
    _approve(database, staff, number)
    _supersede(database, staff, "5C6941005Z", C)
    with database.writing() as uow:
        assert ordering.request_redirects(number, uow=uow) == {"5C6941005Z": (C,)}
        (order,) = ordering.orders_from_request(number, actor=staff[Role.PLANNER], uow=uow)
        lines = [(line.part_no, line.ordered) for line in purchasing.get_order(order, uow=uow).lines]
    assert lines == [(C, 5)]


# -- the CLI ---------------------------------------------------------------------------------------


def _cli_station(tmp_path):
    s = counter_station(tmp_path / "station.sqlite")
    assert s.run("part", "add", NEW_FILTER, "--name", "Oil filter, new", "--model-series", "EXCELLE", "--price",
                 "40", "--location", FILTER_BIN, as_="PLAN1").exit_code == 0
    assert s.run("part", "supersede", OIL_FILTER, NEW_FILTER, as_="PLAN1").exit_code == 0
    return s


def test_cli_receiving_flags_an_old_number(tmp_path):
    s = _cli_station(tmp_path)
    pins = {"PARTSDESK_PIN_STORE1": "1234", "PARTSDESK_PIN_PLAN1": "1234"}
    number = s.json("receive", "open", str(PACKING_LIST), "--supplier", "SGM", as_="STORE1")["receipt"]
    boxes = s.run("receive", "boxes", number, "--boxes", "3", "--by", "STORE1", "--by", "PLAN1", as_="STORE1",
                  env=pins)
    assert boxes.exit_code == 0, boxes.stderr
    said = s.run("receive", "scan", number, OIL_FILTER, as_="STORE1")
    assert said.exit_code == 0 and f"{OIL_FILTER} is superseded by {NEW_FILTER}" in said.stdout
    parts = s.json("receive", "scan", number, OIL_FILTER, as_="STORE1")["parts"]
    assert parts[OIL_FILTER]["superseded_by"] == [NEW_FILTER]
    lines = [f"--line={part_no}={qty}" for part_no, qty in
             (("96536697", 10), (OIL_FILTER, 60), ("13301204", 2), ("19300011", 48), ("13227301", 6))]
    count = s.run("receive", "count", number, "--by", "STORE1", "--by", "PLAN1", *lines, as_="STORE1", env=pins)
    assert count.exit_code == 0 and RECEIVED_FLAG in count.stdout
    shown = {line["part_no"]: line for line in s.json("receive", "show", number)["lines"]}
    assert shown[OIL_FILTER]["superseded_by"] == [NEW_FILTER] and shown["96536697"]["superseded_by"] == []
    assert shown[OIL_FILTER]["difference"] == "ok"
    putaway = s.run("receive", "putaway", number)
    assert putaway.exit_code == 0 and RECEIVED_FLAG in putaway.stdout
    assert {p["part_no"]: p["superseded_by"] for p in s.json("receive", "putaway", number)}[OIL_FILTER] == [
        NEW_FILTER]
    assert RECEIVED_FLAG in s.run("receive", "discrepancy", number).stdout
    # A scan after the count is signed is refused as before, the flag or not: one line, exit 1.
    refused(s.run("receive", "scan", number, OIL_FILTER, as_="STORE1"), 1, "signed")


def test_cli_request_line_and_orders_say_the_redirect(tmp_path):
    s = _cli_station(tmp_path)
    for code, role in (("SM1", "station_manager"), ("SD1", "service_director")):
        assert s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234",
                     as_="ADMIN").exit_code == 0
    number = s.json("request", "draft", as_="PLAN1")["request"]
    said = s.run("request", "line", number, f"{OIL_FILTER}:4", as_="PLAN1")
    assert said.exit_code == 0 and f"{OIL_FILTER} is superseded: ordered {NEW_FILTER} instead" in said.stdout
    document = s.json("request", "line", number, f"{OIL_FILTER}:5", as_="PLAN1")
    assert document["redirected"] == {OIL_FILTER: [NEW_FILTER]}
    assert {line["part_no"]: line["qty"] for line in document["lines"]}.get(NEW_FILTER) == "5"
    # A draft line of a number superseded after it was drafted: making the orders says where it went.
    assert s.run("request", "line", number, "96553450:2", as_="PLAN1").exit_code == 0
    assert s.run("part", "add", "96553451", "--name", "Air filter, new", "--model-series", "EXCELLE", "--price",
                 "70", "--location", "EXC-01-01-02", as_="PLAN1").exit_code == 0
    for who, step in (("PM1", "review"), ("SM1", "review"), ("ACCT1", "review"), ("SM1", "approve"),
                      ("SD1", "approve")):
        result = s.run("request", step, number, as_=who)
        assert result.exit_code == 0, (who, step, result.stderr)
    assert s.run("part", "supersede", "96553450", "96553451", as_="PLAN1").exit_code == 0
    made = s.run("po", "from-request", number, as_="PLAN1")
    assert made.exit_code == 0, made.stderr
    assert "96553450 is superseded: ordered 96553451 instead" in made.stdout
    (po,) = [line for line in made.stdout.splitlines() if line.startswith("PO-")]
    assert [line["part_no"] for line in s.json("po", "show", po)["lines"]] == ["96553451", NEW_FILTER]
    # Made once: again is refused in one line, exit 1, and says nothing of a redirect.
    again = s.run("po", "from-request", number, "--json", as_="PLAN1")
    refused(again, 1, "approved")


def test_cli_issue_of_a_kits_old_number_takes_its_stock_then_the_kit(tmp_path):
    from tests.helpers.counter_cli import PADS, in_repair

    s = counter_station(tmp_path / "station.sqlite")
    for kit_part in (KIT1, KIT2):
        assert s.run("part", "add", kit_part, "--name", "Pad kit part", "--model-series", "EXCELLE", "--price", "150",
                     "--location", BIN, as_="PLAN1").exit_code == 0
        assert s.run("stock", "adjust", kit_part, "--location", BIN, "--qty", "1", "--reason", "opening",
                     as_="PM1").exit_code == 0
    assert s.run("part", "supersede", PADS, KIT1, KIT2, as_="PLAN1").exit_code == 0
    ro = in_repair(s)
    args = ["issue", ro, "--to", "MECH1", "--json"]
    env = {"PARTSDESK_PIN_MECH1": "1234"}
    # The pads' own 15, then 2 kits of which there is 1: refused in one line naming both kit parts, nothing issued.
    short = s.run(*args, "--line", f"{PADS}:17", as_="STORE1", env=env)
    refused(short, 1, f"not enough stock of {KIT1}: asked 2, on hand 1; not enough stock of {KIT2}: asked 2")
    assert s.count("requisition") == 0
    issued = s.json(*args, "--line", f"{PADS}:16", as_="STORE1", env=env)
    assert [(line["part_no"], line["qty"]) for line in issued["lines"]] == [(PADS, "15"), (KIT1, "1"), (KIT2, "1")]
    shown = s.json("requisition", "show", issued["requisition"])
    assert [line["part_no"] for line in shown["lines"]] == [PADS, KIT1, KIT2]
