"""The counter's tables: repair orders with their history, requisitions (领料单) and return slips (退料单).

What a requisition took from which lot is not copied here: the ledger rows written under the
requisition's number are that record. A return line names the lot it went back into.
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from core.counter_rules import RequisitionState
from core.models import metadata
from core.repair_states import RepairState
from core.sqltypes import Money, Qty, UTCDateTime

_STATES = ", ".join(f"'{state.value}'" for state in RepairState)


_REQUISITION_STATES = ", ".join(f"'{state.value}'" for state in RequisitionState)


# A repair order / work authorisation (任务委托书, 维修服务单): customer, vehicle, complaint and its state.
repair_order = Table(
    "repair_order",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ro_no", String(32), unique=True, nullable=False),
    Column("state", String(16), index=True, nullable=False),
    Column("state_at", UTCDateTime, nullable=False),
    Column("customer_name", String(100), nullable=False),
    Column("customer_phone", String(32), nullable=False),
    Column("customer_address", String(200), nullable=True),
    Column("vin", String(17), index=True, nullable=False),
    Column("plate", String(16), index=True, nullable=False),
    Column("model_series", String(40), nullable=False),
    Column("mileage", Integer, nullable=False),
    Column("complaint", String(1000), nullable=False),
    Column("inspection", String(1000), nullable=True),
    Column("advisor_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("technician_id", Integer, ForeignKey("operator.id"), nullable=True),
    Column("warranty", String(8), nullable=True),  # "in" or "out"
    Column("warranty_reason", String(500), nullable=True),
    Column("outside_repairer", String(200), nullable=True),
    Column("sent_out_at", UTCDateTime, nullable=True),
    Column("back_at", UTCDateTime, nullable=True),
    Column("reinspection", String(500), nullable=True),
    Column("reinspected_at", UTCDateTime, nullable=True),
    Column("reinspected_by_id", Integer, ForeignKey("operator.id"), nullable=True),
    Column("customer_confirmed_at", UTCDateTime, nullable=True),
    Column("customer_confirmed_by_id", Integer, ForeignKey("operator.id"), nullable=True),
    Column("settled_at", UTCDateTime, nullable=True),
    Column("settled_by_id", Integer, ForeignKey("operator.id"), nullable=True),
    CheckConstraint(f"state IN ({_STATES})", name="ck_repair_order_state"),
    CheckConstraint("mileage >= 0", name="ck_repair_order_mileage_not_negative"),
    CheckConstraint("warranty IS NULL OR warranty IN ('in', 'out')", name="ck_repair_order_warranty"),
)


# One item of the intake inspection's configuration checklist (spare wheel, jack, ...): present or not.
repair_order_check = Table(
    "repair_order_check",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("repair_order_id", Integer, ForeignKey("repair_order.id"), nullable=False),
    Column("item", String(32), nullable=False),
    Column("present", Boolean, nullable=False),
    UniqueConstraint("repair_order_id", "item", name="uq_repair_order_check_item"),
)


# The order's history, stamped with time and operator: opening, each state change, the technician's
# process record (产品维修过程记录), the warranty decision, settlement.
repair_order_event = Table(
    "repair_order_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("repair_order_id", Integer, ForeignKey("repair_order.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("operator_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("from_state", String(16), nullable=True),
    Column("to_state", String(16), nullable=True),
    Column("text", String(1000), nullable=True),
    Index("ix_repair_order_event_order", "repair_order_id", "id"),
)


# A requisition slip (领料单): parts issued against a repair order, signed by storekeeper and mechanic.
requisition = Table(
    "requisition",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("req_no", String(32), unique=True, nullable=False),
    Column("repair_order_id", Integer, ForeignKey("repair_order.id"), index=True, nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("storekeeper_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("mechanic_id", Integer, ForeignKey("operator.id"), nullable=False),
    # 出入分离: the one who issues never signs as the one who receives, whatever code path writes.
    CheckConstraint("storekeeper_id <> mechanic_id", name="ck_requisition_two_people"),
)


# One part on a requisition: the quantity issued and what the lots it came from cost.
requisition_line = Table(
    "requisition_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("requisition_id", Integer, ForeignKey("requisition.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("part_id", Integer, ForeignKey("part.id"), nullable=False),
    Column("qty", Qty, nullable=False),
    Column("cost", Money, nullable=False),
    UniqueConstraint("requisition_id", "part_id", name="uq_requisition_line_part"),
    CheckConstraint("qty > 0", name="ck_requisition_line_qty_positive"),
)


# A requisition as the parts clerk writes it from the repair order (备件管理员…打领料单), before the storekeeper
# issues it: while written, its lines reserve the stock for that order. Issued, it becomes the requisition of
# the same number (table requisition, with the lots taken); cancelled, it reserves nothing.
written_requisition = Table(
    "written_requisition",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("req_no", String(32), unique=True, nullable=False),
    Column("repair_order_id", Integer, ForeignKey("repair_order.id"), index=True, nullable=False),
    Column("state", String(16), index=True, nullable=False),
    Column("written_at", UTCDateTime, nullable=False),
    Column("writer_id", Integer, ForeignKey("operator.id"), nullable=False),
    # Written on posting a receipt that met this shortage: the arrived units kept for its repair order.
    Column("shortage_id", Integer, ForeignKey("shortage.id"), nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("closed_by_id", Integer, ForeignKey("operator.id"), nullable=True),
    CheckConstraint(f"state IN ({_REQUISITION_STATES})", name="ck_written_requisition_state"),
    CheckConstraint("(state = 'written') = (closed_at IS NULL)", name="ck_written_requisition_closed"),
)


# One part the repair order needs, as written: the quantity reserved until issued or cancelled.
written_requisition_line = Table(
    "written_requisition_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("written_id", Integer, ForeignKey("written_requisition.id"), index=True, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("part_id", Integer, ForeignKey("part.id"), index=True, nullable=False),
    Column("qty", Qty, nullable=False),
    UniqueConstraint("written_id", "part_id", name="uq_written_requisition_line_part"),
    CheckConstraint("qty > 0", name="ck_written_requisition_line_qty_positive"),
)


# A return (退料单): parts brought back on a requisition. Before the repair order is settled it shows
# as negative lines on the requisition (`on_requisition`); after, it is a slip of its own.
return_slip = Table(
    "return_slip",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ret_no", String(32), unique=True, nullable=False),
    Column("requisition_id", Integer, ForeignKey("requisition.id"), index=True, nullable=False),
    Column("returned_at", UTCDateTime, nullable=False),
    Column("storekeeper_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("mechanic_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("reason", String(500), nullable=True),
    Column("on_requisition", Boolean, nullable=False),
    CheckConstraint("storekeeper_id <> mechanic_id", name="ck_return_slip_two_people"),
)


# One part taken back: from which lot it was issued, at that lot's cost; intact back into that lot,
# damaged into a quarantine lot (`quarantine_lot_id`) with a note.
return_line = Table(
    "return_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("return_id", Integer, ForeignKey("return_slip.id"), index=True, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("part_id", Integer, ForeignKey("part.id"), nullable=False),
    Column("lot_id", Integer, ForeignKey("stock_lot.id"), nullable=False),
    Column("qty", Qty, nullable=False),
    Column("unit_cost", Money, nullable=False),
    Column("damaged", Boolean, nullable=False),
    Column("quarantine_lot_id", Integer, ForeignKey("stock_lot.id"), nullable=True),
    Column("note", String(500), nullable=True),
    CheckConstraint("qty > 0", name="ck_return_line_qty_positive"),
    CheckConstraint("damaged = (quarantine_lot_id IS NOT NULL)", name="ck_return_line_damaged_quarantined"),
)


# A part the storekeeper found damaged when the mechanic brought it back (退料): refused as a return, it
# stays consumed on the repair order; the report (note, who, when) is for the workshop's follow-up and moves
# no stock.
damage_report = Table(
    "damage_report",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("repair_order_id", Integer, ForeignKey("repair_order.id"), index=True, nullable=False),
    Column("part_id", Integer, ForeignKey("part.id"), nullable=False),
    Column("note", String(500), nullable=False),
    Column("operator_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
