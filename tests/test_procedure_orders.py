"""The station's procedure, item 2 (备件工作流程及制度): orders only through the approved draft. Each test quotes the
rule it holds; they run on SQLite and, with PARTSDESK_TEST_PG, on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from core.errors import PermissionDenied, RuleViolation
from core.roles import Role
from core.services import ordering, purchasing, receiving, requests, shortages
from core.services.purchasing import OrderLineRequest
from core.services.requests import LineChange
from tests.helpers import SAMPLES
from tests.helpers.orders import sent_order
from tests.helpers.planning import planning_station

PADS, FILTER = "96536697", "96800106"
PACKING_LIST = SAMPLES / "packing_list.csv"


@pytest.fixture
def station(any_db):
    return planning_station(any_db)


def _rows(db, table: str) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def _urgent(db, staff, ro, role=Role.PLANNER, lines=((PADS, 2),)) -> str:
    with db.writing() as uow:
        return purchasing.create_urgent_order("SGM", [OrderLineRequest(p, Decimal(q), None) for p, q in lines], [ro],
                                              actor=staff[role], uow=uow)


def _order(db, number: str):
    with db.reading() as uow:
        return purchasing.get_order(number, uow=uow)


def _approved_draft(db, staff, lines) -> str:
    with db.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
        requests.edit_request(number, [LineChange(p, Decimal(q)) for p, q in lines], actor=staff[Role.PLANNER],
                              uow=uow)
    return number


def _through_the_chain(db, staff, number: str) -> None:
    with db.writing() as uow:
        for role in (Role.PARTS_MANAGER, Role.STATION_MANAGER, Role.ACCOUNTANT):
            requests.review_request(number, actor=staff[role], uow=uow)
        for role in (Role.STATION_MANAGER, Role.SERVICE_DIRECTOR):
            requests.approve_request(number, actor=staff[role], uow=uow)


def test_an_order_by_hand_is_refused_unless_urgent_for_a_shortage(station):
    """审批完《订单底稿》后，计划员依《订单底稿》制作《采购计划》(订单): an order comes from the approved draft; made by
    hand only as an urgent order naming the shortage or repair order it serves."""
    db, staff, _ro = station
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="po from-request"):
            purchasing.create_urgent_order("SGM", [OrderLineRequest(PADS, Decimal(5000), None)], [],
                                           actor=staff[Role.PLANNER], uow=uow)
        with pytest.raises(Exception, match="serves a shortage .* or a repair order"):
            purchasing.create_urgent_order("SGM", [OrderLineRequest(PADS, Decimal(1), None)], ["PRQ-2026-000001"],
                                           actor=staff[Role.PLANNER], uow=uow)
    assert _rows(db, "purchase_order") == 0


def test_an_order_from_the_approved_draft_starts_approved(station):
    """审批完《订单底稿》后，计划员依《订单底稿》制作《采购计划》: the draft's approval chain approved the order; the
    planner sends it next."""
    db, staff, _ro = station
    number = _approved_draft(db, staff, [(PADS, 4)])
    _through_the_chain(db, staff, number)
    with db.writing() as uow:
        (order,) = ordering.orders_from_request(number, actor=staff[Role.PLANNER], uow=uow)
    placed = _order(db, order)
    assert (placed.state, placed.source_doc, placed.urgent, placed.approved_by, placed.sent_by) == (
        "approved", number, False, "PLAN1", None)


def test_an_urgent_order_waits_for_the_parts_manager_never_its_author(station):
    """相关审核后，发往厂家: an urgent order starts as a draft and is approved by the parts manager, never by whoever
    made it; the planner does not approve."""
    db, staff, ro = station
    by_planner = _urgent(db, staff, ro)
    by_manager = _urgent(db, staff, ro, role=Role.PARTS_MANAGER)
    placed = _order(db, by_planner)
    assert (placed.state, placed.urgent, placed.serves) == ("draft", True, (ro,))
    with db.writing() as uow:
        with pytest.raises(PermissionDenied, match="approve purchase orders"):
            purchasing.approve_order(by_planner, actor=staff[Role.PLANNER], uow=uow)
        with pytest.raises(RuleViolation, match="made order .* and may not approve it"):
            purchasing.approve_order(by_manager, actor=staff[Role.PARTS_MANAGER], uow=uow)
        approved = purchasing.approve_order(by_planner, actor=staff[Role.PARTS_MANAGER], uow=uow)
    assert (approved.state, approved.approved_by) == ("approved", "PM1") and approved.approved_at is not None
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="only a draft order is approved"):
            purchasing.approve_order(by_planner, actor=staff[Role.PARTS_MANAGER], uow=uow)
    assert _order(db, by_manager).state == "draft"


def test_only_an_approved_order_is_sent_by_the_planner_who_and_when(station, clock):
    """相关审核后，发往厂家: the planner sends an approved order to the maker; the order keeps who sent it and when."""
    db, staff, ro = station
    number = _urgent(db, staff, ro)
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="only an approved order is sent"):
            purchasing.send_order(number, actor=staff[Role.PLANNER], uow=uow)
        purchasing.approve_order(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
        with pytest.raises(PermissionDenied, match="send purchase orders"):
            purchasing.send_order(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
    clock.advance(minutes=5)
    with db.writing() as uow:
        sent = purchasing.send_order(number, actor=staff[Role.PLANNER], uow=uow)
    assert (sent.state, sent.sent_by, sent.sent_at) == ("sent", "PLAN1", clock.now())
    with db.reading() as uow:
        assert [o.number for o in ordering.transit_orders(uow=uow)] == [number]


def test_the_paper_order_says_who_approved_and_sent_it_and_what_an_urgent_one_is_for(station):
    """相关审核后，发往厂家: the printed purchase order (采购订单) carries its approval and its sending, and an urgent
    order names the repair order it serves."""
    from core.printing.documents import document_text

    db, staff, ro = station
    number = _urgent(db, staff, ro)
    with db.writing() as uow:
        purchasing.approve_order(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
        purchasing.send_order(number, actor=staff[Role.PLANNER], uow=uow)
    with db.reading() as uow:
        text = document_text("po", number, uow=uow, width=80)
    assert "PM1" in text.split("Approved")[1].splitlines()[0] and "PLAN1" in text.split("Sent")[1].splitlines()[0]
    assert f"Urgent order for: {ro}" in text


def test_goods_are_received_only_for_an_order_sent_to_the_maker(station):
    """计划员依《订单底稿》制作《采购计划》(订单)，相关审核后，发往厂家: a receipt answers an order sent to the maker,
    never a draft or an approved order not yet sent."""
    db, staff, ro = station
    number = _urgent(db, staff, ro)
    for step in (None, purchasing.approve_order):
        if step is not None:
            with db.writing() as uow:
                step(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
        with db.writing() as uow:
            with pytest.raises(RuleViolation, match="received only for an order sent to the maker"):
                receiving.open_receipt(PACKING_LIST, order=number, actor=staff[Role.STOREKEEPER], uow=uow)
    assert _rows(db, "receipt") == 0
    with db.writing() as uow:
        purchasing.send_order(number, actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        receipt = receiving.open_receipt(PACKING_LIST, order=number, actor=staff[Role.STOREKEEPER], uow=uow)
    assert receipt.startswith("RCV-")


def test_a_supplier_is_registered_only_by_supplier_add(station):
    """A new supplier is registered by its own command (`supplier add`), never as a side effect of an order, a
    receipt or a part's supplier."""
    db, staff, ro = station
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="`partsdesk supplier add ACME"):
            purchasing.create_urgent_order("ACME", [OrderLineRequest(PADS, Decimal(1), None)], [ro],
                                           actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="supplier add ACME"):
            receiving.open_receipt(PACKING_LIST, supplier="acme", actor=staff[Role.STOREKEEPER], uow=uow)
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="supplier add ACME"):
            purchasing.set_part_supplier(PADS, "ACME", actor=staff[Role.PLANNER], uow=uow)
    with db.reading() as uow:
        assert [code for code, _name in purchasing.list_parties(uow=uow)["suppliers"]] == ["SGM"]
    with db.writing() as uow:
        purchasing.add_supplier("ACME", "Acme Parts", actor=staff[Role.PLANNER], uow=uow)
    assert _urgent(db, staff, ro).startswith("PO-")


def test_a_shortage_answered_order_goes_on_the_cycle_draft_tagged(station, clock):
    """审批完《订单底稿》后，计划员依《订单底稿》制作《采购计划》: a shortage answered `order` is a line of the current
    cycle's draft of its own, tagged with the shortage and its repair order (a special order for that customer);
    the order made from the draft names the shortage."""
    db, staff, ro = station
    with db.writing() as uow:
        shortage = shortages.log_shortage(PADS, "2", ro, actor=staff[Role.ADVISOR], uow=uow)
    eta = clock.now() + timedelta(days=3)
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="no purchase draft is open .* `partsdesk request draft`"):
            shortages.answer_shortage(shortage, "order", eta, actor=staff[Role.PARTS_MANAGER], uow=uow)
    number = _approved_draft(db, staff, [(PADS, 4)])
    with db.writing() as uow:
        requests.review_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with db.writing() as uow:
        answered = shortages.answer_shortage(shortage, "order", eta, actor=staff[Role.PARTS_MANAGER], uow=uow)
    assert (answered.solution, answered.ordered_on) == ("order", number)
    with db.reading() as uow:
        draft = requests.get_request(number, uow=uow)
    assert [(line.part_no, line.qty, line.shortage, line.ro) for line in draft.lines if line.part_no == PADS] == [
        (PADS, Decimal(4), None, None), (PADS, Decimal(2), shortage, ro)]
    assert draft.history[-1].action == "edited" and draft.history[-1].comment == f"{shortage} {ro}"
    # The planner's edit changes the cycle's own line, never the shortage's.
    with db.writing() as uow:
        requests.edit_request(number, [LineChange(PADS, Decimal(6))], actor=staff[Role.PLANNER], uow=uow)
    _through_the_chain(db, staff, number)
    with db.writing() as uow:
        (order,) = ordering.orders_from_request(number, actor=staff[Role.PLANNER], uow=uow)
    placed = _order(db, order)
    assert [(line.part_no, line.ordered) for line in placed.lines] == [(PADS, Decimal(8))]
    assert (placed.serves, placed.urgent, placed.state) == ((shortage,), False, "approved")


def test_a_shortage_answered_urgent_purchase_opens_an_urgent_order(station, clock):
    """A shortage that cannot wait, answered `urgent_purchase`, opens an urgent order for it: a draft naming the
    shortage, for the parts manager to approve (相关审核后，发往厂家)."""
    db, staff, ro = station
    with db.writing() as uow:
        shortage = shortages.log_shortage(FILTER, "3", ro, actor=staff[Role.ADVISOR], uow=uow)
    with db.writing() as uow:
        answered = shortages.answer_shortage(shortage, "urgent_purchase", clock.now() + timedelta(hours=4),
                                             actor=staff[Role.PLANNER], uow=uow)
    placed = _order(db, answered.ordered_on)
    assert (placed.state, placed.urgent, placed.serves, placed.supplier, placed.created_by) == (
        "draft", True, (shortage,), "SGM", "PLAN1")
    assert [(line.part_no, line.ordered) for line in placed.lines] == [(FILTER, Decimal(3))]


def test_a_sent_order_is_closed_by_the_planner(station):
    """发往厂家: an order made the legal way (tests.helpers.orders) is sent; what will not come, the planner closes."""
    db, staff, ro = station
    number = sent_order(db, staff, "SGM", [OrderLineRequest(PADS, Decimal(10), None)], ro=ro)
    assert _order(db, number).state == "sent"
    with db.writing() as uow:
        purchasing.close_order(number, actor=staff[Role.PLANNER], uow=uow)
    assert _order(db, number).state == "closed"
