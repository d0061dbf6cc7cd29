"""The CLI contract through typer's CliRunner: output, one JSON document, exit codes 0/1/2, nothing changed on error."""

from __future__ import annotations

import json
import sys
import types

import pytest

from tests.helpers.cli import Station, invoke, numbers_are_strings, refused
from tests.helpers.station import SAMPLES


@pytest.fixture
def station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("PLAN1", "planner"), ("PM1", "parts_manager"),
                       ("MECH1", "mechanic")]:
        result = s.run("operator", "add", code, "--name", f"{code} 师傅", "--role", role, "--pin", "1234",
                       as_="ADMIN")
        assert result.exit_code == 0, result.stderr
    return s


@pytest.fixture
def stocked(station):
    assert station.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    for qty, cost in [("10", "250.00"), ("5", "270.00")]:
        result = station.run("stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", qty,
                             "--reason", "opening balance", "--unit-cost", cost, as_="PM1")
        assert result.exit_code == 0, result.stderr
    return station


# -- setting up --------------------------------------------------------------------------------


def test_init_creates_schema_and_admin_once(tmp_path):
    s = Station(tmp_path / "new.sqlite")
    result = s.run("init", "--admin", "boss", "--pin", "2468")
    assert result.exit_code == 0 and "first admin BOSS" in result.stdout
    refused(s.run("init", "--admin", "OTHER", "--pin", "2468"), 1, "already has operators")
    assert s.count("operator") == 1


def test_init_prompts_for_what_it_was_not_given(tmp_path):
    s = Station(tmp_path / "new.sqlite")
    result = s.run("init", input="chief\n2468\n2468\n")
    assert result.exit_code == 0, result.stderr
    assert s.json("operator", "list")[0]["code"] == "CHIEF"


def test_init_refuses_a_bad_pin(tmp_path):
    s = Station(tmp_path / "new.sqlite")
    refused(s.run("init", "--admin", "ADMIN", "--pin", "12"), 2, "a PIN is 4 to 12 digits")


def test_a_database_without_schema_names_the_command(tmp_path):
    refused(Station(tmp_path / "nothing.sqlite").run("part", "search", "x"), 1, "run `partsdesk init`")


def test_db_upgrade_and_status(station):
    assert station.run("db", "upgrade").exit_code == 0
    status = station.json("db", "status")
    assert status["current"] is True and status["revision"] == status["head"]


def test_demo_is_deterministic_and_idempotent(tmp_path):
    first, second = Station(tmp_path / "a.sqlite"), Station(tmp_path / "b.sqlite")
    for s in (first, second):
        result = s.run("demo", "--parts", "40")
        assert result.exit_code == 0 and "40 parts" in result.stdout, result.stderr
    assert first.json("stock", "list") == second.json("stock", "list")
    assert "already holds the demo" in first.run("demo", "--parts", "40").stdout
    operators = {o["code"]: o["roles"] for o in first.json("operator", "list")}
    roles = {role for held in operators.values() for role in held}
    assert {"admin", "storekeeper", "planner", "advisor", "parts_manager", "accountant", "station_manager",
            "service_director", "mechanic"} <= roles
    assert first.json("part", "search", "前刹车片")  # Chinese names are there


def test_demo_refuses_a_station_that_is_not_a_demo(stocked):
    refused(stocked.run("demo"), 1, "already holds a station")


# -- operators and sign-in ---------------------------------------------------------------------


def test_operator_add_needs_an_admin_and_the_right_pin(station):
    refused(station.run("operator", "add", "X1", "--name", "X", "--role", "mechanic", "--pin", "1234", as_="PM1"),
            1, "PM1 may not manage operators")
    refused(station.run("operator", "add", "X1", "--name", "X", "--role", "mechanic", "--pin", "1234", as_="ADMIN",
                        pin="9999"), 1, "operator code or PIN not accepted")
    refused(station.run("operator", "add", "X1", "--name", "X", "--role", "wizard", "--pin", "1234", as_="ADMIN"),
            2, "unknown role 'wizard'")
    assert station.count("operator") == 5


def test_a_write_without_an_operator_is_bad_usage(station):
    refused(station.run("location", "add", "EXC-09-01-01"), 2, "--as CODE")


def test_the_pin_can_be_typed_at_a_hidden_prompt(station):
    result = invoke(["--db", str(station.path), "--as", "STORE1", "location", "add", "EXC-09-01-01"],
               env={"PARTSDESK_PIN": "", "PARTSDESK_OPERATOR": ""}, input="1234\n")
    assert result.exit_code == 0, result.stderr
    assert "1234" not in result.stdout


def test_operator_list_json(station):
    people = station.json("operator", "list")
    assert {"code": "STORE1", "name": "STORE1 师傅", "roles": ["storekeeper"], "active": True,
            "locked_until": None, "language": "en"} in people


# -- parts -------------------------------------------------------------------------------------


def test_part_add_show_and_refusals(station):
    result = station.run("part", "add", "5c6 941 005 b", "--name", "Headlamp", "--name-zh", "大灯", "--model-series",
                         "golf", "--price", "1580.5", "--fragile", "--location", "GLF-01-01-01", as_="PLAN1")
    assert result.exit_code == 0, result.stderr
    shown = station.json("part", "show", "5C6941005B")
    assert shown["part_no"] == "5C6941005B" and shown["list_price"] == "1580.50" and shown["fragile"] is True
    assert shown["location"] == "GLF-01-01-01" and shown["on_hand"] == "0" and shown["lots"] == []
    refused(station.run("part", "add", "5C6941005B", "--name", "Again", as_="PLAN1"), 1, "already exists")
    refused(station.run("part", "add", "X1", "--name", "Bad", "--price", "-3", as_="PLAN1"), 2, "negative")
    refused(station.run("part", "add", "X2", "--name", "Bad", "--price", "ten", as_="PLAN1"), 2, "not a number")
    refused(station.run("part", "add", "X3", "--name", "Bad", "--location", "nowhere", as_="PLAN1"), 2, "scheme")
    refused(station.run("part", "add", "X4", "--name", "Bad", as_="STORE1"), 1, "may not edit the parts master")
    refused(station.run("part", "show", "NOPE"), 2, "unknown part number NOPE")
    assert station.count("part") == 1


def test_part_show_lists_lots_oldest_first(stocked):
    shown = stocked.json("part", "show", "96536697")
    numbers_are_strings(shown)
    assert shown["on_hand"] == "15"
    assert [(lot["qty"], lot["unit_cost"], lot["location"]) for lot in shown["lots"]] == [
        ("10", "250.00", "EXC-01-02-03"), ("5", "270.00", "EXC-01-02-03")
    ]
    assert set(shown["lots"][0]) >= {"lot", "location", "received_at", "qty", "unit_cost"}
    human = stocked.run("part", "show", "96536697")
    assert human.exit_code == 0 and "on hand: 15" in human.stdout


def test_part_import_all_or_nothing(station):
    result = station.run("part", "import", str(SAMPLES / "parts_master_bad.csv"), as_="PLAN1")
    refused(result, 2, "4 problems, nothing imported")
    assert "row 3, part_no: duplicate part number 96536697" in result.stderr
    assert "row 6, unit_price" in result.stderr
    assert station.count("part") == 0
    imported = station.json("part", "import", str(SAMPLES / "parts_master_gb18030.csv"), as_="PLAN1")
    assert imported == {"created": "12", "updated": "0", "locations_created": "11", "encoding": "gb18030"}
    refused(station.run("part", "import", "/no/such/file.csv", as_="PLAN1"), 2, "no such file")


def test_part_search(stocked):
    hits = stocked.json("part", "search", "brake")
    numbers_are_strings(hits)
    assert hits[0]["part_no"] == "96536697" and hits[0]["on_hand"] == "15"
    assert len(stocked.json("part", "search", "9", "--limit", "3")) == 3
    assert stocked.json("part", "search", "nothing-like-this") == []
    assert stocked.run("part", "search", "filter").exit_code == 0


def test_part_set_location(stocked):
    assert stocked.run("part", "set-location", "24258947", "EXC-02-01-01", as_="STORE1").exit_code == 0
    assert stocked.json("part", "show", "24258947")["location"] == "EXC-02-01-01"
    refused(stocked.run("part", "set-location", "24258947", "bad", as_="STORE1"), 2, "scheme")


# -- locations ---------------------------------------------------------------------------------


def test_location_add_and_list(station):
    assert station.run("location", "add", "reg-01-01-01", "--series", "regal", as_="STORE1").exit_code == 0
    refused(station.run("location", "add", "REG-01-01-01", as_="STORE1"), 1, "already exists")
    refused(station.run("location", "add", "REG-1-1-1", as_="STORE1"), 2, "ZONE-ROW-SHELF-BIN")
    assert station.json("location", "list") == [{"code": "REG-01-01-01", "zone": "REG", "series": "REGAL"}]
    assert station.json("location", "list", "--series", "CRUZE") == []


# -- stock -------------------------------------------------------------------------------------


def test_stock_adjust_out_takes_oldest_first(stocked):
    done = stocked.json("stock", "adjust", "96536697", "--location", "EXC-01-02-03", "--qty", "-12", "--reason",
                        "stocktake", as_="PM1")
    numbers_are_strings(done)
    assert done["document"] == "ADJ-2026-000003" and done["qty"] == "-12" and len(done["lots"]) == 2
    lots = stocked.json("part", "show", "96536697")["lots"]
    assert [(lot["qty"], lot["unit_cost"]) for lot in lots] == [("3", "270.00")]


def test_stock_adjust_refusals_change_nothing(stocked):
    moves = stocked.count("stock_move")
    args = ["stock", "adjust", "96536697", "--location", "EXC-01-02-03"]
    refused(stocked.run(*args, "--qty", "-99", "--reason", "lost", as_="PM1"), 1,
            "not enough stock of 96536697: asked 99, on hand at that location 15")
    refused(stocked.run(*args, "--qty", "0", "--reason", "lost", as_="PM1"), 2, "zero")
    refused(stocked.run(*args, "--qty", "1.5.1", "--reason", "lost", as_="PM1"), 2, "not a number")
    refused(stocked.run(*args, "--qty", "1", "--reason", "", as_="PM1"), 2, "needs a reason")
    refused(stocked.run(*args, "--qty", "1", "--reason", "lost", as_="STORE1"), 1, "may not adjust stock")
    refused(stocked.run(*args, "--qty", "1", "--reason", "lost", as_="PM1", pin="0000"), 1, "not accepted")
    refused(stocked.run(*args, "--reason", "lost", as_="PM1"), 2, "Missing option '--qty'")
    # Numbers mean what they say: a decimal comma, an exponent, half a set of brake pads.
    refused(stocked.run(*args, "--qty", "1,5", "--reason", "lost", as_="PM1"), 2, "quantity '1,5' is ambiguous")
    refused(stocked.run(*args, "--qty", "1e3", "--reason", "lost", as_="PM1"), 2, "quantity '1e3' is not a number")
    refused(stocked.run(*args, "--qty", "1.5", "--reason", "lost", as_="PM1"), 2,
            "96536697 is counted in sets: 1.5 is not a whole number")
    assert stocked.count("stock_move") == moves


def test_the_parts_master_takes_only_the_stations_units(station):
    refused(station.run("part", "add", "X1", "--name", "Bad", "--unit", "furlong", as_="PLAN1"), 2,
            "unit 'furlong' is not one the station uses")
    refused(station.run("part", "add", "X2", "--name", "Pads", "--unit", "套", "--pack-qty", "0.5", as_="PLAN1"),
            2, "X2 is counted in sets: 0.5 is not a whole number")
    assert station.count("part") == 0
    assert station.run("part", "add", "X3", "--name", "Oil", "--unit", "升", "--pack-qty", "0.5",
                       as_="PLAN1").exit_code == 0


def test_stock_list_and_check(stocked):
    lines = stocked.json("stock", "list")
    numbers_are_strings(lines)
    assert lines == [{"part_no": "96536697", "name": "Front brake pad set", "location": "EXC-01-02-03",
                      "on_hand": "15", "value": "3850.00"}]
    assert stocked.json("stock", "list", "--series", "CRUZE") == []
    assert stocked.json("stock", "check") == {"ok": True, "problems": [],
                                              "full_verification": "partsdesk stock verify"}
    assert stocked.run("stock", "list").exit_code == 0


def test_ledger_json(stocked):
    moves = stocked.json("ledger", "96536697")
    numbers_are_strings(moves)
    assert [(m["kind"], m["qty"], m["document"], m["operator"]) for m in moves] == [
        ("adjust", "10", "ADJ-2026-000001", "PM1"), ("adjust", "5", "ADJ-2026-000002", "PM1")
    ]
    assert set(moves[0]) >= {"kind", "qty", "lot", "location", "document", "operator", "at"}
    assert moves[0]["at"].startswith("2026-11-20T08:30:00")
    refused(stocked.run("ledger", "NOPE"), 2, "unknown part number")
    assert stocked.run("ledger", "96536697").exit_code == 0


# -- the front door ----------------------------------------------------------------------------


def test_usage_errors_exit_2_in_one_line(station):
    refused(station.run("part", "frobnicate"), 2, "No such command")
    refused(station.run("stock", "list", "--bogus"), 2, "No such option")


def test_no_subcommand_opens_the_tui_on_the_resolved_database(station, monkeypatch):
    opened = []
    fake = types.ModuleType("tui.app")
    fake.run = opened.append
    monkeypatch.setitem(sys.modules, "tui.app", fake)
    result = station.run()
    assert result.exit_code == 0, result.stderr
    assert opened == [f"sqlite:///{station.path}"]


def test_postgresql_url_through_the_cli(pg_db):
    result = invoke(["--db", pg_db.url, "init", "--admin", "ADMIN", "--pin", "1234"])
    assert result.exit_code == 0, result.stderr
    result = invoke(["--db", pg_db.url, "--as", "ADMIN", "location", "add", "EXC-01-01-01"],
               env={"PARTSDESK_PIN": "1234"})
    assert result.exit_code == 1 and "may not edit locations" in result.stderr
    listed = invoke(["--db", pg_db.url, "location", "list", "--json"])
    assert json.loads(listed.stdout) == []


def test_a_command_closes_its_connections_when_it_ends(station):
    # The last connection to leave a WAL database checkpoints it and removes its -wal. A connection left to the
    # garbage collector would do that at some later moment, after a restore even, writing old pages over it.
    wal = station.path.with_name(station.path.name + "-wal")
    for args in (("stock", "check"), ("location", "add", "EXC-09-09-09")):
        result = station.run(*args, as_="STORE1")
        assert result.exit_code == 0, result.stderr
        assert not wal.exists(), args
