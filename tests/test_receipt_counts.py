"""The stored count of a receipt, on SQLite and PostgreSQL: every scan a row per counter, the sum signed, the
signed count frozen until reopened on purpose (both signatures cleared)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import BadInput, PermissionDenied, RuleViolation
from core.roles import Role
from core.services import part_import, receipt_counts, receiving
from core.services.receiving import CountEntry
from tests.helpers import SAMPLES, make_staff

PACKING_LIST = SAMPLES / "packing_list.csv"
PADS, FILTER, EXTRA = "96536697", "96800106", "13301205"


@pytest.fixture
def checked(any_db):
    """The sample shipment opened and its three boxes checked: ready to count."""
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        part_import.import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
        number = receiving.open_receipt(PACKING_LIST, actor=staff[Role.STOREKEEPER], uow=uow)
        receiving.check_boxes(number, 3, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
    return any_db, staff, number


def _scan(db, staff, number, role, *parts):
    result = None
    for part_no in parts:
        with db.writing() as uow:  # one short transaction per scan, as at the desk
            result = receipt_counts.scan_part(number, part_no, actor=staff[role], uow=uow)
    return result


def _stored_rows(db):
    with db.reading() as uow, uow.read() as conn:
        from sqlalchemy import text

        return conn.execute(text("SELECT COUNT(*) FROM receipt_count")).scalar()


def test_each_scan_is_stored_per_counter_and_the_receipt_counts_their_sum(checked):
    db, staff, number = checked
    _scan(db, staff, number, Role.STOREKEEPER, PADS, PADS, PADS, FILTER)
    _scan(db, staff, number, Role.PARTS_MANAGER, PADS, PADS)
    # A fresh read, as another terminal (or the app started again) would make it.
    with db.reading() as uow:
        mine = receipt_counts.count_of(number, actor=staff[Role.STOREKEEPER], uow=uow)
        theirs = receipt_counts.count_of(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
    pads = mine.parts[PADS]
    assert (pads.counted, pads.mine) == (5, 3) and theirs.parts[PADS].mine == 2
    assert mine.parts[FILTER].counted == 1 and FILTER not in {p for p, c in theirs.parts.items() if c.mine}
    assert dict(mine.by_counter) == {"STORE1": Decimal(4), "PM1": Decimal(2)}
    assert _stored_rows(db) == 3
    with db.writing() as uow:
        signed = receiving.count_receipt(number, None, first=staff[Role.STOREKEEPER],
                                         second=staff[Role.PARTS_MANAGER], uow=uow)
    lines = {line.part_no: line for line in signed.lines}
    assert signed.state == "counted" and lines[PADS].counted == 5 and lines[FILTER].counted == 1
    assert lines["13227301"].difference == "missing"


def test_a_part_not_on_the_list_is_named_and_set_to_zero_leaves_the_count(checked):
    db, staff, number = checked
    count = _scan(db, staff, number, Role.STOREKEEPER, EXTRA)
    assert count.parts[EXTRA].name == "Headlamp assembly, right"
    with db.writing() as uow:
        count = receipt_counts.set_counted(number, EXTRA, "0", actor=staff[Role.STOREKEEPER], uow=uow)
    assert EXTRA not in count.parts and _stored_rows(db) == 0


def test_typed_quantities_set_the_counters_own_count(checked):
    db, staff, number = checked
    _scan(db, staff, number, Role.PARTS_MANAGER, FILTER)
    store = staff[Role.STOREKEEPER]
    with db.writing() as uow:
        receipt_counts.set_counted(number, FILTER, "59", actor=store, uow=uow)
        count = receipt_counts.set_damaged(number, FILTER, "2", actor=store, uow=uow)
    part = count.parts[FILTER]
    assert (part.counted, part.damaged, part.mine, part.mine_damaged) == (60, 2, 59, 2)
    for work, message in [(lambda uow: receipt_counts.set_damaged(number, FILTER, "60", actor=store, uow=uow),
                           "impossible"),
                          (lambda uow: receipt_counts.set_counted(number, FILTER, "1", actor=store, uow=uow),
                           "lower the damaged first"),
                          (lambda uow: receipt_counts.set_counted(number, FILTER, "-1", actor=store, uow=uow),
                           "negative"),
                          (lambda uow: receipt_counts.set_counted(number, FILTER, "", actor=store, uow=uow),
                           "type the quantity first"),
                          (lambda uow: receipt_counts.set_counted(number, FILTER, "200000", actor=store, uow=uow),
                           "not a count a shipment holds"),
                          (lambda uow: receipt_counts.scan_part(number, "bad part!", actor=store, uow=uow),
                           "may hold only")]:
        with db.writing() as uow, pytest.raises(BadInput, match=message):
            work(uow)
    with db.reading() as uow:
        assert receipt_counts.count_of(number, actor=store, uow=uow).parts[FILTER] == part  # nothing changed


def test_a_scan_after_signing_is_refused_until_the_count_is_reopened(checked):
    db, staff, number = checked
    _scan(db, staff, number, Role.STOREKEEPER, PADS)
    with db.writing() as uow:
        receiving.count_receipt(number, None, first=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow, pytest.raises(RuleViolation, match="is signed: nothing more is counted"):
        receipt_counts.scan_part(number, PADS, actor=staff[Role.STOREKEEPER], uow=uow)
    with db.reading() as uow:
        assert receipt_counts.count_of(number, actor=staff[Role.STOREKEEPER], uow=uow).parts[PADS].counted == 1
    with db.writing() as uow, pytest.raises(PermissionDenied):
        receipt_counts.reopen_count(number, actor=staff[Role.MECHANIC], uow=uow)
    with db.writing() as uow:
        reopened = receipt_counts.reopen_count(number, actor=staff[Role.STOREKEEPER], uow=uow)
    assert reopened.state == "boxes_checked" and reopened.counted is None and reopened.counted_second is None
    assert all(line.counted is None for line in reopened.lines)
    count = _scan(db, staff, number, Role.STOREKEEPER, PADS)  # the stored scans stayed: counting goes on
    assert count.parts[PADS].counted == 2
    with db.writing() as uow, pytest.raises(RuleViolation, match="not counted yet"):
        receipt_counts.reopen_count(number, actor=staff[Role.STOREKEEPER], uow=uow)


def test_a_whole_count_given_at_once_replaces_the_scans(checked):
    db, staff, number = checked
    _scan(db, staff, number, Role.STOREKEEPER, PADS, PADS)
    _scan(db, staff, number, Role.PARTS_MANAGER, FILTER)
    with db.writing() as uow:
        signed = receiving.count_receipt(number, [CountEntry(PADS, Decimal(10))], first=staff[Role.STOREKEEPER],
                                         second=staff[Role.PLANNER], uow=uow)
    lines = {line.part_no: line for line in signed.lines}
    assert lines[PADS].counted == 10 and lines[FILTER].counted == 0  # one count, never two added
    with db.reading() as uow:
        stored = receipt_counts.count_of(number, actor=staff[Role.STOREKEEPER], uow=uow)
    assert {p: c.counted for p, c in stored.parts.items()} == {PADS: 10}


def test_two_counters_scanning_at_the_same_moment_lose_no_scan(checked):
    import threading

    db, staff, number = checked
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def terminal(role: Role) -> None:
        try:
            start.wait()
            _scan(db, staff, number, role, *[PADS] * 15, *[FILTER] * 5)
        except BaseException as exc:  # noqa: BLE001  (reported below, in the test's own thread)
            errors.append(exc)

    threads = [threading.Thread(target=terminal, args=(role,)) for role in (Role.STOREKEEPER, Role.PARTS_MANAGER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.reading() as uow:
        count = receipt_counts.count_of(number, actor=staff[Role.STOREKEEPER], uow=uow)
    assert (count.parts[PADS].counted, count.parts[FILTER].counted) == (30, 10)
    assert dict(count.by_counter) == {"STORE1": Decimal(20), "PM1": Decimal(20)}
