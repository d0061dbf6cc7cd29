"""A draft's history as data: what the desk writes on it by itself (the forecast it came from, the lines an edit
changed, the sheet an import read) is stored as data and worded in the reader's language, so a draft made by a
Chinese planner reads in English to an English reader, and `request show --json` does not depend on either."""

from __future__ import annotations

from decimal import Decimal

from core import i18n, request_events
from core.roles import Role
from core.services import part_import, requests
from core.services.requests import LineChange
from tests.helpers import SAMPLES, make_staff
from tests.helpers.planning import FILTER, FILTER_MONTHS, PADS, consumption


def test_the_desk_words_a_drafts_history_in_the_readers_language(any_db, clock):
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        part_import.import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
    consumption(any_db, staff, clock, FILTER_MONTHS)
    i18n.use_language(i18n.CHINESE)  # the planner works in Chinese
    with any_db.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow, cycle="month")
        requests.edit_request(number, [LineChange(PADS, Decimal(4), "workshop campaign"),
                                       LineChange(FILTER, remove=True)], actor=staff[Role.PLANNER], uow=uow,
                              comment="班组要的")
    with any_db.reading() as uow:
        history = requests.get_request(number, uow=uow).history
    created, edited = history[0], history[1]
    assert created.comment is None and edited.comment == "班组要的"  # only what a person typed
    assert created.text == "按月预测生成 1 行"
    assert edited.text == f"{PADS} → 4, 已删除 {FILTER} — 班组要的"
    i18n.use_language(i18n.ENGLISH)  # the station manager reads in English
    assert created.text == "1 line from the monthly forecast"
    assert edited.text == f"{PADS} → 4, {FILTER} removed — 班组要的"


def test_an_imported_sheet_is_named_in_the_history_and_old_worded_comments_still_read():
    detail = request_events.edited([request_events.ChangedLine(PADS, Decimal("6"))], "adjusted.xlsx")
    assert request_events.history_text(detail, None) == f"{PADS} → 6 (from adjusted.xlsx)"
    # An entry written before the detail existed kept its words in the comment: shown as it is.
    assert request_events.history_text(None, "3 lines from the monthly forecast") == (
        "3 lines from the monthly forecast")
    # An edit of a thousand lines keeps its count within the column.
    many = [request_events.ChangedLine(f"P{n:07d}", Decimal(n)) for n in range(1000)]
    stored = request_events.edited(many)
    assert len(stored) <= 2000 and request_events.history_text(stored, None) == "1000 lines changed"
