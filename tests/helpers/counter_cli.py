"""A counter station driven through the CLI (operators of every counter role, the sample parts, brake pads in
stock), for tests of what the CLI and its papers show."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from core import clock
from tests.helpers import SAMPLES
from tests.helpers.cli import Station, runner
from tui.cli import app

PADS = "96536697"
VIN = "LSGPC52U6AF102345"
OPEN = ["ro", "open", "--customer", "张三", "--phone", "13800138000", "--vin", VIN, "--plate", "沪A12345",
        "--series", "EXCELLE", "--mileage", "45000", "--complaint", "刹车异响 brake noise"]


class CounterStation(Station):
    """A station driven through the CLI, where the mechanic's own PIN can be in the environment."""

    def run(self, *args: str, as_: str | None = None, pin: str | None = None, input: str | None = None,
            env: dict[str, str] | None = None):
        """Run one command as `as_` (PIN 1234 unless given), with nothing of the caller's environment."""
        full = {"PARTSDESK_OPERATOR": "", "PARTSDESK_PIN": "", "PARTSDESK_DB": "", "PARTSDESK_PIN_MECH1": "",
                **(env or {})}
        if as_:
            full["PARTSDESK_OPERATOR"] = as_
            full["PARTSDESK_PIN"] = pin or "1234"
        return runner.invoke(app, ["--db", str(self.path), *args], env=full, input=input)


# Stations already built in this process, by (separate_issue, the clock's time): under a frozen clock the same
# station comes out every time, so it is built once (its dozen CLI commands, the migrations first, took 6-11 s a
# test on a slow machine) and copied; under the running clock the key never repeats and each is built afresh.
_BUILT: dict[tuple, Path] = {}


def counter_station(path, *, separate_issue: bool = False) -> CounterStation:
    """Operators for the counter, the sample parts and brake pads in two lots at EXC-01-02-03. The setting
    separate_issue is off unless asked (most counter tests drive the one-step `issue`)."""
    key = (separate_issue, clock.now())
    if key not in _BUILT:
        built = Path(tempfile.mkdtemp(prefix="counter-station-")) / "station.sqlite"
        _build(built, separate_issue=separate_issue)
        _BUILT[key] = built
    # SQLite's backup copies the station as one consistent whole, write-ahead log included.
    with sqlite3.connect(_BUILT[key]) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    return CounterStation(path)


def _build(path, *, separate_issue: bool) -> None:
    """Build the counter station at `path` through the CLI."""
    s = CounterStation(path)
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("CLERK1", "parts_clerk"), ("PLAN1", "planner"),
                       ("PM1", "parts_manager"), ("ADV1", "advisor"), ("ACCT1", "accountant"), ("MECH1", "mechanic")]:
        result = s.run("operator", "add", code, "--name", f"{code} 师傅", "--role", role, "--pin", "1234", as_="ADMIN")
        assert result.exit_code == 0, result.stderr
    if not separate_issue:
        assert s.run("setting", "set", "separate_issue", "off", as_="ADMIN").exit_code == 0
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    for qty, cost in [("10", "250.00"), ("5", "270.00")]:
        result = s.run("stock", "adjust", PADS, "--location", "EXC-01-02-03", "--qty", qty, "--reason", "opening",
                       "--unit-cost", cost, as_="PM1")
        assert result.exit_code == 0, result.stderr


def in_repair(station) -> str:
    """A repair order opened, assigned, diagnosed, decided and in repair; its number."""
    ro = station.json(*OPEN, as_="ADV1")["ro"]
    for args, who in [(("ro", "assign", ro, "MECH1"), "ADV1"), (("ro", "state", ro, "diagnosing"), "MECH1"),
                      (("ro", "warranty", ro, "--out", "--reason", "wear part"), "ADV1"),
                      (("ro", "state", ro, "in_repair"), "MECH1")]:
        result = station.run(*args, as_=who)
        assert result.exit_code == 0, result.stderr
    return ro
