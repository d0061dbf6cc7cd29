"""The counter's rules, without a database: who issues and takes back, against which orders, what is short, and
who signs for the parts (出库凭单，先单后料，依单发料，验料签单; 出入分离).

The requisition and return services check these; the counter screen and the CLI ask the same functions for
their keys, defaults and PIN prompts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.decimals import fmt_qty
from core.errors import RuleViolation
from core.i18n import _
from core.labels import REPAIR_STATE, label
from core.repair_states import OPEN_STATES, RepairOrderFacts, RepairState
from core.roles import Actor, Permission, allows, require

NOTHING = Decimal("0.000")


@dataclass(frozen=True, slots=True)
class Shortage:
    """A line the counter cannot fill: the part, what was asked and what is on hand to issue."""

    part_no: str
    name: str
    asked: Decimal
    on_hand: Decimal

    @property
    def short(self) -> Decimal:
        """How much is missing."""
        return self.asked - self.on_hand


class ShortOfStock(RuleViolation):
    """A requisition refused because one or more lines lack stock; nothing was issued. `shortages` are the lines."""

    def __init__(self, ro_no: str, shortages: Sequence[Shortage]) -> None:
        lines = "; ".join(
            _("not enough stock of {part_no}: asked {asked}, on hand {on_hand}").format(
                part_no=s.part_no, asked=fmt_qty(s.asked), on_hand=fmt_qty(s.on_hand))
            for s in shortages
        )
        super().__init__(_("{lines} (nothing issued on {ro})").format(lines=lines, ro=ro_no))
        self.ro_no = ro_no
        self.shortages = tuple(shortages)


def short_lines(
    lines: Iterable[tuple[str, Decimal]], on_hand: Mapping[str, Decimal], names: Mapping[str, str] | None = None,
) -> list[Shortage]:
    """The lines (part number, quantity asked) that what is on hand to issue cannot fill, in the lines' order,
    named from `names` where given.

    The issue refuses every line when one is short (ShortOfStock names them all); the counter asks the same
    before the mechanic signs, from the stock it shows.
    """
    names = names or {}
    return [Shortage(part_no, names.get(part_no, ""), asked, on_hand.get(part_no, NOTHING))
            for part_no, asked in lines if on_hand.get(part_no, NOTHING) < asked]


def check_issue(actor: Actor, order: RepairOrderFacts) -> None:
    """Issuing against a repair order: the storekeeper's, and only while the order is open (no document, no
    issue)."""
    require(actor, Permission.ISSUE_STOCK)
    if RepairState(order.state) not in OPEN_STATES:
        raise RuleViolation(_("{ro} is {state}: no issue against a closed repair order").format(
            ro=order.ro_no, state=label(REPAIR_STATE, order.state)))


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
