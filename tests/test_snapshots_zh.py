"""Snapshots of the desk in Chinese (zh_CN) at 80 x 24 and 120 x 36: each case opens one screen the way an
operator does, signed in as an operator whose language is zh_CN, on a station whose sign-in is in Chinese.

A case is a row of CASES: the role that signs in (None: stay on the sign-in), the data it needs and the steps
(keys typed, then the app left to settle) that open the screen. Adding a screen is adding a row.

Until the real zh_CN catalogue is merged the cases read the small test catalogue (tests.helpers.languages), so
most words are still English; once it is merged, set REAL_CATALOGUE and regenerate with
`pytest tests/test_snapshots_zh.py --snapshot-update`, after looking at snapshot_report.html.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from core.i18n import CHINESE
from core.roles import Role
from core.services import requests
from core.services.requests import LineChange
from screens import keys
from tests.helpers.counter import order_in
from tests.helpers.languages import give_operator_language, give_station_language
from tests.helpers.planning import FILTER, advance, consumption, draft, log_shortage, repair_order
from tests.helpers.tui import BRAKE_PADS, make_app, settle, sign_in, steady_cursors

# False: the small test catalogue; True: the real one in core/locale (once it is merged and compiled).
REAL_CATALOGUE = False


@dataclass(frozen=True)
class Case:
    """One screen in Chinese: who signs in (None: nobody), with which data, and the steps that open it."""

    name: str
    role: Role | None
    steps: tuple[tuple[str, ...], ...] = ()  # each: keys pressed, then the app settles
    data: str = "db"  # the fixture the app opens: db (operators only) or stocked (parts and lots)
    prepare: Callable | None = None  # (database, staff, clock) -> None: documents made before the app starts
    pin: str = "1234"


def _shortage(database, staff, clock) -> None:
    log_shortage(database, staff, clock, repair_order(database, staff), minutes_ago=12)


def _draft_to_review(database, staff, clock) -> None:
    consumption(database, staff, clock, [10, 10, 10, 10, 10, 80], left=10)
    number = draft(database, staff)
    with database.writing() as uow:
        requests.edit_request(number, [LineChange(FILTER, reason="fleet contract from December")],
                              actor=staff[Role.PLANNER], uow=uow)
    advance(database, staff, number, Role.PARTS_MANAGER)


CASES = (
    Case("login", None),
    Case("login_refused", Role.STOREKEEPER, pin="9999"),
    Case("home", Role.PARTS_MANAGER),
    Case("keys_of_home", Role.PARTS_MANAGER, ((keys.HELP,),)),
    Case("go_to_code", Role.STOREKEEPER, ((keys.GO_TO_CODE,),), data="stocked"),
    Case("lookup", Role.STOREKEEPER, ((keys.LOOKUP,), tuple("大灯")), data="stocked"),
    Case("part", Role.STOREKEEPER, ((keys.LOOKUP,), (*BRAKE_PADS, "enter")), data="stocked"),
    Case("counter", Role.STOREKEEPER, ((keys.COUNTER,),), data="stocked"),
    Case("repair_orders", Role.ADVISOR, ((keys.REPAIR_ORDERS,),), data="stocked",
         prepare=lambda database, staff, clock: order_in(database, staff, "intake")),
    Case("repair_order_form", Role.ADVISOR, ((keys.REPAIR_ORDERS,), (keys.NEW,)), data="stocked"),
    Case("receiving", Role.STOREKEEPER, ((keys.RECEIVING,),), data="stocked"),
    Case("new_shipment", Role.STOREKEEPER, ((keys.RECEIVING,), (keys.NEW,)), data="stocked"),
    Case("shortages", Role.PARTS_MANAGER, ((keys.SHORTAGES,),), data="stocked", prepare=_shortage),
    Case("review", Role.STATION_MANAGER, ((keys.REVIEW,),), data="stocked", prepare=_draft_to_review),
    Case("audit", Role.ADMIN, ((keys.AUDIT,),)),
)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_screen_in_chinese(snap_compare, size, case, request, staff, clock, monkeypatch):
    """The screen the case opens, in zh_CN."""
    if not REAL_CATALOGUE:
        request.getfixturevalue("zh_catalogue")
    database = request.getfixturevalue(case.data)
    if case.prepare is not None:
        case.prepare(database, staff, clock)
    give_station_language(database, staff, monkeypatch, CHINESE)
    if case.role is not None:
        give_operator_language(database, staff, monkeypatch, case.role, CHINESE)

    async def run_before(pilot):
        if case.role is None:
            await settle(pilot)
        else:
            await sign_in(pilot, case.role, pin=case.pin)
        for step in case.steps:
            await pilot.press(*step)
            await settle(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(make_app(database), terminal_size=size, run_before=run_before)
