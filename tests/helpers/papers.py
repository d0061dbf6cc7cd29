"""One document of each kind, made through the services: what the printing and scanning tests print and scan."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.roles import Role
from core.services import purchasing, receiving, repair_orders, sales, stocktake
from core.services.purchasing import OrderLineRequest
from core.services.receiving import CountEntry
from tests.helpers.counter import issue, order_in, take_back
from tests.helpers.orders import sent_order
from tests.helpers.station import add_parts


def one_of_each(db, staff, folder: Path) -> dict[str, str]:
    """One of each document, made through the services, by kind: a repair order, an urgent order for it, the
    order's receipt (short filters, a damaged lamp) with discrepancy record and claim, and the repair order's
    requisition and return; a stocktake of the pads' bin, closed; a counter sale, checked."""
    add_parts(db, staff)
    store, planner = staff[Role.STOREKEEPER], staff[Role.PLANNER]
    with db.writing() as uow:
        purchasing.name_supplier("SGM", "上汽通用 SAIC-GM", actor=planner, uow=uow)
    # The repair order first: the order is an urgent one for it, the legal way to order outside the draft.
    ro = order_in(db, staff, "in_repair")
    po = sent_order(db, staff, "SGM", [OrderLineRequest("96536697", Decimal(10), None),
                                       OrderLineRequest("96800106", Decimal(60), None),
                                       OrderLineRequest("13301204", Decimal(2), None)], ro=ro)
    packing = folder / "到货装箱单.csv"
    packing.write_text("shipment_no,box_no,part_no,description,qty,unit_price\nSH-1,1,96536697,前刹车片,10,286.00\n"
                       "SH-1,1,96800106,机油滤清器,60,38.50\nSH-1,2,13301204,左前大灯总成,2,1580.00\n",
                       encoding="utf-8")
    with db.writing() as uow:
        receipt = receiving.open_receipt(packing, order=po, carrier="SF", actor=store, uow=uow)
    with db.writing() as uow:
        receiving.check_boxes(receipt, 2, damaged=["2"], actor=store, second=planner, uow=uow)
    with db.writing() as uow:
        receiving.count_receipt(receipt, [CountEntry("96536697", Decimal(10)), CountEntry("96800106", Decimal(55)),
                                          CountEntry("13301204", Decimal(2), Decimal(1))],
                                first=store, second=planner, uow=uow)
    with db.writing() as uow:
        posted = receiving.post_receipt(receipt, actor=planner, uow=uow)
    with db.writing() as uow:
        repair_orders.add_note(ro, "更换前刹车片 pads replaced", actor=staff[Role.ADVISOR], uow=uow)
    req = issue(db, staff, ro, ("96536697", "4"), ("96800106", "1"))
    ret = take_back(db, staff, req.number, ("96536697", "1"), reason="多领 one too many")
    with db.writing() as uow:  # the pads' bin counted (盘点), closed with its variance
        stk = stocktake.open_stocktake("locations", "EXC-01-02-03", actor=store, uow=uow)
        stocktake.count(stk, [stocktake.parse_count_line("96536697@EXC-01-02-03=5")], first=store, second=planner,
                        uow=uow)
        stocktake.close(stk, actor=store, uow=uow)
    with db.writing() as uow:  # a counter sale (销售订单) of a filter, entered and checked by a second person
        sal = sales.create_sale("李四汽修 Li Si Garage", ["96800106:2"], phone="13800138000", actor=store,
                                uow=uow).number
    with db.writing() as uow:
        sales.check_sale(sal, actor=staff[Role.CHECKER], uow=uow)
    return {"requisition": req.number, "return": ret.number, "receipt": receipt, "putaway": receipt,
            "discrepancy": posted.discrepancy_no, "claim": posted.claims[0].number, "po": po, "ro": ro,
            "stocktake": stk, "settlement": ro, "sale": sal}
