"""Repair orders that charge the maker, on the `stocked` station (the sample parts master): one settled a day ago,
one in repair with more parts than the claims screen's detail lists."""

from __future__ import annotations

from datetime import timedelta

from core.roles import Role
from core.services import pricing, repair_orders
from core.services.stock import adjust
from tests.helpers.counter import drive, issue, open_order

# Parts put on the shelf for them: part number, quantity, bin and unit cost.
SHELF = (("96800106", "10", "EXC-01-01-01", "20"), ("96553450", "5", "EXC-01-01-02", "30"),
         ("19300011", "20", "GEN-01-01-01", "40"), ("13250358", "8", "CRZ-01-02-01", "15"),
         ("13227301", "4", "REG-01-01-03", "50"))


def _shelved(database, staff) -> None:
    for part_no, qty, location, cost in SHELF:
        with database.writing() as uow:
            adjust(part_no, qty, location=location, reason="opening balance", unit_cost=cost,
                   actor=staff[Role.PARTS_MANAGER], uow=uow)


def _in_repair(database, staff, plate: str, vin: str) -> str:
    """A warranty order (the maker pays by default) opened and driven to in repair."""
    ro = open_order(database, staff, plate=plate, vin=vin)
    drive(database, staff, ro, "in_repair")
    return ro


def warranty_orders(database, staff, clock) -> tuple[str, str]:
    """(the settled order, the order in repair): the settled one charged the maker for a set of pads and an oil
    filter (the customer paid nothing), the one in repair five parts (6 L of oil among them) and the customer
    the spark plugs."""
    _shelved(database, staff)
    now = clock.now()
    clock.set(now - timedelta(days=1))
    settled = _in_repair(database, staff, "沪A12345", "LSGPC52U6AF102345")
    issue(database, staff, settled, ("96536697", "1"), ("96800106", "1"))
    for state in ("reinspection", "ready", "delivered"):
        with database.writing() as uow:
            repair_orders.change_state(settled, state, actor=staff[Role.ADVISOR], uow=uow, note="ok",
                                       customer_confirmed=True)
    with database.writing() as uow:
        repair_orders.settle(settled, actor=staff[Role.ACCOUNTANT], uow=uow)
    clock.set(now)
    live = _in_repair(database, staff, "沪B67890", "LSGPC54U3AF123456")
    issue(database, staff, live, ("96536697", "1"), ("96800106", "1"), ("96553450", "1"), ("19300011", "6"),
          ("13227301", "1"), ("13250358", "4"))
    with database.writing() as uow:
        pricing.set_payer(live, "13250358", "customer", actor=staff[Role.ADVISOR], uow=uow)
    return settled, live
