"""Parts taken off a new vehicle (拆新车) on SQLite and PostgreSQL: received against the VIN into lots of their own,
put back (负入库) from the VIN's lots first, refused beyond what is outstanding and never below zero, listed while
outstanding; the books agree after each step; the CLI's exit codes and JSON keys."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import BadInput, NotFound, PermissionDenied, RuleViolation
from core.ledger import OutOfStock
from core.roles import Role
from core.services import stock, vehicles
from tests.helpers import add_parts, assert_books_agree, make_staff, receive
from tests.helpers.cli import Station, numbers_are_strings, refused
from tests.helpers.counter import issue, order_in

VIN = "LSGJA52U5CH123456"
OTHER_VIN = "LSGJA52U5CH654321"
PADS, FILTER = "96536697", "96800106"
PAD_BIN, FILTER_BIN = "EXC-01-02-03", "EXC-01-01-01"


@pytest.fixture
def station(any_db, clock):
    """Staff, the three sample parts, and one older lot of pads at 250.00."""
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    receive(any_db, staff, PADS, 3, cost="250.00")
    clock.advance(days=1)
    return any_db, staff


def _take(database, staff, vin, *lines, location=PAD_BIN, role=Role.STOREKEEPER):
    with database.writing() as uow:
        return vehicles.take(vin, list(lines), location=location, actor=staff[role], uow=uow)


def _restore(database, staff, vin, *lines, role=Role.STOREKEEPER):
    with database.writing() as uow:
        return vehicles.restore(vin, list(lines), actor=staff[role], uow=uow)


def _listed(database):
    with database.reading() as uow:
        return [(r.vin, r.part_no, r.taken, r.restored, r.outstanding) for r in vehicles.taken_off(uow=uow)]


def _lots(database, part_no=PADS):
    with database.reading() as uow:
        return [(lot.document[:3], lot.qty, lot.unit_cost) for lot in stock.part_stock(part_no, uow=uow).lots]


def test_round_trip_take_list_restore(station, clock):
    database, staff = station
    taken = _take(database, staff, VIN, f"{PADS}:2", f"{FILTER}:1", location=PAD_BIN)
    assert taken.document == "VTK-2026-000001" and taken.vin == VIN
    # A lot of its own, at the part's last cost (the filter has none: its list price).
    assert _lots(database) == [("ADJ", 3, Decimal("250.00")), ("VTK", 2, Decimal("250.00"))]
    assert _lots(database, FILTER) == [("VTK", 1, Decimal("100.00"))]
    assert _listed(database) == [(VIN, PADS, 2, 0, 2), (VIN, FILTER, 1, 0, 1)]
    assert_books_agree(database)
    clock.advance(days=2)
    back = _restore(database, staff, VIN, f"{PADS}:1")
    assert back.document == "VRS-2026-000001"
    # From the VIN's own lot, not the older one oldest-first would take.
    assert _lots(database) == [("ADJ", 3, Decimal("250.00")), ("VTK", 1, Decimal("250.00"))]
    assert _listed(database) == [(VIN, PADS, 2, 1, 1), (VIN, FILTER, 1, 0, 1)]
    _restore(database, staff, VIN, f"{PADS}:1", f"{FILTER}:1", role=Role.PARTS_MANAGER)
    assert _listed(database) == []
    with database.reading() as uow:
        moves = [(m.kind, m.qty, m.document[:3], m.note) for m in stock.part_ledger(PADS, uow=uow)]
    assert moves[1:] == [("receipt", 2, "VTK", VIN), ("receipt", -1, "VRS", VIN), ("receipt", -1, "VRS", VIN)]
    assert_books_agree(database)


def test_restore_after_the_vins_lot_was_issued_takes_oldest_first_and_never_below_zero(station):
    database, staff = station
    _take(database, staff, VIN, f"{FILTER}:2", location=FILTER_BIN)
    ro = order_in(database, staff, "in_repair")
    issue(database, staff, ro, (FILTER, "2"))
    with pytest.raises(OutOfStock):
        _restore(database, staff, VIN, f"{FILTER}:1")
    receive(database, staff, FILTER, 1, cost="30", location=FILTER_BIN)
    _restore(database, staff, VIN, f"{FILTER}:1")
    assert _lots(database, FILTER) == []
    assert _listed(database) == [(VIN, FILTER, 2, 1, 1)]
    assert_books_agree(database)


def test_refusals_change_nothing(station):
    database, staff = station
    _take(database, staff, VIN, f"{PADS}:2")
    before = _listed(database), _lots(database)
    with pytest.raises(RuleViolation, match=f"{VIN} has 2 of {PADS} taken off and not put back; 3 cannot"):
        _restore(database, staff, VIN, f"{PADS}:3")
    with pytest.raises(RuleViolation, match="has 0 of"):
        _restore(database, staff, OTHER_VIN, f"{PADS}:1")
    with pytest.raises(BadInput, match="never uses I, O or Q"):
        _take(database, staff, "LSGJA52U5CH12345O", f"{PADS}:1")
    with pytest.raises(BadInput, match="has 5 characters"):
        _take(database, staff, "LSGJA", f"{PADS}:1")
    with pytest.raises(BadInput, match="must be more than zero"):
        _take(database, staff, VIN, f"{PADS}:0")
    with pytest.raises(BadInput, match="must be PART_NO:QTY"):
        _take(database, staff, VIN, PADS)
    with pytest.raises(NotFound):
        _take(database, staff, VIN, "NOPART:1")
    with pytest.raises(PermissionDenied):
        _take(database, staff, VIN, f"{PADS}:1", role=Role.PLANNER)
    assert (_listed(database), _lots(database)) == before
    assert_books_agree(database)


# -- the command line --------------------------------------------------------------------------------


@pytest.fixture
def cli_station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("PLAN1", "planner")]:
        added = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert added.exit_code == 0
    assert s.run("part", "add", PADS, "--name", "Pads", "--model-series", "EXCELLE", "--price", "80",
                 "--location", PAD_BIN, as_="PLAN1").exit_code == 0
    return s


def test_cli_take_restore_list(cli_station):
    s = cli_station
    done = s.json("vehicle", "take", VIN, "--line", f"{PADS}:2", "--location", PAD_BIN, as_="STORE1")
    assert done == {"document": "VTK-2026-000001", "vin": VIN, "lines": [{"part_no": PADS, "qty": "2"}]}
    listed = s.json("vehicle", "list")
    numbers_are_strings(listed)
    assert [{k: row[k] for k in ("vin", "part_no", "taken", "restored", "outstanding")} for row in listed] == [
        {"vin": VIN, "part_no": PADS, "taken": "2", "restored": "0", "outstanding": "2"}]
    assert set(listed[0]) == {"vin", "part_no", "taken", "restored", "outstanding", "date"}
    refused(s.run("vehicle", "restore", VIN, "--line", f"{PADS}:3", as_="STORE1"), 1, "3 cannot be put back")
    refused(s.run("vehicle", "take", "LSGJA52U5CH1234I6", "--line", f"{PADS}:1", "--location", PAD_BIN,
                  as_="STORE1"), 2, "never uses I, O or Q")
    refused(s.run("vehicle", "take", VIN, "--line", f"{PADS}:1", "--location", PAD_BIN, as_="PLAN1"), 1,
            "may not take parts off a new vehicle")
    result = s.run("vehicle", "restore", VIN, "--line", f"{PADS}:2", as_="STORE1")
    assert result.exit_code == 0 and "VRS-2026-000001" in result.stdout
    assert s.json("vehicle", "list") == []
    assert "no vehicle has parts taken off" in s.run("vehicle", "list").stdout
    check = s.run("stock", "check")
    assert check.exit_code == 0 and "agree" in check.stdout
    # Both slips print as paper through `partsdesk print`, as text and as PDF (tests/test_vehicle_slips.py).
    slip = s.run("print", "vehicle-restore", "VRS-2026-000001")
    assert slip.exit_code == 0 and VIN in slip.stdout and "恢复新车负入库单" in slip.stdout
    pdf = s.path.parent / "vtk.pdf"
    assert s.run("print", "vehicle-take", "VTK-2026-000001", "--out", str(pdf)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
