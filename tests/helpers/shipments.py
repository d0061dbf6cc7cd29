"""Stock received the way the station receives it: a packing list file opened as a receipt, its boxes checked,
counted by two people and posted by the planner."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.roles import Role
from core.services import receiving
from core.services.receiving import CountEntry

_FILES = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Line:
    """A packing list line and what the two counters found of it (all of it and nothing damaged unless said)."""

    part_no: str
    qty: Decimal | str | int
    unit_price: str = "10.00"
    counted: Decimal | str | int | None = None
    damaged: Decimal | str | int = 0


def write_packing_list(folder: Path, lines: Sequence[Line]) -> Path:
    """A packing list file as the manufacturer sends it: one box a line."""
    path = folder / f"packing-{next(_FILES)}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["shipment_no", "box_no", "part_no", "description", "qty", "unit_price"])
        for box, line in enumerate(lines, start=1):
            writer.writerow(["SH-T", str(box), line.part_no, f"part {line.part_no}", str(line.qty), line.unit_price])
    return path


def counted_receipt(database, staff, folder: Path, lines: Sequence[Line]) -> str:
    """A receipt opened from a packing list of `lines`, every box arrived whole, counted by the storekeeper and
    the parts manager; its number. Posting it is the planner's step."""
    store = staff[Role.STOREKEEPER]
    with database.writing() as uow:
        # Every test shipment is SH-T: a second one in a test is confirmed as a shipment that came again.
        number = receiving.open_receipt(write_packing_list(folder, lines), actor=store, uow=uow, again=True)
    with database.writing() as uow:
        receiving.check_boxes(number, len(lines), actor=store, second=staff[Role.PLANNER], uow=uow)
    entries = [CountEntry(line.part_no, Decimal(line.qty if line.counted is None else line.counted),
                          Decimal(line.damaged)) for line in lines]
    with database.writing() as uow:
        receiving.count_receipt(number, entries, first=store, second=staff[Role.PARTS_MANAGER], uow=uow)
    return number


def receive_shipment(database, staff, folder: Path, lines: Sequence[Line]) -> receiving.ReceiptInfo:
    """A shipment of `lines` received whole: opened, boxes checked, counted and posted; the posted receipt."""
    number = counted_receipt(database, staff, folder, lines)
    with database.writing() as uow:
        return receiving.post_receipt(number, actor=staff[Role.PLANNER], uow=uow)
