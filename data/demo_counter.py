"""The demo station's counter: repair orders in different states, with requisitions and returns, so the counter
and the intake screens are alive on a fresh demo. Deterministic like the rest of the demo seed."""

from __future__ import annotations

from datetime import datetime, timedelta

from core import clock
from core.services import operators, repair_orders, returns, stock, written_requisitions
from core.units import WriteUnit

PIN = "1234"
# customer, phone, VIN, plate, series, mileage, complaint, inspection, state, technician
ORDERS = [
    ("张三 Zhang San", "138 0013 8000", "LSGPC52U6AF102345", "沪A12345", "EXCELLE", 45000,
     "刹车异响 squeal when braking", "左前门划痕 scratch on the front left door", "in_repair", "MECH1"),
    ("李四 Li Si", "139 1234 5678", "LSGJA52U7BH123456", "沪B67890", "CRUZE", 12000,
     "保养 scheduled service, 10,000 km", None, "diagnosing", "MECH2"),
    ("王五 Wang Wu", "137 0000 1111", "LSGUD84X8FE654321", "苏E24680", "REGAL", 88000,
     "空调不制冷 A/C blows warm", "前保险杠裂纹 front bumper cracked", "intake", None),
    ("赵六 Zhao Liu", "136 2222 3333", "LSGKB54H4DS789012", "浙A13579", "LACROSSE", 131000,
     "变速箱换挡冲击 harsh shifting", None, "sent_out", "MECH1"),
    ("孙七 Sun Qi", "135 4444 5555", "LSGXE83L0EW345678", "沪C97531", "ENCORE", 23000,
     "雨刮不回位 wipers do not park", None, "settled", "MECH2"),
]
# The moves to each state, with what each needs.
_PATH = ["diagnosing", "warranty", "in_repair", "reinspection", "ready", "delivered", "settled"]
_UNTIL = {"intake": 0, "diagnosing": 1, "in_repair": 3, "sent_out": 3, "settled": 7}


def seed_counter(uow: WriteUnit, start: datetime) -> None:
    """Open the demo's repair orders from `start` on, move them along; on the first, the parts clerk writes a
    requisition, the storekeeper issues it (先单后料, 出入分离), takes one part back intact and reports another
    damaged (refused as a return), and a second requisition stays written, reserving its parts. The clock is set
    for each step so the history reads like a morning at the desk. Everything goes through `uow`, inside the
    demo's one transaction (a killed demo leaves nothing behind)."""
    fixed = clock.FixedClock(start)
    previous = clock.set_clock(fixed)
    try:
        advisor = operators.authenticate("ADV1", PIN, uow=uow)
        storekeeper = operators.authenticate("STORE1", PIN, uow=uow)
        clerk = operators.authenticate("CLERK1", PIN, uow=uow)
        held = [line for line in stock.stock_list(uow=uow) if line.on_hand >= 4]
        # Parts for the first order's EXCELLE (or general consumables) first, as a real job would draw.
        fitting = [line.part_no for line in held if line.location.split("-")[0] in ("EXC", "GEN")]
        in_stock = list(dict.fromkeys(fitting + [line.part_no for line in held]))
        numbers = []
        for customer, phone, vin, plate, series, km, complaint, inspection, state, tech in ORDERS:
            fixed.set(fixed.now() + timedelta(minutes=7))
            view = repair_orders.open_repair_order(
                customer=customer, phone=phone, vin=vin, plate=plate, series=series, mileage=km,
                complaint=complaint, inspection=inspection, actor=advisor, uow=uow,
                checklist={"spare_wheel": True, "jack": True, "tool_kit": inspection is None,
                           "warning_triangle": True})
            numbers.append(view.ro_no)
            if tech:
                repair_orders.assign_technician(view.ro_no, tech, actor=advisor, uow=uow)
            _move(uow, fixed, view.ro_no, state, advisor)
        if len(in_stock) >= 3:
            first = numbers[0]
            fixed.set(fixed.now() + timedelta(minutes=15))
            written = written_requisitions.write_requisition(first, [(in_stock[0], "2"), (in_stock[1], "1")],
                                                             actor=clerk, uow=uow)
            fixed.set(fixed.now() + timedelta(minutes=5))
            issued = written_requisitions.issue_written(written.number, mechanic="MECH1", mechanic_pin=PIN,
                                                        actor=storekeeper, uow=uow)
            fixed.set(fixed.now() + timedelta(minutes=45))
            returns.take_back(issued.number, [(in_stock[0], "1")], mechanic="MECH1", mechanic_pin=PIN,
                              reason="one set was enough", actor=storekeeper, uow=uow)
            # The other part came back damaged: refused as a return (only an intact part comes back), it stays
            # consumed on the order and is reported for the workshop's follow-up.
            fixed.set(fixed.now() + timedelta(minutes=5))
            repair_orders.report_damage(first, in_stock[1], "拆包时损坏 damaged when unpacked at the car",
                                        actor=storekeeper, uow=uow)
            # The next part of the job, written and waiting at the counter: its stock is reserved for the order.
            fixed.set(fixed.now() + timedelta(minutes=10))
            written_requisitions.write_requisition(first, [(in_stock[2], "1")], actor=clerk, uow=uow)
    finally:
        clock.set_clock(previous)


def _move(uow: WriteUnit, fixed: clock.FixedClock, ro: str, state: str, advisor) -> None:
    """Move an order along the workshop's path to `state`, each step a few minutes after the last."""
    steps = _PATH[:_UNTIL[state]] + (["sent_out"] if state == "sent_out" else [])
    for step in steps:
        fixed.set(fixed.now() + timedelta(minutes=5))
        if step == "warranty":
            repair_orders.record_warranty(ro, False, "wear and tear, out of warranty", actor=advisor, uow=uow)
        else:
            repair_orders.change_state(ro, step, actor=advisor, uow=uow, note=_NOTES.get(step),
                                       repairer="精修变速箱厂 Precision Gearbox Works", customer_confirmed=True)


_NOTES = {"ready": "复检合格 road test passed", "delivered": "customer satisfied 客户满意"}
