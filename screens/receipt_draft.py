"""The count as the storekeeper scans it, as stored, until the two counters sign it: one line per part, decided live.

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
from core.services.receipt_counts import StoredCount
from core.services.receiving import ReceiptInfo

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
    mine: Decimal = ZERO  # the signed-in operator's own share of the count
    mine_damaged: Decimal = ZERO
    name_zh: str | None = None  # the master's Chinese name, shown in Chinese
    superseded_by: tuple[str, ...] = ()  # an old number's newest number(s): counted as shipped, but flagged

    @property
    def on_list(self) -> bool:
        """Whether the packing list names the part (otherwise it is a wrong or extra part)."""
        return self.expected > 0

    def outcome(self) -> LineOutcome:
        """What the line comes to if the count were signed now."""
        return decide_line(self.expected, self.counted, self.damaged, refused=self.refused,
                           box_compromised=self.box_compromised)


class CountDraft:
    """The lines of a receipt and its count as stored, with the scans typed since and still being stored.

    The count lives in the database (core.services.receipt_counts): each scan is shown at once here and
    stored by one short write; when the writes are done the lines are loaded again from what the database
    returned, so what stays on screen is what is stored.
    """

    def __init__(self, receipt: ReceiptInfo, count: StoredCount | None = None) -> None:
        """Lines as the receipt holds them, counted as stored (a signed receipt: as signed)."""
        self.number = receipt.number
        self.lines: dict[str, DraftLine] = {}
        self.by_counter: tuple[tuple[str, Decimal], ...] = ()
        self.signed = False
        self.saving = False  # scans shown but not all stored yet
        self.load(receipt, count)

    def load(self, receipt: ReceiptInfo, count: StoredCount | None = None) -> None:
        """Take the receipt's facts (boxes, refusals, locations) and the stored count afresh."""
        compromised = {box.box_no for box in receipt.boxes if box.seal_broken or box.damaged}
        self.signed = receipt.state in (ReceiptState.COUNTED, ReceiptState.POSTED)
        stored = count.parts if count is not None and not self.signed else {}
        self.by_counter = count.by_counter if count is not None else ()
        lines: dict[str, DraftLine] = {}
        for info in receipt.lines:
            line = DraftLine(
                info.part_no, info.name or info.description, info.boxes, info.expected,
                info.counted if self.signed else None, info.damaged if self.signed else ZERO, info.refused,
                bool(compromised & set(filter(None, info.boxes.split(",")))), info.fragile, info.fragile_damaged,
                info.location, info.known, info.unit, name_zh=info.name_zh, superseded_by=info.superseded_by,
            )
            part = stored.get(info.part_no)
            if part is not None:
                line.counted, line.damaged, line.mine, line.mine_damaged = (
                    part.counted, part.damaged, part.mine, part.mine_damaged)
            if line.on_list or line.counted:
                lines[info.part_no] = line
        for part_no, part in stored.items():  # parts counted that the packing list does not name
            if part_no not in lines:
                lines[part_no] = DraftLine(part_no, part.name or "", "", ZERO, part.counted, part.damaged,
                                           location=part.location, known=part.name is not None, mine=part.mine,
                                           mine_damaged=part.mine_damaged, superseded_by=part.superseded_by)
        self.lines = lines

    @property
    def unsigned(self) -> bool:
        """Whether something is counted that is not signed yet."""
        return not self.signed and any(line.counted for line in self.lines.values())

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
        line.counted, line.mine = counted, line.mine + ONE
        return line, new

    def set_counted(self, part_no: str, text: str) -> DraftLine:
        """Set the operator's count of a line to the number typed (the other counters' stay); an extra part set
        to 0 leaves the count."""
        line = self.lines[part_no]
        mine = self._quantity(text)
        if mine < line.mine_damaged:
            raise BadInput(_("{part_no}: {damaged} of them are damaged; lower the damaged first").format(
                part_no=part_no, damaged=fmt_qty(line.mine_damaged)))
        counted = (line.counted or ZERO) - line.mine + mine
        self._check(line, counted)
        line.counted, line.mine = counted, mine
        return line

    def set_damaged(self, part_no: str, text: str) -> DraftLine:
        """Set how many of a line's counted units are damaged."""
        line = self.lines[part_no]
        damaged = self._quantity(text)
        check_qty(line.unit, damaged, part_no)
        if damaged > line.mine:
            raise BadInput(_("{part_no}: {damaged} damaged of {counted} counted is impossible").format(
                part_no=part_no, damaged=fmt_qty(damaged), counted=fmt_qty(line.mine)))
        line.damaged, line.mine_damaged = line.damaged - line.mine_damaged + damaged, damaged
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

    def tally(self) -> Counter[str]:
        """How many lines come to each difference (ok, short, …)."""
        return Counter(line.outcome().difference.value for line in self.lines.values())
