"""Roles are enforced in core: every service refuses an operator without the right role, and changes nothing."""

from decimal import Decimal

import pytest
from sqlalchemy import text

from core.errors import AuthenticationFailed, PermissionDenied, RuleViolation
from core.pins import check_pin
from core.roles import PERMISSIONS, Permission, Role
from core.services import catalog, operators, part_import, receiving, requisitions, returns, stock
from tests.helpers import CODES, PIN, SAMPLES, add_parts, issue, open_order, receive
from tests.helpers.shipments import Line, counted_receipt

# What the station fixture makes: the first repair order, requisition and receipt numbers of the year.
RO, REQUISITION, RECEIPT = "RO-2026-000001", "REQ-2026-000001", "RCV-2026-000001"
# Each write service, with the permission it needs and a call that would succeed for a permitted role.
SERVICES = {
    "add_operator": (Permission.MANAGE_OPERATORS, lambda a, s: operators.add_operator(
        "NEW1", "New", ["mechanic"], "5678", actor=a, uow=s)),
    "add_part": (Permission.EDIT_PARTS, lambda a, s: catalog.add_part("11112222", "Bolt", actor=a, uow=s)),
    "import_parts": (Permission.EDIT_PARTS, lambda a, s: part_import.import_parts(
        SAMPLES / "parts_master.csv", actor=a, uow=s)),
    "add_location": (Permission.EDIT_LOCATIONS, lambda a, s: catalog.add_location(
        "REG-09-09-09", actor=a, uow=s)),
    "set_part_location": (Permission.EDIT_LOCATIONS, lambda a, s: catalog.set_part_location(
        "96800106", "EXC-09-09-09", actor=a, uow=s)),
    "open_receipt": (Permission.RECEIVE_SHIPMENT, lambda a, s: receiving.open_receipt(
        SAMPLES / "packing_list.csv", actor=a, uow=s)),
    "post_receipt": (Permission.POST_RECEIPT, lambda a, s: receiving.post_receipt(RECEIPT, actor=a, uow=s)),
    "issue_requisition": (Permission.ISSUE_STOCK, lambda a, s: requisitions.issue_requisition(
        RO, [("96800106", "1")], mechanic="MECH1", mechanic_pin=PIN, actor=a, uow=s)),
    "take_back": (Permission.RETURN_STOCK, lambda a, s: returns.take_back(
        REQUISITION, [("96800106", "1")], mechanic="MECH1", mechanic_pin=PIN, actor=a, uow=s)),
    "adjust": (Permission.ADJUST_STOCK, lambda a, s: stock.adjust(
        "96800106", "1", location="EXC-01-01-01", reason="stocktake", actor=a, uow=s)),
}


def _snapshot(db):
    with db.engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                     for t in ("operator", "part", "location", "stock_lot", "stock_move", "receipt", "requisition",
                               "return_slip"))


@pytest.fixture
def station(db, staff, tmp_path):
    """Stock of the oil filter, a repair order with two of it issued, and a counted receipt waiting to be posted."""
    add_parts(db, staff)
    receive(db, staff, "96800106", 5)
    ro = open_order(db, staff)
    assert issue(db, staff, ro, ("96800106", "2")).number == REQUISITION and ro == RO
    assert counted_receipt(db, staff, tmp_path, [Line("96800106", 3)]) == RECEIPT
    return db, staff


@pytest.mark.parametrize("name", list(SERVICES))
def test_each_service_refuses_every_role_without_the_permission(station, name):
    db, staff = station
    permission, call = SERVICES[name]
    refused = [role for role in Role if role not in PERMISSIONS[permission]]
    assert refused, "a permission that every role holds checks nothing"
    before = _snapshot(db)
    for role in refused:
        with db.writing() as uow, pytest.raises(PermissionDenied, match=f"{CODES[role]} may not"):
            call(staff[role], uow)
    assert _snapshot(db) == before


@pytest.mark.parametrize("name", list(SERVICES))
def test_each_service_serves_a_permitted_role(station, name):
    db, staff = station
    permission, call = SERVICES[name]
    role = sorted(PERMISSIONS[permission])[0]
    with db.writing() as uow:
        call(staff[role], uow)


def test_a_wrong_pin_or_unknown_operator_is_refused_alike(db, staff):
    with db.writing() as uow:
        assert operators.authenticate("store1", PIN, uow=uow).code == "STORE1"
        for code, pin in [("STORE1", "9999"), ("NOBODY", PIN), ("STORE1", "")]:
            with pytest.raises(AuthenticationFailed, match="operator code or PIN not accepted"):
                operators.authenticate(code, pin, uow=uow)


def test_the_pin_is_stored_only_as_a_salted_hash(db, staff):
    with db.engine.connect() as conn:
        hashes = conn.execute(text("SELECT pin_hash FROM operator")).scalars().all()
    for stored in hashes:
        scheme, _n, _r, _p, salt, digest = stored.split("$")
        assert scheme == "scrypt" and len(salt) == 32 and len(digest) == 64
        assert check_pin(PIN, stored)
    assert len(set(hashes)) == len(hashes)  # salted: the same PIN never hashes the same


def test_first_admin_only_once(db, staff):
    with db.writing() as uow, pytest.raises(RuleViolation, match="already has operators"):
        operators.create_first_admin("ROOT", "Root", "5555", uow=uow)


def test_an_operator_code_is_unique(db, staff):
    with db.writing() as uow, pytest.raises(RuleViolation, match="already exists"):
        operators.add_operator("store1", "Again", ["storekeeper"], "5678", actor=staff[Role.ADMIN], uow=uow)


def test_admin_does_no_stock_work(station):
    db, staff = station
    with db.writing() as uow, pytest.raises(PermissionDenied):
        stock.adjust("96800106", Decimal(1), location="EXC-01-01-01", reason="lost", actor=staff[Role.ADMIN],
                     uow=uow)
