"""What an operator may do with a document in its state, without a database: the core's checks and predicates that
the services run and the screens' footers, the palette and the CLI ask (core.repair_states, core.counter_rules,
core.receiving_rules, core.shortage_rules, core.approvals, core.order_rules, core.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.access import TodoSection, todo_sections
from core.approvals import (
    REVIEWER_ROLES,
    may_approve,
    may_edit,
    may_give_review,
    may_reject,
    may_review_drafts,
    waits_for,
)
from core.counter_rules import (
    Shortage,
    ShortOfStock,
    check_issue,
    default_mechanic,
    may_issue,
    may_take_back,
    short_lines,
    signs_for_himself,
)
from core.errors import BadInput, PermissionDenied, RuleViolation
from core.models.enums import ClaimState, OrderState, ReceiptState, RequestState, ShortageState
from core.order_rules import check_chase, is_late, may_chase
from core.receiving_rules import (
    CLAIM_TRANSITIONS,
    MissingLocation,
    NotInPartsMaster,
    ReceiptStep,
    check_claim_move,
    check_receipt_state,
    check_receipt_step,
    may_move_claim,
    may_take_step,
    receipt_due_soon,
    receipt_overdue,
)
from core.repair_states import (
    OPEN_STATES,
    TRANSITIONS,
    RepairState,
    check_assign,
    check_move,
    check_note,
    check_warranty,
    may_assign,
    may_decide_warranty,
    may_move,
    may_note,
    may_open_order,
)
from core.roles import Actor, Role, allows
from core.shortage_rules import check_answer, check_log, may_answer, may_follow_shortages, visible_shortages
from screens.workflows import WORKFLOWS

ADVISOR = Actor(1, "ADV1", "advisor", frozenset({Role.ADVISOR}))
MECHANIC = Actor(2, "MECH1", "mechanic", frozenset({Role.MECHANIC}))
OTHER_MECHANIC = Actor(3, "MECH2", "another mechanic", frozenset({Role.MECHANIC}))
STOREKEEPER = Actor(4, "STORE1", "storekeeper", frozenset({Role.STOREKEEPER}))
PLANNER = Actor(5, "PLAN1", "planner", frozenset({Role.PLANNER}))
PARTS_MANAGER = Actor(6, "PM1", "parts manager", frozenset({Role.PARTS_MANAGER}))
ACCOUNTANT = Actor(7, "ACC1", "accountant", frozenset({Role.ACCOUNTANT}))
STATION_MANAGER = Actor(8, "SM1", "station manager", frozenset({Role.STATION_MANAGER}))
DIRECTOR = Actor(9, "SD1", "service director", frozenset({Role.SERVICE_DIRECTOR}))
ADMIN = Actor(10, "ADMIN", "admin", frozenset({Role.ADMIN}))
EVERYONE = (ADVISOR, MECHANIC, STOREKEEPER, PLANNER, PARTS_MANAGER, ACCOUNTANT, STATION_MANAGER, DIRECTOR, ADMIN)


@dataclass(frozen=True)
class Order:
    """A repair order as the rules read it (a row or a RepairOrderView in the services and screens)."""

    state: str
    technician_id: int | None = MECHANIC.id
    ro_no: str = "RO-2026-000001"


# -- repair orders -------------------------------------------------------------------------------


class TestRepairOrders:
    def test_only_the_assigned_technician_records_on_an_order(self):
        order = Order("in_repair")  # assigned to MECH1
        assert may_note(MECHANIC, order) and may_move(MECHANIC, order, "reinspection")
        assert not may_note(OTHER_MECHANIC, order)
        for new in ("sent_out", "reinspection"):
            assert not may_move(OTHER_MECHANIC, order, new)
        with pytest.raises(RuleViolation, match="RO-2026-000001 is not assigned to MECH2: only its technician"):
            check_note(OTHER_MECHANIC, order)
        with pytest.raises(RuleViolation, match="not assigned to MECH2"):
            check_move(OTHER_MECHANIC, order, "reinspection")

    def test_an_order_nobody_is_assigned_to_is_no_mechanics(self):
        order = Order("intake", technician_id=None)
        assert not may_note(MECHANIC, order) and not may_move(MECHANIC, order, "diagnosing")

    def test_the_advisor_records_on_any_order(self):
        order = Order("in_repair", technician_id=OTHER_MECHANIC.id)
        assert may_note(ADVISOR, order) and may_move(ADVISOR, order, "reinspection")

    @pytest.mark.parametrize("state", list(RepairState))
    def test_the_process_record_closes_with_settlement_or_cancellation(self, state):
        closed = state in (RepairState.SETTLED, RepairState.CANCELLED)
        assert may_note(MECHANIC, Order(state)) is not closed
        if closed:
            with pytest.raises(RuleViolation, match=f"is {state.value}: its record is closed"):
                check_note(MECHANIC, Order(state))

    def test_nobody_outside_the_workshop_records_repair(self):
        assert not may_note(STOREKEEPER, Order("in_repair"))
        with pytest.raises(PermissionDenied, match="STORE1 may not record repair work"):
            check_note(STOREKEEPER, Order("in_repair"))

    @pytest.mark.parametrize("state", list(RepairState))
    def test_the_advisor_assigns_on_open_orders_only(self, state):
        assert may_assign(ADVISOR, Order(state)) is (state in OPEN_STATES)
        assert not may_assign(MECHANIC, Order(state))
        if state not in OPEN_STATES:
            with pytest.raises(RuleViolation, match="no assignment on a closed repair order"):
                check_assign(ADVISOR, Order(state))

    @pytest.mark.parametrize("state", list(RepairState))
    def test_warranty_is_decided_between_diagnosis_and_ready(self, state):
        decidable = state in OPEN_STATES and state not in (RepairState.INTAKE, RepairState.READY)
        assert may_decide_warranty(ADVISOR, Order(state)) is decidable
        assert not may_decide_warranty(MECHANIC, Order(state))
        if state in (RepairState.INTAKE, RepairState.READY):
            with pytest.raises(RuleViolation, match="warranty is decided after diagnosis"):
                check_warranty(ADVISOR, Order(state))

    @pytest.mark.parametrize("state", list(RepairState))
    @pytest.mark.parametrize("new", list(RepairState))
    def test_a_move_needs_the_table_and_the_moves_permission(self, state, new):
        in_table = new in TRANSITIONS[state]
        assert may_move(ADVISOR, Order(state), new) is in_table  # settling is billing: the advisor's too
        # The workshop moves, never hand-back, cancelling or settling.
        workshop = new not in (RepairState.DELIVERED, RepairState.CANCELLED, RepairState.SETTLED)
        assert may_move(MECHANIC, Order(state), new) is (in_table and workshop)
        assert may_move(ACCOUNTANT, Order(state), new) is (in_table and new is RepairState.SETTLED)

    def test_a_move_refused_says_why(self):
        with pytest.raises(PermissionDenied, match="MECH1 may not open or hand back"):
            check_move(MECHANIC, Order("ready"), "delivered")
        with pytest.raises(RuleViolation, match="cannot go from intake to ready"):
            check_move(ADVISOR, Order("intake"), "ready")

    def test_only_the_advisor_opens_orders(self):
        assert [actor.code for actor in EVERYONE if may_open_order(actor)] == ["ADV1"]


def test_allows_turns_a_refusal_into_no_and_lets_other_errors_through():
    assert allows(check_note, MECHANIC, Order("in_repair"))
    assert not allows(check_note, OTHER_MECHANIC, Order("in_repair"))  # RuleViolation
    assert not allows(check_note, STOREKEEPER, Order("in_repair"))  # PermissionDenied

    def broken() -> None:
        raise BadInput("not a refusal but a fault in what was asked")

    with pytest.raises(BadInput):
        allows(broken)


# -- the counter -----------------------------------------------------------------------------------


class TestCounter:
    def test_short_lines_are_those_the_stock_cannot_fill_in_the_lines_order(self):
        lines = [("96800106", Decimal(3)), ("96536697", Decimal(9)), ("NEW-1", Decimal(1)), ("13227301", Decimal(2))]
        on_hand = {"96800106": Decimal(3), "96536697": Decimal(8), "13227301": Decimal("1.5")}
        short = short_lines(lines, on_hand, {"96536697": "Brake pads"})
        assert short == [Shortage("96536697", "Brake pads", Decimal(9), Decimal(8)),
                         Shortage("NEW-1", "", Decimal(1), Decimal(0)),
                         Shortage("13227301", "", Decimal(2), Decimal("1.5"))]
        assert [s.short for s in short] == [Decimal(1), Decimal(1), Decimal("0.5")]
        assert short_lines(lines[:1], on_hand) == []  # exactly what is on hand is no shortage

    def test_a_refused_issue_carries_its_short_lines(self):
        refusal = ShortOfStock("RO-1", [Shortage("96536697", "Brake pads", Decimal(9), Decimal(8))])
        assert refusal.ro_no == "RO-1" and refusal.shortages[0].short == 1
        assert refusal.message == "not enough stock of 96536697: asked 9, on hand 8 (nothing issued on RO-1)"

    @pytest.mark.parametrize("state", list(RepairState))
    def test_the_storekeeper_issues_against_open_orders_only(self, state):
        assert may_issue(STOREKEEPER, Order(state)) is (state in OPEN_STATES)
        if state not in OPEN_STATES:
            with pytest.raises(RuleViolation, match=f"is {state.value}: no issue against a closed repair order"):
                check_issue(STOREKEEPER, Order(state))

    def test_only_the_storekeeper_issues_and_takes_back(self):
        assert [actor.code for actor in EVERYONE if may_issue(actor, Order("in_repair"))] == ["STORE1"]
        assert [actor.code for actor in EVERYONE if may_take_back(actor)] == ["STORE1"]

    def test_the_mechanic_offered_to_sign_is_never_the_storekeeper_himself(self):
        assert default_mechanic(STOREKEEPER, "MECH1") == "MECH1"
        assert default_mechanic(STOREKEEPER, "STORE1") == ""
        assert default_mechanic(STOREKEEPER, None) == ""

    def test_no_pin_is_asked_when_the_storekeeper_names_himself(self):
        assert signs_for_himself(STOREKEEPER, " store1 ")
        assert not signs_for_himself(STOREKEEPER, "MECH1") and not signs_for_himself(STOREKEEPER, None)


# -- receipts and claims ---------------------------------------------------------------------------

# Which step each state allows (the receipt screen's keys and the services' refusals).
STEPS_BY_STATE = {
    ReceiptState.ARRIVED: {ReceiptStep.CHECK_BOXES, ReceiptStep.REFUSE_LINE},
    ReceiptState.BOXES_CHECKED: {ReceiptStep.CHECK_BOXES, ReceiptStep.COUNT, ReceiptStep.REFUSE_LINE},
    ReceiptState.COUNTED: {ReceiptStep.REOPEN_COUNT, ReceiptStep.REFUSE_LINE, ReceiptStep.POST, ReceiptStep.PUTAWAY},
    ReceiptState.POSTED: {ReceiptStep.PUTAWAY},
}


class TestReceipts:
    @pytest.mark.parametrize("state", list(ReceiptState))
    def test_each_step_belongs_to_its_states(self, state):
        # The planner checks boxes, counts, refuses and posts: only the state stops him.
        assert {step for step in ReceiptStep if may_take_step(PLANNER, state, step)} == STEPS_BY_STATE[state]

    @pytest.mark.parametrize("state", list(ReceiptState))
    def test_only_the_planner_posts_and_refuses_lines(self, state):
        for actor in (STOREKEEPER, PARTS_MANAGER):
            assert not may_take_step(actor, state, ReceiptStep.POST)
            assert not may_take_step(actor, state, ReceiptStep.REFUSE_LINE)

    def test_who_checks_boxes_and_counts(self):
        assert may_take_step(STOREKEEPER, "arrived", ReceiptStep.CHECK_BOXES)
        assert not may_take_step(PARTS_MANAGER, "arrived", ReceiptStep.CHECK_BOXES)
        assert may_take_step(PARTS_MANAGER, "boxes_checked", ReceiptStep.COUNT)
        assert not may_take_step(ADVISOR, "boxes_checked", ReceiptStep.COUNT)
        assert may_take_step(ADVISOR, "posted", ReceiptStep.PUTAWAY)  # a paper anyone may read

    def test_a_step_out_of_turn_says_what_comes_first(self):
        with pytest.raises(RuleViolation, match="receipt RCV-1: check the boxes first"):
            check_receipt_state("RCV-1", "arrived", ReceiptStep.COUNT)
        with pytest.raises(RuleViolation, match="RCV-1 is not counted yet: count it first"):
            check_receipt_state("RCV-1", "boxes_checked", ReceiptStep.POST)
        with pytest.raises(RuleViolation, match="RCV-1 is already posted; counting is no longer possible"):
            check_receipt_state("RCV-1", "posted", ReceiptStep.COUNT)
        with pytest.raises(RuleViolation, match="the count of RCV-1 is signed: nothing more is counted unless it is "
                                                "reopened"):
            check_receipt_state("RCV-1", "counted", ReceiptStep.COUNT)
        with pytest.raises(PermissionDenied, match="STORE1 may not post receipts"):
            check_receipt_step(STOREKEEPER, "RCV-1", "counted", ReceiptStep.POST)

    def test_posting_refusals_carry_the_part(self):
        missing = MissingLocation("24258947")
        assert missing.part_no == "24258947" and isinstance(missing, RuleViolation)
        assert missing.message.startswith("part 24258947 has no location: give it one before shelving")
        unknown = NotInPartsMaster("77777777")
        assert unknown.part_no == "77777777" and "77777777 is not in the parts master" in unknown.message

    def test_a_receipt_is_due_a_day_before_its_limit_and_overdue_after_it(self):
        deadline = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
        assert not receipt_due_soon("counted", deadline, deadline - timedelta(days=1, seconds=1))
        assert receipt_due_soon("counted", deadline, deadline - timedelta(days=1))
        assert not receipt_overdue("counted", deadline, deadline)
        assert receipt_overdue("counted", deadline, deadline + timedelta(seconds=1))
        assert not receipt_overdue("posted", deadline, deadline + timedelta(days=9))
        assert not receipt_due_soon("posted", deadline, deadline)

    @pytest.mark.parametrize("state", list(ClaimState))
    @pytest.mark.parametrize("to", list(ClaimState))
    def test_claims_move_along_their_table_by_those_who_manage_them(self, state, to):
        assert may_move_claim(PLANNER, state, to) is (to in CLAIM_TRANSITIONS[state])
        assert may_move_claim(PARTS_MANAGER, state, to) is (to in CLAIM_TRANSITIONS[state])
        assert not may_move_claim(STOREKEEPER, state, to)

    def test_a_claim_move_refused_says_why(self):
        with pytest.raises(RuleViolation, match="claim CLM-1 is settled; it cannot become sent"):
            check_claim_move(PLANNER, "clm-1", "settled", "sent")


# -- shortages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    number: str
    logged_by: str


class TestShortages:
    def test_the_parts_department_follows_every_shortage_an_advisor_his_own(self):
        shortages = [Logged("SHT-1", "ADV1"), Logged("SHT-2", "ADV2")]
        assert visible_shortages(PLANNER, shortages) == shortages
        assert visible_shortages(PARTS_MANAGER, shortages) == shortages
        assert visible_shortages(ADVISOR, shortages) == [shortages[0]]

    def test_whose_screen_the_shortages_are(self):
        assert {a.code for a in EVERYONE if may_follow_shortages(a)} == {"ADV1", "PLAN1", "PM1"}

    @pytest.mark.parametrize("state", list(ShortageState))
    def test_the_parts_department_answers_an_open_shortage_once(self, state):
        assert may_answer(PLANNER, state) is (state is ShortageState.OPEN)
        assert not may_answer(ADVISOR, state)
        if state is not ShortageState.OPEN:
            with pytest.raises(RuleViolation, match=f"shortage SHT-1 is already {state.value}"):
                check_answer(PLANNER, "SHT-1", state)

    def test_a_shortage_is_logged_by_the_advisor_on_an_open_order(self):
        check_log(ADVISOR, "RO-1", "in_repair")
        with pytest.raises(RuleViolation, match="repair order RO-1 is delivered: no shortage can be logged on it"):
            check_log(ADVISOR, "RO-1", "delivered")
        with pytest.raises(PermissionDenied):
            check_log(STOREKEEPER, "RO-1", "in_repair")


# -- the approval chain ------------------------------------------------------------------------------


class TestApprovals:
    AUTHOR = PLANNER.id

    def test_each_review_is_given_by_its_role_never_by_the_author(self):
        assert may_give_review(PARTS_MANAGER, self.AUTHOR, "draft")
        assert not may_give_review(ACCOUNTANT, self.AUTHOR, "draft")
        assert may_give_review(STATION_MANAGER, self.AUTHOR, "pm_reviewed")
        assert may_give_review(ACCOUNTANT, self.AUTHOR, "meeting_reviewed")
        assert not may_give_review(PARTS_MANAGER, PARTS_MANAGER.id, "draft")  # his own draft
        assert not may_give_review(STATION_MANAGER, self.AUTHOR, "accountant_reviewed")  # approvals come next

    def test_both_approvers_approve_once_each_after_every_review(self):
        state = RequestState.ACCOUNTANT_REVIEWED
        assert may_approve(STATION_MANAGER, self.AUTHOR, state, ())
        assert may_approve(DIRECTOR, self.AUTHOR, state, ["station_manager"])
        assert not may_approve(STATION_MANAGER, self.AUTHOR, state, ["station_manager"])
        assert not may_approve(STATION_MANAGER, self.AUTHOR, "meeting_reviewed", ())
        assert not may_approve(ACCOUNTANT, self.AUTHOR, state, ())
        assert not may_approve(STATION_MANAGER, STATION_MANAGER.id, state, ())

    def test_a_rejection_is_whoever_decides_now(self):
        assert may_reject(PARTS_MANAGER, self.AUTHOR, "draft", ())
        assert not may_reject(ACCOUNTANT, self.AUTHOR, "draft", ())
        assert may_reject(DIRECTOR, self.AUTHOR, "accountant_reviewed", ["station_manager"])
        assert not may_reject(STATION_MANAGER, self.AUTHOR, "accountant_reviewed", ["station_manager"])
        assert not may_reject(STATION_MANAGER, self.AUTHOR, "approved", ())

    @pytest.mark.parametrize("state", list(RequestState))
    def test_who_changes_the_lines(self, state):
        closed = state in (RequestState.APPROVED, RequestState.ORDERED)
        assert may_edit(PLANNER, state) is not closed
        # A draft, and a returned one, are the planner's to change; the meeting's from the parts manager's review on.
        assert may_edit(STATION_MANAGER, state) is (not closed and state not in (RequestState.DRAFT,
                                                                                 RequestState.RETURNED))
        assert not may_edit(PARTS_MANAGER, state)

    def test_a_draft_waits_for_the_role_whose_step_is_due(self):
        assert waits_for(PARTS_MANAGER, self.AUTHOR, "draft", ())
        assert not waits_for(PARTS_MANAGER, PARTS_MANAGER.id, "draft", ())
        assert waits_for(DIRECTOR, self.AUTHOR, "accountant_reviewed", ["station_manager"])
        assert not waits_for(STATION_MANAGER, self.AUTHOR, "accountant_reviewed", ["station_manager"])

    def test_the_review_screen_is_for_every_role_with_a_step(self):
        assert REVIEWER_ROLES == {Role.PARTS_MANAGER, Role.STATION_MANAGER, Role.ACCOUNTANT, Role.SERVICE_DIRECTOR}
        assert {a.code for a in EVERYONE if may_review_drafts(a)} == {"PM1", "SM1", "ACC1", "SD1"}


# -- purchase orders in transit ----------------------------------------------------------------------


@pytest.mark.parametrize("state", list(OrderState))
def test_orders_still_expected_are_chased_by_those_who_manage_orders(state):
    expected = state in (OrderState.SENT, OrderState.PARTLY_RECEIVED)
    assert may_chase(PLANNER, state) is expected and may_chase(PARTS_MANAGER, state) is expected
    assert not may_chase(STOREKEEPER, state)
    if not expected:
        with pytest.raises(RuleViolation, match=f"order PO-1 is {state.value}: nothing left to chase"):
            check_chase(PLANNER, "po-1", state)


def test_an_order_is_late_once_its_eta_has_passed():
    now = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert is_late(now - timedelta(minutes=1), now)
    assert not is_late(now, now) and not is_late(None, now)


# -- what the roles reach ------------------------------------------------------------------------------

WORKFLOWS_BY_ROLE = {
    Role.STOREKEEPER: {"lookup", "receiving", "counter", "stocktake", "sales"},
    Role.PARTS_CLERK: {"lookup", "counter"},  # writes the requisitions the storekeeper issues
    Role.PLANNER: {"lookup", "receiving", "shortages", "reports", "stocktake", "planning", "admin", "claims"},
    Role.ADVISOR: {"lookup", "intake", "shortages"},
    Role.PARTS_MANAGER: {"lookup", "review", "shortages", "reports", "stocktake", "planning", "admin", "sales",
                         "intake", "claims"},  # intake: the repair orders' charges and margin
    Role.ACCOUNTANT: {"lookup", "review", "reports", "stocktake", "sales", "intake"},  # settles orders and sales
    Role.STATION_MANAGER: {"lookup", "review", "audit", "reports", "intake"},
    Role.SERVICE_DIRECTOR: {"lookup", "review", "reports"},
    Role.MECHANIC: {"lookup", "intake"},
    Role.ADMIN: {"lookup", "audit", "admin"},
    Role.CHECKER: {"lookup", "review", "sales"},  # transfers (review) and sales (⇧F2) to check (二审)
}
TODO_BY_ROLE = {
    Role.STOREKEEPER: (TodoSection.RECEIPTS,),
    Role.PARTS_CLERK: (),
    Role.PLANNER: (TodoSection.SHORTAGES, TodoSection.RECEIPTS, TodoSection.ORDERS),
    Role.ADVISOR: (TodoSection.SHORTAGES,),
    Role.PARTS_MANAGER: (TodoSection.SHORTAGES, TodoSection.SALES, TodoSection.RECEIPTS, TodoSection.ORDERS,
                         TodoSection.DRAFTS),
    Role.ACCOUNTANT: (TodoSection.DRAFTS,),
    Role.STATION_MANAGER: (TodoSection.DRAFTS,),
    Role.SERVICE_DIRECTOR: (TodoSection.DRAFTS,),
    Role.MECHANIC: (),
    Role.ADMIN: (),
    Role.CHECKER: (TodoSection.SALES,),
}


@pytest.mark.parametrize("role", list(Role))
def test_the_workflows_and_the_to_do_each_role_reaches(role):
    actor = Actor(1, "X", "x", frozenset({role}))
    assert {workflow.action for workflow in WORKFLOWS if workflow.allows(actor)} == WORKFLOWS_BY_ROLE[role]
    assert todo_sections(actor) == TODO_BY_ROLE[role]


def test_no_workflow_before_sign_in():
    assert not any(workflow.allows(None) for workflow in WORKFLOWS)
