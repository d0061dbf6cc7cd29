"""Planning tables: shortage registrations, purchase-request drafts with their approval history, order chasing."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    text,
)

from core.models import metadata
from core.sqltypes import Qty, UTCDateTime


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


# A shortage registration (缺件登记) signed by the advisor; it must be answered within 30 minutes.
shortage = Table(
    "shortage",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(32), unique=True, nullable=False),
    Column("part_id", Integer, ForeignKey("part.id"), index=True, nullable=False),
    Column("qty", Qty, nullable=False),
    Column("repair_order_id", Integer, ForeignKey("repair_order.id"), nullable=False),
    Column("note", String(500), nullable=True),
    Column("state", String(12), index=True, nullable=False),
    Column("logged_at", UTCDateTime, nullable=False),
    Column("logged_by", Integer, ForeignKey("operator.id"), nullable=False),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("answered_by", Integer, ForeignKey("operator.id"), nullable=True),
    Column("solution", String(20), nullable=True),
    Column("eta", UTCDateTime, nullable=True),
    Column("answer_note", String(500), nullable=True),
    Column("fulfilled_at", UTCDateTime, nullable=True),
    Column("fulfilled_by_doc", String(32), nullable=True),
    CheckConstraint("qty > 0", name="ck_shortage_qty_positive"),
)


# A purchase-request draft for one cycle; its lines and its history are in their own tables.
purchase_request = Table(
    "purchase_request",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(32), unique=True, nullable=False),
    Column("state", String(24), index=True, nullable=False),
    Column("cycle", String(8), nullable=False),  # week or month
    Column("cycle_start", UTCDateTime, nullable=False),
    Column("author_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Bumped by every step and edit; a line remembers the revision that last changed it, so the
    # review screen can show what changed since the previous step.
    Column("revision", Integer, default=0, nullable=False),
    Column("sm_approved_at", UTCDateTime, nullable=True),
    Column("sd_approved_at", UTCDateTime, nullable=True),
)


# One part of a draft: the forecast, the suggestion, the quantity to order and the reason.
purchase_request_line = Table(
    "purchase_request_line",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", Integer, ForeignKey("purchase_request.id"), nullable=False),
    Column("part_id", Integer, ForeignKey("part.id"), nullable=False),
    Column("forecast", Qty, nullable=False),
    Column("suggested", Qty, nullable=False),
    Column("qty", Qty, nullable=False),
    Column("flagged", Boolean, default=False, nullable=False),  # the forecast jumps against history
    Column("reason", String(500), nullable=True),
    Column("changed_revision", Integer, default=0, nullable=False),
    # A special order for a customer: the shortage (and through it the repair order) this line answers.
    Column("shortage_id", Integer, ForeignKey("shortage.id", name="fk_request_line_shortage"), nullable=True),
    UniqueConstraint("request_id", "part_id", "shortage_id", name="uq_request_line_part"),
    # The cycle's own line of a part is one; each shortage's line of it is one more.
    Index("uq_request_line_stock_part", "request_id", "part_id", unique=True,
              sqlite_where=text("shortage_id IS NULL"), postgresql_where=text("shortage_id IS NULL")),
    CheckConstraint("qty >= 0", name="ck_request_line_qty"),
    Index("ix_request_line_request", "request_id"),
)


# Who did what to a draft, when: created, edited, reviewed, approved, rejected, ordered.
purchase_request_event = Table(
    "purchase_request_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", Integer, ForeignKey("purchase_request.id"), index=True, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("operator_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("state_after", String(24), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("comment", String(500), nullable=True),
    # The chain's role the operator acted as (a review or an approval): one person holds one role of a
    # draft's chain (core.approvals.ChainSteps). Empty on other events and on events before revision 0007.
    Column("as_role", String(24), nullable=True),
    # What the desk wrote itself, as JSON data worded when shown (core.request_events); None before 0014.
    Column("detail", String(2000), nullable=True),
)


# A follow-up with the supplier about an order in transit (催货), with the ETA it gave.
order_chase = Table(
    "order_chase",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", Integer, ForeignKey("purchase_order.id"), index=True, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("operator_id", Integer, ForeignKey("operator.id"), nullable=False),
    Column("note", String(500), nullable=False),
    Column("eta", UTCDateTime, nullable=True),
)
