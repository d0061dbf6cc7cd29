"""Superseded part numbers on SQLite and PostgreSQL: chains A->B->C resolve to C in a part's look-up, an issue takes
the old stock first (interchangeable links only), the newest number's forecast carries its predecessors'
consumption and a draft orders only the newest number; the maker's file imported whole or not at all; the CLI's
exit codes and JSON keys."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from core import tables as t
from core.errors import BadInput, ImportRejected, PermissionDenied
from core.records import draft_lines
from core.records.demand import demand
from core.records.supersession import IssueGroup, find_cycle, group_stock, newest_of, split_lines
from core.roles import Role
from core.services import catalog, forecasting, requests, requisitions, stock, supersession
from tests.helpers import assert_books_agree, make_staff, receive
from tests.helpers.cli import Station, numbers_are_strings, refused
from tests.helpers.counter import issue, order_in, tables_now, take_back

A, B, C = "5C6941005", "5C6941005A", "5C6941005B"
KIT1, KIT2 = "5C6941KIT1", "5C6941KIT2"
BIN = "EXC-01-02-03"


# -- rules, without a database ---------------------------------------------------------------------


def test_a_chain_that_comes_back_is_a_cycle():
    assert find_cycle({1: [(2, True)], 2: [(3, True)]}) is None
    assert find_cycle({1: [(2, True)], 2: [(1, True)]}) == [1, 2, 1]
    assert find_cycle({1: [(2, True), (3, True)], 3: [(4, True)], 4: [(1, False)]}) == [1, 3, 4, 1]


def test_a_chain_resolves_to_its_end_and_interchangeable_only_if_every_link_is():
    assert newest_of({1: [(2, True)], 2: [(3, True)]}) == {1: {3: True}, 2: {3: True}}
    assert newest_of({1: [(2, False)], 2: [(3, True)]}) == {1: {3: False}, 2: {3: True}}
    # A kit: one old number, two new ones.
    assert newest_of({1: [(2, True), (3, True)]}) == {1: {2: True, 3: True}}


def test_split_takes_the_old_stock_first_then_the_newest():
    groups = {C: IssueGroup((A, B), (C,)), A: IssueGroup((A, B), (C,))}
    available = {A: Decimal(2), B: Decimal(1), C: Decimal(9)}
    assert split_lines([(C, Decimal(6))], groups, available) == [(A, 2), (B, 1), (C, 3)]
    assert split_lines([(C, Decimal(1))], groups, available) == [(A, 1)]
    # Two lines in one chain share what the old numbers have.
    assert split_lines([(A, Decimal(2)), (C, Decimal(2))], groups, available) == [(A, 2), (B, 1), (C, 1)]
    assert split_lines([("X", Decimal(1))], groups, available) == [("X", 1)]


def test_split_gives_a_kits_old_number_its_own_stock_then_one_of_each_kit_part():
    kit = IssueGroup((A, B), (KIT1, KIT2))
    groups = {A: kit, B: kit}
    available = {A: Decimal(2), B: Decimal(1), KIT1: Decimal(9), KIT2: Decimal(9)}
    assert split_lines([(A, Decimal(5))], groups, available) == [(A, 2), (B, 1), (KIT1, 2), (KIT2, 2)]
    assert split_lines([(B, Decimal(2))], groups, available) == [(A, 2)]
    # No old stock: a line of each kit part, the whole quantity (refused later if one is short).
    assert split_lines([(A, Decimal(3))], groups, {}) == [(KIT1, 3), (KIT2, 3)]
    # A kit part asked by name besides adds to its line.
    assert split_lines([(A, Decimal(3)), (KIT1, Decimal(1))], groups, {A: Decimal(1)}) == [
        (A, 1), (KIT1, 3), (KIT2, 2)]


def test_a_kits_stock_is_its_old_stock_and_the_scarcest_kit_parts_free_units():
    kit = IssueGroup((A,), (KIT1, KIT2))
    on_hand = {A: Decimal(2), KIT1: Decimal(9), KIT2: Decimal(4)}
    assert group_stock(kit, on_hand, {}) == (6, 0)
    # What other orders hold of a kit part is off before the minimum; of the old number, reserved as usual.
    assert group_stock(kit, on_hand, {KIT2: Decimal(3), A: Decimal(1)}) == (2 + 1, 1)
    assert group_stock(kit, {A: Decimal(2)}, {}) == (2, 0)
    assert group_stock(IssueGroup((A, B), (C,)), {A: Decimal(2), C: Decimal(5)}, {C: Decimal(1)}) == (7, 1)


_NUMBERS = st.sampled_from([A, B, KIT1, KIT2, "X"])


@given(wanted=st.lists(st.tuples(_NUMBERS, st.integers(1, 9)), max_size=6),
       stock=st.dictionaries(st.sampled_from([A, B, "X"]), st.integers(0, 9)),
       kit=st.booleans())
def test_split_keeps_every_unit_asked_and_never_takes_more_old_stock_than_there_is(wanted, stock, kit):
    group = IssueGroup((A, B), (KIT1, KIT2) if kit else (KIT1,))
    groups = {A: group, B: group}
    wanted = [(part_no, Decimal(qty)) for part_no, qty in wanted]
    available = {part_no: Decimal(qty) for part_no, qty in stock.items()}
    spread = dict(split_lines(wanted, groups, available))
    asked = {part_no: sum((q for p, q in wanted if p == part_no), Decimal(0)) for part_no, _q in wanted}
    in_group = asked.get(A, 0) + asked.get(B, 0)
    # Each old number gives at most what it has, and what it gives is the first of the chain's lines.
    for old in (A, B):
        assert spread.get(old, 0) <= available.get(old, 0)
    rest = in_group - spread.get(A, 0) - spread.get(B, 0)
    assert rest >= 0 and (rest == 0 or spread.get(A, 0) == available.get(A, 0) and spread.get(B, 0) == available.get(
        B, 0))
    # Every unit not filled by old stock is one of each newest number (a kit: of each kit part).
    for end in group.newest:
        assert spread.get(end, 0) == rest + asked.get(end, 0)
    if not kit:
        assert spread.get(KIT2, 0) == asked.get(KIT2, 0)
    assert spread.get("X", 0) == asked.get("X", 0)


# -- a station with a chain --------------------------------------------------------------------------


@pytest.fixture
def chain(any_db, clock):
    """Staff, three generations of a part (A -> B -> C) in one bin, none superseded yet."""
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        for part_no in (A, B, C, KIT1, KIT2):
            catalog.add_part(part_no, f"Mirror {part_no}", model_series="EXCELLE", price="100", location=BIN,
                             actor=staff[Role.PLANNER], uow=uow)
    return any_db, staff


def _supersede(database, staff, old, *new, interchangeable=True, day="2026-06-01"):
    with database.writing() as uow:
        return supersession.supersede(old, list(new), interchangeable=interchangeable, effective_on=day,
                                      actor=staff[Role.PLANNER], uow=uow)


def _info(database, part_no):
    with database.reading() as uow:
        return supersession.supersession_of(part_no, uow=uow)


def test_a_chain_resolves_to_the_newest_number_and_shows_what_is_left(chain, clock):
    database, staff = chain
    receive(database, staff, A, 4, location=BIN)
    receive(database, staff, C, 7, location=BIN)
    _supersede(database, staff, A, B, day="2026-01-01")
    _supersede(database, staff, B, C, interchangeable=False)
    a, b, c = (_info(database, p) for p in (A, B, C))
    assert [link.part_no for link in a.superseded_by] == [B] and a.newest == (C,)
    assert a.left == 4 and a.newest_on_hand == {C: 7}
    assert b.newest == (C,) and [link.part_no for link in b.supersedes] == [A]
    assert [(link.part_no, link.interchangeable) for link in c.supersedes] == [(B, False)]
    assert not c.superseded and c.newest == ()


def test_a_cycle_is_refused_and_nothing_changes(chain):
    database, staff = chain
    _supersede(database, staff, A, B)
    _supersede(database, staff, B, C)
    with pytest.raises(BadInput, match=f"{A} -> {B} -> {C} -> {A}"):
        _supersede(database, staff, C, A)
    with pytest.raises(BadInput, match="cannot supersede itself"):
        _supersede(database, staff, A, A)
    assert _info(database, C).superseded_by == ()
    with database.reading() as uow, uow.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.part_supersession)).scalar_one() == 2


def test_only_the_planner_or_parts_manager_supersedes(chain):
    database, staff = chain
    with database.writing() as uow, pytest.raises(PermissionDenied):
        supersession.supersede(A, [B], actor=staff[Role.STOREKEEPER], uow=uow)


def test_an_issue_takes_the_old_stock_first_then_the_newest(chain, clock):
    database, staff = chain
    old_a = receive(database, staff, A, 2, cost="90", location=BIN)
    clock.advance(days=1)
    old_b = receive(database, staff, B, 1, cost="95", location=BIN)
    clock.advance(days=1)
    new_c = receive(database, staff, C, 5, cost="100", location=BIN)
    _supersede(database, staff, A, B)
    _supersede(database, staff, B, C)
    ro = order_in(database, staff, "in_repair")
    # Asked for the old number, as for the new one: old stock first, the rest from the newest.
    issued = issue(database, staff, ro, (C, "4"))
    assert [(line.part_no, line.qty, [take.lot for take in line.takes]) for line in issued.lines] == [
        (A, 2, [old_a.lot]), (B, 1, [old_b.lot]), (C, 1, [new_c.lot])]
    issued = issue(database, staff, ro, (A, "2"))
    assert [(line.part_no, line.qty) for line in issued.lines] == [(C, 2)]
    assert_books_agree(database)


def test_a_link_not_interchangeable_keeps_the_old_stock_out(chain, clock):
    database, staff = chain
    receive(database, staff, A, 2, location=BIN)
    receive(database, staff, C, 5, location=BIN)
    _supersede(database, staff, A, B, interchangeable=False)
    _supersede(database, staff, B, C)
    ro = order_in(database, staff, "in_repair")
    issued = issue(database, staff, ro, (C, "3"))
    assert [(line.part_no, line.qty) for line in issued.lines] == [(C, 3)]
    # The old number asked by name is its own stock.
    issued = issue(database, staff, ro, (A, "1"))
    assert [(line.part_no, line.qty) for line in issued.lines] == [(A, 1)]


def test_forecast_and_draft_follow_the_chain(chain, clock):
    database, staff = chain
    receive(database, staff, A, 30, location=BIN)
    receive(database, staff, B, 30, location=BIN)
    receive(database, staff, C, 1, location=BIN)
    ro = order_in(database, staff, "in_repair")
    # Three months of consumption: A in August and September, B in October; the draft is for December.
    for month, part_no, qty in ((8, A, "5"), (9, A, "6"), (10, B, "7")):
        clock.set(datetime(2026, month, 10, 9, 0, tzinfo=timezone.utc))
        issue(database, staff, ro, (part_no, qty))
    clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    _supersede(database, staff, A, B, interchangeable=False)
    _supersede(database, staff, B, C)
    with database.reading() as uow:
        newest = forecasting.part_demand(C, uow=uow)
        old = forecasting.part_demand(A, uow=uow)
    history = {start.month: qty for start, qty in newest.history if qty}
    assert history == {8: 5, 9: 6, 10: 7}
    assert newest.forecast > 0 and not any(qty for _start, qty in old.history)
    # B's stock is interchangeable with C and counts as on hand for C; A's is not.
    assert newest.on_hand == 1 + 23
    with database.reading() as uow, uow.read() as conn:
        ids = dict(conn.execute(select(t.part.c.part_no, t.part.c.id)).all())
        _cycle, _start, lines = draft_lines.iter_draft_lines(conn)
        drafted = {part: (value, suggested) for part, value, suggested, _flag in lines}
        _cycle, _current, view = demand(conn)
    assert ids[A] not in drafted and ids[B] not in drafted
    # The draft's line for C is the per-part view's.
    assert C in [row.part_no for row in view] and A not in [row.part_no for row in view]
    (c_view,) = [row for row in view if row.part_no == C]
    if ids[C] in drafted:
        assert drafted[ids[C]] == (int(c_view.forecast.scaleb(3)), int(c_view.suggested.scaleb(3)))
    else:
        assert c_view.suggested == 0
    with database.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    with database.reading() as uow, uow.read() as conn:
        drafted_parts = conn.execute(select(t.part.c.part_no).join(
            t.purchase_request_line, t.purchase_request_line.c.part_id == t.part.c.id).join(
            t.purchase_request, t.purchase_request.c.id == t.purchase_request_line.c.request_id).where(
            t.purchase_request.c.number == number)).scalars().all()
    assert A not in drafted_parts and B not in drafted_parts


def test_a_kit_supersedes_one_number_by_several(chain):
    database, staff = chain
    done = _supersede(database, staff, A, KIT1, KIT2)
    assert done.new == (KIT1, KIT2)
    assert _info(database, A).newest == (KIT1, KIT2)


def _lines(issued):
    return [(line.part_no, line.qty) for line in issued.lines]


def test_a_kits_old_number_is_issued_from_its_old_stock_then_one_of_each_kit_part(chain, clock):
    database, staff = chain
    old_a = receive(database, staff, A, 1, cost="90", location=BIN)
    old_b = receive(database, staff, B, 1, cost="95", location=BIN)
    kit1 = receive(database, staff, KIT1, 5, cost="60", location=BIN)
    kit2 = receive(database, staff, KIT2, 5, cost="50", location=BIN)
    _supersede(database, staff, A, B, day="2026-01-01")
    _supersede(database, staff, B, KIT1, KIT2)
    ro = order_in(database, staff, "in_repair")
    # A, then the intermediate B (the same kit), then the 2 still lacking as 2 of each kit part.
    issued = issue(database, staff, ro, (A, "4"))
    assert [(line.part_no, line.qty, [take.lot for take in line.takes]) for line in issued.lines] == [
        (A, 1, [old_a.lot]), (B, 1, [old_b.lot]), (KIT1, 2, [kit1.lot]), (KIT2, 2, [kit2.lot])]
    with database.reading() as uow:
        shown = requisitions.get_requisition(issued.number, uow=uow)
        ledger = {part_no: [move.qty for move in stock.part_ledger(part_no, uow=uow)] for part_no in (KIT1, KIT2)}
    # The slip and the ledger name the parts that left the shelf, at their own lots' cost.
    assert [(line.part_no, line.qty, line.cost) for line in shown.lines] == [
        (A, 1, 90), (B, 1, 95), (KIT1, 2, 120), (KIT2, 2, 100)]
    assert ledger == {KIT1: [5, -2], KIT2: [5, -2]}
    # A kit part's line comes back as any line does.
    back = take_back(database, staff, issued.number, (KIT2, "1"))
    assert [(line.part_no, line.qty) for line in back.lines] == [(KIT2, 1)]
    with database.reading() as uow:
        assert stock.part_stock(KIT2, uow=uow).on_hand == 4
    assert_books_agree(database)


def test_a_kits_old_number_with_no_stock_left_is_a_line_of_each_kit_part(chain, clock):
    database, staff = chain
    receive(database, staff, KIT1, 3, location=BIN)
    receive(database, staff, KIT2, 4, location=BIN)
    _supersede(database, staff, A, KIT1, KIT2)
    ro = order_in(database, staff, "in_repair")
    assert _lines(issue(database, staff, ro, (A, "3"))) == [(KIT1, 3), (KIT2, 3)]
    assert_books_agree(database)


def test_a_kit_part_short_refuses_the_issue_and_nothing_changes(chain, clock):
    database, staff = chain
    receive(database, staff, A, 1, location=BIN)
    receive(database, staff, KIT1, 5, location=BIN)
    receive(database, staff, KIT2, 1, location=BIN)
    _supersede(database, staff, A, KIT1, KIT2)
    ro = order_in(database, staff, "in_repair")
    before = tables_now(database)
    with pytest.raises(requisitions.ShortOfStock) as short:
        issue(database, staff, ro, (A, "3"))
    assert [(s.part_no, s.asked, s.on_hand) for s in short.value.shortages] == [(KIT2, 2, 1)]
    assert f"not enough stock of {KIT2}: asked 2, on hand 1" in str(short.value)
    assert tables_now(database) == before
    # What the kit has is issued: 1 of A, then one kit.
    assert _lines(issue(database, staff, ro, (A, "2"))) == [(A, 1), (KIT1, 1), (KIT2, 1)]


@pytest.mark.parametrize("kit_parts_interchangeable", [(False, False), (True, False)])
def test_a_kit_not_interchangeable_all_along_issues_the_old_number_only(chain, clock, kit_parts_interchangeable):
    database, staff = chain
    receive(database, staff, A, 2, location=BIN)
    receive(database, staff, KIT1, 5, location=BIN)
    receive(database, staff, KIT2, 5, location=BIN)
    for kit_part, interchangeable in zip((KIT1, KIT2), kit_parts_interchangeable, strict=True):
        _supersede(database, staff, A, kit_part, interchangeable=interchangeable)
    ro = order_in(database, staff, "in_repair")
    with pytest.raises(requisitions.ShortOfStock, match=f"not enough stock of {A}: asked 3, on hand 2"):
        issue(database, staff, ro, (A, "3"))
    assert _lines(issue(database, staff, ro, (A, "2"))) == [(A, 2)]


def test_a_kit_part_asked_by_itself_is_not_taken_from_the_kits_old_number(chain, clock):
    database, staff = chain
    receive(database, staff, A, 2, location=BIN)
    receive(database, staff, KIT1, 5, location=BIN)
    _supersede(database, staff, A, KIT1, KIT2)
    ro = order_in(database, staff, "in_repair")
    # One A is a whole kit: it does not stand in for one kit part.
    assert _lines(issue(database, staff, ro, (KIT1, "1"))) == [(KIT1, 1)]
    with database.reading() as uow:
        counted = requisitions.counter_stock([KIT1], uow=uow)[KIT1]
    assert (counted.on_hand, counted.issued_from) == (4, ())


# -- the maker's file ------------------------------------------------------------------------------


def test_import_sets_every_link_of_a_good_file(chain, tmp_path):
    database, staff = chain
    utf8 = tmp_path / "links.csv"
    utf8.write_text(f"old,new,date,interchangeable\n{A},{B},2026-01-01,yes\n{B},{C},2026-03-01,no\n",
                    encoding="utf-8")
    with database.writing() as uow:
        assert supersession.import_supersessions(utf8, actor=staff[Role.PLANNER], uow=uow) == 2
    assert _info(database, A).newest == (C,)
    assert [(link.part_no, link.interchangeable) for link in _info(database, C).supersedes] == [(B, False)]
    chinese = tmp_path / "links-gb.csv"
    chinese.write_bytes(f"旧零件号,新零件号,日期,可互换\n{C},{KIT1},2026-05-01,是\n".encode("gb18030"))
    with database.writing() as uow:
        assert supersession.import_supersessions(chinese, actor=staff[Role.PLANNER], uow=uow) == 1
    assert _info(database, A).newest == (KIT1,)


@pytest.mark.parametrize(("rows", "problem"), [
    (f"{A},{B},2026-01-01,yes\n{B},NOSUCHPART,2026-01-01,yes\n", "row 3, new: unknown part number NOSUCHPART"),
    (f"{A},{B},2026-13-01,yes\n", "row 2, date: date '2026-13-01' is not a date"),
    (f"{A},{B},,maybe\n", "row 2, interchangeable: 'maybe' is not yes or no"),
    (f"{A},{B},,\n{B},{A},,\n", f"row 3, new: the supersession {A} -> {B} -> {A} comes back"),
])
def test_a_bad_file_is_refused_whole(chain, tmp_path, rows, problem):
    database, staff = chain
    path = tmp_path / "bad.csv"
    path.write_text("old,new,date,interchangeable\n" + rows, encoding="utf-8")
    with database.writing() as uow, pytest.raises(ImportRejected) as refused_file:
        supersession.import_supersessions(path, actor=staff[Role.PLANNER], uow=uow)
    assert str(refused_file.value.problems[0]).startswith(problem)
    with database.reading() as uow, uow.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.part_supersession)).scalar_one() == 0


# -- the command line --------------------------------------------------------------------------------


@pytest.fixture
def station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("PLAN1", "planner"), ("PM1", "parts_manager")]:
        added = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert added.exit_code == 0
    for part_no in (A, B, C):
        assert s.run("part", "add", part_no, "--name", "Mirror", "--model-series", "EXCELLE", "--price", "100",
                     "--location", BIN, as_="PLAN1").exit_code == 0
    assert s.run("stock", "adjust", A, "--location", BIN, "--qty", "3", "--reason", "opening balance",
                 as_="PM1").exit_code == 0
    return s


def test_cli_supersede_and_show(station, tmp_path):
    result = station.run("part", "supersede", A, B, "--date", "2026-01-01", as_="PLAN1")
    assert result.exit_code == 0, result.stderr
    assert station.run("part", "supersede", B, C, "--not-interchangeable", as_="PLAN1").exit_code == 0
    old = station.json("part", "show", A)
    numbers_are_strings(old)
    assert {"part_no", "on_hand", "lots", "available", "superseded_by", "supersedes"} <= set(old)
    assert old["superseded_by"] == [{"part_no": B, "date": "2026-01-01", "interchangeable": True}]
    assert old["supersedes"] == [] and old["newest"] == [C]
    new = station.json("part", "show", C)
    assert new["supersedes"] == [{"part_no": B, "date": "2026-11-20", "interchangeable": False}]
    text = station.run("part", "show", A).stdout
    assert f"superseded by {B}; newest {C} (0); left of {A}: 3" in text
    refused(station.run("part", "supersede", C, A, as_="PLAN1"), 2, "comes back to where it started")
    refused(station.run("part", "supersede", A, "NOPART", as_="PLAN1"), 2, "unknown part number NOPART")
    refused(station.run("part", "supersede", A, C, "--date", "tomorrow", as_="PLAN1"), 2, "is not a date")
    refused(station.run("part", "supersede", A, C, as_="STORE1"), 1, "may not edit the parts master")


def test_cli_import_supersessions(station, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"old,new\n{A},{B}\n{B},NOPART\n", encoding="utf-8")
    result = station.run("part", "import-supersessions", str(bad), as_="PLAN1")
    refused(result, 2, "1 problem, nothing imported")
    assert "row 3, new: unknown part number NOPART" in result.stderr
    assert station.count("part_supersession") == 0
    good = tmp_path / "good.csv"
    good.write_text(f"old,new\n{A},{B}\n{B},{C}\n", encoding="utf-8")
    result = station.run("part", "import-supersessions", str(good), as_="PLAN1")
    assert result.exit_code == 0 and "2 supersessions set" in result.stdout
    assert station.json("part", "show", A)["newest"] == [C]


def test_stock_check_agrees_after_issues_across_a_chain(chain, clock):
    database, staff = chain
    receive(database, staff, A, 2, location=BIN)
    receive(database, staff, C, 2, location=BIN)
    _supersede(database, staff, A, C)
    ro = order_in(database, staff, "in_repair")
    issue(database, staff, ro, (C, "3"))
    with database.reading() as uow:
        assert stock.part_stock(A, uow=uow).on_hand == 0 and stock.part_stock(C, uow=uow).on_hand == 1
    assert_books_agree(database)
