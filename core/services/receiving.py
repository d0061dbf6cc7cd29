"""Receiving against the packing list (入库): open, check boxes, count by two people, post.

凭单验货，依货制单，差异制单，单单相符: goods are checked against the document, the receipt is
written from the goods, every difference gets its own document (the discrepancy record and the
claims), and the documents agree with each other and with the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from core import clock, ledger
from core import tables as t
from core.byte_order import byte_order
from core.codes import normalise_part_no
from core.decimals import fmt_qty, money, parse_money, parse_qty
from core.documents import CLAIM, DISCREPANCY, RECEIPT, SURPLUS, DocumentRef, next_number
from core.errors import BadInput, ImportProblem, ImportRejected, NotFound, RuleViolation
from core.i18n import _, ngettext
from core.labels import PARTY, label
from core.measures import check_qty
from core.models import (
    ClaimState,
    Party,
    ReceiptState,
)
from core.order_rules import check_receivable
from core.packing_list import read_packing_list
from core.receiving_rules import (
    MAX_LINE_QTY,
    ClaimKind,
    Difference,
    LineOutcome,
    MissingLocation,
    NotInPartsMaster,
    ReceiptStep,
    ReceiptTiming,
    ShipmentDoubt,
    box_check_signers,
    check_late_reason,
    check_receipt_step,
    deadline_of,
    decide_line,
    invoice_difference,
    receipt_overdue,
    receipt_timing,
    same_shipment_doubt,
)
from core.records.batches import batched, rows_in_batches
from core.records.catalog import check_whole, ensure_location, part_units
from core.records.orders import book_received, order_costs, order_id
from core.records.parties import ensure_carrier, known_supplier, party_code
from core.records.shortages import fulfil_shortages
from core.records.supersession import newest_numbers
from core.records.zones import check_part_bin
from core.roles import Actor, Permission, require
from core.services.reservations import reserve_arrivals
from core.services.supersession import received_note
from core.tabular import RowReader, map_columns, read_table
from core.units import ReadUnit, WriteUnit, retried

# -- what the services return ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountEntry:
    """One part as the counters found it: all units, and how many of them damaged."""

    part_no: str
    counted: Decimal
    damaged: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class ReceiptLineInfo:
    """A receipt line with what it comes to."""

    line_no: int
    part_no: str
    description: str
    name: str | None  # from the parts master; None: a part the master does not know
    known: bool
    boxes: str
    expected: Decimal
    counted: Decimal | None
    damaged: Decimal
    fragile: bool
    fragile_damaged: bool
    refused: bool
    refusal_note: str | None
    unit_price: Decimal
    location: str | None
    outcome: LineOutcome | None  # None until counted
    unit: str | None = None  # the master's unit (pc, set, L, ...); None for a part the master does not know
    name_zh: str | None = None  # the master's Chinese name, which screens show in Chinese
    superseded_by: tuple[str, ...] = ()  # an old number's newest number(s): counted as shipped, but flagged

    @property
    def superseded_note(self) -> str | None:
        """The flag of an old number's line (core.services.supersession.received_note), else None: a line the
        packing list names is received as shipped."""
        if not self.superseded_by:
            return None
        return received_note(self.part_no, self.superseded_by, shipped=self.expected > 0)

    @property
    def difference(self) -> str | None:
        """ok, short, missing, over, wrong_part or damaged; None until counted."""
        return self.outcome.difference.value if self.outcome else None

    @property
    def accepted(self) -> Decimal | None:
        """What goes on the shelf (None until counted)."""
        return self.outcome.accepted if self.outcome else None


@dataclass(frozen=True, slots=True)
class BoxInfo:
    """A box as the box check found it."""

    box_no: str
    seal_broken: bool
    damaged: bool


@dataclass(frozen=True, slots=True)
class ClaimSummary:
    """A claim raised by a receipt."""

    number: str
    party: str
    party_code: str
    state: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Stamp:
    """Who did a step, and when."""

    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class InvoiceCheck:
    """The accountant's check of the receipt against the supplier's invoice."""

    number: str
    amount: Decimal
    entered: Stamp


@dataclass(frozen=True, slots=True)
class ReceiptInfo:
    """A receipt with its lines, boxes, steps, deadline and the documents it produced."""

    number: str
    state: str
    shipment_no: str | None
    packing_list: str
    supplier: str | None
    carrier: str | None
    order: str | None
    boxes_expected: int
    boxes_received: int | None
    boxes: tuple[BoxInfo, ...]
    arrived: Stamp
    boxes_checked: Stamp | None
    counted: Stamp | None
    counted_second: Stamp | None
    posted: Stamp | None
    deadline: datetime
    overdue: bool
    discrepancy_no: str | None
    surplus_no: str | None
    lines: tuple[ReceiptLineInfo, ...]
    claims: tuple[ClaimSummary, ...]
    timing: str = ReceiptTiming.TODAY.value  # today, late, overdue or posted (当日报财务…最多不超过3天)
    late_reason: str | None = None  # the special reason a late posting gave
    box_signers: tuple[tuple[str, str], ...] = ()  # (role, operator code): the storekeeper and the planner
    invoice: InvoiceCheck | None = None

    @property
    def value(self) -> Decimal:
        """What the receipt books at its prices: the lines received, damaged ones (in quarantine) included, the
        surplus receipt's units not; before the count, the packing list's value."""
        total = Decimal(0)
        for line in self.lines:
            qty = line.expected if line.outcome is None else line.outcome.normal + line.outcome.quarantined
            total += qty * line.unit_price
        return money(total)

    @property
    def invoice_difference(self) -> Decimal | None:
        """The invoice's amount less the receipt's value; None until the accountant entered the invoice."""
        return None if self.invoice is None else invoice_difference(self.invoice.amount, self.value)

    @property
    def has_differences(self) -> bool:
        """Whether anything differs from the packing list (lines or boxes)."""
        boxes_differ = self.boxes_received is not None and self.boxes_received != self.boxes_expected
        return boxes_differ or any(line.difference not in (None, Difference.OK) for line in self.lines)


@dataclass(frozen=True, slots=True)
class ReceiptSummary:
    """A receipt in a list."""

    number: str
    state: str
    shipment_no: str | None
    supplier: str | None
    arrived_at: datetime
    deadline: datetime
    overdue: bool
    lines: int
    timing: str = ReceiptTiming.TODAY.value
    late_reason: str | None = None


# -- helpers -----------------------------------------------------------------------------------


def _receipt_row(conn: Connection, number: str, *, lock: bool = False):
    normalised = (number or "").strip().upper()
    statement = select(t.receipt).where(t.receipt.c.number == normalised)
    if lock:
        statement = statement.with_for_update()
    row = conn.execute(statement).first()
    if row is None:
        raise NotFound(_("unknown receipt {number}").format(number=normalised or repr(number)))
    return row


# -- opening -----------------------------------------------------------------------------------


@retried
def open_receipt(
    path: str | Path, *, actor: Actor, uow: WriteUnit, order: str | None = None, supplier: str | None = None,
    carrier: str | None = None, again: bool = False, register: bool = True,
) -> str:
    """Open a receipt from a packing list file: the shipment has arrived. Returns the receipt number.

    A bad row refuses the whole file. A part number the master does not know is kept on the
    receipt, to be created or refused by the planner before posting. The same shipment (number and
    supplier) already on a receipt, open or posted, is refused naming it unless `again`; with `register`
    False, so is a supplier or carrier code the station does not know (else it is registered): both
    refusals are one ShipmentDoubt listing every doubt, for the operator to confirm.
    """
    require(actor, Permission.RECEIVE_SHIPMENT)
    rows, _encoding = read_packing_list(path)
    at = clock.now()
    by_part: dict[str, list] = defaultdict(list)
    for row in rows:
        by_part[row.part_no].append(row)
    shipments = sorted({row.shipment_no for row in rows if row.shipment_no})
    boxes = sorted({row.box_no for row in rows}, key=_box_key)
    with uow.write() as conn:
        _check_whole_rows(conn, rows, Path(path).name)
        doubts = [] if register else _unknown_parties(conn, supplier, carrier)
        supplier_id = known_supplier(conn, supplier) if supplier else None
        oid = None
        if order:
            oid = order_id(conn, order)
            order_supplier, order_state = conn.execute(
                select(t.purchase_order.c.supplier_id, t.purchase_order.c.state).where(t.purchase_order.c.id == oid)
            ).one()
            check_receivable(order, order_state)
            if supplier_id is not None and supplier_id != order_supplier:
                raise RuleViolation(_("order {order} is not from supplier {supplier}").format(
                    order=order.upper(), supplier=supplier.upper()))
            supplier_id = order_supplier
        carrier_id = ensure_carrier(conn, carrier) if carrier else None
        shipment_no = ", ".join(shipments)[:64] or None
        if not again and shipment_no is not None:
            doubt = same_shipment_doubt(shipment_no, _supplier_code(conn, supplier_id),
                                        _receipts_of_shipment(conn, shipment_no, supplier_id))
            doubts += [doubt] if doubt else []
        if doubts:
            raise ShipmentDoubt(doubts)
        number = next_number(conn, RECEIPT.prefix, at)
        receipt_id = conn.execute(insert(t.receipt).values(
            number=number, state=ReceiptState.ARRIVED.value, supplier_id=supplier_id, carrier_id=carrier_id,
            order_id=oid, shipment_no=shipment_no, packing_list=Path(path).name[:255],
            boxes_expected=len(boxes), arrived_at=at, arrived_by=actor.id,
        )).inserted_primary_key[0]
        conn.execute(insert(t.packing_list_row), [
            {"receipt_id": receipt_id, "row_no": r.row, "box_no": r.box_no, "part_no": r.part_no,
             "description": r.description[:200], "qty": r.qty, "unit_price": r.unit_price}
            for r in rows
        ])
        conn.execute(insert(t.receipt_line), [
            {"receipt_id": receipt_id, "line_no": n, "part_no": part_no,
             "description": parts[0].description[:200] or part_no,
             "boxes": ",".join(sorted({r.box_no for r in parts}, key=_box_key))[:200],
             "expected": sum((r.qty for r in parts), Decimal(0)), "unit_price": parts[0].unit_price,
             "counted": None, "damaged": Decimal(0), "fragile_damaged": False, "refused": False}
            for n, (part_no, parts) in enumerate(by_part.items(), start=1)
        ])
    return number


def _check_whole_rows(conn: Connection, rows: list, file: str) -> None:
    """A row of a whole unit the master knows must be a whole number (1.5 sets is a wrong packing list):
    every such row named with its row number, and the file is not opened."""
    units = part_units(conn, {row.part_no for row in rows})
    problems = []
    for row in rows:
        try:
            check_qty(units.get(row.part_no), row.qty, row.part_no)
        except BadInput as exc:
            problems.append(ImportProblem(row.row, "qty", exc.message))
    if problems:
        raise ImportRejected(ngettext(
            "{file}: {count} problem, the packing list was not opened",
            "{file}: {count} problems, the packing list was not opened", len(problems)).format(
            file=file, count=len(problems)), problems)


def _unknown_parties(conn: Connection, supplier: str | None, carrier: str | None) -> list[str]:
    """A doubt for a carrier code the station does not know yet (opening would register it); an unknown supplier
    is refused, never a doubt: a supplier is registered only by `supplier add`."""
    if supplier:
        known_supplier(conn, supplier)
    doubts = []
    for code, table, what in ((carrier, t.carrier, _("carrier")),):
        if not code:
            continue
        code = party_code(code, what)
        if conn.execute(select(table.c.id).where(table.c.code == code)).scalar() is None:
            doubts.append(_("{what} {code} is not known here yet: going on registers it").format(what=what, code=code))
    return doubts


def _supplier_code(conn: Connection, supplier_id: int | None) -> str | None:
    if supplier_id is None:
        return None
    return conn.execute(select(t.supplier.c.code).where(t.supplier.c.id == supplier_id)).scalar_one()


def _receipts_of_shipment(conn: Connection, shipment_no: str, supplier_id: int | None) -> list[tuple[str, str]]:
    """The receipts (number, state) of the same shipment from the same supplier (or both without one)."""
    same_supplier = (t.receipt.c.supplier_id.is_(None) if supplier_id is None
                     else t.receipt.c.supplier_id == supplier_id)
    rows = conn.execute(select(t.receipt.c.number, t.receipt.c.state)
                        .where(t.receipt.c.shipment_no == shipment_no, same_supplier)
                        .order_by(t.receipt.c.number)).all()
    return [(row.number, row.state) for row in rows]


def _box_key(box: str) -> tuple[int, str]:
    return (int(box), box) if box.isascii() and box.isdigit() else (10**9, box)


# -- box check ---------------------------------------------------------------------------------


@retried
def check_boxes(
    number: str, boxes_received: int, *, actor: Actor, second: Actor, uow: WriteUnit,
    broken_seal: list[str] | None = None, damaged: list[str] | None = None, fragile_damaged: list[str] | None = None,
) -> ReceiptInfo:
    """Record the box check: how many boxes came, which seals were broken, which boxes or fragile parts damaged.

    库房管理员和计划员一起验收箱数: `actor` and `second` sign it together, a storekeeper and a planner, two
    different people (either order). A broken seal or a damaged box must be opened and counted before signing;
    the carrier answers for what such a box lacks. It may be done again until the receipt is counted.
    """
    require(actor, Permission.RECEIVE_SHIPMENT)
    require(second, Permission.RECEIVE_SHIPMENT)
    storekeeper, planner = box_check_signers(actor, second)
    if isinstance(boxes_received, bool) or not isinstance(boxes_received, int) or not 0 <= boxes_received <= 10000:
        raise BadInput(_("the number of boxes must be a whole number from 0 to 10000, not {n}").format(
            n=boxes_received))
    broken_seal = [b.strip() for b in broken_seal or []]
    damaged = [b.strip() for b in damaged or []]
    fragile = [normalise_part_no(p) for p in fragile_damaged or []]
    with uow.write() as conn:
        receipt = _receipt_row(conn, number, lock=True)
        check_receipt_step(actor, receipt.number, receipt.state, ReceiptStep.CHECK_BOXES)
        known_boxes = set(
            conn.execute(
                select(t.packing_list_row.c.box_no).where(t.packing_list_row.c.receipt_id == receipt.id)
            ).scalars()
        )
        for box in broken_seal + damaged:
            if box not in known_boxes:
                raise BadInput(
                    _("box {box} is not on the packing list of {number}").format(box=box, number=receipt.number)
                )
        lines = dict(
            conn.execute(
                select(t.receipt_line.c.part_no, t.receipt_line.c.id).where(t.receipt_line.c.receipt_id == receipt.id)
            ).all()
        )
        for part_no in fragile:
            if part_no not in lines:
                raise BadInput(
                    _("part {part_no} is not on receipt {number}").format(part_no=part_no, number=receipt.number)
                )
        conn.execute(delete(t.receipt_box).where(t.receipt_box.c.receipt_id == receipt.id))
        marked = sorted(set(broken_seal) | set(damaged), key=_box_key)
        if marked:
            conn.execute(insert(t.receipt_box), [
                {"receipt_id": receipt.id, "box_no": box, "seal_broken": box in broken_seal, "damaged": box in damaged}
                for box in marked
            ])
        conn.execute(
            update(t.receipt_line).where(t.receipt_line.c.receipt_id == receipt.id).values(fragile_damaged=False)
        )
        for batch in batched(fragile):  # a packing list's parts, so never more than a batch at a time
            conn.execute(
                update(t.receipt_line)
                .where(t.receipt_line.c.receipt_id == receipt.id, t.receipt_line.c.part_no.in_(batch))
                .values(fragile_damaged=True)
            )
        at = clock.now()
        conn.execute(delete(t.receipt_box_signer).where(t.receipt_box_signer.c.receipt_id == receipt.id))
        conn.execute(insert(t.receipt_box_signer), [
            {"receipt_id": receipt.id, "role": role, "operator_id": who.id, "signed_at": at}
            for role, who in (("storekeeper", storekeeper), ("planner", planner))])
        conn.execute(update(t.receipt).where(t.receipt.c.id == receipt.id).values(
            state=ReceiptState.BOXES_CHECKED.value, boxes_received=boxes_received, boxes_checked_at=at,
            boxes_checked_by=storekeeper.id))
    return get_receipt(number, uow=uow)


# -- counting ----------------------------------------------------------------------------------


def parse_count_line(text: str) -> CountEntry:
    """PART_NO=QTY[/DAMAGED] as typed on the command line."""
    part, sep, amounts = (text or "").partition("=")
    if not sep or not part.strip():
        raise BadInput(_("count line {line!r} is not PART_NO=QTY[/DAMAGED]").format(line=text))
    counted_text, _slash, damaged_text = amounts.partition("/")
    counted = parse_qty(counted_text)
    damaged = parse_qty(damaged_text) if damaged_text.strip() else Decimal(0)
    return CountEntry(normalise_part_no(part), counted, damaged)


COUNT_COLUMNS = {"part_no": ("part_no", "零件号"), "qty": ("qty", "counted", "数量", "实收数量"),
                 "damaged": ("damaged", "损坏", "破损数量")}
COUNT_LENGTHS = {"part_no": t.receipt_count.c.part_no.type.length}


def read_count_file(path: str | Path) -> list[CountEntry]:
    """A count sheet (CSV or XLSX: part_no, qty, optional damaged); a bad row refuses the whole sheet."""
    table = read_table(path)
    columns = map_columns(table.headers, COUNT_COLUMNS, ("part_no", "qty"), _("the count sheet"))
    entries: list[CountEntry] = []
    problems = []
    for number, cells in table.rows:
        row = RowReader(number, cells, columns, table.headers, decimal_comma=table.decimal_comma,
                        lengths=COUNT_LENGTHS)
        part_no = normalise_part_no(row.cell("part_no"))
        if not part_no:
            row.problem("part_no", _("empty part number"))
        counted = row.decimal("qty", parse_qty, _("quantity"), default=None)
        damaged = row.decimal("damaged", parse_qty, _("damaged quantity"), default=Decimal(0))
        if row.problems:
            problems.extend(row.problems)
        else:
            entries.append(CountEntry(part_no, counted, damaged))
    if problems:
        raise ImportRejected(ngettext(
            "{file}: {count} problem, nothing counted",
            "{file}: {count} problems, nothing counted", len(problems)).format(
            file=Path(path).name, count=len(problems)), problems)
    return entries


def _check_entries(entries: list[CountEntry]) -> dict[str, tuple[Decimal, Decimal]]:
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for entry in entries:
        if not entry.part_no:
            raise BadInput(_("a counted line has no part number"))
        if entry.counted < 0 or entry.damaged < 0:
            raise BadInput(_("{part_no}: a count cannot be negative").format(part_no=entry.part_no))
        counted, damaged = totals.get(entry.part_no, (Decimal(0), Decimal(0)))
        # A part counted in several boxes (or scanned twice) adds up on one line.
        totals[entry.part_no] = (counted + entry.counted, damaged + entry.damaged)
    for part_no, (counted, damaged) in totals.items():
        if counted > MAX_LINE_QTY:
            raise BadInput(_("{part_no}: {qty} is not a count a shipment holds").format(
                part_no=part_no, qty=fmt_qty(counted)))
        if damaged > counted:
            raise BadInput(_("{part_no}: {damaged} damaged of {counted} counted is impossible").format(
                part_no=part_no, damaged=fmt_qty(damaged), counted=fmt_qty(counted)))
    return totals


@retried
def count_receipt(
    number: str, entries: list[CountEntry] | None, *, first: Actor, second: Actor, uow: WriteUnit,
) -> ReceiptInfo:
    """Sign the count of two different people (at least two open the boxes and count every line).

    entries None: the count stored scan by scan (core.services.receipt_counts) is signed, the sum of
    every counter's. Entries given (a count typed on the command line or a count sheet): they are the
    whole count, stored as the first counter's in place of what was stored, then signed. A part on the
    packing list that is not counted was not found (missing); a counted part that is not on the list is
    a wrong or extra part. Signing freezes the count until it is reopened (receipt_counts.reopen_count).
    """
    require(first, Permission.COUNT_SHIPMENT)
    require(second, Permission.COUNT_SHIPMENT)
    if first.id == second.id:
        raise RuleViolation(_("the count needs two different people; {code} cannot count twice").format(
            code=first.code))
    given = _check_entries(entries) if entries is not None else None  # refused before any write
    at = clock.now()
    with uow.write() as conn:
        receipt = _receipt_row(conn, number, lock=True)
        check_receipt_step(first, receipt.number, receipt.state, ReceiptStep.COUNT)
        if given is not None:
            _replace_stored_count(conn, receipt.id, given, first, at)
        totals = _check_entries(_stored_entries(conn, receipt.id))
        check_whole(conn, [(part_no, qty) for part_no, both in totals.items() for qty in both])
        # Extra parts of an earlier count go; the packing list's lines are reset to "not found".
        conn.execute(
            delete(t.receipt_line).where(t.receipt_line.c.receipt_id == receipt.id, t.receipt_line.c.expected == 0)
        )
        conn.execute(update(t.receipt_line).where(t.receipt_line.c.receipt_id == receipt.id).values(counted=Decimal(0),
                                                                                   damaged=Decimal(0)))
        lines = dict(
            conn.execute(
                select(t.receipt_line.c.part_no, t.receipt_line.c.id).where(t.receipt_line.c.receipt_id == receipt.id)
            ).all()
        )
        last_no = conn.execute(select(t.receipt_line.c.line_no).where(t.receipt_line.c.receipt_id == receipt.id)
                               .order_by(t.receipt_line.c.line_no.desc()).limit(1)).scalar() or 0
        masters = select(t.part.c.part_no, t.part.c.name, t.part.c.list_price)
        known = {r.part_no: r for r in rows_in_batches(
            conn, lambda batch: masters.where(byte_order(t.part.c.part_no).in_(batch)), totals)}
        updates, extras = [], []
        for part_no, (counted, damaged) in totals.items():
            if part_no in lines:
                updates.append({"line_id": lines[part_no], "counted_qty": counted, "damaged_qty": damaged})
            else:
                last_no += 1
                # Not on the packing list: valued at the list price when the master knows the part.
                master = known.get(part_no)
                extras.append({"receipt_id": receipt.id, "line_no": last_no, "part_no": part_no,
                               "description": master.name if master else "", "boxes": "", "expected": Decimal(0),
                               "unit_price": master.list_price if master else Decimal(0), "counted": counted,
                               "damaged": damaged,
                               "fragile_damaged": False, "refused": False})
        if updates:
            conn.execute(update(t.receipt_line).where(t.receipt_line.c.id == bindparam("line_id"))
                         .values(counted=bindparam("counted_qty"), damaged=bindparam("damaged_qty")), updates)
        if extras:
            conn.execute(insert(t.receipt_line), extras)
        conn.execute(update(t.receipt).where(t.receipt.c.id == receipt.id).values(
            state=ReceiptState.COUNTED.value, counted_at=at, counted_by=first.id, counted_by_second=second.id))
    return get_receipt(number, uow=uow)


def _replace_stored_count(conn: Connection, receipt_id: int, totals: dict[str, tuple[Decimal, Decimal]],
                          counter: Actor, at: datetime) -> None:
    """A whole count given at once replaces what was scanned: one count, never two added by mistake."""
    conn.execute(delete(t.receipt_count).where(t.receipt_count.c.receipt_id == receipt_id))
    rows = [{"receipt_id": receipt_id, "counter_id": counter.id, "part_no": part_no, "counted": counted,
             "damaged": damaged, "changed_at": at}
            for part_no, (counted, damaged) in totals.items() if counted or damaged]
    if rows:
        conn.execute(insert(t.receipt_count), rows)


def _stored_entries(conn: Connection, receipt_id: int) -> list[CountEntry]:
    """Every counter's stored count of a receipt, one entry a row (they add up per part)."""
    return [CountEntry(r.part_no, r.counted, r.damaged) for r in conn.execute(
        select(t.receipt_count.c.part_no, t.receipt_count.c.counted, t.receipt_count.c.damaged)
        .where(t.receipt_count.c.receipt_id == receipt_id).order_by(t.receipt_count.c.id))]


@retried
def refuse_line(number: str, part_no: str, *, reason: str, actor: Actor, uow: WriteUnit) -> ReceiptInfo:
    """Send a line back instead of receiving it (a part shipped by mistake): it will be claimed, not shelved."""
    require(actor, Permission.POST_RECEIPT)
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("refusing a line needs a reason"))
    part_no = normalise_part_no(part_no)
    with uow.write() as conn:
        receipt = _receipt_row(conn, number, lock=True)
        check_receipt_step(actor, receipt.number, receipt.state, ReceiptStep.REFUSE_LINE)
        done = conn.execute(
            update(t.receipt_line)
            .where(t.receipt_line.c.receipt_id == receipt.id, t.receipt_line.c.part_no == part_no)
            .values(refused=True, refusal_note=reason[:500])
        ).rowcount
        if not done:
            raise NotFound(
                _("part {part_no} is not on receipt {number}").format(part_no=part_no, number=receipt.number)
            )
    return get_receipt(number, uow=uow)


# -- posting -----------------------------------------------------------------------------------


@retried
def post_receipt(number: str, *, actor: Actor, uow: WriteUnit, late_reason: str | None = None) -> ReceiptInfo:
    """Post a counted receipt (planner): lots, quarantine lots, surplus receipt, discrepancy record, claims, order,
    ledger.

    当日报财务。如遇特殊情况，办理入库最多不超过3天: a receipt that arrived on an earlier day is refused without
    `late_reason`, which is stored. Damaged units go on the books (先办理入库及索赔手续): a lot of their own at the
    quarantine location, at their cost, named by the claim. Refused, changing nothing, while a line to be shelved
    names a part the master does not know or a part without a location (a code before shelving).
    """
    require(actor, Permission.POST_RECEIPT)
    at = clock.now()
    with uow.write() as conn:
        receipt = _receipt_row(conn, number, lock=True)
        check_receipt_step(actor, receipt.number, receipt.state, ReceiptStep.POST)
        reason = check_late_reason(receipt.number, receipt.arrived_at, at, late_reason)
        info = _read_receipt(conn, receipt)
        for line in info.lines:
            if (line.accepted or line.outcome.quarantined) and not line.known:
                raise NotInPartsMaster(line.part_no)
            if line.accepted and not line.location:
                raise MissingLocation(line.part_no)
        numbers, bins = select(t.part.c.part_no, t.part.c.id), select(t.location.c.code, t.location.c.id)
        parts = dict(rows_in_batches(conn, lambda batch: numbers.where(byte_order(t.part.c.part_no).in_(batch)),
                                     [line.part_no for line in info.lines]))
        locations = dict(rows_in_batches(conn, lambda batch: bins.where(t.location.c.code.in_(batch)),
                                         [line.location for line in info.lines if line.location]))
        costs = order_costs(conn, receipt.order_id) if receipt.order_id else {}
        document = DocumentRef(RECEIPT.prefix, receipt.number)
        surplus_no = surplus = None
        if any(line.outcome.surplus for line in info.lines):
            surplus_no = next_number(conn, SURPLUS.prefix, at)
            surplus = DocumentRef(SURPLUS.prefix, surplus_no)
        new_lots: list[ledger.NewLot] = []
        received: dict[int, Decimal] = {}
        quarantine_id = None
        if any(line.outcome.quarantined for line in info.lines):
            # Made before the first ledger row: the ledger's head is the last lock a writer takes.
            quarantine_id = ensure_location(conn, ledger.QUARANTINE_LOCATION, None)
        for line in info.lines:
            outcome = line.outcome
            if outcome.quarantined:
                # On the books at their cost, never issued oldest-first (core.ledger): the claim names them.
                new_lots.append(ledger.NewLot(parts[line.part_no], quarantine_id, outcome.quarantined,
                                              costs.get(parts[line.part_no], line.unit_price), document))
            if not outcome.accepted:
                continue
            pid = parts[line.part_no]
            cost = costs.get(pid, line.unit_price)
            loc_id = locations[line.location]
            # A bin set before the zones had their series may lie in another series' zone: never shelve there.
            check_part_bin(conn, pid, line.location, founding=False)
            if outcome.normal:
                new_lots.append(ledger.NewLot(pid, loc_id, outcome.normal, cost, document))
            if outcome.surplus:
                new_lots.append(ledger.NewLot(pid, loc_id, outcome.surplus, cost, surplus))
            received[pid] = outcome.accepted
        # The advisor's shortages for these parts are met, oldest first, as far as the quantities go.
        fulfil_shortages(conn, received, receipt.number, at)
        reserve_arrivals(conn, receipt.number, actor=actor, at=at)  # kept for the shortages' repair orders (先单后料)
        if receipt.order_id:
            book_received(conn, receipt.order_id, received)
        discrepancy_no = next_number(conn, DISCREPANCY.prefix, at) if info.has_differences else None
        _raise_claims(conn, receipt, info, actor, at)
        # The lots and their ledger rows last: the ledger's head is the last lock a writer takes (core.ledger).
        ledger.receive_lots(conn, new_lots, actor=actor, at=at)
        conn.execute(update(t.receipt).where(t.receipt.c.id == receipt.id).values(
            state=ReceiptState.POSTED.value, posted_at=at, posted_by=actor.id, discrepancy_no=discrepancy_no,
            surplus_no=surplus_no, late_reason=reason))
    return get_receipt(number, uow=uow)


def claimed_parties(info: ReceiptInfo) -> list[Party]:
    """The parties a counted receipt claims from when posted: the supplier, then the carrier."""
    parties = {party for line in info.lines if line.outcome for party, _kind, _qty in line.outcome.claims}
    if info.boxes_received is not None and info.boxes_received < info.boxes_expected:
        parties.add(Party.CARRIER)
    return [party for party in (Party.SUPPLIER, Party.CARRIER) if party in parties]


def unnamed_parties(info: ReceiptInfo) -> list[Party]:
    """The parties the receipt would claim from without naming them: a claim names whom it is against, so the
    desk asks for each before posting (name_parties)."""
    named = {Party.SUPPLIER: info.supplier, Party.CARRIER: info.carrier}
    return [party for party in claimed_parties(info) if not named[party]]


def require_named_parties(info: ReceiptInfo) -> None:
    """Refuse (RuleViolation) posting a receipt that would claim from a party it does not name, saying how to
    name it; the TUI asks for the name instead (unnamed_parties)."""
    for party in unnamed_parties(info):
        raise RuleViolation(_("receipt {number} claims from its {party_label} but names none: name it first "
                              "(`partsdesk receive name {number} --{party} CODE`)").format(
            number=info.number, party_label=label(PARTY, party), party=party.value))


@retried
def name_parties(number: str, *, actor: Actor, uow: WriteUnit, supplier: str | None = None,
                 carrier: str | None = None, register: bool = True) -> ReceiptInfo:
    """Name (or rename) the supplier or carrier of a receipt not posted yet, so its claims say whom they are
    against; an unknown code is registered, as when opening (with `register` False: a ShipmentDoubt to ask)."""
    require(actor, Permission.RECEIVE_SHIPMENT)
    if not supplier and not carrier:
        raise BadInput(_("name a supplier or a carrier"))
    with uow.write() as conn:
        receipt = _receipt_row(conn, number, lock=True)
        if receipt.state == ReceiptState.POSTED:
            raise RuleViolation(_("receipt {number} is already posted; its parties stay as they are").format(
                number=receipt.number))
        doubts = [] if register else _unknown_parties(conn, supplier, carrier)
        if doubts:
            raise ShipmentDoubt(doubts)
        values = {}
        if supplier:
            values["supplier_id"] = known_supplier(conn, supplier)
        if carrier:
            values["carrier_id"] = ensure_carrier(conn, carrier)
        conn.execute(update(t.receipt).where(t.receipt.c.id == receipt.id).values(**values))
    return get_receipt(number, uow=uow)


def _raise_claims(conn: Connection, receipt, info: ReceiptInfo, actor: Actor, at: datetime) -> None:
    by_party: dict[Party, list[dict]] = defaultdict(list)
    for line in info.lines:
        for party, kind, qty in line.outcome.claims:
            note = line.description if line.known else _("not in the parts master: {description}").format(
                description=line.description)
            by_party[party].append({"part_no": line.part_no, "kind": kind.value, "qty": qty,
                                    "unit_price": line.unit_price, "amount": _amount(qty, line.unit_price),
                                    "note": note[:500]})
    if info.boxes_received is not None and info.boxes_received < info.boxes_expected:
        missing = Decimal(info.boxes_expected - info.boxes_received)
        by_party[Party.CARRIER].append({"part_no": "-", "kind": ClaimKind.BOXES.value, "qty": missing,
                                        "unit_price": Decimal(0), "amount": Decimal(0),
                                        "note": _("{missing} of {expected} boxes did not arrive").format(
                                            missing=fmt_qty(missing), expected=info.boxes_expected)})
    for party in (Party.SUPPLIER, Party.CARRIER):
        lines = by_party.get(party)
        if not lines:
            continue
        claim_id = conn.execute(insert(t.claim).values(
            number=next_number(conn, CLAIM.prefix, at), receipt_id=receipt.id, party=party.value,
            supplier_id=receipt.supplier_id if party is Party.SUPPLIER else None,
            carrier_id=receipt.carrier_id if party is Party.CARRIER else None,
            state=ClaimState.OPEN.value, created_at=at, created_by=actor.id, changed_at=at, changed_by=actor.id,
        )).inserted_primary_key[0]
        conn.execute(insert(t.claim_line), [{"claim_id": claim_id, **line} for line in lines])


def _amount(qty: Decimal, price: Decimal) -> Decimal:
    return money(qty * price)


# -- the accountant's check ------------------------------------------------------------------


@retried
def record_invoice(number: str, invoice_no: str, amount: str | Decimal, *, actor: Actor,
                   uow: WriteUnit) -> ReceiptInfo:
    """The accountant enters the supplier's invoice for a receipt (财务要当日审核单据之间是否相符，并与发票相一致):
    its number and amount, compared with the receipt's value (ReceiptInfo.invoice_difference). Entered again, it
    replaces the earlier entry, stamped anew."""
    require(actor, Permission.CHECK_INVOICE)
    invoice_no = (invoice_no or "").strip()
    if not invoice_no or len(invoice_no) > 64:
        raise BadInput(_("an invoice number is 1 to 64 characters, not {number!r}").format(number=invoice_no))
    value = parse_money(amount, _("invoice amount"))
    if value < 0:
        raise BadInput(_("an invoice amount cannot be negative"))
    with uow.write() as conn:
        receipt = _receipt_row(conn, number, lock=True)
        conn.execute(delete(t.receipt_invoice).where(t.receipt_invoice.c.receipt_id == receipt.id))
        conn.execute(insert(t.receipt_invoice).values(receipt_id=receipt.id, number=invoice_no, amount=value,
                                                      entered_at=clock.now(), entered_by=actor.id))
    return get_receipt(number, uow=uow)


# -- reading -----------------------------------------------------------------------------------


def get_receipt(number: str, *, uow: ReadUnit) -> ReceiptInfo:
    """A receipt with its lines (and what each comes to), boxes, steps, deadline and claims."""
    with uow.read() as conn:
        return _read_receipt(conn, _receipt_row(conn, number))


def _read_receipt(conn: Connection, receipt) -> ReceiptInfo:
    operators = dict(conn.execute(select(t.operator.c.id, t.operator.c.code).where(t.operator.c.id.in_([
        i for i in (receipt.arrived_by, receipt.boxes_checked_by, receipt.counted_by, receipt.counted_by_second,
                    receipt.posted_by) if i is not None]))).all())

    def stamp(at, by):
        return Stamp(at, operators[by]) if at is not None and by is not None else None

    boxes = tuple(
        BoxInfo(r.box_no, r.seal_broken, r.damaged)
        for r in conn.execute(
            select(t.receipt_box.c.box_no, t.receipt_box.c.seal_broken, t.receipt_box.c.damaged).where(
                t.receipt_box.c.receipt_id == receipt.id
            )
        )
    )
    compromised = {b.box_no for b in boxes if b.seal_broken or b.damaged}
    rows = conn.execute(
        select(t.receipt_line, t.part.c.name.label("part_name"), t.part.c.name_zh.label("part_name_zh"),
               t.part.c.fragile, t.location.c.code.label("location"),
               t.part.c.id.label("part_id"), t.part.c.unit)
        .select_from(t.receipt_line.outerjoin(t.part, t.part.c.part_no == t.receipt_line.c.part_no)
                     .outerjoin(t.location, t.location.c.id == t.part.c.default_location_id))
        .where(t.receipt_line.c.receipt_id == receipt.id)
        .order_by(t.receipt_line.c.line_no)
    ).all()
    # An old number on the packing list is received as shipped (the maker sent that number), and flagged.
    newest = newest_numbers(conn, [r.part_no for r in rows])
    counted = receipt.state in (ReceiptState.COUNTED, ReceiptState.POSTED)
    boxes_missing = receipt.boxes_received is not None and receipt.boxes_received < receipt.boxes_expected
    lines = []
    for r in rows:
        outcome = None
        if counted:
            # The carrier answers for what a broken or damaged box lacks, and, when boxes did not
            # arrive, for the lines of which nothing at all arrived.
            in_bad_box = bool(compromised & set(filter(None, r.boxes.split(","))))
            lost_with_a_box = boxes_missing and not r.counted and r.expected > 0
            outcome = decide_line(r.expected, r.counted, r.damaged, refused=r.refused,
                                  box_compromised=in_bad_box or lost_with_a_box)
        lines.append(ReceiptLineInfo(
            r.line_no, r.part_no, r.description, r.part_name, r.part_id is not None, r.boxes, r.expected, r.counted,
            r.damaged, bool(r.fragile), r.fragile_damaged, r.refused, r.refusal_note, r.unit_price, r.location,
            outcome, r.unit, r.part_name_zh, newest.get(r.part_no, ())))
    names = {}
    if receipt.supplier_id:
        names["supplier"] = conn.execute(
            select(t.supplier.c.code).where(t.supplier.c.id == receipt.supplier_id)
        ).scalar()
    if receipt.carrier_id:
        names["carrier"] = conn.execute(select(t.carrier.c.code).where(t.carrier.c.id == receipt.carrier_id)).scalar()
    if receipt.order_id:
        names["order"] = conn.execute(
            select(t.purchase_order.c.number).where(t.purchase_order.c.id == receipt.order_id)
        ).scalar()
    claims = _claims_of(conn, receipt.id)
    deadline = deadline_of(receipt.arrived_at)
    now = clock.now()
    overdue = receipt_overdue(receipt.state, deadline, now)
    signers = tuple((r.role, r.code) for r in conn.execute(
        select(t.receipt_box_signer.c.role, t.operator.c.code)
        .join(t.operator, t.operator.c.id == t.receipt_box_signer.c.operator_id)
        .where(t.receipt_box_signer.c.receipt_id == receipt.id).order_by(t.receipt_box_signer.c.id)))
    invoice = conn.execute(
        select(t.receipt_invoice, t.operator.c.code)
        .join(t.operator, t.operator.c.id == t.receipt_invoice.c.entered_by)
        .where(t.receipt_invoice.c.receipt_id == receipt.id)).first()
    return ReceiptInfo(
        receipt.number, receipt.state, receipt.shipment_no, receipt.packing_list, names.get("supplier"),
        names.get("carrier"), names.get("order"), receipt.boxes_expected, receipt.boxes_received, boxes,
        stamp(receipt.arrived_at, receipt.arrived_by), stamp(receipt.boxes_checked_at, receipt.boxes_checked_by),
        stamp(receipt.counted_at, receipt.counted_by), stamp(receipt.counted_at, receipt.counted_by_second),
        stamp(receipt.posted_at, receipt.posted_by), deadline, overdue, receipt.discrepancy_no, receipt.surplus_no,
        tuple(lines), claims, receipt_timing(receipt.state, receipt.arrived_at, now).value, receipt.late_reason,
        signers, InvoiceCheck(invoice.number, invoice.amount, Stamp(invoice.entered_at, invoice.code)) if invoice
        else None,
    )


def _claims_of(conn: Connection, receipt_id: int) -> tuple[ClaimSummary, ...]:
    rows = conn.execute(
        select(t.claim.c.number, t.claim.c.party, t.claim.c.state, t.supplier.c.code.label("supplier"),
               t.carrier.c.code.label("carrier"), func.sum(t.claim_line.c.amount).label("amount"))
        .select_from(t.claim.join(t.claim_line, t.claim_line.c.claim_id == t.claim.c.id)
                     .outerjoin(t.supplier, t.supplier.c.id == t.claim.c.supplier_id)
                     .outerjoin(t.carrier, t.carrier.c.id == t.claim.c.carrier_id))
        .where(t.claim.c.receipt_id == receipt_id)
        .group_by(t.claim.c.id, t.claim.c.number, t.claim.c.party, t.claim.c.state, t.supplier.c.code, t.carrier.c.code)
        .order_by(t.claim.c.number)
    ).all()
    return tuple(ClaimSummary(r.number, r.party, r.supplier or r.carrier or "", r.state, r.amount or Decimal(0))
                 for r in rows)


def list_receipts(*, uow: ReadUnit, open_only: bool = False) -> list[ReceiptSummary]:
    """Receipts, newest first; open ones are those not posted; each flagged overdue past its 3 days."""
    return list(iter_receipts(uow=uow, open_only=open_only))


# Rows fetched from the cursor at a time by iter_receipts (a server-side cursor on PostgreSQL).
RECEIPTS_BATCH = 2000


def iter_receipts(*, uow: ReadUnit, open_only: bool = False) -> Iterator[ReceiptSummary]:
    """The receipts of list_receipts, yielded as they are read from a streamed cursor inside one read block (one
    snapshot): memory stays flat however many receipts."""
    now = clock.now()
    statement = (
        select(
            t.receipt.c.number,
            t.receipt.c.state,
            t.receipt.c.shipment_no,
            t.receipt.c.arrived_at,
            t.receipt.c.late_reason,
            t.supplier.c.code.label("supplier"),
            func.count(t.receipt_line.c.id).label("lines"),
        )
        .select_from(
            t.receipt.outerjoin(t.supplier, t.supplier.c.id == t.receipt.c.supplier_id).outerjoin(
                t.receipt_line, t.receipt_line.c.receipt_id == t.receipt.c.id
            )
        )
        .group_by(
            t.receipt.c.id,
            t.receipt.c.number,
            t.receipt.c.state,
            t.receipt.c.shipment_no,
            t.receipt.c.arrived_at,
            t.receipt.c.late_reason,
            t.supplier.c.code,
        )
        .order_by(t.receipt.c.id.desc())
    )
    if open_only:
        statement = statement.where(t.receipt.c.state != ReceiptState.POSTED.value)
    with uow.read() as conn:
        # yield_per on the statement, not the connection (which it would change for every later statement).
        for r in conn.execute(statement, execution_options={"yield_per": RECEIPTS_BATCH}):
            deadline = deadline_of(r.arrived_at)
            yield ReceiptSummary(r.number, r.state, r.shipment_no, r.supplier, r.arrived_at, deadline,
                                 receipt_overdue(r.state, deadline, now), r.lines,
                                 receipt_timing(r.state, r.arrived_at, now).value, r.late_reason)


@dataclass(frozen=True, slots=True)
class ReceiptPage:
    """One page of the receipts not posted, with the counts of them all (what a screen shows of a long list)."""

    rows: list[ReceiptSummary]
    total: int  # every receipt not posted
    today: int
    late: int  # after the day it arrived, not overdue yet
    overdue: int  # past its 3 days


def receipts_page(*, uow: ReadUnit, limit: int, offset: int = 0, most_urgent_first: bool = False) -> ReceiptPage:
    """`limit` receipts not posted from `offset` (newest first, or the most urgent first: overdue, late, today's,
    each by deadline), with the counts of all of them; SQL orders, counts and pages, so a screen reads no more rows
    than it shows however many receipts wait."""
    now = clock.now()
    receipt = t.receipt
    waiting = receipt.c.state != ReceiptState.POSTED.value
    # Timing by arrival: overdue past its 3 days, late after the day it arrived (local midnight), else today's.
    overdue_before = now - (deadline_of(now) - now)
    midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    with uow.read() as conn:
        counts = conn.execute(select(
            func.count(),
            func.count().filter(receipt.c.arrived_at < overdue_before),
            func.count().filter(receipt.c.arrived_at < midnight),
        ).select_from(receipt).where(waiting)).one()
        lines = (select(func.count(t.receipt_line.c.id)).where(t.receipt_line.c.receipt_id == receipt.c.id)
                 .correlate(receipt).scalar_subquery())
        order = (receipt.c.arrived_at, receipt.c.id.desc()) if most_urgent_first else (receipt.c.id.desc(),)
        rows = conn.execute(
            select(receipt.c.number, receipt.c.state, receipt.c.shipment_no, receipt.c.arrived_at,
                   receipt.c.late_reason, t.supplier.c.code.label("supplier"), lines.label("lines"))
            .select_from(receipt.outerjoin(t.supplier, t.supplier.c.id == receipt.c.supplier_id))
            .where(waiting).order_by(*order).limit(max(0, limit)).offset(max(0, offset))
        ).all()
    total, overdue, before_today = counts
    summaries = [ReceiptSummary(r.number, r.state, r.shipment_no, r.supplier, r.arrived_at, deadline_of(r.arrived_at),
                                receipt_overdue(r.state, deadline_of(r.arrived_at), now), r.lines,
                                receipt_timing(r.state, r.arrived_at, now).value, r.late_reason)
                 for r in rows]
    return ReceiptPage(summaries, total, total - before_today, before_today - overdue, overdue)


# -- the putaway list ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PutawayLine:
    """Where one accepted line goes, and how to shelve it first-in-first-out."""

    part_no: str
    name: str
    qty: Decimal
    location: str | None
    older: Decimal  # of the same part already in that bin, to go out first
    fragile: bool
    unit: str | None = None  # totals are per unit: litres are never added to pieces
    name_zh: str | None = None  # the master's Chinese name, shown in Chinese
    superseded_by: tuple[str, ...] = ()  # an old number's newest number(s): shelved as shipped, but flagged

    @property
    def superseded_note(self) -> str | None:
        """The flag of an old number's line (core.services.supersession.received_note), else None."""
        return received_note(self.part_no, self.superseded_by) if self.superseded_by else None

    @property
    def instruction(self) -> str:
        """What the storekeeper does at the bin."""
        if self.location is None:
            return _("no location yet: give it one before shelving")
        if self.older > 0:
            return _("put behind or under the {older} already there: the old go out first").format(
                older=fmt_qty(self.older))
        return _("none of it in the bin: shelve it")


def putaway_list(number: str, *, uow: ReadUnit) -> list[PutawayLine]:
    """The accepted lines of a counted or posted receipt in walking order (by location), with the FIFO
    instruction: the rows the receipt screen shows and the putaway list (core.printing) prints."""
    receipt = get_receipt(number, uow=uow)
    lines = [line for line in receipt.lines if line.accepted]
    if not lines:
        return []
    with uow.read() as conn:
        statement = (
            select(t.part.c.part_no, t.location.c.code, func.sum(t.stock_lot.c.qty_remaining).label("qty"))
            .join(t.part, t.part.c.id == t.stock_lot.c.part_id)
            .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
            .where(t.stock_lot.c.qty_remaining > 0)
            .group_by(t.part.c.part_no, t.location.c.code)
        )
        if receipt.state == ReceiptState.POSTED:
            # After posting, this receipt's own lots are in the bin too; only the older ones count.
            statement = statement.where(t.stock_lot.c.doc_no.not_in([receipt.number, receipt.surplus_no or ""]))
        held = {(r.part_no, r.code): r.qty for r in rows_in_batches(
            conn, lambda batch: statement.where(byte_order(t.part.c.part_no).in_(batch)),
            [line.part_no for line in lines])}
    result = [
        PutawayLine(line.part_no, line.name or line.description, line.accepted, line.location,
                    held.get((line.part_no, line.location), Decimal(0)), line.fragile, line.unit, line.name_zh,
                    line.superseded_by)
        for line in lines
    ]
    return sorted(result, key=lambda p: (p.location or "~", p.part_no))
