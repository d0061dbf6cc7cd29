"""Printing from the screens: the print key writes the document into the print folder, sends it through the
printer command where one is set, and says in one line what it did or why it failed; the location's label."""

from __future__ import annotations

from core.roles import Role
from core.services.settings import set_setting
from screens.location import LocationScreen
from screens.print_preview import PrintPreviewScreen
from screens.receipt import ReceiptScreen
from tests.helpers.tui import SIZE, burst, make_app, screen_text, settle, sign_in


def printer(db, staff, command: str) -> None:
    """Set the station's printer command (a short one from tests/helpers/printer.py, at any clone path)."""
    with db.writing() as uow:
        set_setting("printer_command", command, actor=staff[Role.ADMIN], uow=uow)


def status(app) -> str:
    """The preview's message line."""
    return str(app.screen.query_one("#preview-status").render())


async def test_the_print_key_writes_the_file_and_sends_it(db, staff, papers, tmp_path, short_python):
    sent = tmp_path / "sent.txt"
    printer(db, staff, short_python.catcher(sent))
    app = make_app(db)
    app.print_folder = tmp_path / "prints"
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *papers["receipt"], "enter")
        assert isinstance(app.screen, ReceiptScreen)
        await pilot.press("f10")  # the receipt's papers: list, putaway, discrepancy record, claims
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, PrintPreviewScreen)
        assert preview.documents[:4] == [("receipt", papers["receipt"]), ("putaway", papers["receipt"]),
                                     ("discrepancy", papers["discrepancy"]), ("claim", papers["claim"])]
        await pilot.press("f10")
        await settle(pilot)
        written = tmp_path / "prints" / f"{papers['receipt']}.txt"
        assert papers["receipt"] in written.read_text(encoding="utf-8")
        assert sent.read_bytes() == written.read_bytes()
        assert status(app) == f"{papers['receipt']} written to {written} and sent to the printer"
        await pilot.press("n", "n", "n")  # on to the claim, as PDF
        await settle(pilot)
        assert (preview.kind, preview.number) == ("claim", papers["claim"])
        assert "索赔单" in preview.text
        await pilot.press("p")
        await settle(pilot)
        pdf = tmp_path / "prints" / f"{papers['claim']}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF") and sent.read_bytes() == pdf.read_bytes()


async def test_a_failing_printer_says_its_line_and_keeps_the_file(db, staff, papers, tmp_path, short_python):
    printer(db, staff, short_python.command("import sys;sys.exit('paper jam in tray 2')"))
    app = make_app(db)
    app.print_folder = tmp_path / "prints"
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *papers["po"], "enter")
        assert isinstance(app.screen, PrintPreviewScreen)
        await pilot.press("f10")
        await settle(pilot)
        line = status(app)
        assert "failed (exit 1): paper jam in tray 2" in line and "is written" in line
        assert app.screen.query_one("#preview-status").has_class("error")
        assert "paper jam in tray 2" in screen_text(app)
        assert papers["po"] in (tmp_path / "prints" / f"{papers['po']}.txt").read_text(encoding="utf-8")


async def test_without_a_printer_the_file_only_and_send_says_why_not(db, staff, papers, tmp_path):
    app = make_app(db)
    app.print_folder = tmp_path / "prints"
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.ADVISOR)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("f10")  # the repair order selected on the board
        await settle(pilot)
        assert isinstance(app.screen, PrintPreviewScreen) and app.screen.number == papers["ro"]
        await pilot.press("f10")
        await settle(pilot)
        assert "(no printer command set)" in status(app)
        assert (tmp_path / "prints" / f"{papers['ro']}.txt").exists()
        await pilot.press("s")
        await settle(pilot)
        assert status(app).startswith("no printer command is set")


async def test_the_location_label_prints(db, staff, papers, tmp_path):
    app = make_app(db)
    app.print_folder = tmp_path / "prints"
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *"EXC-01-02-03", "enter")
        assert isinstance(app.screen, LocationScreen)
        await pilot.press("f10")
        await settle(pilot)
        assert (tmp_path / "prints" / "label-EXC-01-02-03.pdf").read_bytes().startswith(b"%PDF")
        assert "label of EXC-01-02-03 written to" in screen_text(app)


async def test_the_part_label_prints_and_is_sent(db, staff, papers, tmp_path, short_python):
    from screens.part import PartScreen

    sent = tmp_path / "sent.pdf"
    printer(db, staff, short_python.catcher(sent))
    app = make_app(db)
    app.print_folder = tmp_path / "prints"
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *"96536697", "enter")
        assert isinstance(app.screen, PartScreen)
        await pilot.press("f10")
        await settle(pilot)
        written = (tmp_path / "prints" / "label-96536697.pdf").read_bytes()
    assert written.startswith(b"%PDF") and sent.read_bytes() == written


async def test_printing_again_asks_before_replacing_the_file(db, staff, papers, tmp_path):
    from screens.widgets.dialogs import YesNoDialog

    prints = tmp_path / "prints"
    prints.mkdir()
    written = prints / f"{papers['po']}.txt"
    written.write_text("the slip printed yesterday", encoding="utf-8")
    app = make_app(db)
    app.print_folder = prints
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *papers["po"], "enter")
        preview = app.screen
        assert isinstance(preview, PrintPreviewScreen)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        assert app.screen.question == f"{written} exists. Replace it with this one?"
        assert "Replace the file?" in screen_text(app)
        await pilot.press("escape")  # no: the file stays as it was
        await settle(pilot)
        assert app.screen is preview and status(app) == f"{written.name} is kept as it was: nothing printed"
        assert written.read_text(encoding="utf-8") == "the slip printed yesterday"
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        await pilot.press("enter")  # yes: replaced
        await settle(pilot)
        assert app.screen is preview and status(app).startswith(f"{papers['po']} written to {written}")
        assert papers["po"] in written.read_text(encoding="utf-8")
        assert sorted(p.name for p in prints.iterdir()) == [written.name]


async def test_printing_onto_the_database_is_refused_with_a_visible_line(db, staff, papers, tmp_path):
    from data.url import sqlite_file

    prints = tmp_path / "prints"
    prints.mkdir()
    live = sqlite_file(db.url)
    (prints / f"{papers['po']}.txt").symlink_to(live)  # the slip's name leads to the station's database
    before = live.read_bytes()[:16]
    app = make_app(db)
    app.print_folder = prints
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *papers["po"], "enter")
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, PrintPreviewScreen)  # no question: never replaced, whatever the answer
        assert "is the station's database (or one of its files): it is never written over" in status(app)
        assert app.screen.query_one("#preview-status").has_class("error")
    assert live.read_bytes()[:16] == before == b"SQLite format 3\x00"


async def test_a_label_printed_again_asks_first(db, staff, papers, tmp_path):
    from screens.widgets.dialogs import YesNoDialog

    app = make_app(db)
    app.print_folder = tmp_path / "prints"
    label = tmp_path / "prints" / "label-EXC-01-02-03.pdf"
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await burst(pilot, *"EXC-01-02-03", "enter")
        assert isinstance(app.screen, LocationScreen)
        await pilot.press("f10")
        await settle(pilot)
        first = label.stat().st_mtime_ns, label.read_bytes()
        label.write_bytes(b"%PDF an older label")
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, YesNoDialog)
        await pilot.press("escape")
        await settle(pilot)
        line = str(app.screen.query_one("#location-status").render())
        assert label.read_bytes() == b"%PDF an older label"
        assert line == "label-EXC-01-02-03.pdf is kept as it was: nothing printed"
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert label.read_bytes() == first[1]
