"""Counter sales (销售订单 / 发出商品): parts sold over the counter to a walk-in customer or another workshop, without a
repair order.

One person enters the sales order (一审: the storekeeper or the parts manager) with each line's price fixed from
core.services.pricing; a second, different person checks it (二审: the dispatch checker or the parts manager), and
only then do the parts leave, oldest lot first, as ledger rows on the sale's number (all lines or none; units
reserved for repair orders are not sold). The delivery note (发货通知单) prints from core.printing; settling records
what the customer owes. Parts come back within the station's `sale_return_days` of the check, never more than sold
less returned, into the lot they left from (the newest take first, as the counter's returns do).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, update

from core import clock, labels, ledger, ledger_chain
from core import tables as t
from core.codes import normalise_part_no
from core.decimals import fmt_qty, positive_qty
from core.documents import SALE, DocumentRef, next_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.intake import required_text, validate_phone
from core.models import MoveKind
from core.models.enums import SaleState
from core.records.catalog import check_whole, part_id
from core.records.reservations import reserved_by_part_no
from core.records.sales import SaleView, issued_takes, returned_by_lot, sale_row, sale_view
from core.records.settings import read_settings
from core.roles import Actor, Permission, allows, require
from core.services.pricing import selling_price
from core.services.requisitions import lock_and_check, take_lines
from core.units import ReadUnit, WriteUnit, retried

CUSTOMER_LENGTH = 100


def parse_line(text: str) -> tuple[str, Decimal]:
    """A line as typed, PART_NO:QTY; the quantity through core's one parser, more than zero."""
    raw = (text or "").strip()
    part_no, sep, qty = raw.rpartition(":")
    if not sep or not part_no.strip() or not qty.strip():
        raise BadInput(_("line {line!r} must be PART_NO:QTY").format(line=raw))
    normalised = normalise_part_no(part_no)
    return normalised, positive_qty(qty, normalised)


def _merge(lines: Iterable[tuple[str, str | Decimal] | str]) -> list[tuple[str, Decimal]]:
    """One line per part in the order first named (a part named twice is added up); at least one."""
    merged: dict[str, Decimal] = {}
    for line in lines:
        part_no, qty = parse_line(line) if isinstance(line, str) else line
        normalised = normalise_part_no(part_no)
        if not normalised:
            raise BadInput(_("a line has no part number"))
        merged[normalised] = merged.get(normalised, Decimal(0)) + positive_qty(qty, normalised)
    if not merged:
        raise BadInput(_("a sale needs at least one line"))
    return list(merged.items())


def _state(state: str) -> str:
    return labels.label(labels.SALE_STATE, state)


@retried
def create_sale(customer: str, lines: Iterable[tuple[str, str | Decimal] | str], *, actor: Actor, uow: WriteUnit,
                phone: str | None = None) -> SaleView:
    """Enter a sales order (一审): the customer, the lines at their selling prices; nothing leaves the store until a
    second person checks it. Refused: no line, an unknown part, a fraction of a whole unit."""
    require(actor, Permission.ENTER_SALE)
    name = required_text(customer, _("the customer's name"), CUSTOMER_LENGTH)
    phone = validate_phone(phone) if (phone or "").strip() else None
    wanted = _merge(lines)
    at = clock.now()
    with uow.write() as conn:
        ids = {part_no: part_id(conn, part_no) for part_no, _qty in wanted}
        check_whole(conn, wanted)
        number = next_number(conn, SALE.prefix, at)
        sale_id = conn.execute(insert(t.sales_order).values(
            number=number, customer=name, phone=phone, state=SaleState.ENTERED.value, entered_by_id=actor.id,
            entered_at=at)).inserted_primary_key[0]
        conn.execute(insert(t.sales_line), [
            {"sale_id": sale_id, "line_no": line_no, "part_id": ids[part_no], "qty": qty,
             "unit_price": selling_price(conn, ids[part_no])}
            for line_no, (part_no, qty) in enumerate(wanted, start=1)])
        return sale_view(conn, sale_row(conn, number))


def check_rule(actor: Actor, entered_by: int, state: str) -> None:
    """RuleViolation (or PermissionDenied) unless the operator may check a sale in this state: the dispatch checker
    or the parts manager, never the person who entered it (一审、二审), only while it waits."""
    require(actor, Permission.CHECK_SALE)
    if state != SaleState.ENTERED.value:
        raise RuleViolation(_("the sale is {state}: nothing to check").format(state=_state(state)))
    if actor.id == entered_by:
        raise RuleViolation(_("{code} entered this sale: a second, different person checks it (一审、二审)").format(
            code=actor.code))


def may_check(actor: Actor | None, entered_by: int, state: str) -> bool:
    """Whether the operator may check a sale in this state (the screen asks for a checker's PIN otherwise)."""
    return actor is not None and allows(check_rule, actor, entered_by, state)


@retried
def check_sale(number: str, *, actor: Actor, uow: WriteUnit) -> SaleView:
    """Check a sale (二审) and issue it: every line oldest lot first, as ledger rows on the sale's number, all of
    them or none (ShortOfStock naming every short line; units reserved for repair orders are not sold)."""
    at = clock.now()
    with uow.write() as conn:
        row = sale_row(conn, number, lock=True)
        check_rule(actor, row.entered_by_id, row.state)
        lines = conn.execute(
            select(t.part.c.part_no, t.sales_line.c.part_id, t.sales_line.c.qty)
            .join(t.part, t.part.c.id == t.sales_line.c.part_id)
            .where(t.sales_line.c.sale_id == row.id).order_by(t.sales_line.c.line_no)).all()
        wanted = [(line.part_no, line.qty) for line in lines]
        ids = {line.part_no: line.part_id for line in lines}
        # Locked by part id then lot id and counted under the locks, as the counter's issue does.
        lock_and_check(conn, row.number, wanted, ids, lambda: reserved_by_part_no(conn, ids))
        taken = take_lines(conn, wanted)
        document = DocumentRef(SALE.prefix, row.number)
        ledger_chain.append(conn, [move for line in taken for move in line.moves(
            kind=MoveKind.ISSUE, document=document, actor=actor, at=at, note=row.customer)])
        conn.execute(update(t.sales_order).where(t.sales_order.c.id == row.id).values(
            state=SaleState.CHECKED.value, checked_by_id=actor.id, checked_at=at))
        return sale_view(conn, sale_row(conn, row.number))


def cancel_rule(actor: Actor, state: str) -> None:
    """Refused unless the operator enters sales and the sale is not yet checked."""
    require(actor, Permission.ENTER_SALE)
    if state != SaleState.ENTERED.value:
        raise RuleViolation(_("the sale is {state}: only a sale not yet checked can be cancelled").format(
            state=_state(state)))


def settle_rule(actor: Actor, state: str) -> None:
    """Refused unless the operator settles sales and the sale is checked and not yet settled."""
    require(actor, Permission.SETTLE_SALE)
    if state != SaleState.CHECKED.value:
        raise RuleViolation(_("the sale is {state}: only a checked sale is settled").format(state=_state(state)))


def return_rule(actor: Actor, state: str) -> None:
    """Refused unless the operator takes sales back and the sale's parts left the store."""
    require(actor, Permission.RETURN_SALE)
    if state not in (SaleState.CHECKED.value, SaleState.SETTLED.value):
        raise RuleViolation(_("the sale is {state}: nothing left the store to come back").format(
            state=_state(state)))


def may(rule, actor: Actor | None, state: str) -> bool:
    """Whether a rule (cancel_rule, settle_rule, return_rule) lets the operator act on a sale in this state: the
    screen's keys ask it."""
    return actor is not None and allows(rule, actor, state)


def may_enter(actor: Actor | None) -> bool:
    """Whether the operator enters sales (the screen's ctrl+n)."""
    return actor is not None and actor.can(Permission.ENTER_SALE)


@retried
def cancel_sale(number: str, *, actor: Actor, uow: WriteUnit) -> SaleView:
    """Withdraw a sale before its check: nothing had moved, nothing moves."""
    at = clock.now()
    with uow.write() as conn:
        row = sale_row(conn, number, lock=True)
        cancel_rule(actor, row.state)
        conn.execute(update(t.sales_order).where(t.sales_order.c.id == row.id).values(
            state=SaleState.CANCELLED.value, cancelled_at=at))
        return sale_view(conn, sale_row(conn, row.number))


@retried
def settle_sale(number: str, *, actor: Actor, uow: WriteUnit) -> SaleView:
    """Settle a checked sale: record what the customer owes (the lines at their prices, less what came back)."""
    at = clock.now()
    with uow.write() as conn:
        row = sale_row(conn, number, lock=True)
        settle_rule(actor, row.state)
        amount = sale_view(conn, row).net
        conn.execute(update(t.sales_order).where(t.sales_order.c.id == row.id).values(
            state=SaleState.SETTLED.value, settled_by_id=actor.id, settled_at=at, amount=amount))
        return sale_view(conn, sale_row(conn, row.number))


@retried
def return_sale(number: str, lines: Iterable[tuple[str, str | Decimal] | str], *, actor: Actor,
                uow: WriteUnit) -> SaleView:
    """Take parts of a checked (or settled) sale back into the lots they left from, the newest take first, within
    the station's `sale_return_days` of the check; never more than sold less returned; all lines or none."""
    require(actor, Permission.RETURN_SALE)
    wanted = _merge(lines)
    at = clock.now()
    with uow.write() as conn:
        row = sale_row(conn, number, lock=True)
        return_rule(actor, row.state)
        days = int(read_settings(conn)["sale_return_days"])
        if at - row.checked_at > timedelta(days=days):
            raise RuleViolation(_("{number} was issued {date}: parts of a sale come back within {days} days "
                                  "(setting sale_return_days)").format(
                number=row.number, date=row.checked_at.astimezone().strftime("%Y-%m-%d"), days=days))
        check_whole(conn, wanted)
        prices = dict(conn.execute(select(t.sales_line.c.part_id, t.sales_line.c.unit_price)
                                   .where(t.sales_line.c.sale_id == row.id)).all())
        takes, back = issued_takes(conn, row.number), returned_by_lot(conn, row.id)
        plan = []
        for part_no, qty in wanted:
            pid = conn.execute(select(t.part.c.id).where(t.part.c.part_no == part_no)).scalar()
            if pid is None:
                raise NotFound(_("unknown part number {part_no}").format(part_no=part_no))
            if pid not in prices:
                raise RuleViolation(_("{part_no} is not on {number}").format(part_no=part_no, number=row.number))
            open_takes = []
            for take in takes.get(pid, ()):
                came_back = min(back.get(take.lot, Decimal(0)), take.qty)
                back[take.lot] = back.get(take.lot, Decimal(0)) - came_back
                if take.qty > came_back:
                    open_takes.append((take, take.qty - came_back))
            left = sum((amount for _take, amount in open_takes), Decimal(0))
            if qty > left:
                raise RuleViolation(_("{number} has {left} of {part_no} sold and not returned; {qty} cannot come "
                                      "back").format(number=row.number, left=fmt_qty(left), part_no=part_no,
                                                     qty=fmt_qty(qty)))
            for take, amount in reversed(open_takes):  # the newest take first: the lots stand as if sold less
                if qty <= 0:
                    break
                now = min(amount, qty)
                plan.append((pid, take, now))
                qty -= now
        ledger.lock_lots(conn, [take.lot for _pid, take, _qty in plan])
        document = DocumentRef(SALE.prefix, row.number)
        for pid, take, qty in plan:
            ledger.put_back(conn, take.lot, qty, document=document, actor=actor, at=at, note=row.customer)
            conn.execute(insert(t.sales_return).values(
                sale_id=row.id, part_id=pid, lot_id=take.lot, qty=qty, unit_price=prices[pid],
                returned_by_id=actor.id, returned_at=at))
        return sale_view(conn, row)


@dataclass(frozen=True, slots=True)
class Quote:
    """A part as the new-sale form shows a line: its number, names, unit and selling price."""

    part_no: str
    name: str
    name_zh: str | None
    unit: str
    price: Decimal


def quote(part_no: str, *, uow: ReadUnit) -> Quote:
    """A part's names and selling price for a line of a new sale; NotFound for an unknown part."""
    with uow.read() as conn:
        pid = part_id(conn, part_no)
        row = conn.execute(select(t.part.c.part_no, t.part.c.name, t.part.c.name_zh, t.part.c.unit)
                           .where(t.part.c.id == pid)).one()
        return Quote(row.part_no, row.name, row.name_zh, row.unit, selling_price(conn, pid))


def show_sale(number: str, *, uow: ReadUnit) -> SaleView:
    """A sales order with its lines, the lots they left from and what came back."""
    with uow.read() as conn:
        return sale_view(conn, sale_row(conn, number))


def list_sales(*, uow: ReadUnit, state: str | None = None, limit: int = 500) -> list[SaleView]:
    """Sales orders, newest first (at most `limit`), all or in one state."""
    statement = select(t.sales_order).order_by(t.sales_order.c.id.desc()).limit(limit)
    if state:
        if state not in labels.codes(labels.SALE_STATE):
            raise BadInput(_("unknown sale state {state!r}; the states are {states}").format(
                state=state, states=", ".join(labels.codes(labels.SALE_STATE))))
        statement = statement.where(t.sales_order.c.state == state)
    with uow.read() as conn:
        return [sale_view(conn, row) for row in conn.execute(statement).all()]


@dataclass(frozen=True, slots=True)
class SalesPage:
    """A page of sales and how many there are in all."""

    rows: list[SaleView]
    total: int


def sales_to_check(actor: Actor, *, uow: ReadUnit, offset: int = 0, limit: int = 20) -> SalesPage:
    """The sales waiting for the operator's check (二审), the oldest first (its customer has waited longest): entered,
    not cancelled, and entered by someone else; none for an operator who does not check sales."""
    if not actor.can(Permission.CHECK_SALE):
        return SalesPage([], 0)
    order = t.sales_order
    where = (order.c.state == SaleState.ENTERED.value) & (order.c.entered_by_id != actor.id)
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(order).where(where)).scalar_one()
        rows = conn.execute(select(order).where(where).order_by(order.c.id)
                            .offset(max(0, offset)).limit(max(0, limit))).all()
        return SalesPage([sale_view(conn, row) for row in rows], total)
