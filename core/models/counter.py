"""The counter's tables: repair orders with their history, requisitions (领料单) and return slips (退料单).

What a requisition took from which lot is not copied here: the ledger rows written under the
requisition's number are that record. A return line names the lot it went back into.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from core.counter_rules import RequisitionState
from core.repair_states import RepairState
from core.sqltypes import Money, Qty, UTCDateTime

_STATES = ", ".join(f"'{state.value}'" for state in RepairState)


_REQUISITION_STATES = ", ".join(f"'{state.value}'" for state in RequisitionState)


class RepairOrder(SQLModel, table=True):
    """A repair order / work authorisation (任务委托书, 维修服务单): customer, vehicle, complaint and its state."""

    __tablename__ = "repair_order"

    id: int | None = Field(default=None, primary_key=True)
    ro_no: str = Field(sa_type=String(32), unique=True, nullable=False)
    state: str = Field(sa_type=String(16), nullable=False, index=True)
    state_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    customer_name: str = Field(sa_type=String(100), nullable=False)
    customer_phone: str = Field(sa_type=String(32), nullable=False)
    customer_address: str | None = Field(default=None, sa_type=String(200), nullable=True)
    vin: str = Field(sa_type=String(17), nullable=False, index=True)
    plate: str = Field(sa_type=String(16), nullable=False, index=True)
    model_series: str = Field(sa_type=String(40), nullable=False)
    mileage: int = Field(nullable=False)
    complaint: str = Field(sa_type=String(1000), nullable=False)
    inspection: str | None = Field(default=None, sa_type=String(1000), nullable=True)
    advisor_id: int = Field(foreign_key="operator.id", nullable=False)
    opened_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    technician_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    warranty: str | None = Field(default=None, sa_type=String(8), nullable=True)  # "in" or "out"
    warranty_reason: str | None = Field(default=None, sa_type=String(500), nullable=True)
    outside_repairer: str | None = Field(default=None, sa_type=String(200), nullable=True)
    sent_out_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    back_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    reinspection: str | None = Field(default=None, sa_type=String(500), nullable=True)
    reinspected_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    reinspected_by_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    customer_confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    customer_confirmed_by_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    settled_by_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)

    __table_args__ = (
        CheckConstraint(f"state IN ({_STATES})", name="ck_repair_order_state"),
        CheckConstraint("mileage >= 0", name="ck_repair_order_mileage_not_negative"),
        CheckConstraint("warranty IS NULL OR warranty IN ('in', 'out')", name="ck_repair_order_warranty"),
        # The board's search (core.records.ro_search, migration 0025): each way an order is found by an index.
        *(Index(f"ix_repair_order_vin_{start}", text(f"substr(vin, {start}, 6)")) for start in range(1, 13)),
        Index("ix_repair_order_plate_tail", text("substr(plate, 2)")),
        Index("ix_repair_order_customer_phone", "customer_phone"),
        Index("ix_repair_order_customer_name", text("lower(customer_name)")),
    )


class RepairOrderCheck(SQLModel, table=True):
    """One item of the intake inspection's configuration checklist (spare wheel, jack, ...): present or not."""

    __tablename__ = "repair_order_check"

    id: int | None = Field(default=None, primary_key=True)
    repair_order_id: int = Field(foreign_key="repair_order.id", nullable=False)
    item: str = Field(sa_type=String(32), nullable=False)
    present: bool = Field(nullable=False)

    __table_args__ = (UniqueConstraint("repair_order_id", "item", name="uq_repair_order_check_item"),)


class RepairOrderEvent(SQLModel, table=True):
    """The order's history, stamped with time and operator: opening, each state change, the technician's
    process record (产品维修过程记录), the warranty decision, settlement."""

    __tablename__ = "repair_order_event"

    id: int | None = Field(default=None, primary_key=True)
    repair_order_id: int = Field(foreign_key="repair_order.id", nullable=False)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    kind: str = Field(sa_type=String(16), nullable=False)
    from_state: str | None = Field(default=None, sa_type=String(16), nullable=True)
    to_state: str | None = Field(default=None, sa_type=String(16), nullable=True)
    text: str | None = Field(default=None, sa_type=String(1000), nullable=True)

    __table_args__ = (Index("ix_repair_order_event_order", "repair_order_id", "id"),)


class Requisition(SQLModel, table=True):
    """A requisition slip (领料单): parts issued against a repair order, signed by storekeeper and mechanic."""

    __tablename__ = "requisition"

    id: int | None = Field(default=None, primary_key=True)
    req_no: str = Field(sa_type=String(32), unique=True, nullable=False)
    repair_order_id: int = Field(foreign_key="repair_order.id", nullable=False, index=True)
    issued_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    storekeeper_id: int = Field(foreign_key="operator.id", nullable=False)
    mechanic_id: int = Field(foreign_key="operator.id", nullable=False)

    __table_args__ = (
        # 出入分离: the one who issues never signs as the one who receives, whatever code path writes.
        CheckConstraint("storekeeper_id <> mechanic_id", name="ck_requisition_two_people"),
    )


class RequisitionLine(SQLModel, table=True):
    """One part on a requisition: the quantity issued and what the lots it came from cost."""

    __tablename__ = "requisition_line"

    id: int | None = Field(default=None, primary_key=True)
    requisition_id: int = Field(foreign_key="requisition.id", nullable=False)
    line_no: int = Field(nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    cost: Decimal = Field(sa_type=Money, nullable=False)

    __table_args__ = (
        UniqueConstraint("requisition_id", "part_id", name="uq_requisition_line_part"),
        CheckConstraint("qty > 0", name="ck_requisition_line_qty_positive"),
    )


class WrittenRequisition(SQLModel, table=True):
    """A requisition as the parts clerk writes it from the repair order (备件管理员…打领料单), before the storekeeper
    issues it: while written, its lines reserve the stock for that order. Issued, it becomes the requisition of
    the same number (table requisition, with the lots taken); cancelled, it reserves nothing."""

    __tablename__ = "written_requisition"

    id: int | None = Field(default=None, primary_key=True)
    req_no: str = Field(sa_type=String(32), unique=True, nullable=False)
    repair_order_id: int = Field(foreign_key="repair_order.id", nullable=False, index=True)
    state: str = Field(sa_type=String(16), nullable=False, index=True)
    written_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    writer_id: int = Field(foreign_key="operator.id", nullable=False)
    # Written on posting a receipt that met this shortage: the arrived units kept for its repair order.
    shortage_id: int | None = Field(default=None, foreign_key="shortage.id", nullable=True)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    closed_by_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)

    __table_args__ = (
        CheckConstraint(f"state IN ({_REQUISITION_STATES})", name="ck_written_requisition_state"),
        CheckConstraint("(state = 'written') = (closed_at IS NULL)", name="ck_written_requisition_closed"),
    )


class WrittenRequisitionLine(SQLModel, table=True):
    """One part the repair order needs, as written: the quantity reserved until issued or cancelled."""

    __tablename__ = "written_requisition_line"

    id: int | None = Field(default=None, primary_key=True)
    written_id: int = Field(foreign_key="written_requisition.id", nullable=False, index=True)
    line_no: int = Field(nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False, index=True)
    qty: Decimal = Field(sa_type=Qty, nullable=False)

    __table_args__ = (
        UniqueConstraint("written_id", "part_id", name="uq_written_requisition_line_part"),
        CheckConstraint("qty > 0", name="ck_written_requisition_line_qty_positive"),
    )


class ReturnSlip(SQLModel, table=True):
    """A return (退料单): parts brought back on a requisition. Before the repair order is settled it shows
    as negative lines on the requisition (`on_requisition`); after, it is a slip of its own."""

    __tablename__ = "return_slip"

    id: int | None = Field(default=None, primary_key=True)
    ret_no: str = Field(sa_type=String(32), unique=True, nullable=False)
    requisition_id: int = Field(foreign_key="requisition.id", nullable=False, index=True)
    returned_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    storekeeper_id: int = Field(foreign_key="operator.id", nullable=False)
    mechanic_id: int = Field(foreign_key="operator.id", nullable=False)
    reason: str | None = Field(default=None, sa_type=String(500), nullable=True)
    on_requisition: bool = Field(nullable=False)

    __table_args__ = (CheckConstraint("storekeeper_id <> mechanic_id", name="ck_return_slip_two_people"),)


class ReturnLine(SQLModel, table=True):
    """One part taken back: from which lot it was issued, at that lot's cost; intact back into that lot,
    damaged into a quarantine lot (`quarantine_lot_id`) with a note."""

    __tablename__ = "return_line"

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="return_slip.id", nullable=False, index=True)
    line_no: int = Field(nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    lot_id: int = Field(foreign_key="stock_lot.id", nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    unit_cost: Decimal = Field(sa_type=Money, nullable=False)
    damaged: bool = Field(nullable=False)
    quarantine_lot_id: int | None = Field(default=None, foreign_key="stock_lot.id", nullable=True)
    note: str | None = Field(default=None, sa_type=String(500), nullable=True)

    __table_args__ = (
        CheckConstraint("qty > 0", name="ck_return_line_qty_positive"),
        CheckConstraint("damaged = (quarantine_lot_id IS NOT NULL)", name="ck_return_line_damaged_quarantined"),
    )


class DamageReport(SQLModel, table=True):
    """A part the storekeeper found damaged when the mechanic brought it back (退料): refused as a return, it
    stays consumed on the repair order; the report (note, who, when) is for the workshop's follow-up and moves
    no stock."""

    __tablename__ = "damage_report"

    id: int | None = Field(default=None, primary_key=True)
    repair_order_id: int = Field(foreign_key="repair_order.id", nullable=False, index=True)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    note: str = Field(sa_type=String(500), nullable=False)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
