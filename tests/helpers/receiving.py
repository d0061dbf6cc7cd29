"""Receiving in tests: the sample shipment opened, its boxes checked and counted, and the receiving screens
opened and scanned into from the keyboard."""

from __future__ import annotations

from decimal import Decimal

from core.roles import Role
from core.services.receiving import CountEntry, check_boxes, count_receipt, get_receipt, open_receipt
from screens.receipt import ReceiptScreen
from screens.receiving import ReceivingScreen
from tests.helpers.station import SAMPLES
from tests.helpers.tui import burst, screen_text, settle, sign_in

PACKING_LIST = SAMPLES / "packing_list.csv"
OIL_FILTER, BRAKE_PADS, HEADLAMP_LEFT, HEADLAMP_RIGHT = "96800106", "96536697", "13301204", "13301205"
# The sample packing list: part, expected (the oil filter stands in two boxes: 40 + 20).
EXPECTED = {BRAKE_PADS: 10, OIL_FILTER: 60, HEADLAMP_LEFT: 2, "19300011": 48, "13227301": 6}
ALL_COUNTED = [CountEntry(part_no, Decimal(qty)) for part_no, qty in EXPECTED.items()]


def open_sample(db, staff, path=PACKING_LIST, **options) -> str:
    """A receipt opened by the storekeeper from a packing list (the shipment has arrived). Tests open the one
    sample shipment many times over, so the same shipment again is confirmed unless `again=False` is given."""
    options.setdefault("again", True)
    with db.writing() as uow:
        return open_receipt(path, actor=staff[Role.STOREKEEPER], uow=uow, **options)


def boxes_checked(db, staff, number: str) -> str:
    """The sample's three boxes arrived whole."""
    with db.writing() as uow:
        check_boxes(number, 3, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
    return number


def counted(db, staff, number: str, entries=ALL_COUNTED) -> str:
    """Counted by the storekeeper and the parts manager."""
    boxes_checked(db, staff, number)
    with db.writing() as uow:
        count_receipt(number, entries, first=staff[Role.STOREKEEPER], second=staff[Role.PARTS_MANAGER],
                      uow=uow)
    return number


def receipt(db, number: str):
    """The receipt as the database holds it."""
    with db.writing() as uow:
        return get_receipt(number, uow=uow)


async def open_receiving(pilot, role: Role = Role.STOREKEEPER) -> ReceivingScreen:
    """Sign in and open receiving with its key."""
    await sign_in(pilot, role)
    await pilot.press("f6")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReceivingScreen)
    return pilot.app.screen


async def open_receipt_screen(pilot, number: str, role: Role = Role.STOREKEEPER) -> ReceiptScreen:
    """Sign in, open receiving and scan the receipt's number."""
    await open_receiving(pilot, role)
    await burst(pilot, *number, "enter")
    assert isinstance(pilot.app.screen, ReceiptScreen), screen_text(pilot.app)
    return pilot.app.screen


async def scan(pilot, *part_numbers: str) -> None:
    """Scans as a scanner sends them: every code and its Enter in one burst."""
    keys = [key for part_no in part_numbers for key in (*part_no, "enter")]
    await burst(pilot, *keys)
