"""The receiving rules, without a database: what a counted line means and who answers for it, which step of a
receipt the operator may take in its state, and where a claim may go.

From the station's procedure (domain.md, "Receiving"): 多收的办理盈利入库，误发的(包括多发、少发、错发、漏发)
与厂家办理索赔业务: an over-delivery is a surplus receipt and is listed on the supplier's claim as 多发 too;
short (少发), missing (漏发) and wrong (错发) parts are claimed from the supplier; damaged parts are put on the
books in quarantine and claimed (损坏的…先办理入库及索赔手续，报财务挂账处理), from the carrier when they came
in a broken-seal or damaged box; a box count that differs from the packing list is the carrier's too. The
storekeeper and the planner check the boxes together, two people count, the planner posts the same day
(当日报财务…最多不超过3天), and a part gets its location before it is shelved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from core import labels
from core.errors import RuleViolation
from core.i18n import _
from core.models.enums import ClaimOutcome, ClaimState, Party, ReceiptState
from core.roles import Actor, Permission, Role, allows, require

ZERO = Decimal(0)
# A packing list line or a count above this is a typing slip, not a shipment.
MAX_LINE_QTY = Decimal(100000)
RECEIPT_DEADLINE_DAYS = 3
# A receipt shows on the to-do once its 3-day limit is this close (posting never takes more than 3 days).
RECEIPT_WARNING = timedelta(days=1)


class Difference(StrEnum):
    """How a counted line compares with the packing list."""

    OK = "ok"
    SHORT = "short"
    MISSING = "missing"
    OVER = "over"
    WRONG_PART = "wrong_part"
    DAMAGED = "damaged"


class ClaimKind(StrEnum):
    """What a claim line is for: the procedure's 少发 (short), 漏发 (missing), 错发 (wrong part), 多发 (over),
    破损 (damaged), and boxes the carrier lost."""

    OVER = "over"
    SHORT = "short"
    MISSING = "missing"
    WRONG_PART = "wrong_part"
    DAMAGED = "damaged"
    BOXES = "boxes"


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """A counted line decided: what is shelved (normal and surplus), and what is claimed from whom."""

    difference: Difference
    accepted: Decimal  # shelved: counted less damaged (nothing for a wrong or refused part)
    normal: Decimal  # accepted up to the expected quantity: the receipt
    surplus: Decimal  # accepted beyond it: the surplus receipt (盈利入库)
    claims: tuple[tuple[Party, ClaimKind, Decimal], ...]
    quarantined: Decimal = ZERO  # damaged: on the books in quarantine, named on the claim (挂账)


def decide_line(
    expected: Decimal, counted: Decimal | None, damaged: Decimal, *, refused: bool = False,
    box_compromised: bool = False,
) -> LineOutcome:
    """What a line of a counted receipt comes to.

    expected: the packing list's quantity (0 for a part counted but not on the list);
    counted: all units found, damaged ones included (None: not counted, taken as 0);
    refused: the planner sent it back (a part shipped by mistake);
    box_compromised: one of its boxes had a broken seal or was damaged, so the carrier answers
    for what is missing or damaged.
    """
    counted = counted or ZERO
    damaged = min(damaged, counted)
    shortfall_party = Party.CARRIER if box_compromised else Party.SUPPLIER
    claims: list[tuple[Party, ClaimKind, Decimal]] = []
    if expected == 0 or refused:
        returned = counted if counted else expected
        if returned:
            claims.append((Party.SUPPLIER, ClaimKind.WRONG_PART, returned))
        return LineOutcome(Difference.WRONG_PART, ZERO, ZERO, ZERO, tuple(claims))
    accepted = counted - damaged
    normal = min(accepted, expected)
    surplus = accepted - normal
    if surplus:
        # The surplus receipt stays (盈利入库); the maker hears of it as 多发, to invoice it or take it back.
        claims.append((Party.SUPPLIER, ClaimKind.OVER, surplus))
    if counted == 0:
        difference = Difference.MISSING
        claims.append((shortfall_party, ClaimKind.MISSING, expected))
    else:
        if counted < expected:
            claims.append((shortfall_party, ClaimKind.SHORT, expected - counted))
        if damaged:
            claims.append((shortfall_party, ClaimKind.DAMAGED, damaged))
        if damaged:
            difference = Difference.DAMAGED
        elif counted < expected:
            difference = Difference.SHORT
        elif counted > expected:
            difference = Difference.OVER
        else:
            difference = Difference.OK
    return LineOutcome(difference, accepted, normal, surplus, tuple(claims), damaged)


# -- the steps of a receipt --------------------------------------------------------------------


class ReceiptStep(StrEnum):
    """Something done to a receipt; each belongs to some states and needs a permission (PUTAWAY: none)."""

    CHECK_BOXES = "check_boxes"
    COUNT = "count"  # counting by scanner or keyboard, damaged quantities, and the two counters' signatures
    REOPEN_COUNT = "reopen_count"  # a signed count opened again, on purpose: both signatures go
    REFUSE_LINE = "refuse_line"
    POST = "post"
    PUTAWAY = "putaway"  # the putaway list: where each accepted line goes


_STEP_STATES: dict[ReceiptStep, frozenset[ReceiptState]] = {
    # The box check may be done again until the receipt is counted.
    ReceiptStep.CHECK_BOXES: frozenset({ReceiptState.ARRIVED, ReceiptState.BOXES_CHECKED}),
    # Counting starts after the box check; signing freezes it (a scan after signing would make the screen and
    # the signed count differ) until it is reopened on purpose, which clears both signatures.
    ReceiptStep.COUNT: frozenset({ReceiptState.BOXES_CHECKED}),
    ReceiptStep.REOPEN_COUNT: frozenset({ReceiptState.COUNTED}),
    ReceiptStep.REFUSE_LINE: frozenset({ReceiptState.ARRIVED, ReceiptState.BOXES_CHECKED, ReceiptState.COUNTED}),
    ReceiptStep.POST: frozenset({ReceiptState.COUNTED}),
    ReceiptStep.PUTAWAY: frozenset({ReceiptState.COUNTED, ReceiptState.POSTED}),
}
_STEP_PERMISSION: dict[ReceiptStep, Permission | None] = {
    ReceiptStep.CHECK_BOXES: Permission.RECEIVE_SHIPMENT,
    ReceiptStep.COUNT: Permission.COUNT_SHIPMENT,
    ReceiptStep.REOPEN_COUNT: Permission.COUNT_SHIPMENT,
    ReceiptStep.REFUSE_LINE: Permission.POST_RECEIPT,
    ReceiptStep.POST: Permission.POST_RECEIPT,
    ReceiptStep.PUTAWAY: None,
}
_STEP_DOING = {
    ReceiptStep.CHECK_BOXES: lambda: _("checking the boxes"),
    ReceiptStep.COUNT: lambda: _("counting"),
    ReceiptStep.REOPEN_COUNT: lambda: _("reopening the count"),
    ReceiptStep.REFUSE_LINE: lambda: _("refusing a line"),
    ReceiptStep.POST: lambda: _("posting"),
    ReceiptStep.PUTAWAY: lambda: _("the putaway"),
}


def check_receipt_state(number: str, state: ReceiptState | str, step: ReceiptStep) -> None:
    """Refuse (RuleViolation) a step the receipt's state does not allow, saying what comes first."""
    if state in _STEP_STATES[step]:
        return
    doing = _STEP_DOING[step]()
    if state == ReceiptState.POSTED:
        raise RuleViolation(_("receipt {number} is already posted; {doing} is no longer possible").format(
            number=number, doing=doing))
    if state == ReceiptState.ARRIVED:
        raise RuleViolation(_("receipt {number}: check the boxes first").format(number=number))
    if state == ReceiptState.BOXES_CHECKED:
        raise RuleViolation(_("receipt {number} is not counted yet: count it first").format(number=number))
    if state == ReceiptState.COUNTED and step == ReceiptStep.COUNT:
        raise RuleViolation(_("the count of {number} is signed: nothing more is counted unless it is reopened "
                              "(which clears both signatures)").format(number=number))
    raise RuleViolation(_("receipt {number} is {state}; {doing} is not possible now").format(
        number=number, state=labels.label(labels.RECEIPT_STATE, state), doing=doing))


def check_receipt_step(actor: Actor, number: str, state: ReceiptState | str, step: ReceiptStep) -> None:
    """A step on a receipt: the step's permission, then a state it belongs to."""
    permission = _STEP_PERMISSION[step]
    if permission is not None:
        require(actor, permission)
    check_receipt_state(number, state, step)


def may_take_step(actor: Actor, state: ReceiptState | str, step: ReceiptStep) -> bool:
    """Whether the operator may take the step on a receipt in `state` now."""
    return allows(check_receipt_step, actor, "", state, step)


def may_receive(actor: Actor) -> bool:
    """Whether receiving is the operator's work (the storekeeper and the planner check the boxes together)."""
    return actor.can(Permission.RECEIVE_SHIPMENT)


def deadline_of(arrived_at: datetime) -> datetime:
    """Posting may never take more than three days from arrival."""
    return arrived_at + timedelta(days=RECEIPT_DEADLINE_DAYS)


def receipt_overdue(state: ReceiptState | str, deadline: datetime, now: datetime) -> bool:
    """Whether a receipt is past its 3-day limit without being posted."""
    return state != ReceiptState.POSTED and now > deadline


class ReceiptTiming(StrEnum):
    """Where a receipt stands against 当日报财务…最多不超过3天: due today, late (after the day it arrived), overdue
    (past 3 days), or posted."""

    TODAY = "today"
    LATE = "late"
    OVERDUE = "overdue"
    POSTED = "posted"


def local_day(at: datetime) -> date:
    """The station's calendar day of an instant (its local time, as people read the date)."""
    return at.astimezone().date()


def posting_is_late(arrived_at: datetime, now: datetime) -> bool:
    """Whether posting now is after the day the shipment arrived (当日报财务): it then needs a special reason."""
    return local_day(now) > local_day(arrived_at)


def receipt_timing(state: ReceiptState | str, arrived_at: datetime, now: datetime) -> ReceiptTiming:
    """Today's, late or overdue for a receipt not posted yet (posted: posted)."""
    if state == ReceiptState.POSTED:
        return ReceiptTiming.POSTED
    if receipt_overdue(state, deadline_of(arrived_at), now):
        return ReceiptTiming.OVERDUE
    return ReceiptTiming.LATE if posting_is_late(arrived_at, now) else ReceiptTiming.TODAY


def check_late_reason(number: str, arrived_at: datetime, now: datetime, reason: str | None) -> str | None:
    """The special reason a late posting needs (如遇特殊情况), trimmed; None when posted the day it arrived.

    Refused (RuleViolation) when the receipt arrived on an earlier day and no reason is given.
    """
    if not posting_is_late(arrived_at, now):
        return None
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("receipt {number} arrived on {day}: a receipt is posted the day it arrives, so posting "
                              "it now needs the special reason (--late-reason TEXT)").format(
            number=number, day=local_day(arrived_at).isoformat()))
    return reason[:500]


def box_check_signers(first: Actor, second: Actor) -> tuple[Actor, Actor]:
    """The storekeeper and the planner who check the boxes together (库房管理员和计划员一起验收箱数), in that order.

    Refused (RuleViolation): the same person twice, or two who are not a storekeeper and a planner.
    """
    if first.id == second.id:
        raise RuleViolation(_("the box check needs two different people, a storekeeper and a planner; {code} cannot "
                              "sign twice").format(code=first.code))
    for storekeeper, planner in ((first, second), (second, first)):
        if Role.STOREKEEPER in storekeeper.roles and Role.PLANNER in planner.roles:
            return storekeeper, planner
    raise RuleViolation(_("the box check is signed by a storekeeper and a planner together; {first} and {second} "
                          "are not that pair").format(first=first.code, second=second.code))


def invoice_difference(invoice_amount: Decimal, receipt_value: Decimal) -> Decimal:
    """The invoice less the receipt's value (单据…与发票相一致): 0 when they agree; the sign says which is more."""
    return invoice_amount - receipt_value


def receipt_due_soon(state: ReceiptState | str, deadline: datetime, now: datetime) -> bool:
    """Whether a receipt not posted yet is within RECEIPT_WARNING of its limit, or past it (the to-do shows it)."""
    return state != ReceiptState.POSTED and deadline - now <= RECEIPT_WARNING


class MissingLocation(RuleViolation):
    """Posting refused: an accepted line's part has no location, and a part gets one before it is shelved."""

    def __init__(self, part_no: str) -> None:
        super().__init__(_(
            "part {part_no} has no location: give it one before shelving "
            "(`partsdesk part set-location {part_no} LOC`)").format(part_no=part_no))
        self.part_no = part_no


class ShipmentDoubt(RuleViolation):
    """Opening a receipt refused until the operator confirms what looks wrong: the same shipment (number and
    supplier) already on another receipt, or a supplier or carrier code the station does not know yet.

    `doubts` are the lines to ask about, each naming what it found; the message is all of them.
    """

    def __init__(self, doubts: list[str]) -> None:
        super().__init__("; ".join(doubts))
        self.doubts = doubts


def claim_against(party: str, code: str | None, name: str | None = None) -> str:
    """Whom a claim is against, as every face shows it: the party and its code (and name), never the bare party."""
    label = labels.label(labels.PARTY, party)
    if not code:
        return _("{party} (not named: name it before sending the claim)").format(party=label)
    return " ".join(part for part in (label, code, name if name and name != code else "") if part)


def box_count_doubt(received: int, expected: int) -> str | None:
    """The question a box count other than the packing list's raises before it is recorded (None: as listed)."""
    if received == expected:
        return None
    if received == 0:
        return _("no box at all of the {expected} on the packing list arrived: nothing can be counted, and the "
                 "whole shipment is a difference").format(expected=expected)
    if received < expected:
        return _("{received} of the {expected} boxes on the packing list arrived: the parts of the missing boxes "
                 "will be short").format(received=received, expected=expected)
    return _("{received} boxes arrived, {expected} on the packing list: more than listed").format(
        received=received, expected=expected)


def same_shipment_doubt(shipment: str, supplier: str | None, receipts: list[tuple[str, str]]) -> str | None:
    """The doubt about a shipment (number, supplier code) already on `receipts` (number, state); None: none."""
    if not receipts:
        return None
    listed = ", ".join(f"{number} ({state})" for number, state in receipts)
    return _("shipment {shipment} from {supplier} is already on receipt {receipts}: open it again only if it "
             "really came twice").format(shipment=shipment, supplier=supplier or _("no named supplier"),
                                         receipts=listed)


class NotInPartsMaster(RuleViolation):
    """Posting refused: an accepted line names a part the parts master does not know (add it, or refuse the line)."""

    def __init__(self, part_no: str) -> None:
        super().__init__(_(
            "part {part_no} is not in the parts master: add it with a location (`partsdesk part add`) "
            "or refuse the line (`partsdesk receive refuse`)").format(part_no=part_no))
        self.part_no = part_no


# -- claims ------------------------------------------------------------------------------------

def claim_outcome_moves(outcome: str | None) -> str | None:
    """What a settled claim's outcome does to its damaged units in quarantine: "write_off" (credited or replaced
    by the party), "to_bin" (repaired, or accepted as they are), None (no outcome given)."""
    if outcome is None:
        return None
    if ClaimOutcome(outcome) in (ClaimOutcome.CREDIT, ClaimOutcome.REPLACEMENT):
        return "write_off"
    return "to_bin"


def receivable_of(kind: str, amount: Decimal) -> Decimal:
    """What a claim line adds to the amount receivable (挂账): all of it, except 多发 (over-delivered units the
    station keeps on its surplus receipt: the maker invoices them or takes them back)."""
    return ZERO if kind == ClaimKind.OVER else amount


# Where a claim may go from each state: open → sent → settled or rejected.
CLAIM_TRANSITIONS: dict[ClaimState, frozenset[ClaimState]] = {
    ClaimState.OPEN: frozenset({ClaimState.SENT, ClaimState.REJECTED}),
    ClaimState.SENT: frozenset({ClaimState.SETTLED, ClaimState.REJECTED}),
    ClaimState.SETTLED: frozenset(),
    ClaimState.REJECTED: frozenset(),
}


def check_claim_move(actor: Actor, number: str, state: ClaimState | str, to: ClaimState | str) -> None:
    """Sending, settling or rejecting a claim: whoever manages claims, along CLAIM_TRANSITIONS only."""
    require(actor, Permission.MANAGE_CLAIMS)
    if ClaimState(to) not in CLAIM_TRANSITIONS[ClaimState(state)]:
        raise RuleViolation(_("claim {number} is {state}; it cannot become {to}").format(
            number=number.upper(), state=labels.label(labels.CLAIM_STATE, state),
            to=labels.label(labels.CLAIM_STATE, ClaimState(to))))


def may_manage_claims(actor: Actor) -> bool:
    """Whether claims are the operator's work: sending, settling and rejecting them (the claims screen)."""
    return actor.can(Permission.MANAGE_CLAIMS)


def may_move_claim(actor: Actor, state: ClaimState | str, to: ClaimState | str) -> bool:
    """Whether the operator may move a claim in `state` to `to` now."""
    return allows(check_claim_move, actor, "", state, to)
