"""A draft's lines (core.records.draft_lines, one row per part, suggestions in whole thousandths) are the per-part
view's (core.records.demand, Decimals): the same parts, forecasts, suggestions and flags, on a station of varied
histories, returns, quarantined stock, orders and shortages, for both cycles and for settings whose safety ratio
sends the suggestion through its Decimal fallback (issue 14: the draft at 200,000 parts)."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event, insert, select, update

from core import tables as t
from core.direct import Direct
from core.forecast import suggested_qty
from core.records import demand, draft_lines, draft_write
from core.roles import Role
from core.services import requests
from data.db import sqlite_file
from tests.helpers.planning import repair_order
from tests.helpers.staff import make_staff

PARTS = 240
SEED = 20261130
NOW = datetime(2026, 11, 20, 8, 30, tzinfo=timezone.utc)  # the tests' frozen clock
# Few distinct monthly figures, so many parts share a history (the draft works each distinct one out once).
FIGURES = [0, 0, 0, 1, 2, 3, 5, 8, Decimal("2.5"), 40]
ORDER_STATES = ["draft", "approved", "sent", "partly_received", "received", "cancelled"]


def _station(database) -> dict:
    """PARTS parts with two years and more of random consumption and returns, lots in a bin and in quarantine,
    orders in every state and shortages open, answered and covered by an order; the staff."""
    rng = random.Random(SEED)
    staff = make_staff(database)
    ro_no = repair_order(database, staff)
    operator = staff[Role.PLANNER].id
    moves, lots, orders, lines, shortages = [], [], [], [], []
    with database.writing() as uow, uow.write() as conn:
        bin_id = conn.execute(insert(t.location).values(code="DL-01", zone="MAIN")).inserted_primary_key[0]
        quarantine = conn.execute(insert(t.location).values(code="DL-Q", zone="QRN")).inserted_primary_key[0]
        supplier = conn.execute(insert(t.supplier).values(code="DLS", name="Draft lines")).inserted_primary_key[0]
        ro_id = conn.execute(select(t.repair_order.c.id).where(t.repair_order.c.ro_no == ro_no)).scalar_one()
        conn.execute(insert(t.part), [
            {"part_no": f"DL{pid:05d}", "name": f"draft part {pid}", "unit": "pc", "list_price": Decimal(1),
             "fragile": False, "general": False,
             "pack_qty": rng.choice([Decimal(1), Decimal(1), Decimal(5), Decimal("0.5"), Decimal(12), Decimal("2.5")])}
            for pid in range(1, PARTS + 1)])
        part_ids = conn.execute(select(t.part.c.id).where(t.part.c.part_no.like("DL%"))
                                .order_by(t.part.c.id)).scalars().all()
        for number, pid in enumerate(part_ids, 1):
            held = rng.choice([Decimal(0), Decimal(0), Decimal(0), Decimal(1), Decimal(3), Decimal("7.5")])
            lots.append({"id": number, "part_id": pid, "location_id": bin_id, "received_at": NOW - timedelta(days=900),
                         "qty_received": Decimal(1000), "qty_remaining": held, "unit_cost": Decimal(1),
                         "doc_type": "REC", "doc_no": "DL"})
            if rng.random() < 0.2:  # quarantined stock is not counted as on hand
                lots.append({"id": PARTS + number, "part_id": pid, "location_id": quarantine,
                             "received_at": NOW - timedelta(days=900), "qty_received": Decimal(50),
                             "qty_remaining": Decimal(9), "unit_cost": Decimal(1), "doc_type": "REC",
                             "doc_no": "DL"})
            if rng.random() < 0.15:
                continue  # no consumption at all
            start = rng.randrange(0, 27)  # months back of the first consumption (past the two years too)
            for back in range(start, 0, -1):
                figure = rng.choice(FIGURES)
                day = NOW.replace(day=1, hour=10) - timedelta(days=30 * back - rng.randrange(0, 27))
                if figure:
                    moves.append((day, "issue", pid, number, -Decimal(figure)))
                if rng.random() < 0.1:
                    moves.append((day + timedelta(hours=2), "return", pid, number, Decimal(1)))
            if rng.random() < 0.3:  # this cycle's consumption: not history yet
                moves.append((NOW - timedelta(hours=5), "issue", pid, number, Decimal(-4)))
        conn.execute(insert(t.stock_lot), lots)
        conn.execute(insert(t.stock_move), [
            {"at": at, "kind": kind, "part_id": pid, "lot_id": lot, "location_id": bin_id, "qty": moved,
             "unit_cost": Decimal(1), "doc_type": "REQ", "doc_no": "DL", "operator_id": operator, "chain": "-"}
            for at, kind, pid, lot, moved in moves])
        for number in range(1, 31):
            orders.append({"id": number, "number": f"PO-DL-{number}", "supplier_id": supplier,
                           "state": rng.choice(ORDER_STATES), "created_at": NOW - timedelta(days=10),
                           "created_by": operator, "urgent": False})
            for line_no, pid in enumerate(rng.sample(part_ids, 4), 1):
                ordered = Decimal(rng.choice([2, 6, 10]))
                lines.append({"order_id": number, "line_no": line_no, "part_id": pid, "qty_ordered": ordered,
                              "qty_received": rng.choice([Decimal(0), ordered / 2, ordered, ordered + 1]),
                              "unit_cost": Decimal(1)})
        conn.execute(insert(t.purchase_order), orders)
        conn.execute(insert(t.purchase_order_line), lines)
        for number, pid in enumerate(rng.sample(part_ids, 25), 1):
            state, solution = rng.choice([("open", None), ("answered", "transfer"), ("answered", "order"),
                                          ("answered", "urgent_purchase"), ("fulfilled", None)])
            shortages.append({"number": f"SH-DL-{number}", "part_id": pid, "qty": Decimal(rng.choice([1, 3, 17])),
                              "repair_order_id": ro_id, "state": state, "solution": solution,
                              "logged_at": NOW - timedelta(hours=3), "logged_by": operator})
        conn.execute(insert(t.shortage), shortages)
    return staff


def _view_lines(conn, cycle: str) -> list[tuple[int, int, int, bool]]:
    """The lines a draft would hold according to the per-part view, in thousandths as stored."""
    _chosen, _start, rows = demand.iter_demand(conn, cycle=cycle, with_history=False)
    return sorted((pid, int(row.forecast.scaleb(3)), int(row.suggested.scaleb(3)), row.flagged)
                  for pid, row in rows if row.suggested > 0 or row.flagged)


def _draft_lines(conn, cycle: str) -> list[tuple[int, int, int, bool]]:
    _chosen, _start, rows = draft_lines.iter_draft_lines(conn, cycle=cycle)
    return sorted(rows)


@pytest.mark.parametrize("safety_ratio", ["0.5", "0.1234567890123"])
def test_the_draft_lines_are_the_views(any_db, safety_ratio):
    """Both cycles, a plain safety ratio and one with more places than the whole-number path takes."""
    _station(any_db)
    with any_db.writing() as uow, uow.write() as conn:
        conn.execute(insert(t.setting).values(key="safety_ratio", value=safety_ratio))
    with any_db.reading() as uow, uow.read() as conn:
        for cycle in ("month", "week"):
            view = _view_lines(conn, cycle)
            assert len(view) > PARTS // 6  # the station gives the comparison something to compare
            assert any(flagged for *_rest, flagged in view) and any(not flagged for *_rest, flagged in view)
            assert _draft_lines(conn, cycle) == view


def test_a_draft_writes_the_views_lines(any_db):
    """Through the service: the draft's stored lines are the view's, each line's quantity its suggestion."""
    staff = _station(any_db)
    with any_db.reading() as uow, uow.read() as conn:
        view = _view_lines(conn, "month")
    with any_db.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    line, request = t.purchase_request_line, t.purchase_request
    with any_db.reading() as uow, uow.read() as conn:
        stored = conn.execute(select(line.c.part_id, line.c.forecast, line.c.suggested, line.c.qty, line.c.flagged)
                              .join(request, request.c.id == line.c.request_id)
                              .where(request.c.number == number)).all()
    assert sorted((pid, int(forecast.scaleb(3)), int(suggested.scaleb(3)), flagged)
                  for pid, forecast, suggested, _qty, flagged in stored) == view
    assert all(qty == suggested for _pid, _forecast, suggested, qty, _flagged in stored)


@given(forecast=st.integers(0, 10**12), held=st.integers(0, 10**12), transit=st.integers(0, 10**12),
       short=st.integers(0, 10**12), pack=st.integers(0, 10**11),
       ratio=st.sampled_from(["0", "0.5", "1", "0.25", "10", "0.333", "2E+1", "0.1234567890123456789"]))
def test_the_whole_number_suggestion_is_suggested_qty(forecast, held, transit, short, pack, ratio):
    """For any quantities (thousandths) and ratio, in the exact bounds or past them: suggested_qty's answer."""
    def dec(raw: int) -> Decimal:
        return Decimal(raw).scaleb(-3)
    suggestion = draft_lines._Suggestion(Decimal(ratio))
    want = suggested_qty(dec(forecast), safety_ratio=Decimal(ratio), on_hand=dec(held), in_transit=dec(transit),
                         open_shortages=dec(short), pack_qty=dec(pack))
    got = suggestion.suggested(forecast, suggestion.gross(forecast), pack, held, transit, short)
    assert got == int(want.scaleb(3))


def test_the_draft_reads_one_row_per_part(any_db):
    """The database hands over one row per part (its history as one text), not one per part and cycle."""
    _station(any_db)
    with any_db.reading() as uow, uow.read() as conn:
        starts = demand.history_starts(NOW.date(), "month")
        rows = conn.execute(draft_lines._statement(conn, "month", starts)).all()
        parts = [row[0] for row in rows]
        assert len(parts) == len(set(parts)) > PARTS // 2
        assert any("," in (row[5] or "") for row in rows)


def test_a_part_short_without_consumption_is_drafted(any_db):
    """A shortage alone (no history) gives a line: the suggestion covers the shortage in whole packs."""
    _station(any_db)
    with any_db.writing() as uow, uow.write() as conn:
        quiet = conn.execute(select(t.part.c.id).where(
            t.part.c.id.not_in(select(t.stock_move.c.part_id)), t.part.c.part_no.like("DL%"))
            .order_by(t.part.c.id).limit(1)).scalar_one()
        first = select(t.shortage.c.id).order_by(t.shortage.c.id).limit(1).scalar_subquery()
        conn.execute(update(t.shortage).where(t.shortage.c.id == first)
                     .values(part_id=quiet, state="open", solution=None, qty=Decimal(3)))
        conn.execute(update(t.stock_lot).where(t.stock_lot.c.part_id == quiet).values(qty_remaining=Decimal(0)))
        pack = conn.execute(select(t.part.c.pack_qty).where(t.part.c.id == quiet)).scalar_one()
    with any_db.reading() as uow, uow.read() as conn:
        lines = {pid: (forecast, suggested) for pid, forecast, suggested, _flag in _draft_lines(conn, "month")}
    packs = (Decimal(3) / pack).to_integral_value(rounding=ROUND_CEILING)  # a part of a pack is a pack
    assert lines[quiet] == (0, int((packs * pack).scaleb(3)))


def _stored_lines(database, number: str) -> list[tuple[int, int, int, bool]]:
    line, request = t.purchase_request_line, t.purchase_request
    with database.reading() as uow, uow.read() as conn:
        stored = conn.execute(select(line.c.part_id, line.c.forecast, line.c.suggested, line.c.flagged)
                              .join(request, request.c.id == line.c.request_id)
                              .where(request.c.number == number)).all()
    return sorted((pid, int(forecast.scaleb(3)), int(suggested.scaleb(3)), flagged)
                  for pid, forecast, suggested, flagged in stored)


def test_the_draft_lines_go_by_copy_on_postgresql(pg_db):
    """PostgreSQL: the lines are one COPY stream (no INSERT of lines reaches the driver through SQLAlchemy), in the
    draft's own transaction: every line is there once the draft commits, as the view has them."""
    staff = _station(pg_db)
    with pg_db.reading() as uow, uow.read() as conn:
        view = _view_lines(conn, "month")
    sent: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(pg_db.engine, "before_cursor_execute", seen)
    try:
        with pg_db.writing() as uow:
            number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    finally:
        event.remove(pg_db.engine, "before_cursor_execute", seen)
    assert not [text for text in sent if "INSERT INTO purchase_request_line" in text]
    assert _stored_lines(pg_db, number) == view


def _temp_stages(driver) -> int:
    return driver.execute("SELECT count(*) FROM sqlite_temp_master WHERE name = 'draft_stage'").fetchone()[0]


def test_many_lines_are_staged_before_the_lock_and_moved_in_under_it(db, monkeypatch):
    """SQLite, past STAGE_LINES: the lines wait in the write connection's TEMP table while another terminal can
    still take the write lock at once (the counter is not held while they are staged); under the lock they are
    moved in whole, the view's lines, and the stage is dropped after."""
    staff = _station(db)
    with db.reading() as uow, uow.read() as conn:
        view = _view_lines(conn, "month")
    monkeypatch.setattr(draft_write, "STAGE_LINES", 1)
    real_prepare = draft_write.LineStage.prepare
    seen: dict = {}

    def prepare_then_look(self, driver, dialect):
        cleanup = real_prepare(self, driver, dialect)
        seen["staged"] = driver.execute("SELECT count(*) FROM temp.draft_stage").fetchone()[0]
        counter = sqlite3.connect(sqlite_file(db.url), isolation_level=None, timeout=0)
        try:
            counter.execute("BEGIN IMMEDIATE")  # raises 'database is locked' if the stage had taken the lock
            counter.execute("ROLLBACK")
        finally:
            counter.close()
        seen["driver"] = driver
        return cleanup

    monkeypatch.setattr(draft_write.LineStage, "prepare", prepare_then_look)
    with db.writing() as uow:
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    assert seen["staged"] == len(view) and _stored_lines(db, number) == view
    assert _temp_stages(seen["driver"]) == 0


def test_a_staged_draft_that_fails_under_the_lock_leaves_no_draft_and_no_stage(db, monkeypatch):
    staff = _station(db)
    monkeypatch.setattr(draft_write, "STAGE_LINES", 1)
    drivers: list = []
    real_prepare = draft_write.LineStage.prepare

    def prepare(self, driver, dialect):
        drivers.append(driver)
        return real_prepare(self, driver, dialect)

    def broken_event(*_args, **_kwargs):
        raise RuntimeError("the terminal died")

    monkeypatch.setattr(draft_write.LineStage, "prepare", prepare)
    with monkeypatch.context() as patch:
        patch.setattr(requests, "record_event", broken_event)
        with db.writing() as uow, pytest.raises(RuntimeError):
            requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    with db.reading() as uow, uow.read() as conn:
        assert conn.execute(select(t.purchase_request.c.id)).all() == []
        assert conn.execute(select(t.purchase_request_line.c.id)).all() == []
    assert _temp_stages(drivers[0]) == 0
    with db.writing() as uow:  # the next draft stages afresh
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    assert len(_stored_lines(db, number)) > PARTS // 6


def test_a_staged_draft_inside_a_callers_write_block_is_that_blocks(db, monkeypatch):
    """Inside an open write block the stage is made in its transaction: the draft commits with the block."""
    staff = _station(db)
    with db.reading() as uow, uow.read() as conn:
        view = _view_lines(conn, "month")
    monkeypatch.setattr(draft_write, "STAGE_LINES", 1)
    with db.writing() as uow, uow.write():
        number = requests.draft_request(actor=staff[Role.PLANNER], uow=uow)
    assert _stored_lines(db, number) == view


@pytest.mark.parametrize("cycle", ["month", "week"])
def test_the_cycle_sums_are_each_parts_issues_and_returns_per_cycle(any_db, cycle):
    """cycle_sums, which the draft, the forecast and the planning screen read, sums exactly the history's issues and
    returns of each part per cycle (its start as ISO text), grouped by the month as the consumption index holds
    it on SQLite: the sums worked out here from the moves themselves."""
    _station(any_db)
    starts = demand.history_starts(NOW.date(), cycle)
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=timezone.utc)
    until = datetime.combine(starts[-1], datetime.min.time(), tzinfo=timezone.utc)
    move = t.stock_move.c
    with any_db.reading() as uow, uow.read() as conn:
        summed = {(pid, started): raw for pid, started, raw in conn.execute(demand.cycle_sums(conn, cycle, starts))}
        want: dict[tuple[int, str], int] = {}
        for pid, at, kind, moved in conn.execute(select(move.part_id, move.at, move.kind, move.qty)):
            if kind in ("issue", "return") and since <= at < until:
                key = (pid, demand.cycle_start(at.date(), cycle).isoformat())
                want[key] = want.get(key, 0) + int(moved.scaleb(3))
    assert len(want) > PARTS and summed == want


@pytest.mark.parametrize("cycle", ["month", "week"])
def test_the_consumption_is_read_from_the_consumption_index(db, cycle):
    """SQLite: the draft's statement, as sent, reads the issues and returns from the consumption index alone
    (migration 0030, a partial index: it serves only a statement that names the kinds itself), and for the month,
    the cycle of most stations, in the order it groups them: no temporary tree sorts the station's issues
    (issue 14: the draft's read at 200,000 parts). Both ways a statement reaches the driver: the draft's own
    (core.direct, compiled once) and SQLAlchemy's execute."""
    sent = []
    with db.reading() as uow, uow.read() as conn:
        statement = draft_lines._statement(conn, cycle, demand.history_starts(NOW.date(), cycle))
        form = Direct(statement)._form(conn, ())
        event.listen(conn, "before_cursor_execute", lambda *args: sent.append((args[2], args[3])))
        conn.execute(statement).all()
        executed = next((sql, parameters) for sql, parameters in sent if "group_concat" in sql)
        plans = [[row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters)]
                 for sql, parameters in ((form.sql, form.parameters({})), executed)]
    for plan in plans:
        consumed = plan.index("CO-ROUTINE consumed")  # no supersession chain: the sums are the statement's own
        assert plan[consumed + 1] == "SCAN stock_move USING COVERING INDEX ix_stock_move_consumption", plan
        if cycle == "month":
            assert not plan[consumed + 2].startswith("USE TEMP B-TREE"), plan
