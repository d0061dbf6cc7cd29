"""A part's master data edited leaves one audit row (issue 16, item 6): who changed which fields from what to what, only
the fields that changed, in the edit's transaction, on SQLite and PostgreSQL; an edit that changes nothing and a
refused one leave none; `partsdesk audit` and the audit screen word the row in the reader's language."""

from __future__ import annotations

import json

import pytest

from core import i18n
from core.errors import PartsdeskError
from core.roles import Role
from core.services import audit, catalog, part_master, pricing, purchasing
from core.services.adjustments import adjust
from tests.helpers.staff import make_staff

FORM = {"name": "wiper blade", "name_zh": "", "model_series": "EXCELLE", "unit": "pc", "price": "20",
        "pack_qty": "1", "fragile": False, "general": False, "supplier": "", "location": "EXC-01-01-01", "group": ""}


@pytest.fixture
def master(any_db):
    """A station with one part in a bin, stocked (its unit fixed), and a second supplier."""
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        catalog.add_part("P-100", "wiper blade", model_series="EXCELLE", price="20", location="EXC-01-01-01",
                         actor=staff[Role.PLANNER], uow=uow)
        purchasing.add_supplier("BOSCH", "Bosch China", actor=staff[Role.PLANNER], uow=uow)
    with any_db.writing() as uow:
        adjust("P-100", "5", location="EXC-01-01-01", reason="opening balance", actor=staff[Role.PARTS_MANAGER],
               uow=uow)
    return any_db, staff


def edits(db, staff) -> list[audit.AuditRow]:
    """The audit rows of part edits, oldest first."""
    with db.reading() as uow:
        return [row for row in audit.audit_trail(actor=staff[Role.ADMIN], uow=uow) if row.action == "edit_part"]


def test_the_form_saved_leaves_one_row_with_the_fields_it_changed(master):
    db, staff = master
    changed = {**FORM, "name_zh": "雨刮片", "price": "24.5", "supplier": "bosch", "location": "EXC-01-01-02",
               "group": "wipers", "fragile": True}
    with db.writing() as uow:
        part_master.save_part("p-100", changed, new=False, actor=staff[Role.PARTS_MANAGER], uow=uow)
    (row,) = edits(db, staff)
    assert (row.operator, row.subject) == ("PM1", "part P-100")
    assert json.loads(row.old) == {"name_zh": "", "part_group": "", "list_price": "20.00", "fragile": "false",
                                   "supplier": "", "location": "EXC-01-01-01"}
    assert json.loads(row.new) == {"name_zh": "雨刮片", "part_group": "WIPERS", "list_price": "24.50",
                                   "fragile": "true", "supplier": "BOSCH", "location": "EXC-01-01-02"}
    assert row.shown() == (
        "part P-100",
        "Chinese name: —; Part group: —; List price: 20.00; Fragile: no; Supplier: —; Default location: EXC-01-01-01",
        "Chinese name: 雨刮片; Part group: WIPERS; List price: 24.50; Fragile: yes; Supplier: BOSCH; "
        "Default location: EXC-01-01-02")


def test_an_edit_that_changes_nothing_leaves_no_row(master):
    db, staff = master
    with db.writing() as uow:
        part_master.save_part("P-100", FORM, new=False, actor=staff[Role.PARTS_MANAGER], uow=uow)
        catalog.edit_part("P-100", name="wiper blade", model_series="excelle", price="20.00",
                          actor=staff[Role.PLANNER], uow=uow)
        catalog.set_part_location("P-100", "exc-01-01-01", actor=staff[Role.PLANNER], uow=uow)
        purchasing.set_part_supplier("P-100", None, actor=staff[Role.PLANNER], uow=uow)
    assert edits(db, staff) == []


def test_a_refused_edit_leaves_no_row(master):
    db, staff = master
    for wrong, said in (({"price": "-3"}, "is negative"),
                        ({"unit": "set"}, "its unit stays pc"),  # it has moved in the ledger in pieces
                        ({"name": "renamed", "supplier": "NOBODY"}, "NOBODY"),  # after the name was written
                        ({"name": "renamed", "location": "bad"}, "BAD")):
        with pytest.raises(PartsdeskError, match=said), db.writing() as uow:
            part_master.save_part("P-100", {**FORM, **wrong}, new=False, actor=staff[Role.PLANNER], uow=uow)
    with pytest.raises(PartsdeskError), db.writing() as uow:  # the storekeeper may not edit the master
        catalog.edit_part("P-100", name="renamed", actor=staff[Role.STOREKEEPER], uow=uow)
    assert edits(db, staff) == []


def test_each_part_command_records_what_it_changed_and_a_new_part_none(master):
    db, staff = master
    planner = staff[Role.PLANNER]
    with db.writing() as uow:
        catalog.edit_part("P-100", name="wiper blade", model_series="EXCELLE", price="22", pack_qty="2",
                          actor=planner, uow=uow)
    with db.writing() as uow:
        catalog.set_part_location("P-100", "EXC-02-01-01", actor=staff[Role.STOREKEEPER], uow=uow)
    with db.writing() as uow:
        catalog.set_part_general("P-100", True, actor=planner, uow=uow)
    with db.writing() as uow:
        purchasing.set_part_supplier("P-100", "BOSCH", actor=planner, uow=uow)
    with db.writing() as uow:
        pricing.set_part_group("P-100", "wipers", actor=planner, uow=uow)
    with db.writing() as uow:  # added with its supplier and group: an addition, not an edit
        part_master.save_part("P-300", {**FORM, "location": "", "supplier": "BOSCH", "group": "bulbs"}, new=True,
                              actor=planner, uow=uow)
    rows = edits(db, staff)
    assert [(r.operator, json.loads(r.old), json.loads(r.new)) for r in rows] == [
        ("PLAN1", {"list_price": "20.00", "pack_qty": "1"}, {"list_price": "22.00", "pack_qty": "2"}),
        ("STORE1", {"location": "EXC-01-01-01"}, {"location": "EXC-02-01-01"}),
        ("PLAN1", {"general": "false"}, {"general": "true"}),
        ("PLAN1", {"supplier": ""}, {"supplier": "BOSCH"}),
        ("PLAN1", {"part_group": ""}, {"part_group": "WIPERS"}),
    ]
    assert {r.subject for r in rows} == {"part P-100"}


def test_the_row_reads_in_the_readers_language(master):
    db, staff = master
    with db.writing() as uow:
        catalog.edit_part("P-100", name="wiper blade", name_zh="雨刮片", model_series="EXCELLE", price="20",
                          fragile=True, actor=staff[Role.PLANNER], uow=uow)
    (row,) = edits(db, staff)
    i18n.use_language(i18n.CHINESE)
    try:
        assert row.shown() == ("零件 P-100", "中文名称：—；易损件：否", "中文名称：雨刮片；易损件：是")
    finally:
        i18n.use_language(i18n.ENGLISH)


def test_partsdesk_audit_shows_a_part_edit(db, staff, tmp_path):
    from tests.helpers.cli import Station

    with db.writing() as uow:
        catalog.add_part("P-100", "wiper blade", price="20", actor=staff[Role.PLANNER], uow=uow)
    station = Station(tmp_path / "station.sqlite")  # the db fixture's file
    assert station.run("part", "edit", "P-100", "--price", "22", as_="PLAN1").exit_code == 0
    last = station.json("audit", as_="ADMIN")[-1]
    assert (last["operator"], last["action"], last["subject"]) == ("PLAN1", "edit_part", "part P-100")
    assert (json.loads(last["old"]), json.loads(last["new"])) == ({"list_price": "20.00"}, {"list_price": "22.00"})
    text = station.run("audit", as_="ADMIN").stdout
    assert "part edited" in text and "List price: 20.00" in text and "List price: 22.00" in text


async def test_the_audit_screen_shows_a_part_edit_whole_under_the_list(db, staff):
    from screens.audit import AuditScreen
    from tests.helpers.tui import SIZE, make_app, screen_text, sign_in, until

    with db.writing() as uow:
        catalog.add_part("P-100", "wiper blade", price="20", actor=staff[Role.PLANNER], uow=uow)
        catalog.edit_part("P-100", name="wiper blade", name_zh="雨刮片", price="22", actor=staff[Role.PLANNER],
                          uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADMIN)
        await pilot.press("f11")
        await until(pilot, lambda: isinstance(app.screen, AuditScreen) and "part P-100" in screen_text(app),
                    "the audit trail with the edit on top")
        assert "part edited" in screen_text(app)
        await until(pilot, lambda: "part P-100: Chinese name: —; List price: 20.00 → Chinese name: 雨刮片; List price: "
                                   "22.00" in " ".join(screen_text(app).split()), "the edit spelt out under the list")
