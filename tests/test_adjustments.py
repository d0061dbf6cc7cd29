"""Adjustments and write-offs (报废) on SQLite and PostgreSQL: a reason from the list, a note beside it, and above
`adjust_value_limit` the parts manager's and the accountant's approval before anything moves."""

from decimal import Decimal

import pytest

from core.errors import BadInput, NotFound, PermissionDenied, RuleViolation
from core.ledger import OutOfStock
from core.roles import Role
from core.services import adjustments, decisions, operators, settings, stock
from tests.helpers import PIN, add_parts, assert_books_agree, make_staff, receive, tables_now

OIL = "96800106"  # EXCELLE, at EXC-01-01-01
BIN = "EXC-01-01-01"


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    with any_db.writing() as uow:
        operators.add_operator("PM2", "second parts manager", ["parts_manager"], PIN, actor=staff[Role.ADMIN],
                               uow=uow)
        staff["PM2"] = operators.authenticate("PM2", PIN, uow=uow)
    return any_db, staff


def limit(database, staff, value="100"):
    """The station's adjust_value_limit, set after the opening stock is in (an opening balance is an adjustment)."""
    with database.writing() as uow:
        settings.set_setting("adjust_value_limit", value, actor=staff[Role.ADMIN], uow=uow)


def adjust(database, staff, qty, reason="damaged", note=None, cost=None, who=Role.PARTS_MANAGER):
    with database.writing() as uow:
        return adjustments.adjust(OIL, qty, location=BIN, reason=reason, note=note, unit_cost=cost,
                                  actor=staff[who], uow=uow)


def approve(database, staff, number, who):
    with database.writing() as uow:
        return adjustments.approve_adjustment(number, actor=staff[who], uow=uow)


def on_hand(database):
    with database.reading() as uow:
        return stock.part_stock(OIL, uow=uow).on_hand


def test_the_reasons_are_the_procedures_list():
    assert adjustments.reasons() == ("damaged", "expired", "found", "lost", "claim_settled", "stocktake", "opening")


@pytest.mark.parametrize("reason", ["x", "broken on the shelf", "", "  "])
def test_a_reason_outside_the_list_is_refused_naming_the_codes(station, reason):
    database, staff = station
    receive(database, staff, OIL, 2)
    before = tables_now(database)
    with pytest.raises(BadInput, match="damaged, expired, found, lost, claim_settled, stocktake, opening"):
        adjust(database, staff, "-1", reason=reason)
    assert tables_now(database) == before


def test_the_reason_and_the_note_are_on_the_ledger_row(station):
    database, staff = station
    receive(database, staff, OIL, 2)
    done = adjust(database, staff, "-1", reason="Damaged in store", note="cracked housing")  # its label is read too
    assert done.state == "posted" and done.reason == "damaged" and done.value == Decimal("10.00")
    with database.reading() as uow:
        last = stock.part_ledger(OIL, uow=uow)[-1]
    assert (last.document, last.note, last.qty) == (done.document, "damaged: cracked housing", -1)


def test_above_the_limit_it_waits_for_both_approvals_then_posts(station):
    database, staff = station
    receive(database, staff, OIL, 20, cost="10")
    limit(database, staff)
    pending = adjust(database, staff, "-15", reason="expired", note="shelf life")
    assert (pending.state, pending.lots, pending.value) == ("pending", (), Decimal("150.00"))
    assert on_hand(database) == 20
    with database.reading() as uow:
        waiting = decisions.awaiting_decision(uow, staff[Role.ACCOUNTANT])
        # The parts manager who entered it gave his approval by entering it: no other parts manager is asked.
        assert decisions.awaiting_decision(uow, staff[Role.PARTS_MANAGER]) == []
        assert decisions.awaiting_decision(uow, staff["PM2"]) == []
        (shown,) = adjustments.pending_adjustments(uow=uow)
    assert [(d.kind, d.number, d.action) for d in waiting] == [("adjustment", pending.document, "approve")]
    assert (shown.manager, shown.accountant) == ("PM1", None)
    # Not the one who entered it; not a second parts manager's; only the accountant's is left.
    with pytest.raises(RuleViolation, match="PM1 entered this adjustment"):
        approve(database, staff, pending.document, Role.PARTS_MANAGER)
    with pytest.raises(RuleViolation, match="already has the approval PM2 would give"):
        approve(database, staff, pending.document, "PM2")
    with pytest.raises(PermissionDenied, match="may not approve stock adjustments"):
        approve(database, staff, pending.document, Role.STOREKEEPER)
    assert on_hand(database) == 20
    posted = approve(database, staff, pending.document, Role.ACCOUNTANT)
    assert posted.state == "posted" and posted.lots and on_hand(database) == 5
    with database.reading() as uow:
        moves = [m for m in stock.part_ledger(OIL, uow=uow) if m.document == pending.document]
    assert [(m.qty, m.note, m.operator) for m in moves] == [(-15, "expired: shelf life", "ACCT1")]
    with pytest.raises(RuleViolation, match="is posted: nothing waits for approval"):
        approve(database, staff, pending.document, Role.ACCOUNTANT)
    assert_books_agree(database)


def test_a_gain_above_the_limit_waits_too_and_can_be_refused(station):
    database, staff = station
    limit(database, staff)
    pending = adjust(database, staff, "30", reason="found", cost="5")
    assert pending.state == "pending" and on_hand(database) == 0
    with database.writing() as uow:
        refused = adjustments.refuse_adjustment(pending.document, actor=staff[Role.ACCOUNTANT], uow=uow)
    assert refused.state == "refused" and on_hand(database) == 0
    with pytest.raises(RuleViolation, match="is refused"):
        approve(database, staff, pending.document, "PM2")
    with pytest.raises(NotFound, match="unknown adjustment"):
        approve(database, staff, "ADJ-2026-999999", "PM2")


def test_stock_gone_by_the_last_approval_changes_nothing(station):
    database, staff = station
    receive(database, staff, OIL, 20, cost="10")
    limit(database, staff)
    pending = adjust(database, staff, "-20", reason="lost")
    adjust(database, staff, "-5", reason="damaged")  # 50.00: below the limit, posted at once
    before = tables_now(database)
    with pytest.raises(OutOfStock, match="asked 20, on hand at that location 15"):
        approve(database, staff, pending.document, Role.ACCOUNTANT)
    assert tables_now(database) == before


def test_a_loss_beyond_the_bin_is_refused_when_entered(station):
    database, staff = station
    receive(database, staff, OIL, 2)
    before = tables_now(database)
    with pytest.raises(OutOfStock):
        adjust(database, staff, "-3")
    assert tables_now(database) == before
