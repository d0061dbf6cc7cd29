"""Stocktake (盘点) end to end through the services, on SQLite and PostgreSQL: the blind sheet, two counters,
variances valued at the lots' costs, recount, approval by the parts manager (and the accountant above the limit)
posting the ledger on the STK number, the books agreeing after; stock moving during the count; refusals."""

from decimal import Decimal

import pytest
from sqlalchemy import text

from core.errors import BadInput, NotFound, PermissionDenied, RuleViolation
from core.records.abc import abc_classes
from core.roles import Role
from core.services import operators, settings, stock
from core.services import stocktake as st
from core.services.stock_check import stock_check
from tests.helpers import PIN, add_parts, assert_books_agree, issue, make_staff, open_order, receive

PADS, FILTER, LAMP = "96536697", "96800106", "13301204"


@pytest.fixture
def station(any_db, clock):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    receive(any_db, staff, PADS, 5, cost="30.00")
    clock.advance(days=1)
    receive(any_db, staff, PADS, 4, cost="32.00")
    receive(any_db, staff, FILTER, 10, cost="8.00")
    receive(any_db, staff, LAMP, 2, cost="400.00")
    clock.advance(days=1)
    with any_db.writing() as uow:  # a second storekeeper: two people count
        operators.add_operator("STORE2", "storekeeper two", ["storekeeper"], PIN, actor=staff[Role.ADMIN], uow=uow)
        staff["STORE2"] = operators.authenticate("STORE2", PIN, uow=uow)
    return any_db, staff


def _open(database, staff, kind="zone", scope="EXC", who=Role.STOREKEEPER):
    with database.writing() as uow:
        return st.open_stocktake(kind, scope, actor=staff[who], uow=uow)


def _count(database, staff, number, *lines, second="STORE2"):
    with database.writing() as uow:
        return st.count(number, [st.parse_count_line(x) for x in lines], first=staff[Role.STOREKEEPER],
                        second=staff[second] if second else None, uow=uow)


def _do(database, service, *args, **kwargs):
    with database.writing() as uow:
        return service(*args, uow=uow, **kwargs)


def _moves(database, number):
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM stock_move WHERE doc_no = :n"), {"n": number}).scalar_one()


def test_stocktake_end_to_end(station):
    database, staff = station
    number = _open(database, staff)
    assert number.startswith("STK-2026-")
    with database.reading() as uow:
        sheet = st.sheet(number, uow=uow)
    # The zone EXC: pads and the filter, never the CRUZE headlamp; blind (no book on a sheet line).
    assert [(x.part_no, x.location) for x in sheet] == [(FILTER, "EXC-01-01-01"), (PADS, "EXC-01-02-03")]
    assert not hasattr(sheet[0], "book")
    info = _count(database, staff, number, f"{PADS}@EXC-01-02-03=7", f"{FILTER}@EXC-01-01-01=11")
    assert info.blind and all(x.book is None for x in info.lines)
    info = _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    lines = {x.part_no: x for x in info.lines}
    # Two pads short, taken oldest first: both from the 30.00 lot. One filter found, at the last cost 8.00.
    assert (lines[PADS].book, lines[PADS].counted, lines[PADS].variance, lines[PADS].value) == (
        9, 7, -2, Decimal("-60.00"))
    assert (lines[FILTER].variance, lines[FILTER].value) == (1, Decimal("8.00"))
    assert info.variance_value == Decimal("-52.00") and info.variance_abs == Decimal("68.00")
    assert info.counters == ("STORE1", "STORE2")
    with database.reading() as uow:
        assert [a.number for a in st.stocktakes_awaiting(uow, staff[Role.PARTS_MANAGER])] == [number]
        assert st.stocktakes_awaiting(uow, staff[Role.ACCOUNTANT]) == []
    done = _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER])
    assert done.state == "approved" and done.moves == 2 == _moves(database, number)
    with database.reading() as uow:
        assert stock.part_stock(PADS, uow=uow).on_hand == 7
        assert [(lot.qty, lot.unit_cost) for lot in stock.part_stock(PADS, uow=uow).lots] == [
            (3, Decimal("30.00")), (4, Decimal("32.00"))]
        assert stock.part_stock(FILTER, uow=uow).on_hand == 11
        assert stock_check(uow=uow) == []
        assert st.stocktakes_awaiting(uow, staff[Role.PARTS_MANAGER]) == []
    with database.engine.connect() as conn:
        counted = dict(conn.execute(text("SELECT part_id, stocktake_no FROM part_count")).all())
    assert sorted(counted.values()) == [number, number]
    assert_books_agree(database)


def test_recount_clears_the_chosen_lines_and_reopens(station):
    database, staff = station
    number = _open(database, staff)
    _count(database, staff, number, f"{PADS}@EXC-01-02-03=3", f"{FILTER}@EXC-01-01-01=10")
    _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    info = _do(database, st.recount, number, [], over="1", actor=staff[Role.PARTS_MANAGER])
    assert info.state == "open"
    assert {x.part_no: x.counted for x in info.lines} == {PADS: None, FILTER: Decimal(10)}
    with pytest.raises(RuleViolation, match="1 line is not counted yet"):
        _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    _count(database, staff, number, f"{PADS}@EXC-01-02-03=9")
    info = _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    assert info.variance_abs == 0
    assert next(x for x in info.lines if x.part_no == PADS).recounts == 1
    assert _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER]).moves == 0
    assert_books_agree(database)


def test_the_accountant_approves_above_the_limit(station):
    database, staff = station
    _do(database, settings.set_setting, "stocktake_value_limit", "100", actor=staff[Role.ADMIN])
    number = _open(database, staff, "locations", "CRZ-*")
    _count(database, staff, number, f"{LAMP}@CRZ-03-01-01=1")
    assert _do(database, st.close, number, actor=staff[Role.STOREKEEPER]).variance_abs == Decimal("400.00")
    assert _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER]).state == "pm_approved"
    assert _moves(database, number) == 0
    with database.reading() as uow:
        assert [a.variance_value for a in st.stocktakes_awaiting(uow, staff[Role.ACCOUNTANT])] == [
            Decimal("-400.00")]
    with pytest.raises(PermissionDenied):
        _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER])
    assert _do(database, st.approve, number, actor=staff[Role.ACCOUNTANT]).state == "approved"
    with database.reading() as uow:
        assert stock.part_stock(LAMP, uow=uow).on_hand == 1
    assert_books_agree(database)


def test_a_count_while_stock_moves(station, clock):
    """An issue between open and count is on the book of the count; one between count and close is on
    neither: the variance stays what the shelf showed."""
    database, staff = station
    number = _open(database, staff)
    clock.advance(hours=1)
    issue(database, staff, open_order(database, staff), (PADS, "2"))  # before the count: 7 left
    _count(database, staff, number, f"{PADS}@EXC-01-02-03=6", f"{FILTER}@EXC-01-01-01=10")
    clock.advance(hours=1)
    issue(database, staff, open_order(database, staff), (PADS, "3"))  # after the count: 4 left, 3 on the shelf
    info = _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    pads = next(x for x in info.lines if x.part_no == PADS)
    assert (pads.book, pads.counted, pads.variance) == (7, 6, -1)
    _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER])
    with database.reading() as uow:
        assert stock.part_stock(PADS, uow=uow).on_hand == 3
    assert_books_agree(database)


def test_a_loss_larger_than_the_bin_holds_now_is_refused(station, clock):
    database, staff = station
    number = _open(database, staff)
    _count(database, staff, number, f"{PADS}@EXC-01-02-03=1", f"{FILTER}@EXC-01-01-01=10")
    _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    issue(database, staff, open_order(database, staff), (PADS, "5"))  # 4 left; the count says 8 are missing
    with pytest.raises(RuleViolation, match="not enough stock"):
        _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER])
    assert _moves(database, number) == 0
    assert_books_agree(database)


def test_refusals_change_nothing(station):
    database, staff = station
    number = _open(database, staff)
    for bad in ("96536697=3", "96536697@EXC-01-02-03", "@EXC-01-02-03=1", "96536697@nowhere=1"):
        with pytest.raises(BadInput):
            st.parse_count_line(bad)
    with pytest.raises(BadInput, match="cannot be negative"):
        st.parse_count_line(f"{PADS}@EXC-01-02-03=-1")
    with pytest.raises(BadInput, match="whole"):  # parsed, then refused as a fraction of a whole unit
        _count(database, staff, number, f"{PADS}@EXC-01-02-03=1.5")
    with pytest.raises(NotFound, match="unknown part number"):
        _count(database, staff, number, "NOPE123@EXC-01-02-03=1")
    with pytest.raises(NotFound, match="unknown location"):
        _count(database, staff, number, f"{PADS}@EXC-09-09-09=1")
    with pytest.raises(RuleViolation, match="not in the scope"):
        _count(database, staff, number, f"{LAMP}@CRZ-03-01-01=1")
    with pytest.raises(RuleViolation, match="two different people"):
        _count(database, staff, number, f"{PADS}@EXC-01-02-03=1", second=Role.STOREKEEPER)
    with pytest.raises(PermissionDenied):
        with database.writing() as uow:
            st.count(number, [st.parse_count_line(f"{PADS}@EXC-01-02-03=1")], first=staff[Role.MECHANIC],
                     second=staff["STORE2"], uow=uow)
    with pytest.raises(RuleViolation, match="is open"):
        _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER])
    with database.reading() as uow:
        assert st.show(number, uow=uow).counted == 0
    with pytest.raises(NotFound):
        _do(database, st.close, "STK-2026-999999", actor=staff[Role.STOREKEEPER])
    with pytest.raises(BadInput):
        _open(database, staff, "zone", "E1")
    with pytest.raises(NotFound, match="no bin"):
        _open(database, staff, "locations", "ZZZ-*")


def test_a_counter_does_not_approve_their_own_count(station):
    database, staff = station
    with database.writing() as uow:  # a parts manager who also keeps the store
        operators.add_operator("BOTH", "both", ["storekeeper", "parts_manager"], PIN, actor=staff[Role.ADMIN],
                               uow=uow)
        both = operators.authenticate("BOTH", PIN, uow=uow)
    number = _open(database, staff)
    with database.writing() as uow:
        st.count(number, [st.parse_count_line(f"{PADS}@EXC-01-02-03=9"),
                          st.parse_count_line(f"{FILTER}@EXC-01-01-01=10")], first=both, second=staff["STORE2"],
                 uow=uow)
    _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    with pytest.raises(PermissionDenied, match="counted this stocktake"):
        _do(database, st.approve, number, actor=both)
    with database.reading() as uow:
        assert st.stocktakes_awaiting(uow, both) == []
    assert _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER]).state == "approved"


def test_the_scanner_counts_one_at_a_time_and_the_close_asks_for_a_second(station):
    database, staff = station
    number = _open(database, staff, "locations", "EXC-01-01-01..EXC-01-01-99")
    for _scan in range(3):
        _do(database, st.scan_count, number, FILTER, "EXC-01-01-01", actor=staff[Role.STOREKEEPER])
    line = _do(database, st.scan_count, number, FILTER, "EXC-01-01-01", "7", actor=staff[Role.STOREKEEPER])
    assert line.counted == 10 and line.counted_by == "STORE1" and line.counted_by_second is None
    with pytest.raises(RuleViolation, match="counted by one person"):
        _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    info = _do(database, st.close, number, actor=staff[Role.STOREKEEPER], second=staff["STORE2"])
    assert info.state == "closed" and info.variance_abs == 0


def test_cycle_count_takes_the_parts_due_by_abc_class(station, clock):
    database, staff = station
    issue(database, staff, open_order(database, staff), (LAMP, "1"))  # 400: the A part
    issue(database, staff, open_order(database, staff), (PADS, "1"))  # 30: B (80% .. 95%)
    issue(database, staff, open_order(database, staff), (FILTER, "1"))  # 8: C
    with database.reading() as uow, uow.read() as conn:
        ids = dict(conn.execute(text("SELECT part_no, id FROM part")).all())
        classes = abc_classes(conn, clock.now())
    assert (classes[ids[LAMP]], classes[ids[PADS]], classes[ids[FILTER]]) == ("A", "B", "C")
    number = _open(database, staff, "cycle", "")
    _count(database, staff, number, f"{LAMP}@CRZ-03-01-01=1", f"{PADS}@EXC-01-02-03=8",
           f"{FILTER}@EXC-01-01-01=9")
    _do(database, st.close, number, actor=staff[Role.STOREKEEPER])
    _do(database, st.approve, number, actor=staff[Role.PARTS_MANAGER])
    clock.advance(days=40)  # the A part is due again, the others not
    number = _open(database, staff, "cycle", "")
    with database.reading() as uow:
        assert [x.part_no for x in st.sheet(number, uow=uow)] == [LAMP]
    with pytest.raises(RuleViolation, match="nothing to count"):
        _open(database, staff, "days", "100")  # every part was counted 40 days ago
    with database.reading() as uow:
        assert len(st.sheet(_open(database, staff, "days", "30"), uow=uow)) == 3
