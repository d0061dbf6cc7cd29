"""The Reports screen (报表): opened by its key, a report chosen from the list, its dates and part set, exported;
snapshots with a plot at both terminal sizes."""

from __future__ import annotations

from textual.widgets import OptionList
from textual_plotext import PlotextPlot

from core.roles import Role
from screens.reports import ReportsScreen
from screens.widgets.dialogs import YesNoDialog
from screens.widgets.tables import SubjectTable
from tests.helpers.report_station import PADS, small_station
from tests.helpers.tui import SIZE, burst, make_app, screen_text, settle, sign_in, steady_cursors, until


def _status(app) -> str:
    return str(app.screen.query_one("#report-status").render())


def _table(app) -> SubjectTable:
    return app.screen.query_one("#report-table", SubjectTable)


async def open_reports(pilot) -> ReportsScreen:
    await sign_in(pilot, Role.PARTS_MANAGER)
    await pilot.press("f15")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReportsScreen) and pilot.app.screen.report is not None,
                "the valuation read")
    return pilot.app.screen


async def test_choose_report_dates_part_and_export(db, clock, tmp_path):
    small_station(db, clock)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reports(pilot)
        assert screen.report.name == "valuation" and _table(app).row_count == 2
        assert "3920.00" in screen_text(app)
        # Down the list: aging, its four buckets.
        await pilot.press("down")
        await until(pilot, lambda: screen.report.name == "aging", "the aging report")
        assert _table(app).row_count == 4
        # A date: the valuation before the new pads.
        await pilot.press("up")
        await until(pilot, lambda: screen.report.name == "valuation", "the valuation again")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press(*"2026-10-31", "enter")
        await until(pilot, lambda: screen.report.params == {"at": "2026-10-31"}, "the valuation at October's end")
        assert "1700.00" in screen_text(app)
        # A bad date: one line, nothing changed.
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+u", *"2026-02-30", "enter")
        await settle(pilot)
        assert "bad date" in _status(app) and screen.at == "2026-10-31"
        # The stock card's part, scanned into the dialog.
        await pilot.press("p")
        await settle(pilot)
        await burst(pilot, *PADS, "enter")
        await until(pilot, lambda: screen.report is not None and screen.report.name == "card", "the stock card")
        assert app.screen.query_one("#report-list", OptionList).highlighted == 3
        # Export asks for the name, then writes the whole report.
        out = tmp_path / "card.xlsx"
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+u", *str(out), "enter")
        await until(pilot, out.exists, "the export")
        assert "written to" in _status(app)


async def test_unsupported_export_suffix_is_said(db, clock, tmp_path):
    small_station(db, clock)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+u", *str(tmp_path / "v.csv"), "enter")
        await until(pilot, lambda: "must end in .xlsx or .pdf" in _status(app), "the refusal")
        assert not (tmp_path / "v.csv").exists()


async def test_export_over_a_file_asks_before_replacing_it(db, clock, tmp_path):
    small_station(db, clock)
    out = tmp_path / "valuation.xlsx"
    out.write_bytes(b"kept")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_reports(pilot)
        for answer in ("escape", "enter"):  # no: kept as it was; then yes: replaced
            await pilot.press("x")
            await settle(pilot)
            await pilot.press("ctrl+u", *str(out), "enter")
            await until(pilot, lambda: isinstance(app.screen, YesNoDialog), "the question")
            assert "Replace it" in screen_text(app)
            await pilot.press(answer)
            if answer == "escape":
                await until(pilot, lambda: "nothing exported" in _status(app), "the file kept")
                assert out.read_bytes() == b"kept"
        await until(pilot, lambda: "written to" in _status(app), "the file replaced")
        assert out.read_bytes()[:2] == b"PK"  # an XLSX now


async def test_not_for_the_storekeeper(db, staff, clock):
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, Role.STOREKEEPER)
        await pilot.press("f15")
        await settle(pilot)
        assert not isinstance(app.screen, ReportsScreen)


def test_reports_snapshot(snap_compare, size, db, clock):
    """The consumption report with its bar chart, over a fixed period."""
    small_station(db, clock)

    async def run_before(pilot):
        screen = await open_reports(pilot)
        await pilot.press("down", "down", "down", "down")
        await until(pilot, lambda: screen.report.name == "consumption", "consumption")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+u", *"2026-01-01 2026-11-20", "enter")
        await until(pilot, lambda: screen.report.params.get("from") == "2026-01-01", "the period")
        assert pilot.app.screen.query_one(PlotextPlot).display
        steady_cursors(pilot.app)

    assert snap_compare(make_app(db), terminal_size=size, run_before=run_before)
