"""Prices inside a transaction: the station's price rules, a part's selling price, and a repair order's parts
charged by payer (customer, warranty, internal), live until settlement and as stored after it.

The selling price (to the customer) is the list price, unless a price rule covers the part: then it is cost
plus the rule's markup. The rule is the part group's (part.part_group), else the model series', else the
station's own. Whatever the price, it is never below cost plus the floor: the larger of the rule's floor and
the station-wide minimum margin (both percent on cost). The cost is, for a part on the shelf, the unit cost of
the lot the next issue takes (FIFO, quarantine left out), else the last lot received; for a part issued on a
repair order, what the lots it took cost. A part with no cost known sells at its list price.
The warranty price, which the maker pays, is the list price; the workshop's own use (internal) is at cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Connection,
    Select,
    and_,
    case,
    cast,
    exists,
    func,
    or_,
    select,
    type_coerce,
    union_all,
)

from core import tables as t
from core.codes import QUARANTINE_ZONE
from core.decimals import money

CUSTOMER, WARRANTY, INTERNAL = "customer", "warranty", "internal"
PAYERS = (CUSTOMER, WARRANTY, INTERNAL)
SERIES, GROUP, STATION = "series", "group", "station"
SCOPES = (SERIES, GROUP, STATION)
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class PriceRule:
    """One price rule: for a series, a group or the whole station, a markup and a floor (percent on cost)."""

    scope: str
    key: str
    markup: Decimal | None
    floor: Decimal | None
    set_at: datetime
    set_by: str


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """One part on a repair order as charged: net quantity, payer, unit price, amount and what it cost."""

    part_no: str
    name: str
    name_zh: str | None
    qty: Decimal
    payer: str
    unit_price: Decimal
    amount: Decimal
    cost: Decimal


@dataclass(frozen=True, slots=True)
class RoCharges:
    """A repair order's parts charged by payer, with their cost: live before settlement, stored after."""

    lines: tuple[ChargeLine, ...]
    settled: bool

    def amount(self, payer: str) -> Decimal:
        """The parts total one payer is charged."""
        return money(sum((line.amount for line in self.lines if line.payer == payer), Decimal(0)))

    @property
    def by_payer(self) -> tuple[tuple[str, Decimal], ...]:
        """Every payer with the total charged to it, in the order customer, warranty, internal."""
        return tuple((payer, self.amount(payer)) for payer in PAYERS)

    @property
    def total(self) -> Decimal:
        """Everything charged for the parts."""
        return money(sum((line.amount for line in self.lines), Decimal(0)))

    @property
    def cost(self) -> Decimal:
        """What the parts charged cost (the lots they came from)."""
        return money(sum((line.cost for line in self.lines), Decimal(0)))

    @property
    def margin(self) -> Decimal:
        """Charged less cost: what the parts earn the station (the managers' figure)."""
        return self.total - self.cost


def price_from(list_price: Decimal, cost: Decimal | None, markup: Decimal | None, floor: Decimal | None) -> Decimal:
    """The selling price from the list price, the cost (None: unknown), the markup that applies (None: the list
    price stands) and the least margin (None: no floor), rounded to cents."""
    price = list_price
    if cost is not None and markup is not None:
        price = cost * (1 + markup / HUNDRED)
    if cost is not None and floor is not None:
        price = max(price, cost * (1 + floor / HUNDRED))
    return money(price)


def read_rules(conn: Connection) -> list[PriceRule]:
    """Every price rule, the station's first, then by scope and key."""
    rows = conn.execute(
        select(t.price_rule, t.operator.c.code).join(t.operator, t.operator.c.id == t.price_rule.c.set_by_id)
    ).all()
    order = {STATION: 0, SERIES: 1, GROUP: 2}
    return [PriceRule(r.scope, r.key, r.markup, r.floor, r.set_at, r.code)
            for r in sorted(rows, key=lambda r: (order[r.scope], r.key))]


def _terms(conn: Connection, series: str | None, group: str | None) -> tuple[Decimal | None, Decimal | None]:
    """The markup and the floor that apply to a part of this series and group."""
    keys = [(STATION, "")] + ([(SERIES, series)] if series else []) + ([(GROUP, group)] if group else [])
    rows = {(r.scope, r.key): r for r in conn.execute(
        select(t.price_rule.c.scope, t.price_rule.c.key, t.price_rule.c.markup, t.price_rule.c.floor)
        .where(t.price_rule.c.key.in_({key for _scope, key in keys}))
    ) if (r.scope, r.key) in keys}
    station = rows.get((STATION, ""))
    rule = rows.get((GROUP, group)) or rows.get((SERIES, series))
    markup = rule.markup if rule is not None and rule.markup is not None else (
        station.markup if station is not None else None)
    floors = [r.floor for r in (rule, station) if r is not None and r.floor is not None]
    return markup, max(floors) if floors else None


def shelf_cost(conn: Connection, part_id: int) -> Decimal | None:
    """The unit cost a part's next issue takes: its oldest lot with stock outside quarantine, else the last lot
    received, else None."""
    lot = t.stock_lot
    oldest = conn.execute(
        select(lot.c.unit_cost).join(t.location, t.location.c.id == lot.c.location_id)
        .where(lot.c.part_id == part_id, lot.c.qty_remaining > 0, t.location.c.zone != QUARANTINE_ZONE)
        .order_by(lot.c.received_at, lot.c.id).limit(1)
    ).scalar()
    if oldest is not None:
        return oldest
    return conn.execute(select(lot.c.unit_cost).where(lot.c.part_id == part_id)
                        .order_by(lot.c.received_at.desc(), lot.c.id.desc()).limit(1)).scalar()


def part_price(conn: Connection, part_id: int, cost: Decimal | None = None, *, use_shelf: bool = True) -> Decimal:
    """A part's selling price to the customer at `cost` (by default its shelf cost) under the station's rules."""
    part = conn.execute(select(t.part.c.list_price, t.part.c.model_series, t.part.c.part_group)
                        .where(t.part.c.id == part_id)).one()
    markup, floor = _terms(conn, part.model_series, part.part_group)
    if markup is None and floor is None:
        return money(part.list_price)  # no rule: the list price, without reading a lot
    if cost is None and use_shelf:
        cost = shelf_cost(conn, part_id)
    return price_from(part.list_price, cost, markup, floor)


def _stored(column):
    """A Qty or Money column as its stored integer (thousandths, cents), for exact sums and products in SQL."""
    return type_coerce(column, BigInteger)


def _whole(expression):
    """A SUM of stored integers kept an integer (PostgreSQL sums a bigint to a numeric)."""
    return cast(expression, BigInteger)


def payer_of():
    """Who pays for a part on a repair order, in SQL (the rule, once): what was said for it on the order
    (repair_order_payer, outer-joined), else the maker on a warranty order, else the customer."""
    return func.coalesce(t.repair_order_payer.c.payer,
                         case((t.repair_order.c.warranty == "in", WARRANTY), else_=CUSTOMER))


def open_requisitions(conn: Connection, ro_id: int) -> list[str]:
    """The numbers of the order's requisitions written and not yet issued (nor cancelled)."""
    return list(conn.execute(
        select(t.written_requisition.c.req_no)
        .where(t.written_requisition.c.repair_order_id == ro_id, t.written_requisition.c.state == "written")
        .order_by(t.written_requisition.c.id)
    ).scalars())


def charged_parts(orders) -> Select:
    """Per repair order of `orders` (a list of ids, or a select of them) and part issued on it and not all
    returned: `repair_order_id`, `part_id`, the net `qty` in thousandths, the net `cost` in 1/100,000 (issued
    less returned at the returns' unit cost), the `payer` and the `warranty` amount in cents (the maker pays
    the list price: list price x quantity, half up to cents). What live_charges prices and the warranty claims
    list sum: one statement, so that both say the same."""
    req, issued_line, slip, back = t.requisition, t.requisition_line, t.return_slip, t.return_line
    issued = (select(req.c.repair_order_id, issued_line.c.part_id,
                     _whole(func.sum(_stored(issued_line.c.qty))).label("qty"),
                     _whole(func.sum(_stored(issued_line.c.cost))).label("cost"))
              .join(req, req.c.id == issued_line.c.requisition_id).where(req.c.repair_order_id.in_(orders))
              .group_by(req.c.repair_order_id, issued_line.c.part_id).subquery("issued"))
    returned = (select(req.c.repair_order_id, back.c.part_id, _whole(func.sum(_stored(back.c.qty))).label("qty"),
                       _whole(func.sum(_stored(back.c.qty) * _stored(back.c.unit_cost))).label("cost"))
                .join(slip, slip.c.id == back.c.return_id).join(req, req.c.id == slip.c.requisition_id)
                .where(req.c.repair_order_id.in_(orders))
                .group_by(req.c.repair_order_id, back.c.part_id).subquery("returned"))
    qty = issued.c.qty - func.coalesce(returned.c.qty, 0)
    # Cents x thousandths is in 1/100,000: +500 then // 1000 is half up to cents (never negative here).
    warranty = (_stored(t.part.c.list_price) * qty + 500) // 1000
    payer = t.repair_order_payer
    return (
        select(issued.c.repair_order_id, issued.c.part_id, qty.label("qty"),
               (issued.c.cost * 1000 - func.coalesce(returned.c.cost, 0)).label("cost"),
               payer_of().label("payer"), warranty.label("warranty"))
        .select_from(
            issued.outerjoin(returned, and_(returned.c.repair_order_id == issued.c.repair_order_id,
                                            returned.c.part_id == issued.c.part_id))
            .join(t.repair_order, t.repair_order.c.id == issued.c.repair_order_id)
            .join(t.part, t.part.c.id == issued.c.part_id)
            .outerjoin(payer, and_(payer.c.repair_order_id == issued.c.repair_order_id,
                                   payer.c.part_id == issued.c.part_id)))
        .where(qty > 0)
    )


def live_charges(conn: Connection, ro_id: int) -> tuple[tuple[int, ChargeLine], ...]:
    """The order's parts charged as they stand now (part id with each line), by part number."""
    parts = conn.execute(charged_parts([ro_id])).all()
    if not parts:
        return ()
    info = {r.id: r for r in conn.execute(
        select(t.part.c.id, t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.list_price)
        .where(t.part.c.id.in_([row.part_id for row in parts])))}
    lines = []
    for row in parts:
        part, payer = info[row.part_id], row.payer
        qty, cost = Decimal(int(row.qty)).scaleb(-3), money(Decimal(int(row.cost)).scaleb(-5))
        if payer == INTERNAL:
            unit, amount = money(cost / qty), cost
        elif payer == WARRANTY:
            unit, amount = money(part.list_price), Decimal(int(row.warranty)).scaleb(-2)
        else:
            unit = part_price(conn, row.part_id, cost / qty)
            amount = money(unit * qty)
        lines.append((row.part_id, ChargeLine(part.part_no, part.name, part.name_zh, qty, payer, unit, amount, cost)))
    return tuple(sorted(lines, key=lambda item: item[1].part_no))


def warranty_charges() -> Select:
    """Every part a repair order charges to the maker: `repair_order_id`, `part_id`, `qty` in thousandths and
    `amount` in cents; as its settlement recorded them where it did, else as they stand now (ro_charges'
    choice, in SQL, for the warranty claims list)."""
    order, charge = t.repair_order, t.repair_order_charge
    recorded = exists().where(charge.c.repair_order_id == order.c.id)
    said_warranty = exists().where(t.repair_order_payer.c.repair_order_id == order.c.id,
                                   t.repair_order_payer.c.payer == WARRANTY)
    # Only the orders that may charge the maker are priced live: a warranty order, or a part said to be warranty.
    live_orders = select(order.c.id).where(or_(order.c.warranty == "in", said_warranty),
                                           or_(order.c.settled_at.is_(None), ~recorded))
    live = charged_parts(live_orders).subquery("live")
    stored = (select(charge.c.repair_order_id, charge.c.part_id, _stored(charge.c.qty).label("qty"),
                     _stored(charge.c.amount).label("amount"))
              .join(order, order.c.id == charge.c.repair_order_id)
              .where(charge.c.payer == WARRANTY, order.c.settled_at.is_not(None)))
    return union_all(
        select(live.c.repair_order_id, live.c.part_id, live.c.qty, live.c.warranty.label("amount"))
        .where(live.c.payer == WARRANTY),
        stored,
    )


def stored_charges(conn: Connection, ro_id: int) -> tuple[ChargeLine, ...]:
    """The order's parts as its settlement recorded them."""
    charge = t.repair_order_charge
    return tuple(
        ChargeLine(r.part_no, r.name, r.name_zh, r.qty, r.payer, r.unit_price, r.amount, r.cost)
        for r in conn.execute(
            select(charge, t.part.c.part_no, t.part.c.name, t.part.c.name_zh)
            .join(t.part, t.part.c.id == charge.c.part_id)
            .where(charge.c.repair_order_id == ro_id).order_by(charge.c.line_no))
    )


def ro_charges(conn: Connection, row) -> RoCharges:
    """A repair_order row's parts charged by payer: as stored once settled, else as they stand now."""
    if row.settled_at is not None:
        stored = stored_charges(conn, row.id)
        if stored:  # an order settled before prices were kept has none: shown as it stands
            return RoCharges(stored, True)
    return RoCharges(tuple(line for _pid, line in live_charges(conn, row.id)), False)


def purchase_cost(part_id, list_price):
    """What a part costs the station to buy, as SQL over its id and list price: the unit cost of the lot last
    received (the newest lot), else (a part never received) its list price."""
    lot = t.stock_lot
    newest = (select(lot.c.unit_cost).where(lot.c.part_id == part_id).order_by(lot.c.id.desc()).limit(1)
              .scalar_subquery())
    return func.coalesce(newest, list_price)
