"""The parts master edited whole (issue 16 item 6): the core's edit and one-write save on SQLite and PostgreSQL (the
unit fixed once the part moved, a refused field leaving the part as it was), and the part form from the lookup (a new
part), the part's card (its master data; release and write-off of quarantine) and receiving."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import PartsdeskError
from core.roles import Role
from core.services import catalog, part_master, purchasing
from core.services.adjustments import adjust
from core.services.stock import part_stock
from screens.part import PartScreen
from screens.part_form import PartFormDialog
from tests.helpers.staff import make_staff
from tests.helpers.tui import SIZE, burst, make_app, screen_text, settle, sign_in, until


@pytest.fixture
def master(any_db):
    """A station with one part in a bin, stocked, and a second supplier."""
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        catalog.add_part("P-100", "wiper blade", model_series="EXCELLE", price="20", location="EXC-01-01-01",
                         actor=staff[Role.PLANNER], uow=uow)
        catalog.add_part("P-200", "clip", actor=staff[Role.PLANNER], uow=uow)
        purchasing.add_supplier("BOSCH", "Bosch China", actor=staff[Role.PLANNER], uow=uow)
    with any_db.writing() as uow:
        adjust("P-100", "5", location="EXC-01-01-01", reason="opening balance", actor=staff[Role.PARTS_MANAGER],
               uow=uow)
    return any_db, staff


def test_every_master_field_is_saved_in_one_write(master):
    db, staff = master
    fields = {"name": "wiper blade, front", "name_zh": "前雨刮片", "model_series": "EXCELLE", "unit": "pc",
              "price": "24.50", "pack_qty": "2", "fragile": True, "general": False, "supplier": "bosch",
              "location": "EXC-01-01-02", "group": "wipers"}
    with db.writing() as uow:
        part_master.save_part("p-100", fields, new=False, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with db.reading() as uow:
        saved = part_master.read_part_master("P-100", uow=uow)
    info = saved.info
    assert (info.name, info.name_zh, info.list_price, info.pack_qty, info.fragile, info.location, saved.supplier,
            info.part_group) == (
        "wiper blade, front", "前雨刮片", Decimal("24.50"), Decimal("2"), True, "EXC-01-01-02", "BOSCH", "WIPERS")
    with db.writing() as uow:  # emptied: out of any group
        part_master.save_part("P-100", {**fields, "group": ""}, new=False, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with db.reading() as uow:
        assert part_master.read_part_master("P-100", uow=uow).info.part_group is None


def test_a_field_that_makes_no_sense_changes_nothing(master):
    db, staff = master
    good = {"name": "renamed", "unit": "pc", "price": "20", "pack_qty": "1", "supplier": "", "location": ""}
    for wrong, said in (({"pack_qty": "0"}, "pack quantity must be more than zero"),
                        ({"price": "-3"}, "is negative"),
                        ({"unit": "litre"}, "its unit stays pc"),  # it has moved in the ledger in pieces
                        ({"supplier": "NOBODY"}, "NOBODY"),
                        ({"name": " "}, "needs a name")):
        with pytest.raises(PartsdeskError, match=said), db.writing() as uow:
            part_master.save_part("P-100", {**good, **wrong}, new=False, actor=staff[Role.PLANNER], uow=uow)
    with db.reading() as uow:
        assert catalog.get_part("P-100", uow=uow).name == "wiper blade"
    with db.writing() as uow:  # a part that never moved may change its unit
        assert catalog.edit_part("P-200", name="clip", unit="set", actor=staff[Role.PLANNER], uow=uow).unit == "set"


def test_a_new_part_with_its_supplier(master):
    db, staff = master
    with db.writing() as uow:
        part_master.save_part("P-300", {"name": "bulb", "unit": "pc", "price": "3", "pack_qty": "10",
                                        "supplier": "BOSCH", "location": ""}, new=True, actor=staff[Role.PLANNER],
                              uow=uow)
    with db.reading() as uow:
        assert part_master.read_part_master("P-300", uow=uow).supplier == "BOSCH"


async def test_a_new_part_from_the_lookup_refused_then_saved(db, staff):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PLANNER)
        await pilot.press("f2")
        await settle(pilot)
        await burst(pilot, *"NEW-1")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PartFormDialog) and form.query_one("#form-part_no").value == "NEW-1"
        form.query_one("#form-name").value = "gasket"
        form.query_one("#form-pack_qty").value = "0"
        await pilot.press("f9")
        await settle(pilot)
        assert "pack quantity must be more than zero" in screen_text(app) and app.screen is form
        assert app.focused is form.query_one("#form-pack_qty")
        form.query_one("#form-pack_qty").value = "4"
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the new part opened")
        assert app.screen.info.part_no == "NEW-1" and app.screen.info.pack_qty == 4


async def test_the_card_edits_the_part_and_releases_and_writes_off_quarantine(db, staff):
    with db.writing() as uow:
        catalog.add_part("P-100", "wiper blade", location="EXC-01-01-01", actor=staff[Role.PLANNER], uow=uow)
        catalog.add_location("QRN-01-01-01", actor=staff[Role.STOREKEEPER], uow=uow)
    with db.writing() as uow:  # found damaged: in quarantine
        adjust("P-100", "3", location="QRN-01-01-01", reason="opening balance", actor=staff[Role.PARTS_MANAGER],
               uow=uow)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.PARTS_MANAGER)
        await pilot.press("f2")
        await settle(pilot)
        await burst(pilot, *"P-100", "enter")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the card opened")
        card = app.screen
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, PartFormDialog), "the form opened")
        app.screen.query_one("#form-name_zh").value = "雨刮片"
        app.screen.query_one("#form-group").value = "wipers"
        await pilot.press("f9")
        await until(pilot, lambda: app.screen is card and card.info.name_zh == "雨刮片", "the card read again")
        assert card.info.part_group == "WIPERS"  # the price rules' group, set from the form
        await pilot.press("x")
        await settle(pilot)
        await burst(pilot, "1", "enter", *"damaged", "enter", "enter")
        await until(pilot, lambda: app.screen is card and sum(lot.qty for lot in card.stock.lots) == 2,
                    "one written off")
        await pilot.press("r")
        await settle(pilot)
        await burst(pilot, "2", "enter", "enter", "enter")
        await until(pilot, lambda: app.screen is card and bool(entered(db)), "the release entered")
    (release,) = entered(db)
    assert (release.from_location, release.to_location, release.qty) == ("QRN-01-01-01", "EXC-01-01-01", 2)
    with db.reading() as uow:
        assert part_stock("P-100", uow=uow).on_hand == 2  # nothing moves before the second person's check


def entered(db):
    """The transfers entered and waiting for their check."""
    from core.services.transfers import list_transfers

    with db.reading() as uow:
        return list_transfers(uow=uow, state="entered")


async def test_a_new_part_in_receiving_gets_the_whole_form_then_posting_goes_on(stocked, staff, tmp_path):
    from core.services.receiving import CountEntry, check_boxes, count_receipt
    from screens.receipt_location import LocationDialog
    from tests.helpers.receiving import open_receipt_screen, open_sample, receipt

    new = tmp_path / "new.csv"
    new.write_text("shipment_no,box_no,part_no,description,qty,unit_price\n"
                   "SH-3,1,NEW-123,Door seal,2,55.00\n", encoding="utf-8")
    number = open_sample(stocked, staff, new)
    with stocked.writing() as uow:
        check_boxes(number, 1, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
    with stocked.writing() as uow:
        count_receipt(number, [CountEntry("NEW-123", Decimal(2))], first=staff[Role.STOREKEEPER],
                      second=staff[Role.PLANNER], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_receipt_screen(pilot, number, Role.PLANNER)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("enter")  # yes to the question what posting does
        await until(pilot, lambda: isinstance(app.screen, LocationDialog), "posting stopped at the new part")
        await burst(pilot, "tab", *"GEN-03-01-01")
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, PartFormDialog), "the part form")
        form = app.screen
        assert [form.query_one(f"#form-{name}").value for name in ("part_no", "name", "price", "location")] == [
            "NEW-123", "Door seal", "55.00", "GEN-03-01-01"]
        form.query_one("#form-unit").value = "furlong"
        await pilot.press("f9")
        await settle(pilot)
        assert app.screen is form and "unit 'furlong' is not one the station uses" in screen_text(app)
        form.query_one("#form-unit").value = "set"
        form.query_one("#form-name_zh").value = "门密封条"
        await pilot.press("f9")
        await until(pilot, lambda: app.screen is screen and receipt(stocked, number).state == "posted", "posted")
    with stocked.reading() as uow:
        saved = catalog.get_part("NEW-123", uow=uow)
    assert (saved.unit, saved.name_zh, saved.location) == ("set", "门密封条", "GEN-03-01-01")


def test_part_edit_on_the_command_line_keeps_what_is_not_given(db, staff, tmp_path):
    from tests.helpers.cli import Station, refused

    with db.writing() as uow:
        catalog.add_part("P-100", "wiper blade", price="20", fragile=True, actor=staff[Role.PLANNER], uow=uow)
    station = Station(tmp_path / "station.sqlite")  # the db fixture's file
    result = station.run("part", "edit", "P-100", "--name-zh", "雨刮片", "--price", "22", as_="PLAN1")
    assert result.exit_code == 0 and "part P-100 saved" in result.stdout, result.stderr
    with db.reading() as uow:
        info = catalog.get_part("P-100", uow=uow)
    assert (info.name, info.name_zh, info.list_price, info.fragile) == ("wiper blade", "雨刮片", Decimal("22.00"), True)
    refused(station.run("part", "edit", "P-100", "--pack-qty", "0", as_="PLAN1"), 2, "pack quantity")
