"""Purchase orders made the legal way (备件工作流程及制度, item 2): an urgent order for a repair order, approved by the
parts manager and sent by the planner, through the services or through the CLI; receiving tests start from one."""

from __future__ import annotations

from core.roles import Role
from core.services import purchasing
from core.services.purchasing import OrderLineRequest
from core.services.repair_orders import open_repair_order

_RO = ["ro", "open", "--customer", "王先生", "--phone", "13800138000", "--vin", "LSGPC54U3AF123456",
       "--plate", "沪A12345", "--series", "EXCELLE", "--mileage", "42000", "--complaint", "brakes squeal"]


def sent_order(db, staff, supplier: str, lines: list[OrderLineRequest], *, ro: str | None = None) -> str:
    """An order sent to the maker: drafted by the planner as an urgent order for `ro` (a repair order opened for it
    unless given), approved by the parts manager, sent by the planner. Its number."""
    if ro is None:
        with db.writing() as uow:
            ro = open_repair_order(customer="王先生", phone="13800138000", vin="LSGPC54U3AF123456", plate="沪A12345",
                                   series="EXCELLE", mileage=42000, complaint="brakes squeal",
                                   actor=staff[Role.ADVISOR], uow=uow).ro_no
    with db.writing() as uow:
        number = purchasing.create_urgent_order(supplier, lines, [ro], actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        purchasing.approve_order(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with db.writing() as uow:
        purchasing.send_order(number, actor=staff[Role.PLANNER], uow=uow)
    return number


def sent_order_cli(station, supplier: str, *lines: str, planner: str = "PLAN1") -> str:
    """The same through the CLI, on a station where `planner` and ADMIN exist: an advisor (ADV1) and a parts manager
    (PM1) are added if missing; `lines` are PART_NO:QTY[:UNIT_COST]. Its number."""
    for code, role in (("ADV1", "advisor"), ("PM1", "parts_manager")):
        station.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
    ro = station.json(*_RO, as_="ADV1")["ro"]
    line_options = [option for line in lines for option in ("--line", line)]
    po = station.json("po", "create", "--urgent", "--for", ro, "--supplier", supplier, *line_options,
                      as_=planner)["po"]
    station.json("po", "approve", po, as_="PM1")
    station.json("po", "send", po, as_=planner)
    return po
