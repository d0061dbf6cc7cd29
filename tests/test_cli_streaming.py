"""Long CLI output streams: tables printed as their rows are read (aligned past the first window, Chinese double
width), JSON written element by element with the bytes it had when built whole, a pager only at a terminal, and
`stock check` computed in SQL naming every kind of difference the Python check named."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core import tables as t
from core.decimals import fmt_money, fmt_qty
from core.services import stock
from core.textwidth import cell_width
from data.db import Database
from tests.helpers.cli import Station
from tests.helpers.station import SAMPLES
from tui import cli_support
from tui.cli_support import emit_json, streamed, write_table

PADS = "96536697"


@pytest.fixture
def station(tmp_path):
    """A CLI station with the sample parts master, stock of several parts at several locations."""
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    assert s.run("operator", "add", "PM1", "--name", "PM1 师傅", "--role", "parts_manager", "--pin", "1234",
                 as_="ADMIN").exit_code == 0
    assert s.run("operator", "add", "PLAN1", "--name", "PLAN1", "--role", "planner", "--pin", "1234",
                 as_="ADMIN").exit_code == 0
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    for qty, cost in [("10", "250.00"), ("5", "270.00"), ("-3", None), ("7", "255.50")]:
        args = ["stock", "adjust", PADS, "--location", "EXC-01-02-03", "--qty", qty, "--reason", "opening",
                "--note", "期初"]
        if cost:
            args += ["--unit-cost", cost]
        result = s.run(*args, as_="PM1")
        assert result.exit_code == 0, result.stderr
    return s


def _columns_at(line: str, sep: str) -> list[int]:
    """The display columns where `sep` stands in a line (Chinese counted double)."""
    return [cell_width(line[:index]) for index, char in enumerate(line) if char == sep]


# -- text tables -------------------------------------------------------------------------------


def test_a_table_longer_than_its_window_stays_aligned_with_chinese_names(monkeypatch):
    monkeypatch.setattr(cli_support, "WIDTH_WINDOW", 3)
    rows = [["EXC-01-02-03", "96536697", "Front brake pad set / 前刹车片", "15", "3850.00"],
            ["EXC-01-02-04", "96800106", "Oil filter", "2", "25.00"],
            ["GEN-01-01-01", "A1", "机油滤清器", "120", "1.00"],
            # past the window: as wide as the window's widest, or narrower, Chinese too
            ["GEN-01-01-02", "B22", "刹车片", "7", "9999.99"],
            ["GEN-01-01-03", "C333", "Spark plug", "1", "3.00"]]
    lines: list[str] = []
    write_table(lines.append, None, ["location", "part no", "name", "on hand", "value"], iter(rows), right={3, 4})
    assert len(lines) == 2 + len(rows)
    header = _columns_at(lines[0], "┃")
    assert _columns_at(lines[1], "╇") == header
    for line in lines[2:]:
        assert _columns_at(line, "│") == header, line
    assert len({cell_width(line) for line in lines}) == 1  # every line as wide: right-aligned numbers line up
    assert lines[5].split("│")[2].strip() == "刹车片"
    assert lines[5].split("│")[4] == " 9999.99 "


def test_a_value_longer_than_the_window_is_printed_whole(monkeypatch):
    monkeypatch.setattr(cli_support, "WIDTH_WINDOW", 1)
    lines: list[str] = []
    write_table(lines.append, None, ["name", "qty"], iter([["pad", "1"], ["a much longer name 长名称", "2"]]),
                right={1})
    assert "a much longer name 长名称" in lines[3]
    assert lines[2] == " pad  │   1 "


def test_an_empty_table_is_its_header_and_rule():
    lines: list[str] = []
    write_table(lines.append, None, ["a", "qty"], iter([]), right={1})
    assert lines == [" a ┃ qty ", "━━━╇━━━━━"]


def test_stock_list_and_ledger_text_stream_past_the_window(station, monkeypatch):
    monkeypatch.setattr(cli_support, "WIDTH_WINDOW", 1)
    result = station.run("ledger", PADS)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + 4
    header = _columns_at(lines[0], "┃")
    assert all(_columns_at(line, "│") == header for line in lines[2:])
    assert "opening: 期初" in lines[-1]
    listing = station.run("--lang", "zh_CN", "stock", "list")
    assert listing.exit_code == 0, listing.stderr
    assert PADS in listing.stdout and "19" in listing.stdout


# -- JSON --------------------------------------------------------------------------------------


def _before(document) -> str:
    """The bytes emit_json wrote when it built the document whole."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_streamed_json_is_byte_for_byte_what_the_whole_document_was(capsys):
    documents = [[], [{"a": "配件", "b": [1, {"c": None}], "d": {}}, {"a": "x\ny", "b": []}], {"ok": True}]
    for document in documents:
        emit_json(document)
        assert capsys.readouterr().out == _before(document)
        if isinstance(document, list):
            emit_json(streamed(iter(document)))
            assert capsys.readouterr().out == _before(document)
    emit_json({"ok": False, "problems": streamed(iter(["lot 1: 问题"])), "more": {"n": [1, 2]}})
    assert capsys.readouterr().out == _before({"ok": False, "problems": ["lot 1: 问题"], "more": {"n": [1, 2]}})


def test_stock_list_and_ledger_json_are_what_they_were(station):
    database = Database(f"sqlite:///{station.path}")
    try:
        with database.reading() as uow:
            lines = stock.stock_list(uow=uow)
            moves = stock.part_ledger(PADS, uow=uow)
    finally:
        database.dispose()
    listing = station.run("stock", "list", "--json")
    assert listing.stdout == _before([{"part_no": s.part_no, "name": s.name, "location": s.location,
                                       "on_hand": fmt_qty(s.on_hand), "value": fmt_money(s.value)} for s in lines])
    ledger = station.run("ledger", PADS, "--json")
    assert ledger.stdout == _before([
        {"kind": m.kind, "qty": fmt_qty(m.qty), "lot": str(m.lot), "location": m.location, "document": m.document,
         "operator": m.operator, "at": m.at.isoformat(), "unit_cost": fmt_money(m.unit_cost), "note": m.note}
        for m in moves])
    assert len(json.loads(ledger.stdout)) == 4


def test_an_unknown_part_prints_no_json_at_all(station):
    result = station.run("ledger", "NOPE", "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown part number" in result.stderr


# -- the pager ---------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_pager_is_used_only_at_a_terminal(monkeypatch, tmp_path):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PARTSDESK_PAGER", f"cat > {paged}")
    monkeypatch.setattr(sys, "stdout", _Terminal())
    cli_support.table(None, ["a", "b"], iter([["配件", "1"]]))
    assert sys.stdout.getvalue() == ""
    assert paged.read_text(encoding="utf-8").splitlines()[2] == " 配件 │ 1 "
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # a pipe: straight to stdout, no pager
    paged.unlink()
    cli_support.table(None, ["a", "b"], iter([["配件", "1"]]))
    assert not paged.exists()
    assert sys.stdout.getvalue().splitlines()[2] == " 配件 │ 1 "


def test_which_pager(monkeypatch):
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert cli_support.pager_command({}) == "less -FRX"
    assert cli_support.pager_command({"PAGER": "more"}) == "more"
    assert cli_support.pager_command({"PAGER": "more", "PARTSDESK_PAGER": "most"}) == "most"
    for off in ("off", "0", "cat", "OFF"):
        assert cli_support.pager_command({"PARTSDESK_PAGER": off}) is None
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert cli_support.pager_command({"PAGER": "more"}) is None


def test_a_pager_quit_early_ends_the_output_quietly(monkeypatch):
    monkeypatch.setenv("PARTSDESK_PAGER", "head -n 1 > /dev/null")
    monkeypatch.setattr(sys, "stdout", _Terminal())
    cli_support.table(None, ["n"], ([str(i)] for i in range(200_000)))


# -- stock check in SQL ------------------------------------------------------------------------


def _python_check(database) -> list[str]:
    """The check as it was computed in Python before (lots and ledger loaded whole): the reference."""
    problems: list[str] = []
    with database.engine.connect() as conn:
        ledger_by_lot = dict(conn.execute(select(t.stock_move.c.lot_id, func.sum(t.stock_move.c.qty))
                                          .group_by(t.stock_move.c.lot_id)).all())
        lots = conn.execute(select(t.stock_lot.c.id, t.stock_lot.c.part_id, t.stock_lot.c.location_id,
                                   t.stock_lot.c.qty_received, t.stock_lot.c.qty_remaining)
                            .order_by(t.stock_lot.c.id)).all()
        places = conn.execute(select(t.stock_move.c.lot_id, t.stock_move.c.part_id, t.stock_move.c.location_id)
                              .distinct().order_by(t.stock_move.c.lot_id, t.stock_move.c.part_id,
                                                   t.stock_move.c.location_id)).all()
    place_of_lot = {lot.id: (lot.part_id, lot.location_id) for lot in lots}
    for lot in lots:
        booked = ledger_by_lot.get(lot.id, Decimal(0))
        if booked != lot.qty_remaining:
            problems.append(f"lot {lot.id}: ledger {fmt_qty(booked)} != remaining {fmt_qty(lot.qty_remaining)}")
        if lot.qty_remaining < 0:
            problems.append(f"lot {lot.id}: negative remaining {fmt_qty(lot.qty_remaining)}")
        if lot.qty_remaining > lot.qty_received:
            problems.append(f"lot {lot.id}: remaining above received")
    for lot_id, pid, loc_id in places:
        if place_of_lot.get(lot_id) != (pid, loc_id):
            problems.append(f"lot {lot_id}: a ledger row names another part or location")
    return problems


def _tamper(path, *statements: str) -> None:
    """Change the books behind the services' back: triggers, foreign keys and CHECKs stepped aside."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA ignore_check_constraints=ON")  # the CHECKs refuse negative and over-full lots
        conn.execute("DROP TRIGGER IF EXISTS stock_move_no_update")
        conn.execute("DROP TRIGGER IF EXISTS stock_move_no_delete")
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


@pytest.mark.parametrize(("statements", "expected"), [
    ([], []),
    (["UPDATE stock_lot SET qty_remaining = 4000 WHERE id = 1"],
     ["lot 1: ledger 7 != remaining 4"]),
    (["UPDATE stock_lot SET qty_remaining = -2000 WHERE id = 1", "UPDATE stock_move SET qty = -12000 WHERE id = 3"],
     ["lot 1: negative remaining -2"]),
    (["UPDATE stock_lot SET qty_remaining = 11000 WHERE id = 1", "UPDATE stock_move SET qty = 1000 WHERE id = 3"],
     ["lot 1: remaining above received"]),
    (["UPDATE stock_move SET location_id = (SELECT max(id) FROM location) + 0 WHERE id = 2"],
     None),
    (["UPDATE stock_move SET part_id = (SELECT id FROM part WHERE part_no = '96800106') WHERE id = 1"],
     ["lot 1: a ledger row names another part or location"]),
    (["DELETE FROM stock_lot WHERE id = 3"],
     ["lot 3: a ledger row names another part or location"]),
    (["INSERT INTO stock_move (id, at, kind, part_id, lot_id, location_id, qty, unit_cost, doc_type, doc_no, "
      "operator_id, note, chain) SELECT 99, at, kind, part_id, 77, location_id, qty, unit_cost, doc_type, doc_no, "
      "operator_id, note, chain FROM stock_move WHERE id = 1"],
     ["lot 77: a ledger row names another part or location"]),
])
def test_stock_check_names_each_difference_it_named_before(station, statements, expected):
    _tamper(station.path, *statements)
    database = Database(f"sqlite:///{station.path}")
    try:
        with database.reading() as uow:
            found = stock.invariant_violations(uow=uow, chain=False)
        assert found == _python_check(database)
        if expected is not None:
            assert found == expected
    finally:
        database.dispose()
    result = station.run("stock", "check", "--json")
    assert json.loads(result.stdout)["ok"] is (result.exit_code == 0)
    if statements:
        assert result.exit_code == 1
        assert set(found) <= set(json.loads(result.stdout)["problems"])


def test_stock_check_names_a_difference_in_the_readers_language(station):
    _tamper(station.path, "UPDATE stock_lot SET qty_remaining = 4000 WHERE id = 1")
    result = station.run("--lang", "zh_CN", "stock", "check")
    assert result.exit_code == 1
    assert "批次 1：台账 7 ≠ 结存 4" in result.stdout + result.stderr


def test_the_chain_check_encodes_sqlite_rows_as_encode_does(station):
    """The check reads SQLite's rows through the driver and encodes them by hand: the same bytes as encode()."""
    from core import ledger_chain

    _tamper(station.path, "UPDATE stock_move SET note = 'a \"quoted\" note\\\\ 期初\n' WHERE id = 2",
            "UPDATE stock_move SET note = NULL WHERE id = 3")
    database = Database(f"sqlite:///{station.path}")
    try:
        with database.reading() as uow, uow.read() as conn:
            by_hand = list(ledger_chain._stored_rows(conn))
            expected = [(row[0], ledger_chain.encode(*row[:12]), row[12]) for row in conn.execute(ledger_chain._ROWS)]
    finally:
        database.dispose()
    assert len(by_hand) == 4 and by_hand == expected
    assert b"\\u" not in by_hand[1][1] and "期初".encode() in by_hand[1][1]


class _Gone(io.StringIO):
    """A pipe whose reader has left after the first write."""

    def write(self, text: str) -> int:
        if self.getvalue():
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def test_a_reader_leaving_early_ends_the_output_quietly(monkeypatch):
    read: list[int] = []

    def rows():
        for number in range(100_000):
            read.append(number)
            yield [str(number)]

    monkeypatch.setattr(sys, "stdout", _Gone())
    cli_support.table(None, ["n"], rows())  # no BrokenPipeError out of it
    assert len(read) < 5_000  # and the rest was not read
    monkeypatch.setattr(sys, "stdout", _Gone())
    emit_json(streamed({"n": n} for n in range(100_000)))
