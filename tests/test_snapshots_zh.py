"""Snapshots of the desk in Chinese (zh_CN) at 80 x 24 and 120 x 36: each case opens one screen the way an
operator does, signed in as an operator whose language is zh_CN, on a station whose sign-in is in Chinese.

A case is a row of CASES: the role that signs in (None: stay on the sign-in), the data it needs, what is made
before the app starts (`prepare`, which may return a document's number) and the steps that open the screen:
keys pressed (`press`) or sent by the scanner (`scanned`), NUMBER standing for the prepared number. Adding a
screen is adding a row.

The cases read the real zh_CN catalogue (REAL_CATALOGUE; False: the small test catalogue of
tests.helpers.languages). Regenerate with `pytest tests/test_snapshots_zh.py --snapshot-update` after a change of
words or labels, after looking at snapshot_report.html.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from core.i18n import CHINESE
from core.roles import Role
from core.services import requests
from core.services.receiving import CountEntry, check_boxes, count_receipt, post_receipt
from core.services.requests import LineChange
from screens import keys
from tests.helpers.counter import issue, order_in
from tests.helpers.languages import give_operator_language, give_station_language
from tests.helpers.papers import one_of_each
from tests.helpers.planning import (
    FILTER,
    FILTER_MONTHS,
    advance,
    consumption,
    draft,
    late_order,
    log_shortage,
    overdue_receipt,
    repair_order,
)
from tests.helpers.receiving import (
    ALL_COUNTED,
    EXPECTED,
    HEADLAMP_LEFT,
    OIL_FILTER,
    boxes_checked,
    counted,
    open_sample,
)
from tests.helpers.tui import BRAKE_PADS, burst, make_app, screen_text, settle, sign_in, steady_cursors
from tests.helpers.warranty import warranty_orders

# True: the real catalogue in core/locale; False: the small test catalogue (tests.helpers.languages).
REAL_CATALOGUE = True
PRINTS = "prints"  # the print folder of the cases that print again, in the case's own folder
NUMBER = object()  # in a step: the characters of the number the case's `prepare` returned


def press(*pressed) -> tuple[str, tuple]:
    """A step: keys typed one by one."""
    return ("press", pressed)


def scanned(*sent) -> tuple[str, tuple]:
    """A step: keys sent by the scanner in one burst (a code and its Enter)."""
    return ("burst", sent)


@dataclass(frozen=True)
class Case:
    """One screen in Chinese: who signs in (None: nobody), on which data, and the steps that open it."""

    name: str
    role: Role | None
    steps: tuple[tuple[str, tuple], ...] = ()
    data: str = "db"  # the fixture the app opens: db (operators only) or stocked (parts and lots)
    prepare: Callable | None = None  # (database, staff, clock, folder) -> a document's number or None
    pin: str = "1234"
    printed_before: bool = False  # the prepared document's slip is in the print folder already


def _shortage(database, staff, clock, folder) -> None:
    log_shortage(database, staff, clock, repair_order(database, staff), minutes_ago=12)


def _draft_to_review(database, staff, clock, folder) -> None:
    consumption(database, staff, clock, [10, 10, 10, 10, 10, 80], left=10)
    number = draft(database, staff)
    with database.writing() as uow:
        requests.edit_request(number, [LineChange(FILTER, reason="fleet contract from December")],
                              actor=staff[Role.PLANNER], uow=uow)
    advance(database, staff, number, Role.PARTS_MANAGER)


def _a_day_waiting(database, staff, clock, folder) -> None:
    ro = repair_order(database, staff)
    consumption(database, staff, clock, [120] * 6, ro=ro)
    log_shortage(database, staff, clock, ro, minutes_ago=12)
    overdue_receipt(database, staff, clock)
    late_order(database, staff, clock)
    draft(database, staff)


def _issued(database, staff, clock, folder) -> str:
    ro = order_in(database, staff, "in_repair")
    issue(database, staff, ro, (BRAKE_PADS, "2"))
    return ro


def _counted_with_differences(database, staff, clock, folder) -> str:
    number = open_sample(database, staff, supplier="SGM", carrier="ANJI")
    with database.writing() as uow:
        check_boxes(number, 3, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow, broken_seal=["2"])
    entries = [CountEntry(BRAKE_PADS, Decimal(10)), CountEntry(OIL_FILTER, Decimal(55)),
               CountEntry(HEADLAMP_LEFT, Decimal(1))]
    with database.writing() as uow:
        count_receipt(number, entries, first=staff[Role.STOREKEEPER], second=staff[Role.PARTS_MANAGER], uow=uow)
    return number


def _posted(database, staff, clock, folder) -> str:
    number = counted(database, staff, open_sample(database, staff), ALL_COUNTED)
    with database.writing() as uow:
        post_receipt(number, actor=staff[Role.PLANNER], uow=uow)
    return number


def _checked(database, staff, clock, folder) -> str:
    return boxes_checked(database, staff, open_sample(database, staff))


def _counted_short(database, staff, clock, folder) -> str:
    short = [CountEntry(part_no, Decimal(qty - 1 if part_no == BRAKE_PADS else qty))
             for part_no, qty in EXPECTED.items()]
    return counted(database, staff, open_sample(database, staff, supplier="SGM", carrier="ANJI"), short)


def _counted_short_without_supplier(database, staff, clock, folder) -> str:
    short = [CountEntry(part_no, Decimal(qty - 1 if part_no == BRAKE_PADS else qty))
             for part_no, qty in EXPECTED.items()]
    return counted(database, staff, open_sample(database, staff), short)


def _counted_without_location(database, staff, clock, folder) -> str:
    belts = folder / "belts.csv"
    belts.write_text("shipment_no,box_no,part_no,description,qty,unit_price\n"
                     "SH-2,1,24258947,Timing belt,4,420.00\nSH-2,1,96800106,Oil filter,5,38.50\n", encoding="utf-8")
    number = open_sample(database, staff, belts)
    with database.writing() as uow:
        check_boxes(number, 1, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
    with database.writing() as uow:
        count_receipt(number, [CountEntry("24258947", Decimal(4)), CountEntry(OIL_FILTER, Decimal(5))],
                      first=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
    return number


def _paper(kind: str) -> Callable:
    return lambda database, staff, clock, folder: one_of_each(database, staff, folder)[kind]


CASES = (
    Case("login", None),
    Case("login_refused", Role.STOREKEEPER, pin="9999"),
    Case("home", Role.PARTS_MANAGER),
    Case("home_with_to_do", Role.PARTS_MANAGER, data="stocked", prepare=_a_day_waiting),
    Case("keys_of_home", Role.PARTS_MANAGER, (press(keys.HELP),)),
    Case("palette_by_pinyin", Role.PARTS_MANAGER, (press("ctrl+p"), press(*"qj"))),
    Case("go_to_code", Role.STOREKEEPER, (press(keys.GO_TO_CODE),), data="stocked"),
    Case("lookup", Role.STOREKEEPER, (press(keys.LOOKUP), press(*"大灯")), data="stocked"),
    Case("part", Role.STOREKEEPER, (press(keys.LOOKUP), press(*BRAKE_PADS, "enter")), data="stocked"),
    Case("forecast", Role.PLANNER, (press(keys.LOOKUP), press(*FILTER, "enter"), press("f")), data="stocked",
         prepare=lambda database, staff, clock, folder: consumption(database, staff, clock, FILTER_MONTHS)),
    Case("counter", Role.STOREKEEPER, (press(keys.COUNTER),), data="stocked"),
    Case("counter_order", Role.STOREKEEPER, (press(keys.COUNTER), scanned(NUMBER, "enter")), data="stocked",
         prepare=_issued),
    Case("return_dialog", Role.STOREKEEPER, (press(keys.COUNTER), scanned(NUMBER, "enter"), press("ctrl+r")),
         data="stocked", prepare=_issued),
    Case("repair_orders", Role.ADVISOR, (press(keys.REPAIR_ORDERS),), data="stocked",
         prepare=lambda database, staff, clock, folder: order_in(database, staff, "intake")),
    Case("keys_of_repair_orders", Role.ADVISOR, (press(keys.REPAIR_ORDERS), press(keys.HELP)), data="stocked",
         prepare=lambda database, staff, clock, folder: order_in(database, staff, "intake")),
    Case("repair_order_form", Role.ADVISOR, (press(keys.REPAIR_ORDERS), press(keys.NEW)), data="stocked"),
    Case("receiving", Role.STOREKEEPER, (press(keys.RECEIVING),), data="stocked"),
    Case("new_shipment", Role.STOREKEEPER, (press(keys.RECEIVING), press(keys.NEW)), data="stocked"),
    Case("box_check", Role.STOREKEEPER,
         (press(keys.RECEIVING), scanned(NUMBER, "enter"), press("ctrl+b"), press("enter", "2", "enter")),
         data="stocked", prepare=lambda database, staff, clock, folder: open_sample(database, staff)),
    Case("receipt_counted", Role.STOREKEEPER, (press(keys.RECEIVING), scanned(NUMBER, "enter")), data="stocked",
         prepare=_counted_with_differences),
    Case("putaway", Role.STOREKEEPER, (press(keys.RECEIVING), scanned(NUMBER, "enter"), press("ctrl+t")),
         data="stocked", prepare=_posted),
    Case("receipt_list", Role.STOREKEEPER, (press(keys.RECEIVING), scanned(NUMBER, "enter"), press("ctrl+l")),
         data="stocked", prepare=_posted),
    Case("print_preview", Role.STOREKEEPER, (scanned(NUMBER, "enter"),), prepare=_paper("po")),
    Case("receipt_papers", Role.STOREKEEPER, (scanned(NUMBER, "enter"), press(keys.PRINT)),
         prepare=_paper("receipt")),
    Case("location", Role.STOREKEEPER, (scanned(*"EXC-01-02-03", "enter"),), prepare=_paper("po")),
    Case("shortages", Role.PARTS_MANAGER, (press(keys.SHORTAGES),), data="stocked", prepare=_shortage),
    Case("orders_in_transit", Role.PLANNER, (press("d", "enter"),), data="stocked",
         prepare=lambda database, staff, clock, folder: late_order(database, staff, clock)),
    Case("review", Role.STATION_MANAGER, (press(keys.REVIEW),), data="stocked", prepare=_draft_to_review),
    Case("audit", Role.ADMIN, (press(keys.AUDIT),)),
    Case("warranty_claims", Role.PLANNER, (press(keys.CLAIMS), press("w")), data="stocked",
         prepare=lambda database, staff, clock, folder: warranty_orders(database, staff, clock) and None),
    # The dialogs, each opened from its screen as the English tests open it.
    Case("shortage_dialog", Role.STOREKEEPER,
         (press(keys.COUNTER), scanned(NUMBER, "enter"), scanned(*BRAKE_PADS, "*", "2", "5", "enter"), press("f9")),
         data="stocked", prepare=_issued),
    Case("leaving_question", Role.ADVISOR,
         (press(keys.REPAIR_ORDERS), press(keys.NEW), press(*"王五"), press("escape")), data="stocked"),
    Case("warranty_dialog", Role.ADVISOR, (press(keys.REPAIR_ORDERS), press("w")), data="stocked",
         prepare=lambda database, staff, clock, folder: order_in(database, staff, "diagnosing")),
    Case("answer_dialog", Role.PLANNER, (press(keys.SHORTAGES), press("a")), data="stocked", prepare=_shortage),
    Case("chase_dialog", Role.PLANNER, (press("d", "enter"), press("c")), data="stocked",
         prepare=lambda database, staff, clock, folder: late_order(database, staff, clock)),
    Case("decision_dialog", Role.STATION_MANAGER, (press(keys.REVIEW), press("v")), data="stocked",
         prepare=_draft_to_review),
    Case("line_edit_dialog", Role.STATION_MANAGER, (press(keys.REVIEW), press("e")), data="stocked",
         prepare=_draft_to_review),
    Case("receipt_sign", Role.STOREKEEPER,
         (press(keys.RECEIVING), scanned(NUMBER, "enter"), scanned(*OIL_FILTER, "enter"), press("ctrl+s")),
         data="stocked", prepare=_checked),
    Case("receipt_refuse", Role.PLANNER,
         (press(keys.RECEIVING), scanned(NUMBER, "enter"), scanned(*"13227301", "enter"), press("ctrl+r")),
         data="stocked", prepare=_checked),
    Case("receipt_post", Role.PLANNER, (press(keys.RECEIVING), scanned(NUMBER, "enter"), press(keys.COMMIT)),
         data="stocked", prepare=_counted_short),
    Case("receipt_location", Role.PLANNER, (press(keys.RECEIVING), scanned(NUMBER, "enter"), press(keys.COMMIT),
                                            press("enter")),
         data="stocked", prepare=_counted_without_location),
    Case("receipt_party", Role.PLANNER, (press(keys.RECEIVING), scanned(NUMBER, "enter"), press(keys.COMMIT)),
         data="stocked", prepare=_counted_short_without_supplier),
    Case("receipt_party_unknown", Role.PLANNER,
         (press(keys.RECEIVING), scanned(NUMBER, "enter"), press(keys.COMMIT), press(*"NEWCO", "enter")),
         data="stocked", prepare=_counted_short_without_supplier),
    Case("counter_sign", Role.STOREKEEPER,
         (press(keys.COUNTER), scanned(NUMBER, "enter"), scanned(*BRAKE_PADS, "enter"), press(keys.COMMIT)),
         data="stocked", prepare=_issued),
    Case("technician_dialog", Role.ADVISOR, (press(keys.REPAIR_ORDERS), press("a")), data="stocked",
         prepare=lambda database, staff, clock, folder: order_in(database, staff, "intake")),
    Case("cancel_dialog", Role.ADVISOR, (press(keys.REPAIR_ORDERS), press("x")), data="stocked",
         prepare=lambda database, staff, clock, folder: order_in(database, staff, "intake")),
    Case("replace_question", Role.STOREKEEPER, (scanned(NUMBER, "enter"), press("f10")), prepare=_paper("po"),
         printed_before=True),
    Case("hand_back_dialog", Role.ADVISOR, (press(keys.REPAIR_ORDERS), press("v")), data="stocked",
         prepare=lambda database, staff, clock, folder: order_in(database, staff, "ready")),
)


def _opened(case: Case, request, staff, clock, folder):
    """The case's database, prepared and in Chinese, and the steps that open its screen on an app."""
    if not REAL_CATALOGUE:
        request.getfixturevalue("zh_catalogue")
    database = request.getfixturevalue(case.data)
    number = case.prepare(database, staff, clock, folder) if case.prepare is not None else None
    give_station_language(database, staff, CHINESE)
    if case.printed_before:
        # A print folder named relative to the working folder, so the question names the same file every run.
        request.getfixturevalue("monkeypatch").chdir(folder)
        (folder / PRINTS).mkdir()
        (folder / PRINTS / f"{number}.txt").write_text("the slip printed yesterday", encoding="utf-8")
    if case.role is not None:
        give_operator_language(database, staff, case.role, CHINESE)

    async def run_before(pilot):
        if case.role is None:
            await settle(pilot)
        else:
            await sign_in(pilot, case.role, pin=case.pin)
        for how, sent in case.steps:
            sent = [key for part in sent for key in (number if part is NUMBER else (part,))]
            if how == "burst":
                await burst(pilot, *sent)
            else:
                await pilot.press(*sent)
            await settle(pilot)
        steady_cursors(pilot.app)

    return database, run_before


def _app(case: Case, database):
    app = make_app(database)
    if case.printed_before:
        app.print_folder = Path(PRINTS)
    return app


# English on a Chinese screen: two English words in a row, or a code_with_underscores (a raw state, role or kind):
# a message that escaped _() or the catalogue, or a code shown without its label. Part numbers, document numbers,
# units and key names are not words here (they hold digits, dashes or +, or are one word).
ENGLISH_RUN = re.compile(r"(?<![/.\w])(?:[A-Za-z][a-z]+(?:[ ,:/]{1,3}[A-Za-z][a-z]+)+|[a-z]+(?:_[a-z]+)+\b)")


def _data_texts(database) -> list[str]:
    """Every text the station holds (part names, customers, complaints, notes, reasons): data is shown as it was
    written, in whatever language its writer used."""
    texts = []
    with database.reading() as uow, uow.read() as connection:
        for table in inspect(connection).get_table_names():
            texts += [value for row in connection.execute(text(f'SELECT * FROM "{table}"'))
                      for value in row if isinstance(value, str)]
    return texts


def _english_runs(shown: str, database) -> list[str]:
    """The runs of English on the screen that are not the station's own data."""
    data = _data_texts(database)
    # A command named in backticks (`partsdesk supplier add …`) is what the operator types, not a sentence.
    shown = re.sub(r"`[^`\n]*`", "", shown)
    return [run for run in ENGLISH_RUN.findall(shown) if not any(run in value for value in data)]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_screen_in_chinese(snap_compare, size, case, request, staff, clock, tmp_path):
    """The screen the case opens, in zh_CN; at the counter's size, read as text too: no English sentence on it
    (in the same run as the snapshot, so each screen is opened twice, not three times)."""
    database, run_before = _opened(case, request, staff, clock, tmp_path)
    shown: list[str] = []

    async def opened_and_read(pilot):
        await run_before(pilot)
        shown.append(screen_text(pilot.app))

    assert snap_compare(_app(case, database), terminal_size=size, run_before=opened_and_read)
    if size == (120, 36):
        assert _english_runs(shown[0], database) == []
