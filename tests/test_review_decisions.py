"""The review screen's second list: transfers to check and adjustments to approve beside the drafts, each decided
from the keyboard after a question, a refusal said in the dialog with nothing changed; snapshots at 80x24 and
120x36 with the frozen clock."""

from __future__ import annotations

from core.roles import Role
from core.services import adjustments, operators, settings, stock, transfers
from screens.review import ReviewScreen
from screens.review_decisions import DecisionsTable
from screens.widgets.decision import DecisionDialog
from screens.widgets.dialogs import YesNoDialog
from tests.helpers import PIN
from tests.helpers.tui import BRAKE_PADS, make_app, screen_text, settle, sign_in, until

HOME, OTHER = "EXC-01-02-03", "EXC-01-02-04"


def waiting(db, staff, clock):
    """A transfer entered by the storekeeper and a write-off above the limit entered by a second parts manager."""
    with db.writing() as uow:
        settings.set_setting("adjust_value_limit", "500", actor=staff[Role.ADMIN], uow=uow)
        operators.add_operator("PM2", "Second manager", ["parts_manager"], PIN, actor=staff[Role.ADMIN], uow=uow)
        pm2 = operators.authenticate("PM2", PIN, uow=uow)
    clock.advance(minutes=10)
    with db.writing() as uow:
        transfer = transfers.create_transfer(BRAKE_PADS, "3", from_location=HOME, to_location=OTHER,
                                             actor=staff[Role.STOREKEEPER], uow=uow).number
    clock.advance(minutes=7)
    with db.writing() as uow:
        adjustment = adjustments.adjust(BRAKE_PADS, "-4", location=OTHER, reason="damaged", note="water in the store",
                                        actor=pm2, uow=uow).document
    clock.advance(minutes=3)
    return transfer, adjustment


def _state(db, number):
    with db.reading() as uow:
        return transfers.show_transfer(number, uow=uow).state


def _status(app) -> str:
    """The review screen's status line, as text."""
    if not isinstance(app.screen, ReviewScreen):
        return ""
    return str(app.screen.query_one("#review-status").render())


async def _open_review(pilot, role):
    await sign_in(pilot, role)
    await pilot.press("f7")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen)
                and pilot.app.screen.query_one(DecisionsTable).row_count > 0, "the decisions listed")


async def test_the_checker_checks_a_transfer_after_a_question(stocked, staff, clock):
    transfer, _adjustment = waiting(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_review(pilot, Role.CHECKER)
        table = app.screen.query_one(DecisionsTable)
        assert table.row_count == 1 and table.subject_key == transfer  # the accountant's approval is not his
        assert app.screen.focused is table
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, YesNoDialog), "the question")
        assert _state(stocked, transfer) == "entered"  # asked first: nothing moved yet
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and not app.screen.decisions, "the row gone")
        assert f"{transfer} done" in screen_text(app)
    assert _state(stocked, transfer) == "checked"
    with stocked.reading() as uow:
        assert stock.invariant_violations(uow=uow) == []


async def test_a_refusal_is_said_in_the_dialog_and_changes_nothing(stocked, staff, clock):
    transfer, _adjustment = waiting(stocked, staff, clock)
    with stocked.writing() as uow:  # the bin emptied meanwhile by another terminal (below the limit: posted at once)
        settings.set_setting("adjust_value_limit", "100000", actor=staff[Role.ADMIN], uow=uow)
        stock.adjust(BRAKE_PADS, "-12", location=HOME, reason="lost", actor=staff[Role.PARTS_MANAGER], uow=uow)
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_review(pilot, Role.CHECKER)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, YesNoDialog), "the question")
        await pilot.press("enter")
        await until(pilot, lambda: "not enough stock of 96536697" in _status(app), "the refusal")
        assert "error" in app.screen.query_one("#review-status").classes
        assert [d.number for d in app.screen.decisions] == [transfer]  # still waiting
    assert _state(stocked, transfer) == "entered"


async def test_the_parts_manager_refuses_a_transfer_and_the_accountant_approves_a_write_off(stocked, staff, clock):
    transfer, adjustment = waiting(stocked, staff, clock)
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_review(pilot, Role.PARTS_MANAGER)
        # The write-off waits for the accountant only: PM2 gave the parts manager's approval by entering it.
        assert [d.number for d in app.screen.decisions] == [transfer]
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog), "the question")
        await pilot.press(*"wrong bin", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and not app.screen.decisions,
                    "the transfer refused")
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_review(pilot, Role.ACCOUNTANT)
        table = app.screen.query_one(DecisionsTable)
        assert table.subject_key == adjustment  # the highlighted row is the one acted on
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, YesNoDialog), "the question")
        with stocked.reading() as uow:
            assert [a.number for a in adjustments.pending_adjustments(uow=uow)] == [adjustment]  # asked first
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen)
                    and adjustment not in [d.number for d in app.screen.decisions], "the write-off approved")
    with stocked.reading() as uow:
        shown = transfers.show_transfer(transfer, uow=uow)
        assert adjustments.pending_adjustments(uow=uow) == []
        moves = [m for m in stock.part_ledger(BRAKE_PADS, uow=uow) if m.document == adjustment]
        assert stock.invariant_violations(uow=uow) == []
    assert (shown.state, shown.note) == ("refused", "wrong bin")
    assert [(m.qty, m.operator) for m in moves] == [(-4, "ACCT1")]


def test_review_with_decisions(snap_compare, size, stocked, staff, clock):
    """The parts manager's review: a transfer to check, no draft (the write-off he entered waits for the accountant)."""
    waiting(stocked, staff, clock)

    async def run_before(pilot):
        await _open_review(pilot, Role.PARTS_MANAGER)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


def test_review_decision_dialog(snap_compare, size, stocked, staff, clock):
    """The question before a transfer is checked."""
    waiting(stocked, staff, clock)

    async def run_before(pilot):
        await _open_review(pilot, Role.CHECKER)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(make_app(stocked), terminal_size=size, run_before=run_before)


async def test_the_parts_manager_approves_a_stocktake_from_the_list(stocked, staff, clock):
    from core.services import stocktake as st

    with stocked.writing() as uow:
        number = st.open_stocktake("locations", f"{HOME}..{HOME}", actor=staff[Role.STOREKEEPER], uow=uow)
    with stocked.writing() as uow:
        st.count(number, [st.parse_count_line(f"{BRAKE_PADS}@{HOME}=10")], first=staff[Role.STOREKEEPER],
                 second=staff[Role.PLANNER], uow=uow)
    with stocked.writing() as uow:
        (line,) = st.close(number, actor=staff[Role.STOREKEEPER], uow=uow).lines
    with stocked.reading() as uow:
        before = stock.part_stock(BRAKE_PADS, uow=uow).on_hand
    assert line.variance != 0
    app = make_app(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_review(pilot, Role.PARTS_MANAGER)
        assert [(d.kind, d.number) for d in app.screen.decisions] == [("stocktake", number)]
        await until(pilot, lambda: number in screen_text(app) and "variances worth" in screen_text(app), "the row")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, YesNoDialog), "the question")
        with stocked.reading() as uow:
            assert st.show(number, uow=uow).state == "closed"  # asked first: nothing posted yet
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and not app.screen.decisions, "the row gone")
    with stocked.reading() as uow:
        assert st.show(number, uow=uow).state == "approved"
        assert stock.part_stock(BRAKE_PADS, uow=uow).on_hand == before + line.variance
        assert stock.invariant_violations(uow=uow) == []
