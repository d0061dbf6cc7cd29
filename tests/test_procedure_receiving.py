"""The station's receiving procedure (备件工作流程及制度, items 3–5), one test per rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core import labels, ledger
from core.documents import RECEIPT, DocumentRef
from core.errors import PermissionDenied, RuleViolation
from core.i18n import language, use_language
from core.models import ClaimState
from core.printing.documents import document_text
from core.roles import Role
from core.services import claims, part_import, receiving, stock
from core.services.receiving import CountEntry
from tests.helpers import SAMPLES, assert_books_agree, make_staff

PACKING_LIST = SAMPLES / "packing_list.csv"
EXPECTED = {"96536697": 10, "96800106": 60, "13301204": 2, "19300011": 48, "13227301": 6}
LAMP = "13301204"  # 2 on the packing list at 1,250.00
QUARANTINE = ledger.QUARANTINE_LOCATION


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        part_import.import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
    return any_db, staff


def _counted(db, staff, counts: dict[str, int | tuple[int, int]] | None = None, **opening) -> str:
    """A receipt opened, its boxes checked by the storekeeper and the planner, and counted."""
    counts = {**EXPECTED, **(counts or {})}
    entries = [CountEntry(p, Decimal(c[0]), Decimal(c[1])) if isinstance(c, tuple) else CountEntry(p, Decimal(c))
               for p, c in counts.items()]
    with db.writing() as uow:
        number = receiving.open_receipt(PACKING_LIST, actor=staff[Role.STOREKEEPER], uow=uow, again=True,
                                        supplier="SGM", **opening)
        receiving.check_boxes(number, 3, actor=staff[Role.STOREKEEPER], second=staff[Role.PLANNER], uow=uow)
        receiving.count_receipt(number, entries, first=staff[Role.STOREKEEPER], second=staff[Role.PARTS_MANAGER],
                                uow=uow)
    return number


def _post(db, staff, number, late_reason=None):
    with db.writing() as uow:
        return receiving.post_receipt(number, actor=staff[Role.PLANNER], uow=uow, late_reason=late_reason)


def _claim(db, number):
    with db.reading() as uow:
        return claims.get_claim(number, uow=uow)


def _lots(db, part_no):
    with db.reading() as uow:
        return [(lot.location, lot.qty) for lot in stock.part_stock(part_no, uow=uow).lots]


def _settle(db, staff, number, outcome):
    with db.writing() as uow:
        claims.move_claim(number, ClaimState.SENT, actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        return claims.move_claim(number, ClaimState.SETTLED, outcome=outcome, actor=staff[Role.PLANNER], uow=uow)


# -- rule 2: damaged on arrival goes on the books -------------------------------------------------


def test_damaged_units_go_on_the_books_in_quarantine_and_on_the_claim(station):
    """损坏的…不能确定责任有可能将来索赔的，先办理入库及索赔手续，报财务挂账处理: the damaged lamp is received into
    quarantine at its cost, a lot of its own that an issue never takes, and the claim names it with the amount."""
    db, staff = station
    info = _post(db, staff, _counted(db, staff, {LAMP: (2, 1)}))
    lots = _lots(db, LAMP)
    assert (QUARANTINE, 1) in lots and len(lots) == 2
    claim = _claim(db, info.claims[0].number)
    (damaged,) = [line for line in claim.lines if line.kind == "damaged"]
    assert (damaged.part_no, damaged.qty, damaged.in_quarantine, damaged.location) == (LAMP, 1, 1, QUARANTINE)
    assert claim.receivable == damaged.amount == claim.outstanding
    with db.writing() as uow, uow.write() as conn:  # oldest first never reaches quarantine: 1 lamp to issue, not 2
        with pytest.raises(ledger.OutOfStock):
            ledger.take_oldest_first(conn, LAMP, Decimal(2), document=DocumentRef(RECEIPT.prefix, "X"),
                                     actor=staff[Role.STOREKEEPER], at=info.posted.at)
    assert_books_agree(db)


def test_a_claim_settled_by_credit_writes_the_damaged_units_off(station):
    """先办理入库及索赔手续，报财务挂账处理: credited by the party, the damaged units leave quarantine, a ledger row on
    the claim's document; settling without saying the outcome is refused and changes nothing."""
    db, staff = station
    number = _post(db, staff, _counted(db, staff, {LAMP: (2, 1)})).claims[0].number
    with db.writing() as uow:
        claims.move_claim(number, ClaimState.SENT, actor=staff[Role.PLANNER], uow=uow)
    with pytest.raises(RuleViolation, match="--outcome"), db.writing() as uow:
        claims.move_claim(number, ClaimState.SETTLED, actor=staff[Role.PLANNER], uow=uow)
    assert _claim(db, number).state == "sent"
    with db.writing() as uow:
        settled = claims.move_claim(number, ClaimState.SETTLED, outcome="credit", actor=staff[Role.PLANNER], uow=uow)
    assert settled.outcome == "credit" and settled.outstanding == 0
    assert [location for location, _qty in _lots(db, LAMP)] != [QUARANTINE] and (QUARANTINE, 1) not in _lots(db, LAMP)
    with db.reading() as uow:
        moves = stock.part_ledger(LAMP, uow=uow)
    assert [(m.qty, m.document) for m in moves][-1] == (-1, number)
    assert_books_agree(db)


def test_a_claim_settled_as_repaired_moves_the_units_to_the_bin(station):
    """损坏的…先办理入库及索赔手续: repaired (or accepted as is), the damaged units move from quarantine to the part's
    bin at their cost, where they are issued like any other."""
    db, staff = station
    number = _post(db, staff, _counted(db, staff, {LAMP: (2, 1)})).claims[0].number
    _settle(db, staff, number, "repaired")
    lots = _lots(db, LAMP)
    assert QUARANTINE not in {location for location, _qty in lots} and sum(qty for _loc, qty in lots) == 2
    assert_books_agree(db)


def test_claim_list_shows_the_receivable_outstanding_per_party(station):
    """报财务挂账处理: each open or sent claim is receivable; the list sums it per party, a settled claim no more."""
    db, staff = station
    first = _post(db, staff, _counted(db, staff, {LAMP: (2, 1)})).claims[0].number
    _post(db, staff, _counted(db, staff, {"96800106": 50}))
    with db.reading() as uow:
        listed = claims.list_claims(uow=uow)
    (row,) = claims.receivable_by_party(listed)
    assert (row.party, row.party_code, row.claims) == ("supplier", "SGM", 2)
    assert row.outstanding == sum((c.receivable for c in listed), Decimal(0))
    _settle(db, staff, first, "replacement")
    with db.reading() as uow:
        (row,) = claims.receivable_by_party(claims.list_claims(uow=uow))
    assert row.claims == 1


# -- rule 4: receipts the same day --------------------------------------------------------------


def test_a_receipt_posted_after_the_day_it_arrived_needs_the_special_reason(station, clock):
    """当日报财务。如遇特殊情况，办理入库最多不超过3天: the day after arrival posting is refused without the special
    reason, which is then stored and printed on the receipt list."""
    db, staff = station
    number = _counted(db, staff)
    clock.advance(days=1)
    with pytest.raises(RuleViolation, match="special reason"):
        _post(db, staff, number)
    with db.reading() as uow:
        assert receiving.get_receipt(number, uow=uow).state == "counted"
    info = _post(db, staff, number, late_reason="the planner was on a course")
    assert info.late_reason == "the planner was on a course"
    with db.reading() as uow:
        (listed,) = receiving.list_receipts(uow=uow)
        slip = document_text("receipt", number, uow=uow, width=100)
    assert listed.late_reason == info.late_reason and "the planner was on a course" in slip


def test_receipts_are_today_late_or_overdue(station, clock):
    """当日报财务…最多不超过3天: due the day it arrived, late after that day, overdue after 3 days."""
    db, staff = station
    number = _counted(db, staff)

    def timing():
        with db.reading() as uow:
            return receiving.get_receipt(number, uow=uow).timing

    assert timing() == "today"
    clock.advance(days=1)
    assert timing() == "late"
    clock.advance(days=2, minutes=1)
    assert timing() == "overdue"
    _post(db, staff, number, late_reason="waited for the accountant")
    assert timing() == "posted"


def test_the_accountant_checks_the_receipt_against_the_invoice(station):
    """财务要当日审核单据之间是否相符，并与发票相一致: the accountant enters the invoice's number and amount; the
    difference from the receipt's value is flagged; nobody else may."""
    db, staff = station
    number = _counted(db, staff, {LAMP: (2, 1)})
    with db.reading() as uow:
        value = receiving.get_receipt(number, uow=uow).value
    with pytest.raises(PermissionDenied), db.writing() as uow:
        receiving.record_invoice(number, "INV-1", "100", actor=staff[Role.PLANNER], uow=uow)
    with db.writing() as uow:
        info = receiving.record_invoice(number, "INV-1", str(value + 250), actor=staff[Role.ACCOUNTANT], uow=uow)
    assert (info.invoice.number, info.invoice_difference) == ("INV-1", Decimal("250.00"))
    with db.writing() as uow:
        info = receiving.record_invoice(number, "INV-1", str(value), actor=staff[Role.ACCOUNTANT], uow=uow)
    assert info.invoice_difference == 0


# -- rule 5: the box check is done together ------------------------------------------------------


def test_the_box_check_is_signed_by_a_storekeeper_and_a_planner(station):
    """库房管理员和计划员一起验收箱数: a storekeeper and a planner, two different people, in either order; the same
    person twice, or two without that pair, is refused and nothing is recorded."""
    db, staff = station
    with db.writing() as uow:
        number = receiving.open_receipt(PACKING_LIST, actor=staff[Role.STOREKEEPER], uow=uow, again=True)
    store, planner = staff[Role.STOREKEEPER], staff[Role.PLANNER]
    for first, second in ((store, store), (planner, planner), (store, staff[Role.PARTS_MANAGER])):
        with pytest.raises((RuleViolation, PermissionDenied)), db.writing() as uow:
            receiving.check_boxes(number, 3, actor=first, second=second, uow=uow)
    with db.reading() as uow:
        assert receiving.get_receipt(number, uow=uow).state == "arrived"
    with db.writing() as uow:
        info = receiving.check_boxes(number, 3, actor=planner, second=store, uow=uow)
    assert info.state == "boxes_checked"
    assert info.box_signers == (("storekeeper", store.code), ("planner", planner.code))


# -- rule 7: over, short, wrong: the words of the procedure ---------------------------------------


def test_an_over_delivery_stays_and_is_listed_on_the_suppliers_claim_as_over(station):
    """多收的办理盈利入库，误发的(包括多发、少发、错发、漏发)与厂家办理索赔业务: the surplus receipt stays, and the
    supplier's claim lists the over-delivered units as 多发 (not receivable: to invoice or take back)."""
    db, staff = station
    info = _post(db, staff, _counted(db, staff, {"96536697": 13, "96800106": 55}))
    assert info.surplus_no
    claim = _claim(db, info.claims[0].number)
    assert claim.party == "supplier"
    assert sorted((line.kind, line.part_no, line.qty) for line in claim.lines) == [
        ("over", "96536697", 3), ("short", "96800106", 5)]
    (short,) = [line for line in claim.lines if line.kind == "short"]
    assert claim.receivable == short.amount
    previous = language()
    use_language("zh_CN")
    try:
        words = [labels.label(labels.CLAIM_KIND, kind) for kind in ("over", "short", "wrong_part", "missing")]
    finally:
        use_language(previous)
    assert words == ["多发", "少发", "错发", "漏发"]
    assert labels.label(labels.CLAIM_KIND, "over") == "over shipment"
