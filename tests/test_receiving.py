"""Receiving scenarios from the station's procedure, on SQLite and PostgreSQL: each case's documents and stock."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from core.errors import BadInput, ImportRejected, NotFound, PermissionDenied, RuleViolation
from core.models import ClaimState
from core.printing.documents import document_text
from core.receiving_rules import MissingLocation, NotInPartsMaster, ShipmentDoubt
from core.roles import Role
from core.services import catalog, claims, part_import, purchasing, receipt_counts, receiving, stock
from core.services.receiving import CountEntry
from tests.helpers import SAMPLES, assert_books_agree, make_staff
from tests.helpers.orders import sent_order

PACKING_LIST = SAMPLES / "packing_list.csv"
# What the sample packing list holds, summed over boxes.
EXPECTED = {"96536697": 10, "96800106": 60, "13301204": 2, "19300011": 48, "13227301": 6}


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        part_import.import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
    return any_db, staff


def _open(db, staff, path=PACKING_LIST, **kwargs) -> str:
    kwargs.setdefault("again", True)  # the one sample shipment, opened many times over
    with db.writing() as uow:
        return receiving.open_receipt(path, actor=staff[Role.STOREKEEPER], uow=uow, **kwargs)


def _boxes(db, staff, number, boxes=3, **kwargs):
    with db.writing() as uow:
        return receiving.check_boxes(number, boxes, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER],
                                     uow=uow, **kwargs)


def _count(db, staff, number, counts: dict[str, int | tuple[int, int]]):
    entries = [CountEntry(p, Decimal(c[0]), Decimal(c[1])) if isinstance(c, tuple) else CountEntry(p, Decimal(c))
               for p, c in counts.items()]
    with db.writing() as uow:
        return receiving.count_receipt(number, entries, first=staff[Role.STOREKEEPER], second=staff[Role.PLANNER],
                                       uow=uow)


def _post(db, staff, number, late_reason=None):
    with db.writing() as uow:
        return receiving.post_receipt(number, actor=staff[Role.PLANNER], uow=uow, late_reason=late_reason)


def _lines(info):
    return {line.part_no: line for line in info.lines}


def _on_hand(db, part_no):
    with db.reading() as uow:
        return stock.part_stock(part_no, uow=uow).on_hand


def _count_rows(db, table):
    with db.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


# -- the procedure's cases ---------------------------------------------------------------------


def test_a_clean_shipment(station):
    db, staff = station
    order = sent_order(db, staff, "SGM", [purchasing.OrderLineRequest(p, Decimal(q), None)
                                          for p, q in EXPECTED.items()])
    number = _open(db, staff, order=order, carrier="SF")
    info = _boxes(db, staff, number)
    assert info.state == "boxes_checked" and info.boxes_expected == 3
    info = _count(db, staff, number, EXPECTED)
    assert {line.difference for line in info.lines} == {"ok"}
    info = _post(db, staff, number)
    assert info.state == "posted" and info.claims == () and info.discrepancy_no is None and info.surplus_no is None
    for part_no, qty in EXPECTED.items():
        assert _on_hand(db, part_no) == qty
    with db.reading() as uow:
        ledger = stock.part_ledger("96800106", uow=uow)
        placed = purchasing.get_order(order, uow=uow)
    assert [(m.kind, m.qty, m.document) for m in ledger] == [("receipt", 60, number)]
    assert placed.state == "received" and all(line.outstanding == 0 for line in placed.lines)
    assert_books_agree(db)


def test_a_broken_seal_box_that_comes_up_short_is_claimed_from_the_carrier(station):
    db, staff = station
    number = _open(db, staff, supplier="SGM", carrier="SF")
    _boxes(db, staff, number, broken_seal=["2"])
    # Box 2 holds the headlamps and 20 of the oil filters: 15 filters and one lamp are gone.
    info = _post(db, staff, _count(db, staff, number, {**EXPECTED, "96800106": 45, "13301204": 1}).number)
    lines = _lines(info)
    assert lines["96800106"].difference == "short" and lines["13301204"].difference == "short"
    assert [(c.party, c.party_code) for c in info.claims] == [("carrier", "SF")]
    with db.reading() as uow:
        claim = claims.get_claim(info.claims[0].number, uow=uow)
    assert {(line.part_no, line.kind, line.qty) for line in claim.lines} == {
        ("96800106", "short", 15), ("13301204", "short", 1)}
    assert claim.amount == Decimal("15") * Decimal("38.50") + Decimal("1580.00")
    assert info.discrepancy_no and _on_hand(db, "96800106") == 45


def test_an_over_delivery_is_a_surplus_receipt(station):
    """多收的办理盈利入库: the surplus receipt stays; the supplier's claim lists it as 多发 (see
    test_procedure_receiving for the claim)."""
    db, staff = station
    number = _open(db, staff)
    _boxes(db, staff, number)
    info = _post(db, staff, _count(db, staff, number, {**EXPECTED, "96536697": 13}).number)
    assert _lines(info)["96536697"].difference == "over"
    assert [(c.party, c.state) for c in info.claims] == [("supplier", "open")]
    assert info.surplus_no and info.discrepancy_no
    with db.reading() as uow:
        lots = stock.part_stock("96536697", uow=uow).lots
    assert [(lot.qty, lot.document) for lot in lots] == [(10, number), (3, info.surplus_no)]


def test_a_wrong_part_is_claimed_from_the_supplier_and_not_shelved(station):
    db, staff = station
    number = _open(db, staff, supplier="SGM")
    _boxes(db, staff, number)
    info = _count(db, staff, number, {**EXPECTED, "95486621": 1})
    assert _lines(info)["95486621"].difference == "wrong_part" and _lines(info)["95486621"].expected == 0
    info = _post(db, staff, number)
    assert _on_hand(db, "95486621") == 0
    with db.reading() as uow:
        claim = claims.get_claim(info.claims[0].number, uow=uow)
    assert claim.party == "supplier" and claim.party_code == "SGM"
    assert [(line.part_no, line.kind, line.qty, line.amount) for line in claim.lines] == [
        ("95486621", "wrong_part", 1, Decimal("2350.00"))]


def test_a_damaged_fragile_part_is_claimed_and_kept_in_quarantine(station):
    db, staff = station
    number = _open(db, staff, supplier="SGM")
    _boxes(db, staff, number, fragile_damaged=["13301204"])
    info = _count(db, staff, number, {**EXPECTED, "13301204": (2, 1)})
    lamp = _lines(info)["13301204"]
    assert lamp.fragile_damaged and lamp.difference == "damaged" and lamp.accepted == 1
    info = _post(db, staff, number)
    with db.reading() as uow:
        lots = stock.part_stock("13301204", uow=uow).lots
        claim = claims.get_claim(info.claims[0].number, uow=uow)
    # On the books, the damaged one in quarantine (never shelved, never issued).
    held = {lot.location: lot.qty for lot in lots}
    assert held.pop("QRN-01-01-01") == 1 and list(held.values()) == [1]
    assert claim.party == "supplier"  # its box was intact: the supplier packed it
    assert [(line.kind, line.qty) for line in claim.lines] == [("damaged", 1)]


def test_damage_in_a_damaged_box_is_the_carriers(station):
    db, staff = station
    number = _open(db, staff, carrier="SF")
    _boxes(db, staff, number, damaged=["2"])
    info = _post(db, staff, _count(db, staff, number, {**EXPECTED, "13301204": (2, 2)}).number)
    assert [(c.party, c.amount) for c in info.claims] == [("carrier", Decimal("3160.00"))]


def test_a_gift_at_price_zero_is_received(station):
    db, staff = station
    number = _open(db, staff)
    _boxes(db, staff, number)
    _post(db, staff, _count(db, staff, number, EXPECTED).number)
    with db.reading() as uow:
        lots = stock.part_stock("13227301", uow=uow).lots
    assert [(lot.qty, lot.unit_cost) for lot in lots] == [(6, Decimal("0.00"))]


def test_a_part_without_location_blocks_posting_until_it_has_one(station, tmp_path):
    db, staff = station
    path = tmp_path / "belt.csv"
    path.write_text("shipment_no,box_no,part_no,description,qty,unit_price\nS1,1,24258947,Timing belt,2,400\n",
                    encoding="utf-8")
    number = _open(db, staff, path=path)
    _boxes(db, staff, number, boxes=1)
    _count(db, staff, number, {"24258947": 2})
    with pytest.raises(MissingLocation, match="24258947 has no location") as refused:
        _post(db, staff, number)
    assert refused.value.part_no == "24258947"  # the screen asks for this part's location on the spot
    assert _count_rows(db, "stock_lot") == 0 and _count_rows(db, "claim") == 0
    with db.writing() as uow:
        catalog.set_part_location("24258947", "EXC-02-01-01", actor=staff[Role.STOREKEEPER], uow=uow)
    info = _post(db, staff, number)
    assert info.state == "posted" and _on_hand(db, "24258947") == 2
    with db.reading() as uow:
        putaway = receiving.putaway_list(number, uow=uow)
    assert [(p.location, p.qty, p.older) for p in putaway] == [("EXC-02-01-01", 2, 0)]


def test_a_receipt_is_overdue_after_three_days(station, clock):
    db, staff = station
    number = _open(db, staff)
    clock.advance(days=3)
    with db.reading() as uow:
        assert not receiving.get_receipt(number, uow=uow).overdue
    clock.advance(minutes=1)
    with db.reading() as uow:
        info = receiving.get_receipt(number, uow=uow)
        listed = receiving.list_receipts(uow=uow, open_only=True)
    assert info.overdue and info.deadline == info.arrived.at + timedelta(days=3)
    assert [(r.number, r.overdue) for r in listed] == [(number, True)]
    _boxes(db, staff, number)
    _post(db, staff, _count(db, staff, number, EXPECTED).number, late_reason="the planner was away")
    with db.reading() as uow:
        assert not receiving.get_receipt(number, uow=uow).overdue  # posted: no longer flagged


# -- more of the procedure ---------------------------------------------------------------------


def test_missing_boxes_are_claimed_from_the_carrier(station):
    db, staff = station
    number = _open(db, staff, carrier="SF")
    _boxes(db, staff, number, boxes=2)
    counts = {p: q for p, q in EXPECTED.items() if p not in ("19300011", "13227301")}  # box 3 never came
    info = _post(db, staff, _count(db, staff, number, counts).number)
    assert [(c.party, c.party_code) for c in info.claims] == [("carrier", "SF")]
    with db.reading() as uow:
        claim = claims.get_claim(info.claims[0].number, uow=uow)
    # The missing box, and the lines of which nothing arrived: the carrier lost them with the box.
    assert {(line.kind, line.part_no) for line in claim.lines} == {
        ("boxes", "-"), ("missing", "19300011"), ("missing", "13227301")}
    assert {line.difference for line in info.lines if line.part_no in ("19300011", "13227301")} == {"missing"}


def test_a_part_unknown_to_the_master_must_be_created_or_refused(station, tmp_path):
    db, staff = station
    path = tmp_path / "unknown.csv"
    path.write_text("shipment_no,box_no,part_no,description,qty,unit_price\n"
                    "S1,1,96800106,Oil filter,5,38.50\nS1,1,77777777,Mystery part,2,10\n", encoding="utf-8")
    number = _open(db, staff, path=path, supplier="SGM")
    info = _boxes(db, staff, number, boxes=1)
    assert not _lines(info)["77777777"].known
    _count(db, staff, number, {"96800106": 5, "77777777": 2})
    with pytest.raises(NotInPartsMaster, match="77777777 is not in the parts master") as refused:
        _post(db, staff, number)
    assert refused.value.part_no == "77777777" and isinstance(refused.value, RuleViolation)
    with db.writing() as uow:
        receiving.refuse_line(number, "77777777", reason="shipped by mistake", actor=staff[Role.PLANNER],
                              uow=uow)
    info = _post(db, staff, number)
    with db.reading() as uow:
        claim = claims.get_claim(info.claims[0].number, uow=uow)
    assert [(line.part_no, line.kind, line.qty) for line in claim.lines] == [("77777777", "wrong_part", 2)]
    assert _on_hand(db, "96800106") == 5


def test_a_recount_after_reopening_replaces_the_count(station):
    db, staff = station
    number = _open(db, staff)
    _boxes(db, staff, number)
    _count(db, staff, number, {**EXPECTED, "95486621": 1})
    with pytest.raises(RuleViolation, match="signed: nothing more is counted unless it is reopened"):
        _count(db, staff, number, EXPECTED)
    with db.writing() as uow:
        receipt_counts.reopen_count(number, actor=staff[Role.STOREKEEPER], uow=uow)
    info = _count(db, staff, number, EXPECTED)
    assert "95486621" not in _lines(info) and {line.difference for line in info.lines} == {"ok"}


def test_the_order_keeps_the_rest_on_back_order_and_costs_come_from_it(station):
    db, staff = station
    order = sent_order(db, staff, "SGM", [purchasing.parse_order_line("96536697:15:250.00")])
    number = _open(db, staff, order=order)
    _boxes(db, staff, number)
    _post(db, staff, _count(db, staff, number, EXPECTED).number)
    with db.reading() as uow:
        placed = purchasing.get_order(order, uow=uow)
        lots = stock.part_stock("96536697", uow=uow).lots
    assert placed.state == "partly_received" and placed.lines[0].outstanding == 5
    assert lots[0].unit_cost == Decimal("250.00")  # the order's price, not the packing list's 286.00


def test_the_receipt_list_names_its_attachments_and_keeps_columns(station):
    from core.textwidth import cell_width

    db, staff = station
    number = _open(db, staff, path=SAMPLES / "packing_list_gb18030.csv", carrier="SF")
    _boxes(db, staff, number, broken_seal=["2"])
    info = _post(db, staff, _count(db, staff, number, {**EXPECTED, "96800106": 50}).number)
    with db.reading() as uow:
        slip = document_text("receipt", number, uow=uow, width=80)
        record = document_text("discrepancy", number, uow=uow, width=80)
        claim = document_text("claim", info.claims[0].number, uow=uow, width=80)
    assert "入库清单" in slip and info.discrepancy_no in slip and info.claims[0].number in slip
    assert "packing_list_gb18030.csv" in slip
    assert all(cell_width(line) <= 80 for line in slip.splitlines() + record.splitlines() + claim.splitlines())
    table = [line for line in slip.splitlines() if "EXC-01-01-01" in line or "GEN-01-01-01" in line]
    assert len({cell_width(line.split("EXC-01-01-01")[0].split("GEN-01-01-01")[0]) for line in table}) == 1
    assert "验货异常现象记录表" in record and "short" in record and "封条破损" in record
    assert "索赔单" in claim and "96800106" in claim


# -- claims ------------------------------------------------------------------------------------


def test_claim_states(station):
    db, staff = station
    number = _open(db, staff, supplier="SGM")
    _boxes(db, staff, number)
    info = _post(db, staff, _count(db, staff, number, {**EXPECTED, "96800106": 59}).number)
    claim_no = info.claims[0].number
    planner = staff[Role.PLANNER]
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="cannot become settled"):
            claims.move_claim(claim_no, ClaimState.SETTLED, actor=planner, uow=uow)
        with pytest.raises(PermissionDenied):
            claims.move_claim(claim_no, ClaimState.SENT, actor=staff[Role.STOREKEEPER], uow=uow)
        claims.move_claim(claim_no, ClaimState.SENT, note="emailed", actor=planner, uow=uow)
        settled = claims.move_claim(claim_no, ClaimState.SETTLED, actor=planner, uow=uow)
        assert settled.settled_amount == Decimal("38.50")
        with pytest.raises(RuleViolation):
            claims.move_claim(claim_no, ClaimState.REJECTED, note="x", actor=planner, uow=uow)
        assert [c.number for c in claims.list_claims(uow=uow, state="settled")] == [claim_no]


# -- bad input changes nothing -----------------------------------------------------------------


@pytest.mark.parametrize("row, message", [
    ("S1,1,96800106,Oil filter,abc,38.50", "not a number"),
    ("S1,1,96800106,Oil filter,-4,38.50", "not a quantity a box holds"),
    ("S1,1,96800106,Oil filter,0,38.50", "not a quantity a box holds"),
    ("S1,1,96800106,Oil filter,999999,38.50", "not a quantity a box holds"),
    ("S1,1,96800106,Oil filter,99999999,38.50", "too large (at most 9,999,999)"),
    ("S1,1,,Oil filter,4,38.50", "empty part number"),
    ("S1,,96800106,Oil filter,4,38.50", "empty box number"),
    ("S1,1,96800106,Oil filter,4,-1", "negative price"),
])
def test_a_bad_packing_list_opens_nothing(station, tmp_path, row, message):
    db, staff = station
    path = tmp_path / "bad.csv"
    path.write_text("shipment_no,box_no,part_no,description,qty,unit_price\nS1,1,96536697,Pads,2,286\n" + row + "\n",
                    encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        _open(db, staff, path=path)
    assert caught.value.problems[0].row == 3 and message in caught.value.problems[0].message
    assert _count_rows(db, "receipt") == 0 and _count_rows(db, "document_sequence") == 0


def test_an_empty_packing_list_opens_nothing(station, tmp_path):
    db, staff = station
    path = tmp_path / "empty.csv"
    path.write_text("shipment_no,box_no,part_no,description,qty,unit_price\n", encoding="utf-8")
    with pytest.raises(BadInput, match="empty packing list"):
        _open(db, staff, path=path)
    assert _count_rows(db, "receipt") == 0


def test_steps_out_of_order_are_refused(station):
    db, staff = station
    number = _open(db, staff)
    with pytest.raises(RuleViolation, match="check the boxes first"):
        _count(db, staff, number, EXPECTED)
    _boxes(db, staff, number)
    with pytest.raises(RuleViolation, match="not counted yet"):
        _post(db, staff, number)
    _count(db, staff, number, EXPECTED)
    _post(db, staff, number)
    moves = _count_rows(db, "stock_move")
    with pytest.raises(RuleViolation, match="already posted"):
        _post(db, staff, number)
    with pytest.raises(RuleViolation, match="already posted"):
        _count(db, staff, number, EXPECTED)
    with pytest.raises(RuleViolation, match="already posted"):
        _boxes(db, staff, number)
    assert _count_rows(db, "stock_move") == moves


def test_the_count_needs_two_different_people_with_sense_in_their_numbers(station):
    db, staff = station
    number = _open(db, staff)
    _boxes(db, staff, number)
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="two different people"):
            receiving.count_receipt(number, [CountEntry("96800106", Decimal(1))], first=staff[Role.STOREKEEPER],
                                    second=staff[Role.STOREKEEPER], uow=uow)
        with pytest.raises(PermissionDenied):
            receiving.count_receipt(number, [CountEntry("96800106", Decimal(1))], first=staff[Role.STOREKEEPER],
                                    second=staff[Role.MECHANIC], uow=uow)
        for entry, message in [(CountEntry("96800106", Decimal(-1)), "negative"),
                               (CountEntry("96800106", Decimal(2), Decimal(3)), "impossible"),
                               (CountEntry("96800106", Decimal(10**6)), "not a count")]:
            with pytest.raises(BadInput, match=message):
                receiving.count_receipt(number, [entry], first=staff[Role.STOREKEEPER], second=staff[Role.PLANNER],
                                        uow=uow)
        info = receiving.get_receipt(number, uow=uow)
    assert info.state == "boxes_checked" and all(line.counted is None for line in info.lines)


def test_unknown_receipts_and_boxes(station):
    db, staff = station
    number = _open(db, staff)
    with db.writing() as uow:
        with pytest.raises(NotFound, match="unknown receipt RCV-2026-999999"):
            receiving.get_receipt("rcv-2026-999999", uow=uow)
        with pytest.raises(BadInput, match="box 9 is not on the packing list"):
            receiving.check_boxes(number, 3, broken_seal=["9"], actor=staff[Role.STOREKEEPER],
                                  second=staff[Role.PLANNER], uow=uow)
        with pytest.raises(BadInput, match="whole number"):
            receiving.check_boxes(number, -1, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
        with pytest.raises(PermissionDenied):
            receiving.post_receipt(number, actor=staff[Role.STOREKEEPER], uow=uow)


def test_count_lines_and_sheets(tmp_path):
    assert receiving.parse_count_line("9680 0106=12/2") == CountEntry("96800106", Decimal(12), Decimal(2))
    for bad in ["96800106", "=3", "96800106=x", "96800106=1.0001"]:
        with pytest.raises(BadInput):
            receiving.parse_count_line(bad)
    sheet = tmp_path / "count.csv"
    sheet.write_text("零件号,数量,损坏\n96800106,30,\n96800106,25,1\n", encoding="utf-8")
    assert receiving.read_count_file(sheet) == [CountEntry("96800106", Decimal(30)),
                                                CountEntry("96800106", Decimal(25), Decimal(1))]
    sheet.write_text("part_no,qty\n96800106,lots\n", encoding="utf-8")
    with pytest.raises(ImportRejected):
        receiving.read_count_file(sheet)


def test_the_discrepancy_record_names_a_refused_line_and_its_reason(station, tmp_path):
    db, staff = station
    path = tmp_path / "unknown.csv"
    path.write_text("shipment_no,box_no,part_no,description,qty,unit_price\nS1,1,77777777,Mystery,2,10\n",
                    encoding="utf-8")
    number = _open(db, staff, path=path)
    _boxes(db, staff, number, boxes=1)
    _count(db, staff, number, {"77777777": 2})
    with db.writing() as uow:
        receiving.refuse_line(number, "77777777", reason="not ours", actor=staff[Role.PLANNER], uow=uow)
    _post(db, staff, number)
    with db.reading() as uow:
        record = document_text("discrepancy", number, uow=uow, width=80)
    assert "refused, sent back: not ours" in record


def test_the_same_shipment_again_is_refused_naming_its_receipt(station):
    db, staff = station
    first = _open(db, staff, supplier="SGM")
    with pytest.raises(ShipmentDoubt, match=rf"shipment SH20261120-001 from SGM is already on receipt {first} "
                                            r"\(arrived\)") as refused:
        _open(db, staff, supplier="sgm", again=False)
    assert len(refused.value.doubts) == 1
    second = _open(db, staff, supplier="SGM", again=True)  # it truly came twice
    _boxes(db, staff, first)
    _count(db, staff, first, {})
    _post(db, staff, first)
    with pytest.raises(ShipmentDoubt, match=rf"already on receipt {first} \(posted\), {second} \(arrived\)"):
        _open(db, staff, supplier="SGM", again=False)
    with db.writing() as uow:
        purchasing.add_supplier("VOLVO", "Volvo Parts", actor=staff[Role.PLANNER], uow=uow)
    _open(db, staff, supplier="VOLVO", again=False)  # the same number from another supplier is another shipment


def test_an_unknown_supplier_is_refused_an_unknown_carrier_is_a_doubt(station):
    """A new supplier is registered only by `supplier add`, never as a side effect of a receipt; a carrier the
    station does not know yet is a doubt to confirm."""
    db, staff = station
    for register in (False, True):
        with pytest.raises(RuleViolation, match="supplier NEWCO is not registered: .*`partsdesk supplier add NEWCO"):
            _open(db, staff, supplier="newco", carrier="fastex", register=register)
    with db.reading() as uow:
        assert receiving.list_receipts(uow=uow, open_only=True) == []
        assert "NEWCO" not in [code for code, _name in purchasing.list_parties(uow=uow)["suppliers"]]
    with pytest.raises(ShipmentDoubt) as refused:
        _open(db, staff, supplier="SGM", carrier="fastex", register=False)
    assert refused.value.doubts == ["carrier FASTEX is not known here yet: going on registers it"]
    _open(db, staff, supplier="SGM", carrier="fastex")  # registered on the way (the CLI's way)
    _open(db, staff, supplier="SGM", carrier="FASTEX", register=False, again=True)  # known now
