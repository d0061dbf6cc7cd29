"""Planning tables: shortage registrations, purchase-request drafts with their approval history, order chasing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from core.sqltypes import Qty, UTCDateTime


class Shortage(SQLModel, table=True):
    """A shortage registration (缺件登记) signed by the advisor; it must be answered within 30 minutes."""

    __tablename__ = "shortage"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False, index=True)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    repair_order_id: int = Field(foreign_key="repair_order.id", nullable=False)
    note: str | None = Field(default=None, sa_type=String(500), nullable=True)
    state: str = Field(sa_type=String(12), nullable=False, index=True)
    logged_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    logged_by: int = Field(foreign_key="operator.id", nullable=False)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    answered_by: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    solution: str | None = Field(default=None, sa_type=String(20), nullable=True)
    eta: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    answer_note: str | None = Field(default=None, sa_type=String(500), nullable=True)
    fulfilled_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    fulfilled_by_doc: str | None = Field(default=None, sa_type=String(32), nullable=True)

    __table_args__ = (CheckConstraint("qty > 0", name="ck_shortage_qty_positive"),)


class PurchaseRequest(SQLModel, table=True):
    """A purchase-request draft for one cycle; its lines and its history are in their own tables."""

    __tablename__ = "purchase_request"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    state: str = Field(sa_type=String(24), nullable=False, index=True)
    cycle: str = Field(sa_type=String(8), nullable=False)  # week or month
    cycle_start: datetime = Field(sa_type=UTCDateTime, nullable=False)
    author_id: int = Field(foreign_key="operator.id", nullable=False)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    # Bumped by every step and edit; a line remembers the revision that last changed it, so the
    # review screen can show what changed since the previous step.
    revision: int = Field(default=0, nullable=False)
    sm_approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    sd_approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class PurchaseRequestLine(SQLModel, table=True):
    """One part of a draft: the forecast, the suggestion, the quantity to order and the reason."""

    __tablename__ = "purchase_request_line"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="purchase_request.id", nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    forecast: Decimal = Field(sa_type=Qty, nullable=False)
    suggested: Decimal = Field(sa_type=Qty, nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    flagged: bool = Field(default=False, nullable=False)  # the forecast jumps against history
    reason: str | None = Field(default=None, sa_type=String(500), nullable=True)
    changed_revision: int = Field(default=0, nullable=False)
    # A special order for a customer: the shortage (and through it the repair order) this line answers.
    shortage_id: int | None = Field(
        default=None, nullable=True, sa_column_args=[ForeignKey("shortage.id", name="fk_request_line_shortage")])

    __table_args__ = (
        UniqueConstraint("request_id", "part_id", "shortage_id", name="uq_request_line_part"),
        # The cycle's own line of a part is one; each shortage's line of it is one more.
        Index("uq_request_line_stock_part", "request_id", "part_id", unique=True,
              sqlite_where=text("shortage_id IS NULL"), postgresql_where=text("shortage_id IS NULL")),
        CheckConstraint("qty >= 0", name="ck_request_line_qty"),
        # No index on request_id alone: uq_request_line_part begins with it (migration 0019).
    )


class PurchaseRequestEvent(SQLModel, table=True):
    """Who did what to a draft, when: created, edited, reviewed, approved, rejected, ordered."""

    __tablename__ = "purchase_request_event"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="purchase_request.id", nullable=False, index=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    action: str = Field(sa_type=String(16), nullable=False)
    state_after: str = Field(sa_type=String(24), nullable=False)
    revision: int = Field(nullable=False)
    comment: str | None = Field(default=None, sa_type=String(500), nullable=True)
    # The chain's role the operator acted as (a review or an approval): one person holds one role of a
    # draft's chain (core.approvals.ChainSteps). Empty on other events and on events before revision 0007.
    as_role: str | None = Field(default=None, sa_type=String(24), nullable=True)
    # What the desk wrote itself, as JSON data worded when shown (core.request_events); None before 0014.
    detail: str | None = Field(default=None, sa_type=String(2000), nullable=True)


class OrderChase(SQLModel, table=True):
    """A follow-up with the supplier about an order in transit (催货), with the ETA it gave."""

    __tablename__ = "order_chase"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="purchase_order.id", nullable=False, index=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    operator_id: int = Field(foreign_key="operator.id", nullable=False)
    note: str = Field(sa_type=String(500), nullable=False)
    eta: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
