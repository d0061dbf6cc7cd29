"""The counter in tests: a repair order driven to any state, issues and returns in one line, and a snapshot
of every table a refused command must leave alone."""

from __future__ import annotations

from sqlalchemy import text

from core.repair_states import RepairState
from core.roles import Role
from core.services import repair_orders, requisitions, returns
from tests.helpers.staff import PIN

VIN = "LSGPC52U6AF102345"
TABLES = ("repair_order", "repair_order_check", "repair_order_event", "requisition", "requisition_line",
          "return_slip", "return_line", "stock_lot", "stock_move", "document_sequence", "location", "damage_report")

# The way to each state along allowed moves, and what each move needs.
PATH = {
    RepairState.INTAKE: [],
    RepairState.DIAGNOSING: ["assign", RepairState.DIAGNOSING],
    RepairState.IN_REPAIR: ["assign", RepairState.DIAGNOSING, "warranty", RepairState.IN_REPAIR],
    RepairState.SENT_OUT: ["assign", RepairState.DIAGNOSING, "warranty", RepairState.IN_REPAIR,
                           RepairState.SENT_OUT],
    RepairState.REINSPECTION: ["assign", RepairState.DIAGNOSING, "warranty", RepairState.IN_REPAIR,
                               RepairState.REINSPECTION],
    RepairState.READY: ["assign", RepairState.DIAGNOSING, "warranty", RepairState.IN_REPAIR,
                        RepairState.REINSPECTION, RepairState.READY],
    RepairState.DELIVERED: ["assign", RepairState.DIAGNOSING, "warranty", RepairState.IN_REPAIR,
                            RepairState.REINSPECTION, RepairState.READY, RepairState.DELIVERED],
    RepairState.SETTLED: ["assign", RepairState.DIAGNOSING, "warranty", RepairState.IN_REPAIR,
                          RepairState.REINSPECTION, RepairState.READY, RepairState.DELIVERED, RepairState.SETTLED],
    RepairState.CANCELLED: [RepairState.CANCELLED],
}


def open_order(database, staff, **fields) -> str:
    """A repair order at intake (advisor ADV1); its number."""
    values = {"customer": "张三 Zhang San", "phone": "138 0013 8000", "vin": VIN, "plate": "沪A12345",
              "series": "EXCELLE", "mileage": "45000", "complaint": "刹车异响 brake noise"}
    values.update(fields)
    with database.writing() as uow:
        return repair_orders.open_repair_order(**values, actor=staff[Role.ADVISOR], uow=uow).ro_no


def drive(database, staff, ro: str, state: RepairState | str) -> None:
    """Move an order at intake along the allowed path to `state`, giving each move what it needs."""
    advisor = staff[Role.ADVISOR]
    for step in PATH[RepairState(state)]:
        with database.writing() as uow:
            if step == "assign":
                repair_orders.assign_technician(ro, "MECH1", actor=advisor, uow=uow)
            elif step == "warranty":
                repair_orders.record_warranty(ro, True, "within 3 years", actor=advisor, uow=uow)
            else:
                repair_orders.change_state(ro, step.value, actor=advisor, uow=uow, note="done",
                                           repairer="外修厂 Outside Garage", customer_confirmed=True)


def order_in(database, staff, state: RepairState | str) -> str:
    """A new repair order driven to `state`."""
    ro = open_order(database, staff)
    drive(database, staff, ro, state)
    return ro


def issue(database, staff, ro: str, *lines: tuple[str, str], mechanic: str = "MECH1", pin: str = PIN):
    """Issue lines against an order as STORE1, the mechanic signing with his PIN."""
    with database.writing() as uow:
        return requisitions.issue_requisition(ro, list(lines), mechanic=mechanic, mechanic_pin=pin,
                                              actor=staff[Role.STOREKEEPER], uow=uow)


def take_back(database, staff, req: str, *lines, mechanic: str = "MECH1", pin: str = PIN, **kwargs):
    """Take parts back on a requisition as STORE1; each line is (part_no, qty) or (part_no, qty, damaged)."""
    with database.writing() as uow:
        return returns.take_back(req, list(lines), mechanic=mechanic, mechanic_pin=pin,
                                 actor=staff[Role.STOREKEEPER], uow=uow, **kwargs)


def tables_now(database) -> dict[str, list]:
    """Every row of the tables a counter command writes: equal before and after means nothing changed."""
    with database.engine.connect() as conn:
        return {table: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
                for table in TABLES}
