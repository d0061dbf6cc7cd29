"""The count as the storekeeper scans it, before the two counters sign it: one line per part, decided live.

Each line is decided by the core's own rule (`decide_line`), so the difference the screen shows
while counting is the one posting will book.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from core.codes import validate_part_no
from core.decimals import fmt_qty, parse_qty
from core.errors import BadInput
from core.i18n import _
from core.measures import check_qty
from core.models import ReceiptState
from core.receiving_rules import MAX_LINE_QTY, LineOutcome, decide_line
from core.services.receiving import CountEntry, ReceiptInfo

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(slots=True)
class DraftLine:
    """One part of the count: what the packing list says and what has been counted so far."""

    part_no: str
    name: str
    boxes: str
    expected: Decimal
    counted: Decimal | None  # None: not counted yet (decided as missing)
    damaged: Decimal
    refused: bool = False
    box_compromised: bool = False
    fragile: bool = False
    fragile_damaged: bool = False
    location: str | None = None
    known: bool = True
    unit: str | None = None  # None: not known to the master (core checks it when the count is signed)

    @property
    def on_list(self) -> bool:
        """Whether the packing list names the part (otherwise it is a wrong or extra part)."""
        return self.expected > 0

    def outcome(self) -> LineOutcome:
        """What the line comes to if the count were signed now."""
        return decide_line(self.expected, self.counted, self.damaged, refused=self.refused,
                           box_compromised=self.box_compromised)


class CountDraft:
    """The lines of a receipt and the count typed or scanned into them, until it is signed."""

    def __init__(self, receipt: ReceiptInfo) -> None:
        """Lines as the receipt holds them; a receipt already counted starts from its signed count."""
        self.number = receipt.number
        self.lines: dict[str, DraftLine] = {}
        self.dirty = False
        self.load(receipt, keep_count=False)

    def load(self, receipt: ReceiptInfo, *, keep_count: bool = True) -> None:
        """Take the receipt's facts (boxes, refusals, locations) afresh; keep the count typed unless told not to."""
        compromised = {box.box_no for box in receipt.boxes if box.seal_broken or box.damaged}
        signed = receipt.state in (ReceiptState.COUNTED, ReceiptState.POSTED)
        old = self.lines
        lines: dict[str, DraftLine] = {}
        for info in receipt.lines:
            line = DraftLine(
                info.part_no, info.name or info.description, info.boxes, info.expected,
                info.counted if signed else None, info.damaged if signed else ZERO, info.refused,
                bool(compromised & set(filter(None, info.boxes.split(",")))), info.fragile, info.fragile_damaged,
                info.location, info.known, info.unit,
            )
            if keep_count and info.part_no in old:
                line.counted, line.damaged = old[info.part_no].counted, old[info.part_no].damaged
            if line.on_list or line.counted:
                lines[info.part_no] = line
        if keep_count:  # extra parts scanned but not signed yet are not on the receipt
            for part_no, line in old.items():
                if part_no not in lines and line.counted:
                    lines[part_no] = line
        else:
            self.dirty = False
        self.lines = lines

    # -- counting ----------------------------------------------------------------------------

    def scan(self, text: str) -> tuple[DraftLine, bool]:
        """One more of a part (scanned or typed): its line, and whether the line is new (a part not on the list)."""
        part_no = validate_part_no(text)
        line = self.lines.get(part_no)
        new = line is None
        if new:
            line = DraftLine(part_no, "", "", ZERO, ZERO, ZERO, known=False)
            self.lines[part_no] = line
        counted = (line.counted or ZERO) + ONE
        self._check(line, counted)
        line.counted = counted
        self.dirty = True
        return line, new

    def set_counted(self, part_no: str, text: str) -> DraftLine:
        """Set a line's count to the number typed; an extra part set to 0 leaves the count."""
        line = self.lines[part_no]
        counted = self._quantity(text)
        if counted < line.damaged:
            raise BadInput(_("{part_no}: {damaged} of them are damaged; lower the damaged first").format(
                part_no=part_no, damaged=fmt_qty(line.damaged)))
        self._check(line, counted)
        line.counted = counted
        self.dirty = True
        return line

    def set_damaged(self, part_no: str, text: str) -> DraftLine:
        """Set how many of a line's counted units are damaged."""
        line = self.lines[part_no]
        damaged = self._quantity(text)
        check_qty(line.unit, damaged, part_no)
        counted = line.counted or ZERO
        if damaged > counted:
            raise BadInput(_("{part_no}: {damaged} damaged of {counted} counted is impossible").format(
                part_no=part_no, damaged=fmt_qty(damaged), counted=fmt_qty(counted)))
        line.damaged = damaged
        self.dirty = True
        return line

    def drop_empty_extras(self) -> list[str]:
        """Forget extra parts set back to 0 (a scan by mistake); returns their part numbers."""
        gone = [p for p, line in self.lines.items() if not line.on_list and not line.counted]
        for part_no in gone:
            del self.lines[part_no]
        return gone

    @staticmethod
    def _quantity(text: str) -> Decimal:
        if not (text or "").strip():
            raise BadInput(_("type the quantity in the scan field first"))
        value = parse_qty(text)
        if value < 0:
            raise BadInput(_("a count cannot be negative"))
        return value

    @staticmethod
    def _check(line: DraftLine, counted: Decimal) -> None:
        check_qty(line.unit, counted, line.part_no)  # no 1.5 wiper blades
        if counted > MAX_LINE_QTY:
            raise BadInput(_("{part_no}: {qty} is not a count a shipment holds").format(
                part_no=line.part_no, qty=fmt_qty(counted)))

    # -- what it comes to --------------------------------------------------------------------

    def entries(self) -> list[CountEntry]:
        """The count to sign: every line counted (lines never counted are missing)."""
        return [CountEntry(line.part_no, line.counted, line.damaged)
                for line in self.lines.values() if line.counted is not None and (line.on_list or line.counted)]

    def tally(self) -> Counter[str]:
        """How many lines come to each difference (ok, short, …)."""
        return Counter(line.outcome().difference.value for line in self.lines.values())
