"""Receiving tables: suppliers, carriers, purchase orders, receipts against packing lists, claims."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from core.models import metadata
from core.sqltypes import Money, Qty, UTCDateTime


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


# Who sells the parts: the manufacturer or another supplier.
supplier = Table(
    "supplier",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), unique=True, nullable=False),
    Column("name", String(200), nullable=False),
)


# Who brings the boxes: answers for broken seals, damaged boxes and missing boxes.
carrier = Table(
    "carrier",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), unique=True, nullable=False),
    Column("name", String(200), nullable=False),
)


# An order to a supplier (采购订单); what is not yet received stays on back-order.
purchase_order = Table(
    "purchase_order",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(32), unique=True, nullable=False),
    Column("supplier_id", Integer, ForeignKey("supplier.id"), nullable=False),
    Column("state", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Integer, ForeignKey("operator.id"), nullable=False),
    # The approved purchase request it was made from (the planning workflow fills it).
    Column("source_doc", String(32), nullable=True),
    Column("note", String(500), nullable=True),
    # An urgent order for a shortage that cannot wait for the cycle's draft: the shortages (SHT-) or repair
    # order (RO-) it serves, comma-separated; the parts manager approves it before it is sent.
    Column("urgent", Boolean, default=False, nullable=False),
    Column("serves", String(500), nullable=True),
    Column("approved_at", UTCDateTime, nullable=True),
    Column("approved_by", Integer, ForeignKey("operator.id"), nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("sent_by", Integer, ForeignKey("operator.id"), nullable=True),
)


# One part on an order: ordered, received so far, and the agreed unit cost.
purchase_order_line = Table(
    "purchase_order_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("purchase_order.id"), index=True, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("part_id", Integer, ForeignKey("part.id"), nullable=False),
    Column("qty_ordered", Qty, nullable=False),
    Column("qty_received", Qty, default=Decimal(0), nullable=False),
    Column("unit_cost", Money, nullable=False),
    UniqueConstraint("order_id", "part_id", name="uq_po_line_part"),
    CheckConstraint("qty_ordered > 0", name="ck_po_line_ordered_positive"),
    CheckConstraint("qty_received >= 0", name="ck_po_line_received_not_negative"),
)


# A shipment being received against its packing list (入库单), from arrival to posting.
receipt = Table(
    "receipt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(32), unique=True, nullable=False),
    Column("state", String(20), index=True, nullable=False),
    Column("supplier_id", Integer, ForeignKey("supplier.id"), nullable=True),
    Column("carrier_id", Integer, ForeignKey("carrier.id"), nullable=True),
    Column("order_id", Integer, ForeignKey("purchase_order.id"), nullable=True),
    Column("shipment_no", String(64), nullable=True),
    Column("packing_list", String(255), nullable=False),  # the file it was opened from
    Column("boxes_expected", Integer, nullable=False),
    Column("boxes_received", Integer, nullable=True),
    Column("arrived_at", UTCDateTime, nullable=False),
    Column("arrived_by", Integer, ForeignKey("operator.id"), nullable=False),
    Column("boxes_checked_at", UTCDateTime, nullable=True),
    Column("boxes_checked_by", Integer, ForeignKey("operator.id"), nullable=True),
    Column("counted_at", UTCDateTime, nullable=True),
    Column("counted_by", Integer, ForeignKey("operator.id"), nullable=True),
    Column("counted_by_second", Integer, ForeignKey("operator.id"), nullable=True),
    Column("posted_at", UTCDateTime, nullable=True),
    Column("posted_by", Integer, ForeignKey("operator.id"), nullable=True),
    # Indexed: a scanned DSC- or SUR- number is looked up here.
    Column("discrepancy_no", String(32), unique=True, index=True, nullable=True),
    Column("surplus_no", String(32), unique=True, index=True, nullable=True),
    # Posted after the day it arrived (当日报财务…最多不超过3天): the special reason, printed on the receipt list.
    Column("late_reason", String(500), nullable=True),
)


# One row of the manufacturer's packing list (装箱清单) as it was imported, kept as the attachment.
packing_list_row = Table(
    "packing_list_row",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("receipt_id", Integer, ForeignKey("receipt.id"), nullable=False),
    Column("row_no", Integer, nullable=False),
    Column("box_no", String(20), nullable=False),
    Column("part_no", String(40), nullable=False),
    Column("description", String(200), nullable=False),
    Column("qty", Qty, nullable=False),
    Column("unit_price", Money, nullable=False),
    Index("ix_packing_list_row_receipt", "receipt_id", "row_no"),
)


# One part of a receipt: expected from the packing list (all boxes), counted, damaged, accepted.
receipt_line = Table(
    "receipt_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("receipt_id", Integer, ForeignKey("receipt.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("part_no", String(40), nullable=False),  # normalised; may be unknown to the master
    Column("description", String(200), nullable=False),
    Column("boxes", String(200), nullable=False),  # the boxes it stands in, "1,2"
    Column("expected", Qty, nullable=False),  # 0: counted but not on the packing list
    Column("unit_price", Money, nullable=False),
    Column("counted", Qty, nullable=True),
    Column("damaged", Qty, default=Decimal(0), nullable=False),
    Column("fragile_damaged", Boolean, default=False, nullable=False),  # seen at the box check
    Column("refused", Boolean, default=False, nullable=False),  # not received: shipped by mistake, claimed
    Column("refusal_note", String(500), nullable=True),
    UniqueConstraint("receipt_id", "part_no", name="uq_receipt_line_part"),
    CheckConstraint("expected >= 0", name="ck_receipt_line_expected"),
    CheckConstraint("damaged >= 0", name="ck_receipt_line_damaged"),
    Index("ix_receipt_line_receipt", "receipt_id", "line_no"),
)


# One counter's count of one part on a receipt, stored as each scan happens (until the count is signed).
#
# Two or more people count a shipment (须两人以上开箱清点), each at their own terminal; the receipt's
# count is the sum of theirs, and it survives a quit, a sign-out or a crash because every scan is a row.
receipt_count = Table(
    "receipt_count",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("receipt_id", Integer, ForeignKey("receipt.id"), nullable=False),
    Column("counter_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("part_no", String(40), nullable=False),  # normalised; may be unknown to the master
    Column("counted", Qty, default=Decimal(0), nullable=False),
    Column("damaged", Qty, default=Decimal(0), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    UniqueConstraint("receipt_id", "counter_id", "part_no", name="uq_receipt_count"),
    CheckConstraint("counted >= 0", name="ck_receipt_count_counted"),
    CheckConstraint("damaged >= 0 AND damaged <= counted", name="ck_receipt_count_damaged"),
)


# A box of the shipment as found at the box check: seal broken, box damaged.
receipt_box = Table(
    "receipt_box",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("receipt_id", Integer, ForeignKey("receipt.id"), nullable=False),
    Column("box_no", String(20), nullable=False),
    Column("seal_broken", Boolean, default=False, nullable=False),
    Column("damaged", Boolean, default=False, nullable=False),
    UniqueConstraint("receipt_id", "box_no", name="uq_receipt_box"),
)


# One of the two who checked the boxes together (库房管理员和计划员一起验收箱数): storekeeper or planner.
receipt_box_signer = Table(
    "receipt_box_signer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("receipt_id", Integer, ForeignKey("receipt.id"), index=True, nullable=False),
    Column("role", String(20), nullable=False),
    Column("operator_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
    UniqueConstraint("receipt_id", "role", name="uq_receipt_box_signer"),
)


# The accountant's check of a receipt against the supplier's invoice (财务…与发票相一致): number and amount.
receipt_invoice = Table(
    "receipt_invoice",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("receipt_id", Integer, ForeignKey("receipt.id"), unique=True, nullable=False),
    Column("number", String(64), nullable=False),
    Column("amount", Money, nullable=False),
    Column("entered_at", UTCDateTime, nullable=False),
    Column("entered_by", Integer, ForeignKey("operator.id"), nullable=False),
)


# A claim (索赔单) against the supplier or the carrier for what a receipt lacked or found damaged.
claim = Table(
    "claim",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(32), unique=True, nullable=False),
    Column("receipt_id", Integer, ForeignKey("receipt.id"), index=True, nullable=False),
    Column("party", String(12), nullable=False),
    Column("supplier_id", Integer, ForeignKey("supplier.id"), nullable=True),
    Column("carrier_id", Integer, ForeignKey("carrier.id"), nullable=True),
    Column("state", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", Integer, ForeignKey("operator.id"), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("changed_by", Integer, ForeignKey("operator.id"), nullable=False),
    Column("note", String(500), nullable=True),
    Column("settled_amount", Money, nullable=True),
    # How a settled claim ended for its damaged units (ClaimOutcome): written off, or back to a normal bin.
    Column("outcome", String(16), nullable=True),
)


# One claimed difference: which part, what kind (short, missing, wrong part, damaged, boxes), how much.
claim_line = Table(
    "claim_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("claim_id", Integer, ForeignKey("claim.id"), index=True, nullable=False),
    Column("part_no", String(40), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("qty", Qty, nullable=False),
    Column("unit_price", Money, nullable=False),
    Column("amount", Money, nullable=False),
    Column("note", String(500), nullable=True),
)
