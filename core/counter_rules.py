"""The counter's rules, without a database: who issues and takes back, against which orders, what is short, and
who signs for the parts (出库凭单，先单后料，依单发料，验料签单; 出入分离).

The requisition and return services check these; the counter screen and the CLI ask the same functions for
their keys, defaults and PIN prompts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.decimals import fmt_qty
from core.errors import RuleViolation
from core.i18n import _
from core.labels import REPAIR_STATE, REQUISITION_STATE, label
from core.repair_states import OPEN_STATES, RepairOrderFacts, RepairState
from core.roles import Actor, Permission, allows, require

NOTHING = Decimal("0.000")


class RequisitionState(StrEnum):
    """A written requisition (先单后料): written by the parts clerk, then issued by the storekeeper, or cancelled."""

    WRITTEN = "written"  # open: its lines reserve the stock for its repair order
    ISSUED = "issued"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Shortage:
    """A line the counter cannot fill: the part, what was asked, what is on hand to issue and how much of that is
    reserved for other repair orders (written requisitions)."""

    part_no: str
    name: str
    asked: Decimal
    on_hand: Decimal
    reserved: Decimal = NOTHING

    @property
    def available(self) -> Decimal:
        """What this order may take: on hand less what is reserved for others."""
        return max(self.on_hand - self.reserved, NOTHING)

    @property
    def short(self) -> Decimal:
        """How much is missing."""
        return self.asked - self.available


class ShortOfStock(RuleViolation):
    """A requisition refused because one or more lines lack stock; nothing was issued. `shortages` are the lines."""

    def __init__(self, ro_no: str, shortages: Sequence[Shortage]) -> None:
        lines = "; ".join(_short_line(s) for s in shortages)
        super().__init__(_("{lines} (nothing issued on {ro})").format(lines=lines, ro=ro_no))
        self.ro_no = ro_no
        self.shortages = tuple(shortages)


def _short_line(s: Shortage) -> str:
    if s.reserved:
        return _("not enough stock of {part_no}: asked {asked}, on hand {on_hand} of which {reserved} reserved for "
                 "other repair orders").format(part_no=s.part_no, asked=fmt_qty(s.asked), on_hand=fmt_qty(s.on_hand),
                                              reserved=fmt_qty(s.reserved))
    return _("not enough stock of {part_no}: asked {asked}, on hand {on_hand}").format(
        part_no=s.part_no, asked=fmt_qty(s.asked), on_hand=fmt_qty(s.on_hand))


def short_lines(
    lines: Iterable[tuple[str, Decimal]], on_hand: Mapping[str, Decimal], names: Mapping[str, str] | None = None,
    reserved: Mapping[str, Decimal] | None = None,
) -> list[Shortage]:
    """The lines (part number, quantity asked) that what is on hand to issue, less what is `reserved` for other
    repair orders, cannot fill, in the lines' order, named from `names` where given.

    The issue refuses every line when one is short (ShortOfStock names them all); the counter asks the same
    before the mechanic signs, from the stock it shows.
    """
    names, reserved = names or {}, reserved or {}
    found = [Shortage(part_no, names.get(part_no, ""), asked, on_hand.get(part_no, NOTHING),
                      reserved.get(part_no, NOTHING)) for part_no, asked in lines]
    return [s for s in found if s.available < s.asked]


def check_issue(actor: Actor, order: RepairOrderFacts) -> None:
    """Issuing against a repair order: the storekeeper's, and only while the order is open (no document, no
    issue)."""
    require(actor, Permission.ISSUE_STOCK)
    if RepairState(order.state) not in OPEN_STATES:
        raise RuleViolation(_("{ro} is {state}: no issue against a closed repair order").format(
            ro=order.ro_no, state=label(REPAIR_STATE, order.state)))


def check_one_step(separate_issue: bool) -> None:
    """The one-step issue (`partsdesk issue`): only where the station lets one person write and issue
    (setting separate_issue off); else the requisition is written, then issued (先单后料, 出入分离)."""
    if separate_issue:
        raise RuleViolation(_("requisitions are written, then issued (setting separate_issue is on): the parts clerk "
                              "runs `partsdesk requisition write`, the storekeeper `partsdesk requisition issue`"))


def check_write(actor: Actor, order: RepairOrderFacts) -> None:
    """Writing a requisition (备件管理员依《任务委托书》上料，并打领料单): the parts clerk's, against an open
    repair order."""
    require(actor, Permission.WRITE_REQUISITION)
    if RepairState(order.state) not in OPEN_STATES:
        raise RuleViolation(_("{ro} is {state}: no requisition for a closed repair order").format(
            ro=order.ro_no, state=label(REPAIR_STATE, order.state)))


def check_issue_written(actor: Actor, req_no: str, state: str, writer_id: int, separate_issue: bool) -> None:
    """Issuing a written requisition: the storekeeper's, while it is written; with separate_issue on, never by the
    one who wrote it (出入分离)."""
    require(actor, Permission.ISSUE_STOCK)
    if state != RequisitionState.WRITTEN:
        raise RuleViolation(_("{req} is {state}: only a written requisition is issued").format(
            req=req_no, state=label(REQUISITION_STATE, state)))
    if separate_issue and actor.id == writer_id:
        raise RuleViolation(_("{req} was written by {code}: another person issues it (出入分离, setting "
                              "separate_issue)").format(req=req_no, code=actor.code))


def check_cancel(actor: Actor, req_no: str, state: str) -> None:
    """Cancelling a requisition: the parts clerk's or the storekeeper's, only while it is written (not issued)."""
    require(actor, Permission.CANCEL_REQUISITION)
    if state != RequisitionState.WRITTEN:
        raise RuleViolation(_("{req} is {state}: only a requisition not issued can be cancelled").format(
            req=req_no, state=label(REQUISITION_STATE, state)))


def may_write(actor: Actor, order: RepairOrderFacts) -> bool:
    """Whether the operator may write a requisition for the order now."""
    return allows(check_write, actor, order)


def may_issue(actor: Actor, order: RepairOrderFacts) -> bool:
    """Whether the operator may issue parts against the order now."""
    return allows(check_issue, actor, order)


def may_take_back(actor: Actor) -> bool:
    """Whether the operator takes parts back on a requisition (the order's state does not matter: after
    settlement a return is a slip of its own)."""
    return actor.can(Permission.RETURN_STOCK)


def signs_for_himself(actor: Actor, mechanic: str | None) -> bool:
    """Whether the mechanic named to sign is the storekeeper himself: 出入分离 refuses it, so no PIN is asked."""
    return (mechanic or "").strip().upper() == actor.code


def default_mechanic(actor: Actor, usual: str | None) -> str:
    """The mechanic offered to sign: the usual one (the order's technician for an issue, the mechanic who received
    the parts for a return), never the storekeeper himself ('' then: the one who signs is typed)."""
    if not usual or signs_for_himself(actor, usual):
        return ""
    return usual
