"""The station's procedure, item 6: only intact parts come back (维修工退料，库房管理员要先确认备件完好无损…
方可电脑退料); a damaged one is refused as a return, stays consumed on the repair order, and may be reported on
the order. And the small ones of issue 13: `partsdesk return --help` shows the return's own options; the repair
order prints its checklist in words. In core on SQLite and PostgreSQL, then through the CLI."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import PermissionDenied, RuleViolation
from core.roles import Role
from core.services import repair_orders, requisitions, stock
from core.services.returns import ReturnRequest
from tests.helpers import add_parts, make_staff, receive
from tests.helpers.cli import refused
from tests.helpers.counter import issue, order_in, tables_now, take_back
from tests.helpers.counter_cli import OPEN, PADS, counter_station, in_repair

FILTER = "96800106"


@pytest.fixture
def counter(any_db, clock):
    """Staff, the three parts, 5 brake pad sets on the shelf and 2 of them issued on a repair order in repair."""
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    receive(any_db, staff, PADS, 5, cost="250.00")
    ro = order_in(any_db, staff, "in_repair")
    req = issue(any_db, staff, ro, (PADS, "2"))
    return any_db, staff, ro, req.number


def on_hand(database, part_no=PADS) -> Decimal:
    with database.reading() as uow:
        return stock.part_stock(part_no, uow=uow).on_hand


def test_a_damaged_part_is_refused_as_a_return_and_nothing_changes(counter):
    """维修工退料，库房管理员要先确认备件完好无损…方可电脑退料: a part the storekeeper finds damaged does not come
    back; the whole return is refused with one line, and it stays consumed on the repair order."""
    database, staff, ro, req = counter
    before = tables_now(database)
    with pytest.raises(RuleViolation, match=f"{PADS} is damaged: only a part confirmed intact comes back; it stays "
                                            "consumed on the repair order"):
        take_back(database, staff, req, (PADS, "1"), ReturnRequest(PADS, "1", damaged=True))
    assert tables_now(database) == before
    with database.reading() as uow:
        assert requisitions.outstanding(req, uow=uow)[0].outstanding == 2
        assert repair_orders.get_repair_order(ro, uow=uow).parts_cost == Decimal("500.00")
    # Confirmed intact, the same part comes back into its lot.
    back = take_back(database, staff, req, ReturnRequest(PADS, "1"))
    assert [(line.qty, line.damaged, line.location) for line in back.lines] == [(1, False, "EXC-01-02-03")]
    assert on_hand(database) == 4


def test_a_damaged_part_is_reported_on_the_order_without_moving_stock(counter):
    """维修工退料，库房管理员要先确认备件完好无损…方可电脑退料: the damaged part refused, the storekeeper records a
    damaged-part report on the repair order (note, who, when) for the workshop's follow-up; no stock moves."""
    database, staff, ro, req = counter
    moves = tables_now(database)["stock_move"]
    with database.writing() as uow:
        view = repair_orders.report_damage(ro, " 9653 6697 ", "friction surface cracked 摩擦片裂纹",
                                           actor=staff[Role.STOREKEEPER], uow=uow)
    (report,) = view.damage_reports
    assert (report.part_no, report.note, report.by.code) == (PADS, "friction surface cracked 摩擦片裂纹", "STORE1")
    assert report.at is not None and tables_now(database)["stock_move"] == moves
    assert view.parts_cost == Decimal("500.00")  # still consumed on the order
    with database.reading() as uow:
        assert requisitions.outstanding(req, uow=uow)[0].outstanding == 2


@pytest.mark.parametrize(("part_no", "note", "actor", "error", "message"), [
    (FILTER, "cracked", Role.STOREKEEPER, RuleViolation, f"{FILTER} is not out on"),
    (PADS, "  ", Role.STOREKEEPER, Exception, "the note"),
    (PADS, "cracked", Role.ADVISOR, PermissionDenied, None),
])
def test_a_damage_report_is_for_a_part_out_on_the_order(counter, part_no, note, actor, error, message):
    """维修工退料，库房管理员要先确认备件完好无损: only the storekeeper reports, with a note, a part the order still
    holds; otherwise nothing is recorded."""
    database, staff, ro, _req = counter
    before = tables_now(database)
    with pytest.raises(error, match=message), database.writing() as uow:
        repair_orders.report_damage(ro, part_no, note, actor=staff[actor], uow=uow)
    assert tables_now(database) == before


# -- through the CLI ---------------------------------------------------------------------------------


@pytest.fixture
def station(tmp_path):
    """The counter station of the CLI tests: brake pads in two lots, 2 issued on a repair order in repair."""
    s = counter_station(tmp_path / "station.sqlite")
    ro = in_repair(s)
    done = s.run("issue", ro, "--line", f"{PADS}:2", "--to", "MECH1", as_="STORE1", env={"PARTSDESK_PIN_MECH1": "1234"})
    assert done.exit_code == 0, done.stderr
    return s, ro


def test_cli_refuses_a_damaged_return_and_records_the_damage_report(station):
    """维修工退料，库房管理员要先确认备件完好无损…方可电脑退料: `return REQ --damaged` is refused (exit 1) naming the
    damage report; `ro damage-report` records it, shown on `ro show` and its JSON."""
    s, ro = station
    moves, slips = s.count("stock_move"), s.count("return_slip")
    # Refused before the mechanic is asked for a PIN: none in the environment, none asked.
    refused(s.run("return", "REQ-2026-000001", "--damaged", f"{PADS}:1", "--note", "cracked", as_="STORE1"), 1,
            f"{PADS} is damaged: only a part confirmed intact comes back; it stays consumed on {ro} (record a damage "
            f"report on {ro} instead) (partsdesk ro damage-report {ro} {PADS} --note cracked)")
    assert (s.count("stock_move"), s.count("return_slip")) == (moves, slips)
    done = s.run("ro", "damage-report", ro, PADS, "--note", "cracked 裂纹", as_="STORE1")
    assert done.exit_code == 0 and done.stdout.strip() == f"{ro}: damaged {PADS} reported", done.stderr
    shown = s.json("ro", "show", ro)
    assert [(d["part_no"], d["note"], d["by"]) for d in shown["damage_reports"]] == [(PADS, "cracked 裂纹", "STORE1")]
    assert shown["damage_reports"][0]["at"].startswith("2026-")
    text = s.run("ro", "show", ro).stdout
    assert "damaged parts reported (not returned)" in text and "cracked 裂纹" in text
    assert s.count("stock_move") == moves
    refused(s.run("ro", "damage-report", ro, "96800106", "--note", "x", as_="STORE1"), 1, "96800106 is not out on")
    refused(s.run("ro", "damage-report", ro, PADS, "--note", "x", as_="ADV1"), 1, "")


def test_return_help_shows_the_returns_own_options(station):
    """Issue 13, the small ones: `partsdesk return --help` lists the return command's options, `show` besides."""
    s, _ro = station
    shown = s.run("return", "--help")
    assert shown.exit_code == 0
    usage = shown.stdout.splitlines()[:2]
    assert " return REQ --line PART_NO:QTY" in usage[0] and " return show RET" in usage[1]
    for option in ("--line", "--damaged", "--reason", "--note", "--from", "--confirm-pin", "--json"):
        assert option in shown.stdout, option
    assert "show" in shown.stdout.split("Commands")[1]


def test_the_repair_order_prints_its_checklist_in_words(station):
    """Issue 13, the small ones: the repair order prints its checklist items in words (备胎, 随车工具…), never
    codes."""
    s, _ro = station
    ro = s.json(*OPEN, "--present", "spare_wheel", "--absent", "tool_kit", as_="ADV1")["ro"]
    english = s.run("print", "ro", ro).stdout
    chinese = s.run("--lang", "zh_CN", "print", "ro", ro).stdout
    assert "[x] Spare wheel" in english and "[ ] Tool kit" in english
    assert "[x] 备胎" in chinese and "[ ] 随车工具" in chinese
    assert "spare_wheel" not in english + chinese and "tool_kit" not in english + chinese


def test_the_demo_shows_a_damaged_part_reported_not_returned(tmp_path):
    """维修工退料，库房管理员要先确认备件完好无损…方可电脑退料: the demo's first repair order has a part taken back
    intact and another reported damaged, still consumed on the order."""
    from data.db import Database
    from data.demo import seed_demo

    database = Database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    seed_demo(database, parts=40)
    with database.reading() as uow:
        view = repair_orders.get_repair_order("RO-2026-000001", uow=uow)
    (report,) = view.damage_reports
    assert report.by.code == "STORE1" and "damaged" in report.note
    assert [d.kind for d in view.documents] == ["requisition", "return"]
    database.dispose()
