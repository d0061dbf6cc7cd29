"""Prices and settlement: the station's price rules, a repair-order line's payer and the amounts settled."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.sqltypes import Money, Qty, UTCDateTime

PAYERS = ("customer", "warranty", "internal")
SCOPES = ("series", "group", "station")
_PAYERS = ", ".join(f"'{p}'" for p in PAYERS)
_SCOPES = ", ".join(f"'{s}'" for s in SCOPES)


class PriceRule(SQLModel, table=True):
    """A price rule of the station: cost plus `markup` percent for a model series or a part group, never below
    cost plus `floor` percent; the one `station` rule (key '') holds the station-wide minimum margin."""

    __tablename__ = "price_rule"

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(sa_type=String(8), nullable=False)
    key: str = Field(sa_type=String(40), nullable=False)
    markup: Decimal | None = Field(default=None, sa_type=Money, nullable=True)  # percent on cost
    floor: Decimal | None = Field(default=None, sa_type=Money, nullable=True)  # least margin, percent on cost
    set_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    set_by_id: int = Field(foreign_key="operator.id", nullable=False)

    __table_args__ = (
        UniqueConstraint("scope", "key", name="uq_price_rule_scope_key"),
        CheckConstraint(f"scope IN ({_SCOPES})", name="ck_price_rule_scope"),
        CheckConstraint("markup IS NULL OR markup >= 0", name="ck_price_rule_markup_not_negative"),
        CheckConstraint("floor IS NULL OR floor >= 0", name="ck_price_rule_floor_not_negative"),
    )


class RepairOrderPayer(SQLModel, table=True):
    """Who pays for a part on a repair order, where it is not the default (warranty on a warranty order, else
    the customer)."""

    __tablename__ = "repair_order_payer"

    id: int | None = Field(default=None, primary_key=True)
    repair_order_id: int = Field(foreign_key="repair_order.id", nullable=False, index=True)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    payer: str = Field(sa_type=String(16), nullable=False)
    set_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    set_by_id: int = Field(foreign_key="operator.id", nullable=False)

    __table_args__ = (
        UniqueConstraint("repair_order_id", "part_id", name="uq_repair_order_payer_part"),
        CheckConstraint(f"payer IN ({_PAYERS})", name="ck_repair_order_payer_payer"),
    )


class RepairOrderCharge(SQLModel, table=True):
    """One part as the repair order was settled (结算): quantity, payer, unit price, amount and cost, stored so
    that a later rule change or return never alters a settled order."""

    __tablename__ = "repair_order_charge"

    id: int | None = Field(default=None, primary_key=True)
    repair_order_id: int = Field(foreign_key="repair_order.id", nullable=False, index=True)
    line_no: int = Field(nullable=False)
    part_id: int = Field(foreign_key="part.id", nullable=False)
    qty: Decimal = Field(sa_type=Qty, nullable=False)
    payer: str = Field(sa_type=String(16), nullable=False)
    unit_price: Decimal = Field(sa_type=Money, nullable=False)
    amount: Decimal = Field(sa_type=Money, nullable=False)
    cost: Decimal = Field(sa_type=Money, nullable=False)

    __table_args__ = (
        UniqueConstraint("repair_order_id", "part_id", name="uq_repair_order_charge_part"),
        CheckConstraint(f"payer IN ({_PAYERS})", name="ck_repair_order_charge_payer"),
        CheckConstraint("qty > 0", name="ck_repair_order_charge_qty_positive"),
    )
