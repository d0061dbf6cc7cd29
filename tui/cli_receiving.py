"""CLI commands for receiving: suppliers and carriers, purchase orders, receipts against packing lists, claims."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from core import labels
from core.decimals import fmt_money, fmt_qty, parse_count
from core.errors import BadInput, RuleViolation
from core.i18n import _
from tui.cli_support import ForceOption, emit_json, iso, local, pin_for, say, state, streamed, table, write_text


def claim_against(party: str, code: str | None, name: str | None = None) -> str:
    """Whom a claim is against (core.receiving_rules.claim_against)."""
    # Imported on first use: core.receiving_rules builds the receiving tables, and every command (`part show`
    # too) imports this module to register its commands (tests/test_startup.py).
    from core.receiving_rules import claim_against as against

    return against(party, code, name)


supplier_app = typer.Typer(help=_("Suppliers (the manufacturer and others)."), rich_markup_mode=None)
carrier_app = typer.Typer(help=_("Carriers that bring the boxes."), rich_markup_mode=None)
po_app = typer.Typer(help=_("Purchase orders."), rich_markup_mode=None)
receive_app = typer.Typer(help=_("Receiving against the packing list (入库)."), rich_markup_mode=None)
claim_app = typer.Typer(help=_("Claims against suppliers and carriers (索赔单)."), rich_markup_mode=None)

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]
OutOption = Annotated[Optional[Path], typer.Option("--out", help=_("Write to this file instead of the screen."))]
WidthOption = Annotated[int, typer.Option(min=40, max=200, help=_("Printer width in columns."))]


def register(app: typer.Typer) -> None:
    """Add the receiving commands to the top-level app."""
    app.add_typer(supplier_app, name="supplier")
    app.add_typer(carrier_app, name="carrier")
    app.add_typer(po_app, name="po")
    app.add_typer(receive_app, name="receive")
    app.add_typer(claim_app, name="claim")


# -- suppliers and carriers --------------------------------------------------------------------


@supplier_app.command("add")
def supplier_add(ctx: typer.Context, code: str, name: Annotated[str, typer.Option(help=_("Full name."))]) -> None:
    """Register a supplier (planner, parts manager)."""
    from core.services.purchasing import add_supplier

    cli = state(ctx)
    with cli.database().writing() as uow:
        added = add_supplier(code, name, actor=cli.actor(uow), uow=uow)
    say(_("supplier {code} added").format(code=added))


@supplier_app.command("rename")
def supplier_rename(ctx: typer.Context, code: str, name: Annotated[str, typer.Option(help=_("Full name."))]) -> None:
    """Give a registered supplier its full name (planner, parts manager)."""
    from core.services.purchasing import name_supplier

    cli = state(ctx)
    with cli.database().writing() as uow:
        renamed = name_supplier(code, name, actor=cli.actor(uow), uow=uow)
    say(_("supplier {code} is now {name}").format(code=renamed, name=name.strip()))


@carrier_app.command("add")
def carrier_add(ctx: typer.Context, code: str, name: Annotated[str, typer.Option(help=_("Full name."))]) -> None:
    """Register a carrier (planner, parts manager)."""
    from core.services.purchasing import add_carrier

    cli = state(ctx)
    with cli.database().writing() as uow:
        added = add_carrier(code, name, actor=cli.actor(uow), uow=uow)
    say(_("carrier {code} added").format(code=added))


@supplier_app.command("list")
def supplier_list(ctx: typer.Context, json: JsonOption = False) -> None:
    """Suppliers and carriers."""
    from core.services.purchasing import list_parties

    with state(ctx).database().reading() as uow:
        parties = list_parties(uow=uow)
    if json:
        emit_json({kind: [{"code": c, "name": n} for c, n in rows] for kind, rows in parties.items()})
    else:
        table(None, [_("kind"), _("code"), _("name")],
              [[labels.label(labels.PARTY, kind), c, n] for kind, rows in parties.items() for c, n in rows])


carrier_app.command("list")(supplier_list)


# -- purchase orders ---------------------------------------------------------------------------


def _order_document(order) -> dict:
    return {
        "po": order.number, "supplier": order.supplier, "state": order.state, "created_at": iso(order.created_at),
        "created_by": order.created_by, "source": order.source_doc, "urgent": order.urgent,
        "serves": list(order.serves), "approved_by": order.approved_by,
        "approved_at": order.approved_at and iso(order.approved_at),
        "sent_by": order.sent_by, "sent_at": order.sent_at and iso(order.sent_at),
        "lines": [{"line": str(line.line_no), "part_no": line.part_no, "name": line.name,
                   "ordered": fmt_qty(line.ordered), "received": fmt_qty(line.received),
                   "outstanding": fmt_qty(line.outstanding), "unit_cost": fmt_money(line.unit_cost)}
                  for line in order.lines],
    }


@po_app.command("create")
def po_create(
    ctx: typer.Context,
    supplier: Annotated[str, typer.Option(help=_("Supplier code (registered with `supplier add`)."))],
    line: Annotated[list[str], typer.Option(help=_("PART_NO:QTY[:UNIT_COST]; repeat for each line."))],
    urgent: Annotated[bool, typer.Option("--urgent", help=_(
        "An urgent order for a shortage that cannot wait for the cycle's draft."))] = False,
    for_: Annotated[Optional[list[str]], typer.Option("--for", help=_(
        "The shortage (SHT-…) or repair order (RO-…) it serves; repeat for each."))] = None,
    json: JsonOption = False,
) -> None:
    """An urgent order for a shortage (planner, parts manager); it waits for the parts manager's approval.
    Every other order is made from an approved draft with `po from-request`."""
    from core.order_rules import check_urgent
    from core.services.purchasing import create_urgent_order, parse_order_line

    check_urgent(urgent, for_ or [])
    cli = state(ctx)
    lines = [parse_order_line(text) for text in line]
    from core.services.supersession import newest_for, redirect_notes

    with cli.database().writing() as uow:
        number = create_urgent_order(supplier, lines, for_ or [], actor=cli.actor(uow), uow=uow)
        redirected = newest_for([order_line.part_no for order_line in lines], uow=uow)
    if json:
        emit_json({"po": number, "state": "draft", "redirected": {old: list(new) for old, new in redirected.items()}})
        return
    for note in redirect_notes(redirected):
        say(note)
    say(_("{number}: urgent order drafted; it waits for the parts manager's approval").format(number=number))


@po_app.command("approve")
def po_approve(ctx: typer.Context, po: str, json: JsonOption = False) -> None:
    """Approve a drafted order (parts manager, never the order's author)."""
    from core.services.purchasing import approve_order

    cli = state(ctx)
    with cli.database().writing() as uow:
        order = approve_order(po, actor=cli.actor(uow), uow=uow)
    emit_json(_order_document(order)) if json else say(
        _("order {number} approved by {code}").format(number=order.number, code=order.approved_by))


@po_app.command("send")
def po_send(ctx: typer.Context, po: str, json: JsonOption = False) -> None:
    """Mark an approved order sent to the maker (planner); write the order file with `po export`."""
    from core.services.purchasing import send_order

    cli = state(ctx)
    with cli.database().writing() as uow:
        order = send_order(po, actor=cli.actor(uow), uow=uow)
    emit_json(_order_document(order)) if json else say(
        _("order {number} sent to {supplier} by {code} at {at}").format(
            number=order.number, supplier=order.supplier, code=order.sent_by, at=local(order.sent_at)))


@po_app.command("show")
def po_show(ctx: typer.Context, po: str, json: JsonOption = False) -> None:
    """An order: its state, who approved and sent it, and ordered, received and outstanding per line."""
    from core.services.purchasing import get_order

    with state(ctx).database().reading() as uow:
        order = get_order(po, uow=uow)
    if json:
        emit_json(_order_document(order))
        return
    say(f"{order.number}  {order.supplier} {order.supplier_name}  "
        f"{labels.label(labels.ORDER_STATE, order.state)}  {local(order.created_at)}")
    if order.urgent:
        say(_("urgent order for {documents}").format(documents=", ".join(order.serves)))
    if order.approved_by:
        say(_("approved by {code} at {at}").format(code=order.approved_by, at=local(order.approved_at)))
    if order.sent_by:
        say(_("sent by {code} at {at}").format(code=order.sent_by, at=local(order.sent_at)))
    table(None, [_("#"), _("part no"), _("name"), _("ordered"), _("received"), _("outstanding"), _("unit cost")],
          [[line.line_no, line.part_no, line.name, fmt_qty(line.ordered), fmt_qty(line.received),
            fmt_qty(line.outstanding), fmt_money(line.unit_cost)] for line in order.lines], right={3, 4, 5, 6})


@po_app.command("list")
def po_list(
    ctx: typer.Context,
    state_: Annotated[Optional[str], typer.Option("--state", help=_("Only orders in this state."))] = None,
    json: JsonOption = False,
) -> None:
    """Purchase orders, newest first."""
    from core.services.purchasing import iter_orders

    # Orders are printed as they are read, a page at a time inside the read unit: memory stays flat at any size.
    with state(ctx).database().reading() as uow:
        orders = iter_orders(uow=uow, state=state_)
        if json:
            emit_json(streamed(_order_document(order) for order in orders))
        else:
            table(None, [_("order"), _("supplier"), _("state"), _("created"), _("lines")],
                  ([o.number, o.supplier, labels.label(labels.ORDER_STATE, o.state), local(o.created_at),
                    str(len(o.lines))] for o in orders))


@po_app.command("close")
def po_close(ctx: typer.Context, po: str) -> None:
    """Close an order: what is outstanding will not come (planner)."""
    from core.services.purchasing import close_order

    cli = state(ctx)
    with cli.database().writing() as uow:
        number = close_order(po, actor=cli.actor(uow), uow=uow)
    say(_("order {number} closed").format(number=number))


# -- receipts ----------------------------------------------------------------------------------


def _receipt_document(receipt) -> dict:
    def stamp(s):
        return {"at": iso(s.at), "by": s.by} if s else None

    return {
        "receipt": receipt.number, "state": receipt.state, "shipment_no": receipt.shipment_no,
        "packing_list": receipt.packing_list, "supplier": receipt.supplier, "carrier": receipt.carrier,
        "po": receipt.order, "arrived_at": iso(receipt.arrived.at), "deadline": iso(receipt.deadline),
        "overdue": receipt.overdue, "timing": receipt.timing, "late_reason": receipt.late_reason,
        "box_check_signers": [{"role": role, "by": code} for role, code in receipt.box_signers],
        "value": fmt_money(receipt.value),
        "invoice": {"number": receipt.invoice.number, "amount": fmt_money(receipt.invoice.amount),
                    "at": iso(receipt.invoice.entered.at), "by": receipt.invoice.entered.by}
        if receipt.invoice else None,
        "invoice_difference": fmt_money(receipt.invoice_difference)
        if receipt.invoice_difference is not None else None,
        "boxes_expected": str(receipt.boxes_expected),
        "boxes_received": str(receipt.boxes_received) if receipt.boxes_received is not None else None,
        "boxes": [{"box": b.box_no, "seal_broken": b.seal_broken, "damaged": b.damaged} for b in receipt.boxes],
        "steps": {"arrived": stamp(receipt.arrived), "boxes_checked": stamp(receipt.boxes_checked),
                  "counted": stamp(receipt.counted), "counted_second": stamp(receipt.counted_second),
                  "posted": stamp(receipt.posted)},
        "lines": [{
            "part_no": line.part_no, "name": line.name or line.description, "known": line.known,
            "boxes": line.boxes, "expected": fmt_qty(line.expected),
            "counted": fmt_qty(line.counted) if line.counted is not None else None,
            "damaged": fmt_qty(line.damaged),
            "accepted": fmt_qty(line.accepted) if line.accepted is not None else None,
            "difference": line.difference, "location": line.location, "unit_price": fmt_money(line.unit_price),
            "fragile": line.fragile, "fragile_damaged": line.fragile_damaged, "refused": line.refused,
            "superseded_by": list(line.superseded_by),
        } for line in receipt.lines],
        "discrepancy_record": receipt.discrepancy_no, "surplus_receipt": receipt.surplus_no,
        "claims": [{"claim": c.number, "party": c.party, "party_code": c.party_code, "state": c.state,
                    "amount": fmt_money(c.amount)} for c in receipt.claims],
    }


def _timing(timing: str) -> str:
    """A receipt's timing as the list shows it: nothing for today's or a posted one, else late or OVERDUE."""
    if timing == "overdue":
        return labels.label(labels.RECEIPT_TIMING, timing).upper()
    return labels.label(labels.RECEIPT_TIMING, timing) if timing == "late" else ""


def _show_receipt(receipt) -> None:
    timing = _timing(receipt.timing)
    say(f"{receipt.number}  {labels.label(labels.RECEIPT_STATE, receipt.state)}  {receipt.shipment_no or ''}  "
        + _("deadline {deadline}").format(deadline=local(receipt.deadline)) + (f"  {timing}" if timing else ""))
    if receipt.box_signers:
        say(_("boxes checked by {signers}").format(signers=", ".join(
            f"{labels.label(labels.ROLE, role)} {code}" for role, code in receipt.box_signers)))
    if receipt.late_reason:
        say(_("posted late: {reason}").format(reason=receipt.late_reason))
    if receipt.invoice:
        say(_("invoice {number}: {amount}, receipt value {value}, difference {difference}").format(
            number=receipt.invoice.number, amount=fmt_money(receipt.invoice.amount), value=fmt_money(receipt.value),
            difference=fmt_money(receipt.invoice_difference)))
    table(None, [_("#"), _("part no"), _("name"), _("boxes"), _("expected"), _("counted"), _("damaged"),
                 _("accepted"), _("result"), _("location")],
          [[line.line_no, line.part_no, labels.part_name(line.name or line.description, line.name_zh), line.boxes,
            fmt_qty(line.expected),
            fmt_qty(line.counted) if line.counted is not None else "-", fmt_qty(line.damaged),
            fmt_qty(line.accepted) if line.accepted is not None else "-",
            labels.label(labels.DIFFERENCE, line.difference, "-"),
            line.location or _("NONE")] for line in receipt.lines], right={4, 5, 6, 7})
    for line in receipt.lines:
        if line.superseded_note:
            say(line.superseded_note)
    for claim in receipt.claims:
        say(_("claim {number}: {party}, {amount}, {state}").format(
            number=claim.number, party=claim_against(claim.party, claim.party_code), amount=fmt_money(claim.amount),
            state=labels.label(labels.CLAIM_STATE, claim.state)))


@receive_app.command("open")
def receive_open(
    ctx: typer.Context,
    file: Path,
    po: Annotated[Optional[str], typer.Option("--po", help=_("The purchase order it answers."))] = None,
    supplier: Annotated[Optional[str], typer.Option(help=_("Supplier code."))] = None,
    carrier: Annotated[Optional[str], typer.Option(help=_("Carrier code."))] = None,
    again: Annotated[bool, typer.Option("--again", help=_(
        "Open it although the same shipment (number and supplier) is already on a receipt: it came twice."))] = False,
    json: JsonOption = False,
) -> None:
    """Open a receipt from the packing list (CSV or XLSX): the shipment has arrived. The same shipment already
    on a receipt, open or posted, is refused naming it, unless --again."""
    from core.receiving_rules import ShipmentDoubt
    from core.services.receiving import open_receipt

    cli = state(ctx)
    try:
        with cli.database().writing() as uow:
            number = open_receipt(file, order=po, supplier=supplier, carrier=carrier, actor=cli.actor(uow),
                                  uow=uow, again=again)
    except ShipmentDoubt as exc:
        raise ShipmentDoubt([*exc.doubts[:-1], _("{doubt} (--again opens it)").format(doubt=exc.doubts[-1])]) from None
    if json:
        from core.tabular import file_encoding

        # The packing list was read in this encoding (the number alone stays the text output scripts read).
        emit_json({"receipt": number, "encoding": file_encoding(file)})
    else:
        say(number)


@receive_app.command("boxes")
def receive_boxes(
    ctx: typer.Context,
    receipt: str,
    boxes: Annotated[str, typer.Option(help=_("How many boxes arrived."))],
    broken_seal: Annotated[
        Optional[list[str]], typer.Option("--broken-seal", help=_("A box whose seal is broken."))
    ] = None,
    damaged: Annotated[Optional[list[str]], typer.Option("--damaged", help=_("A damaged or deformed box."))] = None,
    fragile_damaged: Annotated[
        Optional[list[str]], typer.Option("--fragile-damaged", help=_("A fragile part found damaged."))
    ] = None,
    by: Annotated[Optional[list[str]], typer.Option("--by", help=_(
        "A signer: the storekeeper and the planner who checked the boxes together; give both."))] = None,
    json: JsonOption = False,
) -> None:
    """Record the box check, signed by a storekeeper and a planner together (库房管理员和计划员一起验收箱数), each
    with their PIN: boxes counted, seals and boxes looked at, fragile parts checked."""
    from core.services.operators import authenticate
    from core.services.receiving import check_boxes

    received = parse_count(boxes, _("boxes arrived"))
    codes = [code.strip().upper() for code in by or []]
    if len(codes) != 2:
        raise RuleViolation(_("the box check is signed by two people together, a storekeeper and a planner: "
                              "--by STOREKEEPER --by PLANNER"))
    with state(ctx).database().writing() as uow:
        first = authenticate(codes[0], pin_for(codes[0]), uow=uow)
        second = authenticate(codes[1], pin_for(codes[1]), uow=uow)
        info = check_boxes(receipt, received, broken_seal=broken_seal, damaged=damaged,
                           fragile_damaged=fragile_damaged, actor=first, second=second, uow=uow)
    if json:
        emit_json(_receipt_document(info))
        return
    say(_("{number}: {received} of {expected} boxes").format(number=info.number, received=info.boxes_received,
                                                             expected=info.boxes_expected))
    if any(b.seal_broken or b.damaged for b in info.boxes):
        say(_("open and count the broken or damaged boxes before signing for the delivery"))


@receive_app.command("count")
def receive_count(
    ctx: typer.Context,
    receipt: str,
    by: Annotated[list[str], typer.Option("--by", help=_("A counter; give two different people."))],
    line: Annotated[Optional[list[str]], typer.Option("--line", help=_("PART_NO=QTY[/DAMAGED]; repeat."))] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help=_("A count sheet: part_no, qty[, damaged]."))] = None,
    json: JsonOption = False,
) -> None:
    """Sign the count of two people, each with their PIN: the count scanned at the desk (stored scan by scan), or
    the whole count given as --line or --file, which replaces what was scanned."""
    from core.services.operators import authenticate
    from core.services.receiving import count_receipt, parse_count_line, read_count_file

    if len(by) != 2:
        raise BadInput(_("the count needs exactly two counters: --by OP1 --by OP2"))
    if line and file:
        raise BadInput(_("give the count as --line PART_NO=QTY[/DAMAGED] … or as --file COUNTS.csv, not both"))
    entries = read_count_file(file) if file else [parse_count_line(text) for text in line] if line else None
    codes = [code.strip().upper() for code in by]
    with state(ctx).database().writing() as uow:
        first = authenticate(codes[0], pin_for(codes[0]), uow=uow)
        second = authenticate(codes[1], pin_for(codes[1]), uow=uow)
        info = count_receipt(receipt, entries, first=first, second=second, uow=uow)
    if json:
        emit_json(_receipt_document(info))
    else:
        _show_receipt(info)


@receive_app.command("scan")
def receive_scan(
    ctx: typer.Context, receipt: str,
    part_no: Annotated[list[str], typer.Argument(help=_("A part number; each one counts one more."))],
    json: JsonOption = False,
) -> None:
    """Count parts as the desk's scanner does: each one more on the operator's own stored count."""
    from core.services.receipt_counts import scan_part

    cli = state(ctx)
    count = None
    for code in part_no:
        with cli.database().writing() as uow:  # each scan stored on its own, as at the desk
            count = scan_part(receipt, code, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json({"receipt": count.number, "state": count.state,
                   "parts": {p: {"counted": fmt_qty(c.counted), "damaged": fmt_qty(c.damaged),
                                 "mine": fmt_qty(c.mine), "superseded_by": list(c.superseded_by)}
                             for p, c in count.parts.items()},
                   "by_counter": {code: fmt_qty(units) for code, units in count.by_counter}})
        return
    for part in count.parts.values():
        say(_("{part_no}: {counted} counted ({mine} by you)").format(
            part_no=part.part_no, counted=fmt_qty(part.counted), mine=fmt_qty(part.mine)))
        if part.superseded_note:
            say(part.superseded_note)


@receive_app.command("reopen")
def receive_reopen(ctx: typer.Context, receipt: str, json: JsonOption = False) -> None:
    """Open a signed count again (both signatures are cleared; the scans stay); it is signed again before posting."""
    from core.services.receipt_counts import reopen_count

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = reopen_count(receipt, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(_receipt_document(info))
    else:
        say(_("{number}: the count is open again; both signatures are cleared").format(number=info.number))


@receive_app.command("refuse")
def receive_refuse(
    ctx: typer.Context, receipt: str, part_no: str,
    reason: Annotated[str, typer.Option(help=_("Why it goes back (e.g. shipped by mistake)."))],
) -> None:
    """Send a line back instead of receiving it; it is claimed from the supplier (planner)."""
    from core.services.receiving import refuse_line

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = refuse_line(receipt, part_no, reason=reason, actor=cli.actor(uow), uow=uow)
    say(_("{number}: {part_no} refused, to be claimed").format(number=info.number, part_no=part_no.upper()))


@receive_app.command("post")
def receive_post(
    ctx: typer.Context, receipt: str,
    late_reason: Annotated[Optional[str], typer.Option("--late-reason", help=_(
        "Why a receipt that arrived on an earlier day is posted only now (当日报财务: it is posted the day it "
        "arrives)."))] = None,
    json: JsonOption = False,
) -> None:
    """Post a counted receipt: lots, damaged units into quarantine, surplus receipt, discrepancy record, claims,
    order (planner). A receipt that arrived on an earlier day needs --late-reason. A claim names whom it is
    against: a receipt that would claim from a supplier or carrier it does not name is refused."""
    from core.services.receiving import get_receipt, post_receipt, require_named_parties

    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        require_named_parties(get_receipt(receipt, uow=uow))
        info = post_receipt(receipt, actor=actor, uow=uow, late_reason=late_reason)
    if json:
        emit_json(_receipt_document(info))
        return
    say(_("{number} posted").format(number=info.number))
    for label, number in ((_("discrepancy record"), info.discrepancy_no), (_("surplus receipt"), info.surplus_no)):
        if number:
            say(f"  {label}: {number}")
    for claim in info.claims:
        say("  " + _("claim {number}: {party}, {amount}").format(
            number=claim.number, party=claim_against(claim.party, claim.party_code), amount=fmt_money(claim.amount)))


@receive_app.command("invoice")
def receive_invoice(
    ctx: typer.Context, receipt: str,
    number: Annotated[str, typer.Option("--number", help=_("The supplier's invoice number."))],
    amount: Annotated[str, typer.Option("--amount", help=_("The invoice's amount."))],
    json: JsonOption = False,
) -> None:
    """Check a receipt against the supplier's invoice (accountant): 财务要当日审核单据之间是否相符，并与发票相一致.
    The invoice's number and amount are recorded and compared with the receipt's value; a difference is flagged."""
    from core.services.receiving import record_invoice

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = record_invoice(receipt, number, amount, actor=cli.actor(uow), uow=uow)
    if json:
        emit_json(_receipt_document(info))
        return
    difference = info.invoice_difference
    say(_("{receipt}: invoice {number}, {amount}; receipt value {value}").format(
        receipt=info.number, number=info.invoice.number, amount=fmt_money(info.invoice.amount),
        value=fmt_money(info.value)))
    if difference:
        say(_("the invoice and the receipt differ by {difference}: check the documents").format(
            difference=fmt_money(difference)))
    else:
        say(_("the invoice agrees with the receipt"))


@receive_app.command("name")
def receive_name(
    ctx: typer.Context,
    receipt: str,
    supplier: Annotated[Optional[str], typer.Option(help=_("Supplier code."))] = None,
    carrier: Annotated[Optional[str], typer.Option(help=_("Carrier code."))] = None,
    json: JsonOption = False,
) -> None:
    """Name the supplier or carrier of a receipt not posted yet, so its claims say whom they are against."""
    from core.services.receiving import name_parties

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = name_parties(receipt, actor=cli.actor(uow), uow=uow, supplier=supplier, carrier=carrier)
    if json:
        emit_json(_receipt_document(info))
        return
    say(_("{number}: supplier {supplier}, carrier {carrier}").format(
        number=info.number, supplier=info.supplier or "—", carrier=info.carrier or "—"))


@receive_app.command("show")
def receive_show(ctx: typer.Context, receipt: str, json: JsonOption = False) -> None:
    """A receipt: status, deadline, lines with their differences, and the claims raised."""
    from core.services.receiving import get_receipt

    with state(ctx).database().reading() as uow:
        info = get_receipt(receipt, uow=uow)
    emit_json(_receipt_document(info)) if json else _show_receipt(info)


@receive_app.command("list")
def receive_list(
    ctx: typer.Context,
    open_: Annotated[bool, typer.Option("--open", help=_("Only receipts not yet posted."))] = False,
    json: JsonOption = False,
) -> None:
    """Receipts, newest first; overdue ones (not posted within 3 days) are flagged."""
    from core.services.receiving import iter_receipts

    # Receipts are printed as they are read, inside the read unit: memory stays flat at any size.
    with state(ctx).database().reading() as uow:
        receipts = iter_receipts(uow=uow, open_only=open_)
        if json:
            emit_json(streamed({"receipt": r.number, "state": r.state, "shipment_no": r.shipment_no,
                                "supplier": r.supplier, "arrived_at": iso(r.arrived_at), "deadline": iso(r.deadline),
                                "overdue": r.overdue, "timing": r.timing, "late_reason": r.late_reason,
                                "lines": str(r.lines)} for r in receipts))
        else:
            table(None, [_("receipt"), _("state"), _("shipment"), _("supplier"), _("arrived"), _("deadline"), "",
                         _("late reason")],
                  ([r.number, labels.label(labels.RECEIPT_STATE, r.state), r.shipment_no, r.supplier,
                    local(r.arrived_at), local(r.deadline), _timing(r.timing), r.late_reason or ""]
                   for r in receipts))


@receive_app.command("putaway")
def receive_putaway(ctx: typer.Context, receipt: str, json: JsonOption = False) -> None:
    """Where each accepted line goes, with the FIFO instruction (new stock behind or under the old)."""
    from core.services.receiving import putaway_list

    with state(ctx).database().reading() as uow:
        lines = putaway_list(receipt, uow=uow)
    if json:
        emit_json([{"part_no": p.part_no, "name": p.name, "qty": fmt_qty(p.qty), "location": p.location,
                    "older_on_hand": fmt_qty(p.older), "fragile": p.fragile, "instruction": p.instruction,
                    "superseded_by": list(p.superseded_by)}
                   for p in lines])
    else:
        table(None, [_("location"), _("part no"), _("name"), _("qty"), _("instruction")],
              [[p.location or "-", p.part_no, labels.part_name(p.name, p.name_zh), fmt_qty(p.qty), p.instruction]
               for p in lines], right={3})
        for p in lines:
            if p.superseded_note:
                say(p.superseded_note)


@receive_app.command("slip")
def receive_slip(ctx: typer.Context, receipt: str, out: OutOption = None, width: WidthOption = 80,
                 force: ForceOption = False) -> None:
    """The receipt list (入库清单) as fixed-width text, to print and sign."""
    from core.printing.documents import document_text

    with state(ctx).database().reading() as uow:
        text = document_text("receipt", receipt, uow=uow, width=width)
    write_text(text, out, force=force)


@receive_app.command("discrepancy")
def receive_discrepancy(ctx: typer.Context, receipt: str, out: OutOption = None, width: WidthOption = 80,
                        force: ForceOption = False) -> None:
    """The discrepancy record (验货异常现象记录表) as fixed-width text."""
    from core.printing.documents import document_text

    with state(ctx).database().reading() as uow:
        text = document_text("discrepancy", receipt, uow=uow, width=width)
    write_text(text, out, force=force)


# -- claims ------------------------------------------------------------------------------------


def _claim_document(claim) -> dict:
    return {
        "claim": claim.number, "receipt": claim.receipt, "party": claim.party, "party_code": claim.party_code,
        "state": claim.state, "created_at": iso(claim.created_at), "amount": fmt_money(claim.amount),
        "receivable": fmt_money(claim.receivable), "outstanding": fmt_money(claim.outstanding),
        "outcome": claim.outcome,
        "settled_amount": fmt_money(claim.settled_amount) if claim.settled_amount is not None else None,
        "note": claim.note,
        "lines": [{"part_no": line.part_no, "kind": line.kind, "qty": fmt_qty(line.qty),
                   "unit_price": fmt_money(line.unit_price), "amount": fmt_money(line.amount), "note": line.note,
                   "in_quarantine": fmt_qty(line.in_quarantine), "location": line.location}
                  for line in claim.lines],
    }


@claim_app.command("list")
def claim_list(
    ctx: typer.Context,
    state_: Annotated[Optional[str], typer.Option("--state", help=_("Only claims in this state."))] = None,
    json: JsonOption = False,
) -> None:
    """Claims, newest first, then the receivable outstanding per party (挂账: open and sent claims)."""
    from core.services.claims import list_claims, receivable_by_party

    with state(ctx).database().reading() as uow:
        claims = list_claims(uow=uow, state=state_)
    if json:
        emit_json([_claim_document(c) for c in claims])
    else:
        table(None, [_("claim"), _("receipt"), _("against"), _("state"), _("amount"), _("receivable")],
              [[c.number, c.receipt, claim_against(c.party, c.party_code), labels.label(labels.CLAIM_STATE, c.state),
                fmt_money(c.amount), fmt_money(c.outstanding)]
               for c in claims],
              right={4, 5})
        for row in receivable_by_party(claims):
            say(_("receivable outstanding from {party}: {amount}").format(
                party=claim_against(row.party, row.party_code), amount=fmt_money(row.outstanding)))


@claim_app.command("show")
def claim_show(ctx: typer.Context, claim: str, json: JsonOption = False, out: OutOption = None,
               force: ForceOption = False) -> None:
    """A claim with its lines (as the printable 索赔单 without --json)."""
    from core.printing.documents import document_text
    from core.services.claims import get_claim

    with state(ctx).database().reading() as uow:
        if json:
            emit_json(_claim_document(get_claim(claim, uow=uow)))
            return
        text = document_text("claim", claim, uow=uow, width=80)
    write_text(text, out, force=force)


def _move(ctx: typer.Context, claim: str, to: str, note: str | None = None, amount: str | None = None,
          outcome: str | None = None) -> None:
    from core.models import ClaimState
    from core.services.claims import move_claim

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = move_claim(claim, ClaimState(to), note=note, settled_amount=amount, outcome=outcome,
                          actor=cli.actor(uow), uow=uow)
    say(_("claim {number} is {state}").format(number=info.number, state=labels.label(labels.CLAIM_STATE, info.state)))


@claim_app.command("send")
def claim_send(ctx: typer.Context, claim: str,
               note: Annotated[Optional[str], typer.Option(help=_("How it was sent."))] = None) -> None:
    """Mark a claim sent to the supplier or carrier."""
    _move(ctx, claim, "sent", note)


@claim_app.command("settle")
def claim_settle(ctx: typer.Context, claim: str,
                 amount: Annotated[Optional[str], typer.Option(help=_("Amount agreed (default: as claimed)."))] = None,
                 note: Annotated[Optional[str], typer.Option(help=_("How it was settled."))] = None,
                 outcome: Annotated[Optional[str], typer.Option("--outcome", help=_(
                     "What became of the damaged units in quarantine: credit or replacement (written off), "
                     "repaired or accepted (to the part's bin)."))] = None) -> None:
    """Mark a sent claim settled; its damaged units leave quarantine as --outcome says."""
    _move(ctx, claim, "settled", note, amount, outcome)


@claim_app.command("reject")
def claim_reject(ctx: typer.Context, claim: str,
                 reason: Annotated[str, typer.Option(help=_("Why the party refused it."))]) -> None:
    """Mark a claim rejected, with the reason."""
    _move(ctx, claim, "rejected", reason)
