"""The station's enumerations (documents' states, movement kinds, parties), kept apart from the tables that store
them so that a command reading a state does not build a table class."""

from __future__ import annotations

from enum import StrEnum


class TransferState(StrEnum):
    """Where a transfer note stands: entered (一审) and waiting for the check (二审), or done."""

    ENTERED = "entered"
    CHECKED = "checked"  # the second person checked it: the stock moved
    REFUSED = "refused"  # the checker refused it: nothing moved
    CANCELLED = "cancelled"  # withdrawn by the storekeeper before the check: nothing moved
    # The receiving station's own note of a transfer another station checked (调入): the stock is on its shelves.
    RECEIVED = "received"


class TransferDirection(StrEnum):
    """Which way a transfer note goes: between two bins of this station, to another station, or from one."""

    WITHIN = "within"
    OUTGOING = "outgoing"  # to another station of the group (to_station)
    INCOMING = "incoming"  # from another station, which entered and checked it (from_station): written at its check


class AdjustmentState(StrEnum):
    """Where an adjustment above the station's value limit stands."""

    PENDING = "pending"  # entered; waits for the parts manager's and the accountant's approval
    POSTED = "posted"  # approved by both: on the ledger
    REFUSED = "refused"  # refused by one of them: nothing moved


class StocktakeState(StrEnum):
    """A stocktake's life (盘点单): counted while open, closed with its variances, approved by the parts manager
    (and by the accountant above the station's limit), which posts the adjustments."""

    OPEN = "open"
    CLOSED = "closed"
    PM_APPROVED = "pm_approved"  # the parts manager approved; the variance is above the limit: the accountant next
    APPROVED = "approved"


class StocktakeScope(StrEnum):
    """What a stocktake covers: a location zone, a pattern of bins, the parts due for a cycle count, or the parts
    not counted for a number of days."""

    ZONE = "zone"
    LOCATIONS = "locations"
    CYCLE = "cycle"
    DAYS = "days"


class MoveKind(StrEnum):
    """Why stock moved: every ledger row has one."""

    RECEIPT = "receipt"
    ISSUE = "issue"
    RETURN = "return"
    ADJUST = "adjust"
    TRANSFER = "transfer"  # a checked transfer: out of one lot, into its split at the destination (调拨)


class SaleState(StrEnum):
    """Where a sales order stands: entered (一审), checked and issued (二审), settled, or cancelled before its check."""

    ENTERED = "entered"
    CHECKED = "checked"  # a second person checked it: the parts left the store oldest lot first
    SETTLED = "settled"  # the amount is recorded
    CANCELLED = "cancelled"  # withdrawn before the check: nothing moved


class OrderState(StrEnum):
    """A purchase order's life (采购计划): drafted, approved, sent to the maker, received; closed by the planner."""

    DRAFT = "draft"
    APPROVED = "approved"
    SENT = "sent"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CLOSED = "closed"


class ReceiptState(StrEnum):
    """The receipt's steps (入库单): each is stamped with time and operator."""

    ARRIVED = "arrived"
    BOXES_CHECKED = "boxes_checked"
    COUNTED = "counted"
    POSTED = "posted"


class ClaimState(StrEnum):
    """A claim (索赔单) is raised open, sent to the party, then settled or rejected."""

    OPEN = "open"
    SENT = "sent"
    SETTLED = "settled"
    REJECTED = "rejected"


class ClaimOutcome(StrEnum):
    """What became of a settled claim's damaged units in quarantine: credited or replaced by the party (written
    off from quarantine), or repaired or accepted as they are (moved to a normal bin)."""

    CREDIT = "credit"
    REPLACEMENT = "replacement"
    REPAIRED = "repaired"
    ACCEPTED = "accepted"


class Party(StrEnum):
    """Who answers for a difference: the supplier (manufacturer) or the carrier."""

    SUPPLIER = "supplier"
    CARRIER = "carrier"


class ShortageState(StrEnum):
    """A shortage is logged open, answered by the parts department, fulfilled when a receipt brings the part."""

    OPEN = "open"
    ANSWERED = "answered"
    FULFILLED = "fulfilled"


class Solution(StrEnum):
    """How the parts department answers a shortage (解决方案)."""

    TRANSFER = "transfer"
    ORDER = "order"
    URGENT_PURCHASE = "urgent_purchase"
    SUBSTITUTE = "substitute"


class RequestState(StrEnum):
    """A purchase-request draft (采购申请单 / 订单底稿) on its way through the approval chain."""

    DRAFT = "draft"
    # Rejected: back with the planner, out of every reviewer's queue, until he resubmits it.
    RETURNED = "returned"
    PM_REVIEWED = "pm_reviewed"
    MEETING_REVIEWED = "meeting_reviewed"
    ACCOUNTANT_REVIEWED = "accountant_reviewed"
    APPROVED = "approved"
    ORDERED = "ordered"
