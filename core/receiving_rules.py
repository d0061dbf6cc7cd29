"""The receiving rules, without a database: what a counted line means and who answers for it.

From the station's procedure (domain.md, "Receiving"): an over-delivery is a surplus receipt;
short, missing, wrong or extra parts are claimed from the supplier; damaged parts are not shelved
and are claimed, from the carrier when they came in a broken-seal or damaged box; a box count that
differs from the packing list is the carrier's too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.models.receiving import Party

ZERO = Decimal(0)
# A packing list line or a count above this is a typing slip, not a shipment.
MAX_LINE_QTY = Decimal(100000)
RECEIPT_DEADLINE_DAYS = 3


class Difference(StrEnum):
    """How a counted line compares with the packing list."""

    OK = "ok"
    SHORT = "short"
    MISSING = "missing"
    OVER = "over"
    WRONG_PART = "wrong_part"
    DAMAGED = "damaged"


class ClaimKind(StrEnum):
    """What a claim line is for."""

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
    return LineOutcome(difference, accepted, normal, surplus, tuple(claims))
