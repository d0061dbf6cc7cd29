"""Counter sales (销售订单 / 发出商品): parts sold over the counter without a repair order, their lines and returns."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from core.models.enums import SaleState
from core.sqltypes import Money, Qty, UTCDateTime

_SALE_STATES = ", ".join(f"'{s.value}'" for s in SaleState)


class SalesOrder(SQLModel, table=True):
    """A sales order: the customer, who entered it, who checked it (never the same person) and the amount settled."""

    __tablename__ = "sales_order"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(sa_type=String(32), unique=True, nullable=False)
    customer: str = Field(sa_type=String(100), nullable=False)
    phone: str | None = Field(default=None, sa_type=String(40), nullable=True)
    state: str = Field(sa_type=String(16), nullable=False, index=True)
    entered_by_id: int = Field(foreign_key="operator.id", nullable=False)
    entered_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    checked_by_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    settled_by_id: int | None = Field(default=None, foreign_key="operator.id", nullable=True)
    settled_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    amount: Decimal | None = Field(default=None, sa_type=Money, nullable=True)  # recorded at settlement
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)

    __table_args__ = (
        CheckConstraint(f"state IN ({_SALE_STATES})", name="ck_sales_order_state"),
        CheckConstraint("(state IN ('checked', 'settled')) = (checked_at IS NOT NULL)", name="ck_sales_order_checked"),
        CheckConstraint("(state = 'settled') = (settled_at IS NOT NULL)", name="ck_sales_order_settled"),
    )


class SalesLine(SQLModel, table=True):
    """A line of a sales order: the part, how many and the unit price fixed when it was entered."""

    __tablename__ = "sales_line"

    id: int | None = Field(default=None, primary_key=True)
    sale_id: int = Field(foreign_key="sales_order.id", nullable=False, index=True)
    line_no: int = Field(nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False, index=True)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    unit_price: Decimal = Field(sa_type=Money, nullable=False)

    __table_args__ = (
        CheckConstraint("qty > 0", name="ck_sales_line_qty_positive"),
        CheckConstraint("unit_price >= 0", name="ck_sales_line_price_not_negative"),
    )


class SalesReturn(SQLModel, table=True):
    """Units of a sale brought back, into the lot they were issued from, at the line's price."""

    __tablename__ = "sales_return"

    id: int | None = Field(default=None, primary_key=True)
    sale_id: int = Field(foreign_key="sales_order.id", nullable=False, index=True)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    lot_id: int = Field(foreign_key="stock_lot.id", nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    unit_price: Decimal = Field(sa_type=Money, nullable=False)
    returned_by_id: int = Field(foreign_key="operator.id", nullable=False)
    returned_at: datetime = Field(sa_type=UTCDateTime, nullable=False)

    __table_args__ = (CheckConstraint("qty > 0", name="ck_sales_return_qty_positive"),)
