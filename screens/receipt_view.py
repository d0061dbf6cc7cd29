"""How receipts read on screen: state and difference labels in colour, the facts and the steps of a receipt."""

from __future__ import annotations

from rich.text import Text

from core import labels
from core.decimals import fmt_money, fmt_qty
from core.i18n import _, ngettext
from core.receiving_rules import Difference, claim_against
from core.services.receiving import ReceiptInfo, Stamp
from screens.part import local_time
from screens.receipt_draft import CountDraft

# Fixed colours, not the terminal's ANSI ones: some themes draw ANSI red and magenta almost alike.
GOOD = "bold #4ebf71"
BAD = "bold #f0524f"
SURPLUS = "bold #e5b33b"
CLAIM = "bold #c678dd"
CARE = "#e5b33b"

# The colour says what to do about a line: green nothing, red chase it, yellow surplus, violet claim it.
DIFFERENCE_STYLES = {
    Difference.OK: GOOD,
    Difference.SHORT: BAD,
    Difference.MISSING: BAD,
    Difference.OVER: SURPLUS,
    Difference.WRONG_PART: CLAIM,
    Difference.DAMAGED: CLAIM,
}


def difference_label(difference: str) -> str:
    """A difference as the storekeeper says it (少发, 漏发, ...), in the active language."""
    return labels.label(labels.DIFFERENCE, Difference(difference))


def difference_text(difference: str | None) -> Text:
    """A difference in its colour; a dash while there is nothing to compare."""
    if difference is None:
        return Text("—", style="dim")
    return Text(difference_label(difference), style=DIFFERENCE_STYLES[Difference(difference)])


def state_label(state: str) -> str:
    """A receipt's state, in the active language."""
    return labels.label(labels.RECEIPT_STATE, state)


def short_time(stamp: Stamp | None) -> str:
    """When (month, day and time: a receipt lives three days) and by whom a step was done, or a dash."""
    return f"{stamp.at.astimezone().strftime('%m-%d %H:%M')} {stamp.by}" if stamp else "—"


def receipt_title(receipt: ReceiptInfo) -> Text:
    """Number, state and, when late, the overdue flag."""
    title = Text.assemble((receipt.number, "bold"), "  ", (state_label(receipt.state), "bold cyan"))
    if receipt.overdue:
        title.append("  " + _("OVERDUE: posting was due by {deadline}").format(
            deadline=local_time(receipt.deadline)), style=BAD)
    elif receipt.timing == "late":  # 当日报财务: past the day it arrived, posting asks the special reason
        title.append("  " + _("late: posting asks the special reason"), style="bold yellow")
    if receipt.late_reason:
        title.append("  " + _("posted late: {reason}").format(reason=receipt.late_reason))
    return title


def receipt_facts(receipt: ReceiptInfo) -> Text:
    """Where the shipment comes from, its boxes as checked, and the deadline."""
    dash = "—"
    first = _("Shipment {shipment} · supplier {supplier} · carrier {carrier} · order {order} · list {file}").format(
        shipment=receipt.shipment_no or dash, supplier=receipt.supplier or dash, carrier=receipt.carrier or dash,
        order=receipt.order or dash, file=receipt.packing_list)
    broken = ", ".join(box.box_no for box in receipt.boxes if box.seal_broken) or dash
    damaged = ", ".join(box.box_no for box in receipt.boxes if box.damaged) or dash
    arrived = receipt.boxes_received if receipt.boxes_received is not None else dash
    second = Text(_("Boxes: {expected} on the list, {arrived} arrived · seal broken: {broken} · damaged: {damaged}"
                    ).format(expected=receipt.boxes_expected, arrived=arrived, broken=broken, damaged=damaged))
    if receipt.boxes_received is not None and receipt.boxes_received != receipt.boxes_expected:
        second.stylize(BAD)
    second.append("  ·  " + _("post by {deadline}").format(deadline=local_time(receipt.deadline)),
                  style=BAD if receipt.overdue else "")
    return Text("\n").join([Text(first), second])


def receipt_steps(receipt: ReceiptInfo) -> Text:
    """The four steps, each with when and by whom, and the documents posting produced."""
    counted = "—"
    if receipt.counted and receipt.counted_second:
        counted = f"{short_time(receipt.counted)} + {receipt.counted_second.by}"
    steps = [(_("Arrived"), short_time(receipt.arrived)), (_("Checked"), short_time(receipt.boxes_checked)),
             (_("Counted"), counted), (_("Posted"), short_time(receipt.posted))]
    text = Text()
    for index, (label, done) in enumerate(steps):
        if index:
            text.append(" → ", style="dim")
        text.append(f"{label} ", style="bold" if done != "—" else "dim")
        text.append(done, style="" if done != "—" else "dim")
    documents = []
    if receipt.discrepancy_no:
        documents.append(_("discrepancy record {number}").format(number=receipt.discrepancy_no))
    if receipt.surplus_no:
        documents.append(_("surplus receipt {number}").format(number=receipt.surplus_no))
    for claim in receipt.claims:
        documents.append(_("claim {number} against {party} ({amount})").format(
            number=claim.number, party=claim_against(claim.party, claim.party_code), amount=fmt_money(claim.amount)))
    if documents:
        text.append("\n" + _("Documents: ") + " · ".join(documents))
    return text


def tally_text(draft: CountDraft, *, live: bool) -> Text:
    """How many lines come to each difference, and whether the count still needs signing."""
    tally = draft.tally()
    text = Text(ngettext(
        "{lines} line",
        "{lines} lines", len(draft.lines)).format(lines=len(draft.lines)), style="bold")
    if not live:
        text.append(" · " + _("check the boxes first (ctrl+b), then count"), style=SURPLUS)
    else:
        for difference, style in DIFFERENCE_STYLES.items():
            if tally[difference]:
                text.append(" · ")
                text.append(f"{tally[difference]} {difference_label(difference)}", style=style)
    if draft.saving:
        text.append(" · " + _("storing…"), style=SURPLUS)
    if draft.unsigned:
        text.append(" · " + _("count not signed yet"), style=SURPLUS)
    if len(draft.by_counter) > 1:  # two or more counting at once: each sees their share
        counters = ", ".join(f"{code} {fmt_qty(units)}" for code, units in draft.by_counter)
        text.append(" · " + _("counted by {counters}").format(counters=counters))
    return text
