"""Transfers between two stations of a dealer group (PostgreSQL: two schemas of one database, core.stations): the
lots' received dates and costs kept, both stations' books agreeing, totals conserved; refusals and a failure half
way change neither station; the check is a second person's; the receiving station keeps an incoming note of its
own (list, show, CLI, the transfers list on its screen) that nobody there checks, refuses or cancels. The other
station is a schema made and migrated here and dropped afterwards. Without PARTSDESK_TEST_PG the PostgreSQL tests
are skipped (the pg_db fixture says why); the refusal on SQLite runs everywhere."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text

from core import ledger
from core.errors import BadInput, NotFound, RuleViolation
from core.roles import Role
from core.services import catalog, operators, transfers
from core.services.stock import adjust, invariant_violations, part_stock
from core.services.stock_check import stock_check
from data.db import Database
from data.migrations import HEAD_REVISION, upgrade
from screens.part import PartScreen
from screens.receiving import ReceivingScreen
from screens.transfer_dialog import TransferDialog
from screens.transfers import TransfersScreen
from tests.helpers.cli import invoke, numbers_are_strings, refused
from tests.helpers.databases import pg_schema
from tests.helpers.staff import PIN, make_staff
from tests.helpers.tui import BRAKE_PADS, burst, make_app, settle, sign_in, stock_samples, until

HOME, SPARE = "EXC-01-02-03", "EXC-01-02-04"


@pytest.fixture
def home(pg_db, clock):
    """This station: the sample parts and three lots of brake pads, one operator per role."""
    staff = make_staff(pg_db)
    stock_samples(pg_db, staff, clock)
    return pg_db, staff


@pytest.fixture
def other(pg_db, clock):
    """The other station of the group: its own schema in the same database, migrated, with the same sample
    station (the same operator codes, parts master and bins)."""
    with pg_schema() as url:
        database = Database(url)
        upgrade(database.engine)
        staff = make_staff(database)
        stock_samples(database, staff, clock)
        yield database, staff, _schema(database)
        database.dispose()


def _schema(database) -> str:
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT current_schema()")).scalar_one()


def _state(database) -> tuple:
    """What a refusal must leave as it was: the ledger's head, the lots, the transfer notes and their lots."""
    with database.engine.connect() as conn:
        head = conn.execute(text("SELECT last_id, chain FROM ledger_head")).one()
        lots = conn.execute(text("SELECT id, location_id, qty_remaining FROM stock_lot ORDER BY id")).all()
        notes = conn.execute(text("SELECT number, state FROM stock_transfer ORDER BY id")).all()
        split = conn.execute(text("SELECT transfer_id, qty FROM stock_transfer_lot ORDER BY id")).all()
    return tuple(head), [tuple(lot) for lot in lots], [tuple(note) for note in notes], [tuple(r) for r in split]


def _value(database) -> tuple[Decimal, Decimal]:
    with database.reading() as uow:
        held = part_stock(BRAKE_PADS, uow=uow)
    return held.on_hand, sum((lot.qty * lot.unit_cost for lot in held.lots), Decimal(0))


def _books_agree(database) -> None:
    with database.reading() as uow:
        assert stock_check(uow=uow) == []
        assert invariant_violations(uow=uow) == []


def _enter(home_db, staff, station, qty="12", to=SPARE, part_no=BRAKE_PADS):
    with home_db.writing() as uow:
        return transfers.create_transfer(part_no, qty, from_location=HOME, to_location=to, to_station=station,
                                         actor=staff[Role.STOREKEEPER], uow=uow)


def test_a_transfer_to_another_station_moves_the_lots_with_their_dates_and_costs(home, other):
    home_db, staff = home
    other_db, _other_staff, station = other
    before_home, before_other = _value(home_db), _value(other_db)
    with home_db.reading() as uow:
        source = [lot for lot in part_stock(BRAKE_PADS, uow=uow).lots if lot.location == HOME]
    entered = _enter(home_db, staff, station, qty="12")
    assert (entered.to_station, entered.to_location, entered.state) == (station, SPARE, "entered")
    assert _value(other_db) == before_other  # nothing moves before the check
    with home_db.writing() as uow:
        checked = transfers.check_transfer(entered.number, actor=staff[Role.CHECKER], uow=uow)
    assert checked.state == "checked"
    # Oldest first from the source bin: the 3 left of the lot of 1 Nov (250.00), then 9 of the 15 Nov lot (270.00).
    assert [(lot.qty, lot.unit_cost, lot.received_at) for lot in checked.lots] == [
        (Decimal(3), source[0].unit_cost, source[0].received_at), (Decimal(9), source[1].unit_cost,
                                                                   source[1].received_at)]
    with other_db.reading() as uow:
        made = {lot.lot: lot for lot in part_stock(BRAKE_PADS, uow=uow).lots}
    for lot in checked.lots:  # each lot made there: its origin's date and cost, at the bin named, on the document
        there = made[lot.to_lot]
        assert (there.location, there.qty, there.unit_cost, there.received_at) == (
            SPARE, lot.qty, lot.unit_cost, lot.received_at)
        assert there.document == f"{_schema(home_db)}:{entered.number}"
    moved_value = sum((lot.qty * lot.unit_cost for lot in checked.lots), Decimal(0))
    after_home, after_other = _value(home_db), _value(other_db)
    assert after_home == (before_home[0] - 12, before_home[1] - moved_value)
    assert after_other == (before_other[0] + 12, before_other[1] + moved_value)
    _books_agree(home_db)
    _books_agree(other_db)
    with home_db.reading() as uow:
        assert transfers.show_transfer(entered.number, uow=uow).to_station == station
        assert transfers.show_transfer(entered.number, uow=uow).direction == "outgoing"
    # The receiving station's own note: the sender's number after its name, received, its lots the ones made there.
    sender = _schema(home_db)
    with other_db.reading() as uow:
        (listed,) = transfers.list_transfers(uow=uow)
        incoming = transfers.show_transfer(f"{sender.upper()}:{entered.number.lower()}", uow=uow)
        assert [n.number for n in transfers.list_transfers(uow=uow, state="received")] == [incoming.number]
    assert listed.number == incoming.number == f"{sender}:{entered.number}"
    assert (incoming.direction, incoming.state, incoming.from_station, incoming.to_station) == (
        "incoming", "received", sender, None)
    assert (incoming.part_no, incoming.qty, incoming.from_location, incoming.to_location) == (
        BRAKE_PADS, Decimal(12), HOME, SPARE)
    assert (incoming.entered_by, incoming.entered_by_id, incoming.decided_by) == ("STORE1", None, "CHECK1")
    assert (incoming.entered_at, incoming.decided_at) == (checked.entered_at, checked.decided_at)
    assert incoming.source == f"{HOME} at station {sender}" and incoming.destination == SPARE
    assert [(lot.from_lot, lot.to_lot, lot.qty, lot.unit_cost, lot.received_at) for lot in incoming.lots] == [
        (lot.from_lot, lot.to_lot, lot.qty, lot.unit_cost, lot.received_at) for lot in checked.lots]
    assert {lot.to_lot for lot in incoming.lots} <= set(made)  # the lots here, by this station's ids
    with other_db.reading() as uow:
        assert transfers.transfers_page(uow=uow, limit=10).total == 1


def test_the_one_who_entered_it_cannot_check_it(home, other):
    home_db, staff = home
    other_db, _other_staff, station = other
    with home_db.writing() as uow:  # one person holding both roles: the rule, not a role, refuses him
        operators.add_operator("BOTH1", "Both", [Role.STOREKEEPER.value, Role.CHECKER.value], PIN,
                               actor=staff[Role.ADMIN], uow=uow)
        both = operators.authenticate("BOTH1", PIN, uow=uow)
    with home_db.writing() as uow:
        entered = transfers.create_transfer(BRAKE_PADS, "1", from_location=HOME, to_location=SPARE,
                                            to_station=station, actor=both, uow=uow)
    before = _state(home_db), _state(other_db)
    with home_db.writing() as uow, pytest.raises(RuleViolation, match="a second, different person"):
        transfers.check_transfer(entered.number, actor=both, uow=uow)
    assert (_state(home_db), _state(other_db)) == before


def test_a_transfer_between_stations_is_refused_on_sqlite(stocked, staff):
    with stocked.writing() as uow, pytest.raises(RuleViolation, match="need PostgreSQL"):
        transfers.create_transfer(BRAKE_PADS, "1", from_location=HOME, to_location=SPARE, to_station="north",
                                  actor=staff[Role.STOREKEEPER], uow=uow)
    with stocked.reading() as uow:
        assert transfers.list_transfers(uow=uow) == []


def _older(database):
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0025'"))


NEW_PART = "90000001"  # a part only this station's parts master knows


def _new_part(database, staff, *, stock: bool = False):
    with database.writing() as uow:
        catalog.add_part(NEW_PART, "Wiper blade", model_series="EXCELLE", price="30", location=HOME,
                         actor=staff[Role.PLANNER], uow=uow)
    if stock:
        with database.writing() as uow:
            adjust(NEW_PART, "3", location=HOME, reason="opening balance", unit_cost="12",
                   actor=staff[Role.PARTS_MANAGER], uow=uow)


@pytest.mark.parametrize(("station", "to", "part_no", "error", "message"), [
    ("nowhere_at_all", SPARE, BRAKE_PADS, NotFound, "there is no station nowhere_at_all"),
    ("no such!", SPARE, BRAKE_PADS, BadInput, "is not a station name"),
    ("HOME", SPARE, BRAKE_PADS, BadInput, "is this station"),
    ("OLDER", SPARE, BRAKE_PADS, RuleViolation, f"is at schema revision 0025, this station at {HEAD_REVISION}"),
    (None, SPARE, NEW_PART, NotFound, f"{NEW_PART} is not in the parts master of station"),
    (None, "EXC-09-09-09", BRAKE_PADS, NotFound, "unknown location EXC-09-09-09 at station"),
    (None, "CRZ-03-01-01", BRAKE_PADS, RuleViolation, "CRUZE"),
    (None, "QRN-01-01-01", BRAKE_PADS, RuleViolation, "not to its quarantine"),
])
def test_refusals_change_neither_station(home, other, station, to, part_no, error, message):
    home_db, staff = home
    other_db, other_staff, other_name = other
    _new_part(home_db, staff, stock=True)
    if to.startswith("QRN"):
        with other_db.writing() as uow:  # the other station's quarantine bin exists once something went there
            from core.services.catalog import add_location

            add_location(to, None, actor=other_staff[Role.STOREKEEPER], uow=uow)
    if station == "OLDER":
        _older(other_db)
    station = {None: other_name, "OLDER": other_name, "HOME": _schema(home_db).upper()}.get(station, station)
    before = _state(home_db), _state(other_db)
    with pytest.raises(error, match=message):
        _enter(home_db, staff, station, qty="1", to=to, part_no=part_no)
    assert (_state(home_db), _state(other_db)) == before


def _remove_bin(database, staff):
    with database.writing() as uow, uow.write() as conn:  # its lots moved away first: the bin is empty, then gone
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("DELETE FROM stock_move WHERE location_id = (SELECT id FROM location WHERE code = :c)"),
                     {"c": SPARE})
        conn.execute(text("DELETE FROM stock_lot WHERE location_id = (SELECT id FROM location WHERE code = :c)"),
                     {"c": SPARE})
        conn.execute(text("DELETE FROM location WHERE code = :c"), {"c": SPARE})


def _no_checker_there(database, staff):
    with database.writing() as uow:
        operators.deactivate_operator("CHECK1", actor=staff[Role.ADMIN], uow=uow)


def _breaks_after_the_source_side(monkeypatch):
    real = ledger.receive_lots

    def broken(conn, lots, **kwargs):
        real(conn, lots, **kwargs)  # the other station's lots are made, and this station's taken, then it fails
        raise RuntimeError("the line to the other station dropped")

    monkeypatch.setattr(ledger, "receive_lots", broken)


def _breaks_after_the_incoming_note(monkeypatch):
    real = transfers._note_incoming

    def broken(conn, note):
        real(conn, note)  # both ledgers booked and the note written there: the last step here fails
        raise RuntimeError("the line to the other station dropped after its note")

    monkeypatch.setattr(transfers, "_note_incoming", broken)


@pytest.mark.parametrize("failure", ["bin removed", "no such operator there", "error half way",
                                     "error after the incoming note"])
def test_a_check_failing_half_way_leaves_both_stations_unchanged(home, other, monkeypatch, failure):
    home_db, staff = home
    other_db, other_staff, station = other
    entered = _enter(home_db, staff, station, qty="5")
    expected: tuple[type[Exception], str]
    if failure == "bin removed":
        _remove_bin(other_db, other_staff)
        expected = NotFound, f"unknown location {SPARE} at station {station}"
    elif failure == "no such operator there":
        _no_checker_there(other_db, other_staff)
        expected = RuleViolation, f"CHECK1 is not an operator at station {station}"
    elif failure == "error half way":
        _breaks_after_the_source_side(monkeypatch)
        expected = RuntimeError, "dropped"
    else:
        _breaks_after_the_incoming_note(monkeypatch)
        expected = RuntimeError, "dropped after its note"
    before = _state(home_db), _state(other_db)
    with home_db.writing() as uow, pytest.raises(expected[0], match=expected[1]):
        transfers.check_transfer(entered.number, actor=staff[Role.CHECKER], uow=uow)
    assert (_state(home_db), _state(other_db)) == before
    _books_agree(home_db)
    if failure != "bin removed":  # removing the bin took ledger rows out there: its chain says so, as it should
        _books_agree(other_db)
    with home_db.reading() as uow:
        assert transfers.show_transfer(entered.number, uow=uow).state == "entered"
    with other_db.reading() as uow:  # no incoming note: the receiving station knows of no transfer
        assert transfers.list_transfers(uow=uow) == []


def test_a_part_added_later_at_the_other_station_can_then_be_sent(home, other):
    """The refusal names what is missing there; once the other station has it, the same transfer is entered."""
    home_db, staff = home
    other_db, other_staff, station = other
    _new_part(home_db, staff, stock=True)
    with pytest.raises(NotFound):
        _enter(home_db, staff, station, qty="1", part_no=NEW_PART)
    _new_part(other_db, other_staff)
    entered = _enter(home_db, staff, station, qty="2", part_no=NEW_PART)
    with home_db.writing() as uow:
        transfers.check_transfer(entered.number, actor=staff[Role.PARTS_MANAGER], uow=uow)
    with other_db.reading() as uow:
        assert part_stock(NEW_PART, uow=uow).on_hand == 2
    with home_db.reading() as uow:
        assert part_stock(NEW_PART, uow=uow).on_hand == 1
    _books_agree(home_db)
    _books_agree(other_db)


def _cli(database, *args, as_="STORE1"):
    env = {"PARTSDESK_OPERATOR": as_, "PARTSDESK_PIN": PIN, "PARTSDESK_DB": ""}
    return invoke(["--db", database.url, *args], env=env)


def test_the_cli_enters_checks_and_shows_a_transfer_to_another_station(home, other):
    home_db, _staff = home
    other_db, _other_staff, station = other
    result = _cli(home_db, "transfer", "create", BRAKE_PADS, "--from", HOME, "--to", SPARE, "--to-station", station,
                  "--qty", "2", "--json")
    assert result.exit_code == 0, result.stderr
    number = json.loads(result.stdout)["transfer"]
    result = _cli(home_db, "transfer", "check", number, "--json", as_="CHECK1")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(_cli(home_db, "transfer", "show", number, "--json").stdout)
    numbers_are_strings(shown)
    assert {key: shown[key] for key in ("to", "to_station", "state", "qty")} == {
        "to": SPARE, "to_station": station, "state": "checked", "qty": "2"}
    assert [(lot["qty"], lot["unit_cost"]) for lot in shown["lots"]] == [("2", "250.00")]
    text_line = _cli(home_db, "transfer", "show", number).stdout
    assert f"from {HOME} to {SPARE} at station {station}: checked" in text_line
    for database in (home_db, other_db):
        assert _cli(database, "stock", "check").exit_code == 0
    refused(_cli(home_db, "transfer", "create", BRAKE_PADS, "--from", HOME, "--to", SPARE, "--to-station", "nowhere",
                 "--qty", "1"), 2, "there is no station nowhere in this database")


async def _open_part(pilot, role):
    await sign_in(pilot, role)
    await pilot.press("f2")
    await settle(pilot)
    await burst(pilot, *BRAKE_PADS, "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, PartScreen), "the part's card")


def _message(app) -> str:
    return str(app.screen.query_one(".dialog-message").render())


async def test_the_transfer_dialog_names_the_other_station_on_postgresql(home, other):
    home_db, _staff = home
    _other_db, _other_staff, station = other
    app = make_app(home_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_part(pilot, Role.STOREKEEPER)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TransferDialog), "the transfer dialog")
        await until(pilot, lambda: app.screen.query_one("#td-station").display, "the station field")
        await burst(pilot, *SPARE, "enter")
        assert app.focused is app.screen.query_one("#td-station")
        await burst(pilot, *"nowhere", "enter", "1", "enter")
        await until(pilot, lambda: "there is no station nowhere" in _message(app), "the refusal")
        field = app.screen.query_one("#td-station")
        field.value = station.upper()  # as typed: case does not matter
        app.set_focus(app.screen.query_one("#td-qty"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PartScreen), "the card again")
    with home_db.reading() as uow:
        (entered,) = transfers.list_transfers(uow=uow)
    assert (entered.to_station, entered.to_location, entered.qty, entered.state) == (station, SPARE, 1, "entered")


async def test_the_transfer_dialog_has_no_station_field_on_sqlite(stocked):
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_part(pilot, Role.STOREKEEPER)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TransferDialog), "the transfer dialog")
        await until(pilot, lambda: not app.screen.workers, "the question to the database answered")
        assert not app.screen.query_one("#td-station").display
        await burst(pilot, *SPARE, "enter")  # from the bin straight to the quantity, as before
        assert app.focused is app.screen.query_one("#td-qty")


def _sent_and_checked(home_db, staff, station, qty="2") -> str:
    """A transfer to the other station entered and checked here: its number."""
    entered = _enter(home_db, staff, station, qty=qty)
    with home_db.writing() as uow:
        transfers.check_transfer(entered.number, actor=staff[Role.CHECKER], uow=uow)
    return entered.number


@pytest.mark.parametrize("step", ["check", "refuse", "cancel"])
def test_an_incoming_note_is_not_checked_refused_or_cancelled_at_the_receiving_station(home, other, step):
    home_db, staff = home
    other_db, other_staff, station = other
    number = f"{_schema(home_db)}:{_sent_and_checked(home_db, staff, station)}"
    actor = other_staff[Role.STOREKEEPER if step == "cancel" else Role.CHECKER]
    call = {"check": transfers.check_transfer, "refuse": transfers.refuse_transfer,
            "cancel": transfers.cancel_transfer}[step]
    before = _state(other_db)
    with other_db.writing() as uow, pytest.raises(RuleViolation, match=(
            f"{number} is a transfer received from station {_schema(home_db)}: it was entered and checked there")):
        call(number, actor=actor, uow=uow)
    assert _state(other_db) == before
    result = _cli(other_db, "transfer", step, number, as_=actor.code)
    refused(result, 1, "is not checked, refused or cancelled here")
    assert _state(other_db) == before


def test_the_cli_at_the_receiving_station_lists_and_shows_the_incoming_note(home, other):
    home_db, staff = home
    other_db, _other_staff, station = other
    sender = _schema(home_db)
    number = f"{sender}:{_sent_and_checked(home_db, staff, station, qty='4')}"
    listed = json.loads(_cli(other_db, "transfer", "list", "--json").stdout)
    assert [row["transfer"] for row in listed] == [number]
    shown = json.loads(_cli(other_db, "transfer", "show", number.upper(), "--json").stdout)
    numbers_are_strings(shown)
    assert shown == listed[0] | {"lots": shown["lots"]}  # the list's keys and values, the show's lots besides
    assert {key: shown[key] for key in ("transfer", "part_no", "from", "to", "from_station", "to_station",
                                        "direction", "state", "qty", "release", "entered_by", "checked_by")} == {
        "transfer": number, "part_no": BRAKE_PADS, "from": HOME, "to": SPARE, "from_station": sender,
        "to_station": None, "direction": "incoming", "state": "received", "qty": "4", "release": False,
        "entered_by": "STORE1", "checked_by": "CHECK1"}
    assert [(lot["qty"], lot["unit_cost"]) for lot in shown["lots"]] == [("3", "250.00"), ("1", "270.00")]
    with other_db.reading() as uow:
        made = {str(lot.lot) for lot in part_stock(BRAKE_PADS, uow=uow).lots if lot.location == SPARE}
    assert {lot["to_lot"] for lot in shown["lots"]} <= made
    sent = json.loads(_cli(home_db, "transfer", "show", number.partition(":")[2], "--json").stdout)
    assert (sent["direction"], sent["from_station"], sent["to_station"]) == ("outgoing", None, station)
    assert [lot["from_lot"] for lot in sent["lots"]] == [lot["from_lot"] for lot in shown["lots"]]
    text_shown = _cli(other_db, "transfer", "show", number).stdout
    assert f"{number}: {BRAKE_PADS} 4 from {HOME} at station {sender} to {SPARE}: received" in text_shown
    assert "direction: from another station" in text_shown
    assert f"entered by STORE1 at station {sender}" in text_shown
    text_listed = _cli(other_db, "transfer", "list", "--state", "received").stdout
    assert number in text_listed and f"at station {sender}" in text_listed
    assert _cli(other_db, "stock", "check").exit_code == 0


async def test_the_transfers_list_at_the_receiving_station_shows_the_incoming_note(home, other):
    home_db, staff = home
    other_db, _other_staff, station = other
    sender = _schema(home_db)
    number = f"{sender}:{_sent_and_checked(home_db, staff, station, qty='4')}"
    app = make_app(other_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "receiving")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, TransfersScreen), "the transfer notes")
        screen = app.screen
        await until(pilot, lambda: screen.shown is not None, "the highlighted note read with its lots")
        table = screen.query_one("#transfer-list")
        assert table.row_count == 1 and table.subject_key == number
        row = [str(cell) for cell in table.get_row(number)]
        assert row[:7] == [number, "from another station", BRAKE_PADS, "4", f"{HOME} at station {sender}", SPARE,
                           "received"]
        assert row[7:9] == ["STORE1", "CHECK1"]
        shown = str(screen.query_one("#transfer-detail").render())
        assert f"entered by STORE1 at station {sender}" in shown and "checked by CHECK1" in shown
        assert "3 at 250.00, received 2026-11-01" in shown and "1 at 270.00, received 2026-11-15" in shown
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReceivingScreen), "receiving again")
