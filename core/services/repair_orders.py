"""Repair orders (任务委托书 / 维修服务单): intake, technician, process record, warranty, states, settlement.

Every change is stamped with time and operator in the order's history (repair_order_event), and a
state changes only along core.repair_states.TRANSITIONS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Connection, case, func, insert, select, type_coerce, update

from core import clock
from core import tables as t
from core.codes import normalise_series
from core.decimals import fmt_qty, money
from core.documents import REPAIR_ORDER, next_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.intake import (
    optional_text,
    parse_checklist,
    parse_mileage,
    required_text,
    validate_phone,
    validate_plate,
    validate_vin,
)
from core.records.catalog import part_id
from core.records.pricing import RoCharges, live_charges, open_requisitions, ro_charges
from core.records.repair_orders import Person, RoHeader, people, ro_row
from core.repair_states import (
    OPEN_STATES,
    STATE_ORDER,
    RepairState,
    allowed_next,
    check_assign,
    check_move,
    check_note,
    check_warranty,
    move_permission,
    parse_state,
)
from core.roles import Actor, Permission, Role, require
from core.units import ReadUnit, WriteUnit, retried

# The history's kinds of entry.
OPENED, STATE, ASSIGNED, NOTE, WARRANTY = "opened", "state", "assigned", "note", "warranty"


@dataclass(frozen=True, slots=True)
class RoEvent:
    """One entry of the order's history: a state change, a note of the process record, an assignment, ..."""

    at: datetime
    operator: Person
    kind: str
    from_state: str | None
    to_state: str | None
    text: str | None


@dataclass(frozen=True, slots=True)
class RoDocument:
    """A requisition or return slip of the order, as the counter lists them."""

    number: str
    kind: str  # "requisition" or "return"
    at: datetime
    mechanic: Person
    storekeeper: Person
    lines: int
    value: Decimal
    requisition: str  # the requisition itself, or the one a return is against
    on_requisition: bool  # a return shown as negative lines on its requisition (before settlement)


@dataclass(frozen=True, slots=True)
class DamageReport:
    """A part found damaged when it came back: refused as a return, consumed on the order, reported for the
    workshop's follow-up (note, who, when)."""

    part_no: str
    name: str
    name_zh: str | None
    note: str
    by: Person
    at: datetime


@dataclass(frozen=True, slots=True)
class RepairOrderView:
    """A repair order in full: intake, technician, warranty, outside repair, re-inspection, delivery, history."""

    ro_no: str
    state: str
    state_at: datetime
    opened_at: datetime
    advisor: Person
    technician: Person | None
    technician_id: int | None  # the operator the rules compare with the actor (core.repair_states)
    customer_name: str
    customer_phone: str
    customer_address: str | None
    vin: str
    plate: str
    series: str
    mileage: int
    complaint: str
    inspection: str | None
    checklist: dict[str, bool]
    warranty: str | None
    warranty_reason: str | None
    outside_repairer: str | None
    sent_out_at: datetime | None
    back_at: datetime | None
    reinspection: str | None
    reinspected_at: datetime | None
    reinspected_by: Person | None
    customer_confirmed_at: datetime | None
    customer_confirmed_by: Person | None
    settled_at: datetime | None
    settled_by: Person | None
    events: tuple[RoEvent, ...]
    documents: tuple[RoDocument, ...]
    damage_reports: tuple[DamageReport, ...] = ()
    charges: RoCharges | None = None  # the parts charged by payer (core.records.pricing)

    @property
    def header(self) -> RoHeader:
        """The part every slip repeats."""
        return RoHeader(self.ro_no, self.state, self.customer_name, self.customer_phone, self.vin, self.plate,
                        self.series, self.mileage)

    @property
    def is_open(self) -> bool:
        """Whether parts may still be issued against it."""
        return RepairState(self.state) in OPEN_STATES

    @property
    def next_states(self) -> tuple[RepairState, ...]:
        """The states it may move to now, in the workshop's order."""
        return tuple(sorted(allowed_next(self.state), key=STATE_ORDER.__getitem__))

    @property
    def notes(self) -> tuple[RoEvent, ...]:
        """The technician's process record (产品维修过程记录): the timestamped notes."""
        return tuple(e for e in self.events if e.kind == NOTE)

    @property
    def parts_cost(self) -> Decimal:
        """What the parts issued on it cost, less what came back."""
        total = Decimal(0)
        for document in self.documents:
            total += document.value if document.kind == "requisition" else -document.value
        return money(total)


@dataclass(frozen=True, slots=True)
class RepairOrderSummary:
    """One line of the list of repair orders."""

    ro_no: str
    state: str
    state_at: datetime
    opened_at: datetime
    customer_name: str
    plate: str
    vin: str
    series: str
    advisor: str
    technician: str | None


# -- reading -----------------------------------------------------------------------------------


def get_repair_order(ro_no: str, *, uow: ReadUnit) -> RepairOrderView:
    """A repair order with its checklist, history and documents; NotFound for an unknown number."""
    with uow.read() as conn:
        return _view(conn, ro_row(conn, ro_no))


def _view(conn: Connection, row) -> RepairOrderView:
    checklist = {
        r.item: bool(r.present)
        for r in conn.execute(
            select(t.repair_order_check.c.item, t.repair_order_check.c.present)
            .where(t.repair_order_check.c.repair_order_id == row.id)
            .order_by(t.repair_order_check.c.id)
        )
    }
    events = conn.execute(
        select(t.repair_order_event)
        .where(t.repair_order_event.c.repair_order_id == row.id)
        .order_by(t.repair_order_event.c.id)
    ).all()
    documents = _documents(conn, row.id)
    damaged = conn.execute(
        select(t.damage_report, t.part.c.part_no, t.part.c.name, t.part.c.name_zh)
        .join(t.part, t.part.c.id == t.damage_report.c.part_id)
        .where(t.damage_report.c.repair_order_id == row.id)
        .order_by(t.damage_report.c.id)
    ).all()
    who = people(conn, [row.advisor_id, row.technician_id, row.reinspected_by_id, row.customer_confirmed_by_id,
                        row.settled_by_id, *(e.operator_id for e in events), *(d.operator_id for d in damaged)])
    return RepairOrderView(
        ro_no=row.ro_no, state=row.state, state_at=row.state_at, opened_at=row.opened_at,
        advisor=who[row.advisor_id], technician=who.get(row.technician_id), technician_id=row.technician_id,
        customer_name=row.customer_name, customer_phone=row.customer_phone, customer_address=row.customer_address,
        vin=row.vin, plate=row.plate, series=row.model_series, mileage=row.mileage, complaint=row.complaint,
        inspection=row.inspection, checklist=checklist, warranty=row.warranty, warranty_reason=row.warranty_reason,
        outside_repairer=row.outside_repairer, sent_out_at=row.sent_out_at, back_at=row.back_at,
        reinspection=row.reinspection, reinspected_at=row.reinspected_at,
        reinspected_by=who.get(row.reinspected_by_id), customer_confirmed_at=row.customer_confirmed_at,
        customer_confirmed_by=who.get(row.customer_confirmed_by_id), settled_at=row.settled_at,
        settled_by=who.get(row.settled_by_id),
        events=tuple(RoEvent(e.at, who[e.operator_id], e.kind, e.from_state, e.to_state, e.text) for e in events),
        documents=documents,
        damage_reports=tuple(DamageReport(d.part_no, d.name, d.name_zh, d.note, who[d.operator_id], d.at)
                             for d in damaged),
        charges=ro_charges(conn, row),
    )


def _documents(conn: Connection, ro_id: int) -> tuple[RoDocument, ...]:
    requisitions = conn.execute(
        select(
            t.requisition.c.id,
            t.requisition.c.req_no,
            t.requisition.c.issued_at,
            t.requisition.c.storekeeper_id,
            t.requisition.c.mechanic_id,
            func.count(t.requisition_line.c.id).label("lines"),
            func.sum(type_coerce(t.requisition_line.c.cost, BigInteger)).label("value_raw"),
        )
        .join(t.requisition_line, t.requisition_line.c.requisition_id == t.requisition.c.id)
        .where(t.requisition.c.repair_order_id == ro_id)
        .group_by(
            t.requisition.c.id,
            t.requisition.c.req_no,
            t.requisition.c.issued_at,
            t.requisition.c.storekeeper_id,
            t.requisition.c.mechanic_id,
        )
        .order_by(t.requisition.c.id)
    ).all()
    returns = conn.execute(
        select(
            t.return_slip.c.ret_no,
            t.return_slip.c.returned_at,
            t.return_slip.c.storekeeper_id,
            t.return_slip.c.mechanic_id,
            t.return_slip.c.on_requisition,
            t.requisition.c.req_no,
            func.count(t.return_line.c.id).label("lines"),
            func.sum(
                type_coerce(t.return_line.c.qty, BigInteger) * type_coerce(t.return_line.c.unit_cost, BigInteger)
            ).label("value_raw"),
        )
        .join(t.requisition, t.requisition.c.id == t.return_slip.c.requisition_id)
        .join(t.return_line, t.return_line.c.return_id == t.return_slip.c.id)
        .where(t.requisition.c.repair_order_id == ro_id)
        .group_by(
            t.return_slip.c.id,
            t.return_slip.c.ret_no,
            t.return_slip.c.returned_at,
            t.return_slip.c.storekeeper_id,
            t.return_slip.c.mechanic_id,
            t.return_slip.c.on_requisition,
            t.requisition.c.req_no,
        )
        .order_by(t.return_slip.c.id)
    ).all()
    who = people(conn, [r.storekeeper_id for r in (*requisitions, *returns)]
                 + [r.mechanic_id for r in (*requisitions, *returns)])
    documents = [
        RoDocument(r.req_no, "requisition", r.issued_at, who[r.mechanic_id], who[r.storekeeper_id], r.lines,
                   _money_of(r.value_raw, 2), r.req_no, False)
        for r in requisitions
    ]
    # qty is stored in thousandths and cost in cents: their raw product is in 1/100000 of money.
    documents += [
        RoDocument(r.ret_no, "return", r.returned_at, who[r.mechanic_id], who[r.storekeeper_id], r.lines,
                   _money_of(r.value_raw, 5), r.req_no, bool(r.on_requisition))
        for r in returns
    ]
    return tuple(sorted(documents, key=lambda d: (d.at, d.number)))


def _money_of(raw, scale: int) -> Decimal:
    """A sum the database added up in raw stored units (cents, or cents times thousandths) as money."""
    return money(Decimal(int(raw)).scaleb(-scale))


def list_repair_orders(
    *, uow: ReadUnit, state: str | None = None, include_closed: bool = False,
) -> list[RepairOrderSummary]:
    """Repair orders by state in the workshop's order, then by number; settled and cancelled ones only when
    asked for by state or with include_closed."""
    statement = select(t.repair_order)
    if state:
        statement = statement.where(t.repair_order.c.state == parse_state(state).value)
    elif not include_closed:
        statement = statement.where(
            t.repair_order.c.state.not_in([RepairState.SETTLED.value, RepairState.CANCELLED.value])
        )
    with uow.read() as conn:
        rows = conn.execute(statement).all()
        who = people(conn, [r.advisor_id for r in rows] + [r.technician_id for r in rows])
    rows = sorted(rows, key=lambda r: (STATE_ORDER[RepairState(r.state)], r.ro_no))
    return [
        RepairOrderSummary(r.ro_no, r.state, r.state_at, r.opened_at, r.customer_name, r.plate, r.vin,
                           r.model_series, who[r.advisor_id].code,
                           who[r.technician_id].code if r.technician_id in who else None)
        for r in rows
    ]


# -- writing -----------------------------------------------------------------------------------


def _record(conn: Connection, ro_id: int, actor: Actor, at: datetime, kind: str, *, text: str | None = None,
            from_state: str | None = None, to_state: str | None = None) -> None:
    conn.execute(insert(t.repair_order_event).values(repair_order_id=ro_id, at=at, operator_id=actor.id, kind=kind,
                                       from_state=from_state, to_state=to_state, text=text))


@retried
def open_repair_order(
    *, customer: str, phone: str, vin: str, plate: str, series: str, mileage: str | int, complaint: str,
    address: str | None = None, inspection: str | None = None, checklist: Mapping[str, bool] | None = None,
    actor: Actor, uow: WriteUnit,
) -> RepairOrderView:
    """Take a car in: customer, vehicle, complaint and the intake inspection; the order starts at intake."""
    require(actor, Permission.OPEN_REPAIR_ORDER)
    values = {
        "customer_name": required_text(customer, _("the customer's name"), 100),
        "customer_phone": validate_phone(phone),
        "customer_address": optional_text(address, _("the address"), 200),
        "vin": validate_vin(vin),
        "plate": validate_plate(plate),
        "model_series": normalise_series(series),
        "mileage": parse_mileage(mileage),
        "complaint": required_text(complaint, _("the complaint"), 1000),
        "inspection": optional_text(inspection, _("the inspection notes"), 1000),
    }
    if values["model_series"] is None:
        raise BadInput(_("the vehicle's model series is empty"))
    checks = parse_checklist(dict(checklist or {}))
    at = clock.now()
    with uow.write() as conn:
        number = next_number(conn, REPAIR_ORDER.prefix, at)
        ro_id = conn.execute(insert(t.repair_order).values(
            ro_no=number, state=RepairState.INTAKE.value, state_at=at, advisor_id=actor.id, opened_at=at, **values,
        )).inserted_primary_key[0]
        if checks:
            conn.execute(insert(t.repair_order_check), [{"repair_order_id": ro_id, "item": item, "present": present}
                                          for item, present in checks.items()])
        _record(conn, ro_id, actor, at, OPENED, to_state=RepairState.INTAKE.value, text=values["complaint"])
        return _view(conn, ro_row(conn, number))


@retried
def assign_technician(ro_no: str, technician: str, *, actor: Actor, uow: WriteUnit) -> RepairOrderView:
    """Assign (or reassign) the technician who repairs the car and keeps its process record."""
    require(actor, Permission.OPEN_REPAIR_ORDER)
    code = (technician or "").strip().upper()
    if not code:
        raise BadInput(_("name the technician (an operator code)"))
    at = clock.now()
    with uow.write() as conn:
        row = ro_row(conn, ro_no, lock=True)
        check_assign(actor, row)
        tech = conn.execute(select(t.operator.c.id, t.operator.c.roles, t.operator.c.active)
                            .where(t.operator.c.code == code)).first()
        if tech is None:
            raise NotFound(_("unknown operator {code}").format(code=code))
        if Role.MECHANIC.value not in tech.roles.split(",") or not tech.active:
            raise RuleViolation(_("{code} is not an active mechanic").format(code=code))
        conn.execute(update(t.repair_order).where(t.repair_order.c.id == row.id).values(technician_id=tech.id))
        _record(conn, row.id, actor, at, ASSIGNED, text=code)
        return _view(conn, ro_row(conn, row.ro_no))


@retried
def add_note(ro_no: str, text: str, *, actor: Actor, uow: WriteUnit) -> RepairOrderView:
    """Add a timestamped note to the technician's process record (产品维修过程记录)."""
    require(actor, Permission.RECORD_REPAIR)
    note = required_text(text, _("the note"), 1000)
    at = clock.now()
    with uow.write() as conn:
        row = ro_row(conn, ro_no, lock=True)
        check_note(actor, row)
        _record(conn, row.id, actor, at, NOTE, text=note)
        return _view(conn, ro_row(conn, row.ro_no))


@retried
def record_warranty(
    ro_no: str, in_warranty: bool, reason: str, *, actor: Actor, uow: WriteUnit,
) -> RepairOrderView:
    """Record the warranty decision (保修期: in or out, with the reason), once diagnosis has begun."""
    require(actor, Permission.OPEN_REPAIR_ORDER)
    why = required_text(reason, _("the reason for the warranty decision"), 500)
    decision = "in" if in_warranty else "out"
    at = clock.now()
    with uow.write() as conn:
        row = ro_row(conn, ro_no, lock=True)
        check_warranty(actor, row)
        conn.execute(
            update(t.repair_order).where(t.repair_order.c.id == row.id).values(warranty=decision, warranty_reason=why)
        )
        _record(conn, row.id, actor, at, WARRANTY, text=f"{decision}: {why}")
        return _view(conn, ro_row(conn, row.ro_no))


@retried
def change_state(
    ro_no: str, new_state: str, *, actor: Actor, uow: WriteUnit, note: str | None = None,
    repairer: str | None = None, customer_confirmed: bool = False,
) -> RepairOrderView:
    """Move a repair order to another state, if the table allows it and what the move needs is there:
    a technician before diagnosis, the warranty decision before repair, the outside repairer when sent
    out, the re-inspection result before ready, the customer's confirmation before delivery, a reason
    to cancel, and no parts left out when cancelling."""
    new = parse_state(new_state)
    require(actor, move_permission(new))
    note = optional_text(note, _("the note"), 500)
    repairer = optional_text(repairer, _("the outside repairer"), 200)
    at = clock.now()
    with uow.write() as conn:
        row = ro_row(conn, ro_no, lock=True)
        check_move(actor, row, new)
        changes = _move_needs(conn, row, RepairState(row.state), new, actor, at, note, repairer, customer_confirmed)
        conn.execute(
            update(t.repair_order).where(t.repair_order.c.id == row.id).values(state=new.value, state_at=at, **changes)
        )
        text = note if new is not RepairState.SENT_OUT else "; ".join(filter(None, [repairer, note]))
        _record(conn, row.id, actor, at, STATE, from_state=row.state, to_state=new.value, text=text)
        return _view(conn, ro_row(conn, row.ro_no))


def _move_needs(conn, row, current: RepairState, new: RepairState, actor: Actor, at: datetime,
                note: str | None, repairer: str | None, customer_confirmed: bool) -> dict:
    """Check what a move needs and return the columns it sets besides the state."""
    ro = row.ro_no
    if new is RepairState.DIAGNOSING and row.technician_id is None:
        raise RuleViolation(_("{ro} has no technician: assign one before diagnosis").format(ro=ro))
    if current is RepairState.DIAGNOSING and new is RepairState.IN_REPAIR and row.warranty is None:
        raise RuleViolation(_("{ro}: record the warranty decision (in or out) before the repair starts").format(ro=ro))
    if new is RepairState.SENT_OUT:
        if not repairer:
            raise BadInput(_("{ro}: name the outside repairer it is sent to").format(ro=ro))
        return {"outside_repairer": repairer, "sent_out_at": at, "back_at": None}
    if current is RepairState.SENT_OUT and new is RepairState.IN_REPAIR:
        return {"back_at": at}
    if new is RepairState.READY:
        if not note:
            raise BadInput(_("{ro}: record the re-inspection result (a note) before it is ready").format(ro=ro))
        return {"reinspection": note, "reinspected_at": at, "reinspected_by_id": actor.id}
    if new is RepairState.DELIVERED:
        if not customer_confirmed:
            raise RuleViolation(_("{ro}: delivery needs the customer's confirmation, recorded by the advisor").format(
                ro=ro))
        return {"customer_confirmed_at": at, "customer_confirmed_by_id": actor.id}
    if new is RepairState.SETTLED:
        return {"settled_at": at, "settled_by_id": actor.id}
    if new is RepairState.CANCELLED:
        if not note:
            raise BadInput(_("{ro}: say why it is cancelled (a note)").format(ro=ro))
        out = parts_out(conn, row.id)
        if out:
            listed = ", ".join(f"{part_no} {fmt_qty(qty)}" for part_no, qty in out)
            raise RuleViolation(_("{ro} still has parts issued and not returned ({parts}): take them back before "
                                  "cancelling").format(ro=ro, parts=listed))
    return {}


@retried
def report_damage(ro_no: str, part_no: str, note: str, *, actor: Actor, uow: WriteUnit) -> RepairOrderView:
    """Report a part the storekeeper found damaged when the mechanic brought it back (维修工退料，库房管理员要先
    确认备件完好无损…方可电脑退料): refused as a return, it stays consumed on the order; the report (note, who,
    when) is for the workshop's follow-up and moves no stock. The part must be out on the order."""
    require(actor, Permission.RETURN_STOCK)
    text = required_text(note, _("the note"), 500)
    at = clock.now()
    with uow.write() as conn:
        row = ro_row(conn, ro_no, lock=True)
        pid = part_id(conn, part_no)
        number = conn.execute(select(t.part.c.part_no).where(t.part.c.id == pid)).scalar_one()
        if number not in dict(parts_out(conn, row.id)):
            raise RuleViolation(_("{part_no} is not out on {ro}: only a part issued on the order and not returned "
                                  "can be reported damaged").format(part_no=number, ro=row.ro_no))
        conn.execute(insert(t.damage_report).values(repair_order_id=row.id, part_id=pid, note=text,
                                                    operator_id=actor.id, at=at))
        return _view(conn, ro_row(conn, row.ro_no))


@retried
def settle(ro_no: str, *, actor: Actor, uow: WriteUnit) -> RepairOrderView:
    """Settle (结算) a delivered repair order: refused while a requisition of it is written and not issued; the
    parts are recorded as charged by payer (unit price, amount, cost), never computed again; returns after this
    are slips of their own."""
    require(actor, move_permission(RepairState.SETTLED))
    with uow.write() as conn:
        row = ro_row(conn, ro_no, lock=True)
        waiting = open_requisitions(conn, row.id)
        if waiting:
            raise RuleViolation(_("{ro} cannot be settled while requisition {req} is written and not issued: issue "
                                  "or cancel it first").format(ro=row.ro_no, req=", ".join(waiting)))
        lines = live_charges(conn, row.id)
        change_state(row.ro_no, RepairState.SETTLED.value, actor=actor, uow=uow)
        if lines:
            conn.execute(insert(t.repair_order_charge), [
                {"repair_order_id": row.id, "line_no": number, "part_id": pid, "qty": line.qty, "payer": line.payer,
                 "unit_price": line.unit_price, "amount": line.amount, "cost": line.cost}
                for number, (pid, line) in enumerate(lines, start=1)])
        return _view(conn, ro_row(conn, row.ro_no))


def parts_out(conn: Connection, ro_id: int) -> list[tuple[str, Decimal]]:
    """Per part, what was issued on the order's requisitions and has not come back, where that is not zero."""
    issued = dict(conn.execute(
        select(t.part.c.part_no, func.sum(t.requisition_line.c.qty))
        .join(t.requisition_line, t.requisition_line.c.part_id == t.part.c.id)
        .join(t.requisition, t.requisition.c.id == t.requisition_line.c.requisition_id)
        .where(t.requisition.c.repair_order_id == ro_id)
        .group_by(t.part.c.part_no)
    ).all())
    returned = dict(conn.execute(
        select(t.part.c.part_no, func.sum(t.return_line.c.qty))
        .join(t.return_line, t.return_line.c.part_id == t.part.c.id)
        .join(t.return_slip, t.return_slip.c.id == t.return_line.c.return_id)
        .join(t.requisition, t.requisition.c.id == t.return_slip.c.requisition_id)
        .where(t.requisition.c.repair_order_id == ro_id)
        .group_by(t.part.c.part_no)
    ).all())
    out = [(part_no, qty - returned.get(part_no, 0)) for part_no, qty in sorted(issued.items())]
    return [(part_no, qty) for part_no, qty in out if qty]


# -- the board, a page at a time ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RepairOrderPage:
    """One page of the list of repair orders, with how many the whole list has."""

    rows: list[RepairOrderSummary]
    total: int


def _listed(state: str | None):
    """The condition of list_repair_orders' rows: in `state`, else every order not settled nor cancelled."""
    if state:
        return t.repair_order.c.state == parse_state(state).value
    return t.repair_order.c.state.not_in([RepairState.SETTLED.value, RepairState.CANCELLED.value])


def in_repair_order_list(order_state: str, state: str | None = None) -> bool:
    """Whether an order in `order_state` is on the list of `state` (None: the open orders), as
    repair_orders_page lists them."""
    if state:
        return RepairState(order_state) == parse_state(state)
    return RepairState(order_state) not in (RepairState.SETTLED, RepairState.CANCELLED)


def repair_orders_page(*, uow: ReadUnit, limit: int, offset: int = 0, state: str | None = None) -> RepairOrderPage:
    """`limit` repair orders from `offset` in list_repair_orders' order (by state in the workshop's order, then
    by number), those in `state` or every open one, with how many there are: SQL orders, counts and pages."""
    order = t.repair_order
    where = _listed(state)
    # The workshop's order of the states as SQL: the same CASE on every database.
    by_state = case({s.value: index for s, index in STATE_ORDER.items()}, value=order.c.state, else_=len(STATE_ORDER))
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(order).where(where)).scalar_one()
        rows = conn.execute(select(order).where(where).order_by(by_state, order.c.ro_no)
                            .limit(max(0, limit)).offset(max(0, offset))).all()
        who = people(conn, [r.advisor_id for r in rows] + [r.technician_id for r in rows])
    return RepairOrderPage([
        RepairOrderSummary(r.ro_no, r.state, r.state_at, r.opened_at, r.customer_name, r.plate, r.vin,
                           r.model_series, who[r.advisor_id].code,
                           who[r.technician_id].code if r.technician_id in who else None)
        for r in rows], total)
