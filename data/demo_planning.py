"""The demo station's receiving and planning: an order made from the approved weekly draft and sent, an urgent
order waiting for the parts manager, receipts in their steps, a claim, a shortage waiting for its answer and the
month's draft at the order meeting, so the dashboard and the review screen are alive."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from core import clock
from core.services import operators, ordering, purchasing, receiving, repair_orders, requests, shortages
from core.services.receiving import CountEntry
from core.services.requests import LineChange
from core.units import WriteUnit

PIN = "1234"
PACKING_LIST = Path(__file__).resolve().parent / "demo_packing_list.csv"  # the manufacturer's, GB18030
COUNTED = {"96536697": 10, "96800106": 55, "13301204": 2, "19300011": 48, "13227301": 6}
DAMAGED = {"13301204": 1}  # a headlamp broken in transit: on the books in quarantine, on the claim (挂账)
LATE_REASON = "计划员外出培训，次日记账 the planner was on a course; posted the next day"


def seed_planning(uow: WriteUnit, start: datetime) -> None:
    """Orders, receipts, a claim, a shortage and a draft from `start` on, the clock set for each step, all in
    the demo's one transaction (through `uow`)."""
    fixed = clock.FixedClock(start)
    previous = clock.set_clock(fixed)
    try:
        who = {code: operators.authenticate(code, PIN, uow=uow)
               for code in ("STORE1", "STORE2", "PLAN1", "PM1", "ADV1", "SM1", "SD1", "ACCT1")}
        # The manufacturer, registered at set-up under its code, gets its full name on the papers.
        purchasing.name_supplier("SGM", "上汽通用 SAIC-GM", actor=who["PLAN1"], uow=uow)
        # Last week's order (审批完《订单底稿》后，计划员依《订单底稿》制作《采购计划》): the weekly draft through its
        # chain, one order made from it, sent to the maker by the planner.
        weekly = requests.draft_request(actor=who["PLAN1"], uow=uow, cycle="week")
        wanted = {"96536697": 10, "96800106": 60, "13301204": 2}
        forecast = [line.part_no for line in requests.get_request(weekly, uow=uow).lines]
        requests.edit_request(weekly, [LineChange(p, Decimal(wanted.get(p, 0))) for p in forecast if p not in wanted]
                              + [LineChange(p, Decimal(q)) for p, q in wanted.items()], actor=who["PLAN1"], uow=uow)
        for code in ("PM1", "SM1", "ACCT1"):
            requests.review_request(weekly, actor=who[code], uow=uow)
        for code in ("SM1", "SD1"):
            requests.approve_request(weekly, actor=who[code], uow=uow)
        (order,) = ordering.orders_from_request(weekly, actor=who["PLAN1"], uow=uow)
        purchasing.send_order(order, actor=who["PLAN1"], uow=uow)
        # The car in repair needs a timing belt that cannot wait for the month's draft: an urgent order for its
        # repair order, drafted by the planner, waiting for the parts manager's approval.
        in_repair = [ro for ro in repair_orders.list_repair_orders(uow=uow) if ro.state == "in_repair"]
        if in_repair:
            purchasing.create_urgent_order("SGM", [purchasing.parse_order_line("24258947:1")],
                                           [in_repair[0].ro_no], actor=who["PLAN1"], uow=uow)
        fixed.advance(hours=1)
        ordering.chase_order(order, "电话 SGM 李经理: 周五发货 ships Friday", eta=fixed.now() + timedelta(days=1),
                             actor=who["PLAN1"], uow=uow)
        # A shipment with a short line and a broken headlamp: the boxes checked by the storekeeper and the planner
        # together, counted by two, posted the next day with its special reason (当日报财务…如遇特殊情况); the
        # broken lamp waits in quarantine on the claim (先办理入库及索赔手续，报财务挂账处理).
        fixed.advance(days=1)
        posted = receiving.open_receipt(PACKING_LIST, order=order, carrier="SF", actor=who["STORE1"],
                                        uow=uow)
        receiving.check_boxes(posted, 3, broken_seal=["2"], actor=who["STORE1"], second=who["PLAN1"], uow=uow)
        receiving.count_receipt(
            posted, [CountEntry(p, Decimal(q), Decimal(DAMAGED.get(p, 0))) for p, q in COUNTED.items()],
            first=who["STORE1"], second=who["STORE2"], uow=uow)
        fixed.advance(days=1)
        receiving.post_receipt(posted, actor=who["PLAN1"], uow=uow, late_reason=LATE_REASON)
        # A second shipment that arrived and had its boxes checked, still waiting to be counted.
        fixed.advance(days=1)
        # The demo's one packing list again: confirmed as a shipment that came twice.
        waiting = receiving.open_receipt(PACKING_LIST, supplier="SGM", carrier="SF", actor=who["STORE1"],
                                         uow=uow, again=True)
        receiving.check_boxes(waiting, 3, actor=who["STORE1"], second=who["PLAN1"], uow=uow)
        # The workshop is short of a timing belt for the car in repair.
        if in_repair:
            fixed.advance(minutes=20)
            shortages.log_shortage("24258947", "1", in_repair[0].ro_no, note="车在举升机上 car on the lift",
                                   actor=who["ADV1"], uow=uow)
        # The month's draft, reviewed by the parts manager: waiting for the station manager's meeting.
        fixed.advance(hours=2)
        draft = requests.draft_request(actor=who["PLAN1"], uow=uow)
        requests.edit_request(draft, [LineChange("24258947", Decimal(4), "timing belt campaign"),
                                      LineChange("96800106", Decimal(60))], actor=who["PLAN1"], uow=uow)
        fixed.advance(minutes=30)
        requests.review_request(draft, actor=who["PM1"], uow=uow, comment="ok")
    finally:
        clock.set_clock(previous)
