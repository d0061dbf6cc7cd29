"""The station's procedure, item 5: stock by model series (入库必须按车型入库，即库房必须按主机厂的车型分系列建立
备件库). A location's zone belongs to one model series (or is general); a part of one series is refused a bin of another
series' zone unless it is marked general or common to several series; a new bin in a zone takes the zone's series,
never the part's. In core on SQLite and PostgreSQL, then through the CLI."""

from __future__ import annotations

import pytest

from core.codes import series_misfit
from core.errors import BadInput, RuleViolation
from core.roles import Role
from core.services import catalog, stock
from tests.helpers import add_parts, make_staff
from tests.helpers.cli import refused
from tests.helpers.counter import tables_now
from tests.helpers.counter_cli import counter_station

PADS, HEADLAMP = "96536697", "13301204"  # an EXCELLE part at EXC-01-02-03, a CRUZE one at CRZ-03-01-01


@pytest.fixture
def station(any_db, clock):
    """Staff and the three parts: brake pads and oil filter of EXCELLE in zone EXC, the headlamp of CRUZE in CRZ."""
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    return any_db, staff


def locations(database) -> dict[str, str | None]:
    with database.reading() as uow:
        return {place.code: place.series for place in catalog.list_locations(uow=uow)}


def test_the_rule_itself():
    """入库必须按车型入库: a part lies in a zone of its own series; a general part, a part of no series or a general
    zone take any."""
    assert series_misfit(PADS, "EXCELLE", False, "EXC-01-01-01", "EXCELLE") is None
    assert series_misfit(PADS, "EXCELLE", True, "CRZ-01-01-01", "CRUZE") is None  # general (通用件)
    assert series_misfit(PADS, None, False, "CRZ-01-01-01", "CRUZE") is None
    assert series_misfit(PADS, "EXCELLE", False, "GEN-01-01-01", None) is None  # a general zone
    assert series_misfit(PADS, "EXCELLE", False, "CRZ-01-01-01", "CRUZE") == (
        f"{PADS} is a EXCELLE part: CRZ-01-01-01 is in zone CRZ, which belongs to CRUZE; shelve it in a EXCELLE zone "
        "or mark the part general")


def test_a_part_is_refused_a_bin_of_another_series_zone(station):
    """入库必须按车型入库，即库房必须按主机厂的车型分系列建立备件库: an EXCELLE part is refused a bin of the CRUZE zone,
    an old bin or a new one, as its default location and as an opening balance; nothing changes."""
    database, staff = station
    before = tables_now(database)
    for where in ("CRZ-03-01-01", "CRZ-09-09-09"):
        with pytest.raises(RuleViolation, match=f"{PADS} is a EXCELLE part: {where} is in zone CRZ, which belongs "
                                                "to CRUZE"), database.writing() as uow:
            catalog.set_part_location(PADS, where, actor=staff[Role.STOREKEEPER], uow=uow)
    with pytest.raises(RuleViolation, match="which belongs to CRUZE"), database.writing() as uow:
        stock.adjust(PADS, "2", location="CRZ-03-01-01", reason="opening balance", actor=staff[Role.PARTS_MANAGER],
                     uow=uow)
    with pytest.raises(RuleViolation, match="which belongs to EXCELLE"), database.writing() as uow:
        catalog.add_part("13301205", "Headlamp assembly, right", model_series="CRUZE", location="EXC-01-09-09",
                         actor=staff[Role.PLANNER], uow=uow)
    assert tables_now(database) == before and "CRZ-09-09-09" not in locations(database)
    # Its own series' zone takes it.
    with database.writing() as uow:
        assert catalog.set_part_location(PADS, "EXC-02-01-01", actor=staff[Role.STOREKEEPER],
                                         uow=uow).location == "EXC-02-01-01"


def test_a_general_part_may_lie_in_any_series_zone(station):
    """入库必须按车型入库: a part marked general (通用件) or common to several series goes in any series' zone; it
    cannot be unmarked while it lies in another series' zone."""
    database, staff = station
    with database.writing() as uow:
        catalog.add_part("19300011", "Engine oil 5W-30", model_series="EXCELLE", unit="L", general=True,
                         location="CRZ-05-01-01", actor=staff[Role.PLANNER], uow=uow)
        info = catalog.set_part_general(PADS, True, actor=staff[Role.PLANNER], uow=uow)
        assert info.general
        assert catalog.set_part_location(PADS, "CRZ-03-01-02", actor=staff[Role.STOREKEEPER], uow=uow).location == (
            "CRZ-03-01-02")
        stock.adjust(PADS, "1", location="CRZ-03-01-02", reason="opening balance", actor=staff[Role.PARTS_MANAGER],
                     uow=uow)
    with pytest.raises(RuleViolation, match="which belongs to CRUZE"), database.writing() as uow:
        catalog.set_part_general(PADS, False, actor=staff[Role.PLANNER], uow=uow)
    with database.reading() as uow:
        assert catalog.get_part(PADS, uow=uow).general


def test_a_new_bin_takes_its_zones_series_never_the_parts(station):
    """即库房必须按主机厂的车型分系列建立备件库: a new bin in a zone takes the zone's series, whatever the part that
    asked for it; a bin given another series than its zone's is refused (BadInput) and not made."""
    database, staff = station
    with database.writing() as uow:
        catalog.add_part("GEN-PART", "Wiper fluid", general=True, model_series="EXCELLE", location="CRZ-07-01-01",
                         actor=staff[Role.PLANNER], uow=uow)
        catalog.add_part("NO-SERIES", "Cable tie", location="EXC-07-01-01", actor=staff[Role.PLANNER], uow=uow)
        added = catalog.add_location("CRZ-08-01-01", actor=staff[Role.STOREKEEPER], uow=uow)
    assert added.series == "CRUZE"
    assert {code: series for code, series in locations(database).items() if "-07-" in code or "-08-" in code} == {
        "CRZ-07-01-01": "CRUZE", "EXC-07-01-01": "EXCELLE", "CRZ-08-01-01": "CRUZE"}
    before = tables_now(database)
    with pytest.raises(BadInput, match="the zone CRZ belongs to CRUZE: CRZ-09-09-09 cannot be a EXCELLE bin"), \
            database.writing() as uow:
        catalog.add_location("CRZ-09-09-09", "EXCELLE", actor=staff[Role.STOREKEEPER], uow=uow)
    assert tables_now(database) == before


def test_a_zone_is_founded_by_its_first_bin(station):
    """即库房必须按主机厂的车型分系列建立备件库: the first bin of a zone gives the zone its series (or none: a general
    zone, which takes any part)."""
    database, staff = station
    with database.writing() as uow:
        catalog.add_location("REG-01-01-01", "REGAL", actor=staff[Role.STOREKEEPER], uow=uow)
        catalog.add_location("GEN-01-01-01", actor=staff[Role.STOREKEEPER], uow=uow)
        catalog.set_part_location(HEADLAMP, "GEN-01-02-01", actor=staff[Role.STOREKEEPER], uow=uow)
        with pytest.raises(RuleViolation, match="REG-01-01-02 is in zone REG, which belongs to REGAL"):
            catalog.set_part_location(PADS, "REG-01-01-02", actor=staff[Role.STOREKEEPER], uow=uow)
    assert locations(database)["GEN-01-02-01"] is None


# -- through the CLI ---------------------------------------------------------------------------------


def test_cli_location_add_in_another_series_zone_is_bad_input(tmp_path):
    """入库必须按车型入库: `location add CRZ-09-09-09 --series EXCELLE` is refused (exit 2), the zone CRZ belonging
    to CRUZE; `part set-location` into another series' zone is refused (exit 1); a part marked general may go."""
    s = counter_station(tmp_path / "station.sqlite")
    refused(s.run("location", "add", "CRZ-09-09-09", "--series", "EXCELLE", as_="STORE1"), 2,
            "the zone CRZ belongs to CRUZE: CRZ-09-09-09 cannot be a EXCELLE bin")
    assert "CRZ-09-09-09" not in {p["code"] for p in s.json("location", "list")}
    done = s.run("location", "add", "CRZ-09-09-09", as_="STORE1")
    assert done.exit_code == 0 and done.stdout.strip() == "location CRZ-09-09-09 added (CRUZE)", done.stderr
    refused(s.run("part", "set-location", PADS, "CRZ-09-09-09", as_="STORE1"), 1,
            f"{PADS} is a EXCELLE part: CRZ-09-09-09 is in zone CRZ, which belongs to CRUZE")
    assert s.json("part", "show", PADS)["location"] == "EXC-01-02-03"
    assert s.run("part", "set-general", PADS, as_="PLAN1").exit_code == 0
    assert s.json("part", "show", PADS)["general"] is True
    assert s.run("part", "set-location", PADS, "CRZ-09-09-09", as_="STORE1").exit_code == 0
    refused(s.run("part", "set-general", PADS, "--off", as_="PLAN1"), 1, "which belongs to CRUZE")
    added = s.run("part", "add", "19300099", "--name", "Coolant", "--model-series", "CRUZE", "--general",
                  "--location", "EXC-09-01-01", as_="PLAN1")
    assert added.exit_code == 0, added.stderr
    assert s.json("part", "show", "19300099")["general"] is True


def test_the_demo_keeps_each_series_in_its_own_zone(tmp_path):
    """入库必须按车型入库，即库房必须按主机厂的车型分系列建立备件库: in the demo each zone holds one model series,
    the general consumables are marked general in the general zone GEN, and every part's bin fits its zone."""
    from data.db import Database
    from data.demo import seed_demo

    database = Database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    seed_demo(database, parts=120)
    zones: dict[str, set] = {}
    for code, series in locations(database).items():
        zones.setdefault(code.split("-")[0], set()).add(series)
    assert zones == {"EXC": {"EXCELLE"}, "CRZ": {"CRUZE"}, "REG": {"REGAL"}, "LAC": {"LACROSSE"},
                     "ENC": {"ENCORE"}, "ENV": {"ENVISION"}, "GEN": {None},
                     "QRN": {None}}  # the quarantine: damaged goods of any series wait there for their claim
    with database.reading() as uow:
        lines = stock.stock_list(uow=uow)
        assert lines
        for line in lines:  # every part on a shelf lies in its series' zone, or is general, or in GEN
            part = catalog.get_part(line.part_no, uow=uow)
            (zone_series,) = zones[line.location.split("-")[0]]
            assert part.general or zone_series in (None, part.model_series), (part, line.location)
        assert catalog.get_part("19300011", uow=uow).general  # engine oil, a general consumable
    database.dispose()


async def test_the_putaway_list_warns_of_a_bin_in_another_series_zone(db, staff, clock):
    """入库必须按车型入库: a part whose bin was set before the rule (here the oil filter, its series since changed
    to CRUZE in the master) shows on the putaway list with the reason instead of the shelving instruction."""
    from sqlalchemy import update

    from core import tables as t
    from screens.putaway import PutawayScreen
    from tests.helpers.receiving import OIL_FILTER, counted, open_receipt_screen, open_sample
    from tests.helpers.tui import SIZE, make_app, settle, stock_samples, until

    stock_samples(db, staff, clock)
    with db.engine.begin() as conn:  # the master as an older partsdesk may have left it
        conn.execute(update(t.part).where(t.part.c.part_no == OIL_FILTER).values(model_series="CRUZE"))
    with db.reading() as uow:
        assert catalog.series_misfits([(OIL_FILTER, "EXC-01-01-01"), ("96536697", "EXC-01-02-03")], uow=uow) == {
            (OIL_FILTER, "EXC-01-01-01"): f"{OIL_FILTER} is a CRUZE part: EXC-01-01-01 is in zone EXC, which belongs "
                                          "to EXCELLE; shelve it in a CRUZE zone or mark the part general"}
    number = counted(db, staff, open_sample(db, staff))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_receipt_screen(pilot, number)
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PutawayScreen)
        table = screen.query_one("#putaway-lines")

        def instruction(part_no: str) -> str:
            row = next(table.get_row_at(i) for i in range(table.row_count) if table.get_row_at(i)[1].plain == part_no)
            return row[4].plain

        await until(pilot, lambda: "is a CRUZE part" in instruction(OIL_FILTER), "the series warning")
        assert instruction(OIL_FILTER).startswith(f"{OIL_FILTER} is a CRUZE part: EXC-01-01-01 is in zone EXC")
        assert "is a" not in instruction("96536697")


def test_migration_0011_gives_each_zone_its_oldest_bins_series(tmp_path):
    """即库房必须按主机厂的车型分系列建立备件库: an existing station's zones each take the series of their oldest
    bin; a part already there is not general until someone marks it; the migration goes back down."""
    from alembic import command
    from sqlalchemy import text

    import data.migrations
    from data.db import Database
    from data.migrations import upgrade

    database = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(database.engine, "0009")
    bins = [("EXC-01-01-01", "EXC", "EXCELLE"), ("EXC-01-01-02", "EXC", "CRUZE"), ("EXC-01-01-03", "EXC", None),
            ("GEN-01-01-01", "GEN", None), ("GEN-01-01-02", "GEN", "GENERAL"), ("CRZ-01-01-01", "CRZ", "CRUZE")]
    with database.engine.begin() as conn:
        for code, zone, series in bins:
            conn.execute(text("INSERT INTO location (code, zone, series) VALUES (:c, :z, :s)"),
                         {"c": code, "z": zone, "s": series})
        conn.execute(text("INSERT INTO part (part_no, name, unit, list_price, fragile, pack_qty) "
                          "VALUES ('OLD1', 'Old part', 'pc', 0, 0, 1000)"))
    upgrade(database.engine)
    with database.engine.connect() as conn:
        assert dict(conn.execute(text("SELECT code, series FROM location")).all()) == {
            "EXC-01-01-01": "EXCELLE", "EXC-01-01-02": "EXCELLE", "EXC-01-01-03": "EXCELLE",
            "GEN-01-01-01": None, "GEN-01-01-02": None, "CRZ-01-01-01": "CRUZE"}
        assert conn.execute(text("SELECT general FROM part")).scalar_one() in (False, 0)
    command.downgrade(data.migrations.alembic_config(database.engine), "0009")
    database.dispose()


def test_a_receipt_is_not_shelved_into_another_series_zone(any_db, clock):
    """入库必须按车型入库: posting a receipt whose part's bin lies in another series' zone (a bin set before the zones
    had their series) is refused, naming the part and the zone, and changes nothing."""
    from sqlalchemy import text

    from core.services import part_import
    from core.services.receiving import post_receipt
    from tests.helpers.receiving import counted, open_sample
    from tests.helpers.station import SAMPLES

    staff = make_staff(any_db)
    with any_db.writing() as uow:
        part_import.import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
    number = counted(any_db, staff, open_sample(any_db, staff))
    with any_db.engine.begin() as conn:  # the data of a station before the rule: zone EXC marked CRUZE
        conn.execute(text("UPDATE location SET series = 'CRUZE' WHERE zone = 'EXC'"))
    before = tables_now(any_db)
    with pytest.raises(RuleViolation, match=f"{PADS} is a EXCELLE part: EXC-01-02-03 is in zone EXC, which belongs "
                                            "to CRUZE"), any_db.writing() as uow:
        post_receipt(number, actor=staff[Role.PLANNER], uow=uow)
    assert tables_now(any_db) == before
