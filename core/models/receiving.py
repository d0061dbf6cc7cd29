"""Receiving tables: suppliers, carriers, purchase orders, receipts against packing lists, claims."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.sqltypes import Money, Qty, UTCDateTime


class Supplier(SQLModel, table=True):
    """Who sells the parts: the manufacturer or another supplier."""

    __tablename__ = "supplier"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(20), unique=True, nullable=False)
    name: str = Field(sa_type=String(200), nullable=False)


class Carrier(SQLModel, table=True):
    """Who brings the boxes: answers for broken seals, damaged boxes and missing boxes."""

    __tablename__ = "carrier"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(20), unique=True, nullable=False)
    name: str = Field(sa_type=String(200), nullable=False)


class PurchaseOrder(SQLModel, table=True):
    """An order to a supplier (采购订单); what is not yet received stays on back-order."""

    __tablename__ = "purchase_order"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    supplier_id: int = Field(foreign_key="supplier.id", nullable=False)
    state: str = Field(sa_type=String(20), nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    created_by: int = Field(foreign_key="operator.id", nullable=False)
    # The approved purchase request it was made from (the planning workflow fills it).
    source_doc: str | None = Field(default=None, sa_type=String(32), nullable=True)
    note: str | None = Field(default=None, sa_type=String(500), nullable=True)
    # An urgent order for a shortage that cannot wait for the cycle's draft: the shortages (SHT-) or repair
    # order (RO-) it serves, comma-separated; the parts manager approves it before it is sent.
    urgent: bool = Field(default=False, nullable=False)
    serves: str | None = Field(default=None, sa_type=String(500), nullable=True)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    approved_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    sent_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)


class PurchaseOrderLine(SQLModel, table=True):
    """One part on an order: ordered, received so far, and the agreed unit cost."""

    __tablename__ = "purchase_order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="purchase_order.id", nullable=False, index=True)
    line_no: int = Field(nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    qty_ordered: Decimal = Field(sa_type=Qty, nullable=False)
    qty_received: Decimal = Field(default=Decimal(0), sa_type=Qty, nullable=False)
    unit_cost: Decimal = Field(sa_type=Money, nullable=False)

    __table_args__ = (
        UniqueConstraint("order_id", "part_id", name="uq_po_line_part"),
        CheckConstraint("qty_ordered > 0", name="ck_po_line_ordered_positive"),
        CheckConstraint("qty_received >= 0", name="ck_po_line_received_not_negative"),
    )


class Receipt(SQLModel, table=True):
    """A shipment being received against its packing list (入库单), from arrival to posting."""

    __tablename__ = "receipt"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    state: str = Field(sa_type=String(20), nullable=False, index=True)
    supplier_id: int | None = Field(default=None, foreign_key="supplier.id", nullable=True)
    carrier_id: int | None = Field(default=None, foreign_key="carrier.id", nullable=True)
    order_id: int | None = Field(default=None, foreign_key="purchase_order.id", nullable=True)
    shipment_no: str | None = Field(default=None, sa_type=String(64), nullable=True)
    packing_list: str = Field(sa_type=String(255), nullable=False)  # the file it was opened from
    boxes_expected: int = Field(nullable=False)
    boxes_received: int | None = Field(default=None, nullable=True)
    arrived_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    arrived_by: int = Field(foreign_key="operator.id", nullable=False)
    boxes_checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    boxes_checked_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    counted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    counted_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    counted_by_second: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    posted_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    # Indexed: a scanned DSC- or SUR- number is looked up here.
    discrepancy_no: str | None = Field(default=None, sa_type=String(32), nullable=True, unique=True, index=True)
    surplus_no: str | None = Field(default=None, sa_type=String(32), nullable=True, unique=True, index=True)
    # Posted after the day it arrived (当日报财务…最多不超过3天): the special reason, printed on the receipt list.
    late_reason: str | None = Field(default=None, sa_type=String(500), nullable=True)


class PackingListRow(SQLModel, table=True):
    """One row of the manufacturer's packing list (装箱清单) as it was imported, kept as the attachment."""

    __tablename__ = "packing_list_row"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="receipt.id", nullable=False)
    row_no: int = Field(nullable=False)
    box_no: str = Field(sa_type=String(20), nullable=False)
    part_no: str = Field(sa_type=String(40), nullable=False)
    description: str = Field(sa_type=String(200), nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    unit_price: Decimal = Field(sa_type=Money, nullable=False)

    __table_args__ = (Index("ix_packing_list_row_receipt", "receipt_id", "row_no"),)


class ReceiptLine(SQLModel, table=True):
    """One part of a receipt: expected from the packing list (all boxes), counted, damaged, accepted."""

    __tablename__ = "receipt_line"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="receipt.id", nullable=False)
    line_no: int = Field(nullable=False)
    part_no: str = Field(sa_type=String(40), nullable=False)  # normalised; may be unknown to the master
    description: str = Field(sa_type=String(200), nullable=False)
    boxes: str = Field(sa_type=String(200), nullable=False)  # the boxes it stands in, "1,2"
    expected: Decimal = Field(sa_type=Qty, nullable=False)  # 0: counted but not on the packing list
    unit_price: Decimal = Field(sa_type=Money, nullable=False)
    counted: Decimal | None = Field(default=None, sa_type=Qty, nullable=True)
    damaged: Decimal = Field(default=Decimal(0), sa_type=Qty, nullable=False)
    fragile_damaged: bool = Field(default=False, nullable=False)  # seen at the box check
    refused: bool = Field(default=False, nullable=False)  # not received: shipped by mistake, claimed
    refusal_note: str | None = Field(default=None, sa_type=String(500), nullable=True)

    __table_args__ = (
        UniqueConstraint("receipt_id", "part_no", name="uq_receipt_line_part"),
        CheckConstraint("expected >= 0", name="ck_receipt_line_expected"),
        CheckConstraint("damaged >= 0", name="ck_receipt_line_damaged"),
        Index("ix_receipt_line_receipt", "receipt_id", "line_no"),
    )


class ReceiptCount(SQLModel, table=True):
    """One counter's count of one part on a receipt, stored as each scan happens (until the count is signed).

    Two or more people count a shipment (须两人以上开箱清点), each at their own terminal; the receipt's
    count is the sum of theirs, and it survives a quit, a sign-out or a crash because every scan is a row.
    """

    __tablename__ = "receipt_count"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="receipt.id", nullable=False)
    counter_id: int = Field(foreign_key="operator.id", nullable=False)
    part_no: str = Field(sa_type=String(40), nullable=False)  # normalised; may be unknown to the master
    counted: Decimal = Field(default=Decimal(0), sa_type=Qty, nullable=False)
    damaged: Decimal = Field(default=Decimal(0), sa_type=Qty, nullable=False)
    changed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    __table_args__ = (
        UniqueConstraint("receipt_id", "counter_id", "part_no", name="uq_receipt_count"),
        CheckConstraint("counted >= 0", name="ck_receipt_count_counted"),
        CheckConstraint("damaged >= 0 AND damaged <= counted", name="ck_receipt_count_damaged"),
    )


class ReceiptBox(SQLModel, table=True):
    """A box of the shipment as found at the box check: seal broken, box damaged."""

    __tablename__ = "receipt_box"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="receipt.id", nullable=False)
    box_no: str = Field(sa_type=String(20), nullable=False)
    seal_broken: bool = Field(default=False, nullable=False)
    damaged: bool = Field(default=False, nullable=False)

    __table_args__ = (UniqueConstraint("receipt_id", "box_no", name="uq_receipt_box"),)


class ReceiptBoxSigner(SQLModel, table=True):
    """One of the two who checked the boxes together (库房管理员和计划员一起验收箱数): storekeeper or planner."""

    __tablename__ = "receipt_box_signer"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="receipt.id", nullable=False, index=True)
    role: str = Field(sa_type=String(20), nullable=False)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    signed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    __table_args__ = (UniqueConstraint("receipt_id", "role", name="uq_receipt_box_signer"),)


class ReceiptInvoice(SQLModel, table=True):
    """The accountant's check of a receipt against the supplier's invoice (财务…与发票相一致): number and amount."""

    __tablename__ = "receipt_invoice"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: int = Field(foreign_key="receipt.id", nullable=False, unique=True)
    number: str = Field(sa_type=String(64), nullable=False)
    amount: Decimal = Field(sa_type=Money, nullable=False)
    entered_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    entered_by: int = Field(foreign_key="operator.id", nullable=False)


class Claim(SQLModel, table=True):
    """A claim (索赔单) against the supplier or the carrier for what a receipt lacked or found damaged."""

    __tablename__ = "claim"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    receipt_id: int = Field(foreign_key="receipt.id", nullable=False, index=True)
    party: str = Field(sa_type=String(12), nullable=False)
    supplier_id: int | None = Field(default=None, foreign_key="supplier.id", nullable=True)
    carrier_id: int | None = Field(default=None, foreign_key="carrier.id", nullable=True)
    state: str = Field(sa_type=String(12), nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    created_by: int = Field(foreign_key="operator.id", nullable=False)
    changed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    changed_by: int = Field(foreign_key="operator.id", nullable=False)
    note: str | None = Field(default=None, sa_type=String(500), nullable=True)
    settled_amount: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    # How a settled claim ended for its damaged units (ClaimOutcome): written off, or back to a normal bin.
    outcome: str | None = Field(default=None, sa_type=String(16), nullable=True)


class ClaimLine(SQLModel, table=True):
    """One claimed difference: which part, what kind (short, missing, wrong part, damaged, boxes), how much."""

    __tablename__ = "claim_line"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", nullable=False, index=True)
    part_no: str = Field(sa_type=String(40), nullable=False)
    kind: str = Field(sa_type=String(16), nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    unit_price: Decimal = Field(sa_type=Money, nullable=False)
    amount: Decimal = Field(sa_type=Money, nullable=False)
    note: str | None = Field(default=None, sa_type=String(500), nullable=True)
