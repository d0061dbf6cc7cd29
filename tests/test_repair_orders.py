"""Repair orders: intake checks, the state machine (every pair of states), what each move needs, the history
stamped with time and operator, roles; on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import pytest

from core.errors import BadInput, NotFound, PermissionDenied, RuleViolation
from core.intake import parse_mileage, validate_phone, validate_plate, validate_vin
from core.repair_states import OPEN_STATES, TRANSITIONS, RepairState, check_transition, parse_state, state_title
from core.roles import Role
from core.services import repair_orders
from tests.helpers import add_parts, make_staff, receive
from tests.helpers.counter import VIN, drive, issue, open_order, order_in, tables_now, take_back

ALLOWED = {
    ("intake", "diagnosing"), ("intake", "cancelled"),
    ("diagnosing", "in_repair"), ("diagnosing", "cancelled"),
    ("in_repair", "sent_out"), ("in_repair", "reinspection"), ("in_repair", "cancelled"),
    ("sent_out", "in_repair"), ("sent_out", "cancelled"),
    ("reinspection", "ready"), ("reinspection", "in_repair"), ("reinspection", "cancelled"),
    ("ready", "delivered"), ("ready", "cancelled"),
    ("delivered", "settled"),
}
PAIRS = list(itertools.product([s.value for s in RepairState], repeat=2))
DISALLOWED = [pair for pair in PAIRS if pair not in ALLOWED]


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    add_parts(any_db, staff)
    return any_db, staff


@pytest.fixture
def sqlite_station(db):
    staff = make_staff(db)
    add_parts(db, staff)
    return db, staff


# -- the rules, without a database -------------------------------------------------------------


def test_the_transition_table_is_exactly_the_procedure():
    table = {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == ALLOWED
    # Cancelled from any state before delivered, never after.
    for state in RepairState:
        can_cancel = RepairState.CANCELLED in TRANSITIONS[state]
        assert can_cancel == (state in OPEN_STATES), state


@pytest.mark.parametrize(("current", "new"), PAIRS)
def test_check_transition_allows_only_the_table(current, new):
    if (current, new) in ALLOWED:
        check_transition("RO-1", current, new)
    else:
        with pytest.raises(RuleViolation, match=f"RO-1 cannot go from {state_title(current)} to {state_title(new)}:"):
            check_transition("RO-1", current, new)


@pytest.mark.parametrize(("typed", "state"), [
    ("in repair", RepairState.IN_REPAIR), ("IN-REPAIR", RepairState.IN_REPAIR), ("维修中", RepairState.IN_REPAIR),
    ("re-inspection", RepairState.REINSPECTION), ("sent out", RepairState.SENT_OUT), ("canceled", "cancelled"),
])
def test_states_are_read_as_people_type_them(typed, state):
    assert parse_state(typed) == state


def test_an_unknown_state_is_bad_input():
    with pytest.raises(BadInput, match="unknown repair-order state 'fixed'"):
        parse_state("fixed")


@pytest.mark.parametrize(("vin", "message"), [
    ("LSGPC52U6AF10234", "has 16 characters"),
    ("LSGPC52U6AF1023456", "has 18 characters"),
    ("LSGPC52U6AF10234O", "never uses I, O or Q"),
    ("ISGPC52U6AF102345", "never uses I, O or Q"),
    ("LSGPC52U6AF10234Q", "never uses I, O or Q"),
    ("LSGPC52U6AF10234-", "only letters and digits"),
    ("", "the VIN is empty"),
])
def test_bad_vins_are_refused(vin, message):
    with pytest.raises(BadInput, match=message):
        validate_vin(vin)


def test_a_vin_is_upper_cased_and_spaces_dropped():
    assert validate_vin(" lsgpc52u6a f102345 ") == VIN


def test_other_intake_fields():
    assert validate_plate("沪a 12345") == "沪A12345"
    assert validate_phone(" 138  0013 8000 ") == "138 0013 8000"
    assert parse_mileage("45,000 km") == 45000
    for bad, message in [("12", "not a phone number"), ("phone", "not a phone number")]:
        with pytest.raises(BadInput, match=message):
            validate_phone(bad)
    for bad in ("-5", "12.5", "lots"):
        with pytest.raises(BadInput, match="not a whole number"):
            parse_mileage(bad)


# -- intake ------------------------------------------------------------------------------------


def test_opening_records_customer_vehicle_inspection_and_who(station, clock):
    database, staff = station
    with database.writing() as uow:
        view = repair_orders.open_repair_order(
            customer=" 张三 ", phone="13800138000", vin="lsgpc52u6af102345", plate="沪a12345", series="excelle",
            mileage="45,000", complaint="刹车异响", address="上海市浦东新区", inspection="左前门划痕",
            checklist={"spare_wheel": True, "jack": False}, actor=staff[Role.ADVISOR], uow=uow)
    assert view.ro_no == "RO-2026-000001" and view.state == "intake"
    assert (view.customer_name, view.vin, view.plate, view.series, view.mileage) == (
        "张三", VIN, "沪A12345", "EXCELLE", 45000)
    assert view.checklist == {"spare_wheel": True, "jack": False}
    assert view.advisor.code == "ADV1" and view.opened_at == clock.now()
    assert [(e.kind, e.operator.code, e.at) for e in view.events] == [("opened", "ADV1", clock.now())]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("vin", "LSGPC52U6AF10234O", "never uses I, O or Q"),
    ("vin", "SHORT", "has 5 characters"),
    ("customer", "  ", "the customer's name is empty"),
    ("phone", "x", "not a phone number"),
    ("mileage", "-1", "not a whole number"),
    ("series", "", "model series is empty"),
    ("complaint", "", "the complaint is empty"),
    ("checklist", {"sunroof": True}, "unknown checklist item 'sunroof'"),
])
def test_bad_intake_is_refused_and_nothing_is_written(station, field, value, message):
    database, staff = station
    before = tables_now(database)
    with pytest.raises(BadInput, match=message):
        open_order(database, staff, **{field: value})
    assert tables_now(database) == before


def test_only_an_advisor_opens_an_order(station):
    database, staff = station
    for role in Role:
        if role is Role.ADVISOR:
            continue
        with pytest.raises(PermissionDenied, match="may not open or hand back repair orders"):
            with database.writing() as uow:
                repair_orders.open_repair_order(customer="A", phone="13800138000", vin=VIN, plate="沪A1",
                                                series="X", mileage="1", complaint="c", actor=staff[role],
                                                uow=uow)


# -- following the car to delivery -------------------------------------------------------------


def test_a_car_from_intake_to_settlement_with_every_step_stamped(station, clock):
    database, staff = station
    advisor, mechanic = staff[Role.ADVISOR], staff[Role.MECHANIC]
    ro = open_order(database, staff)

    def act(call, actor=advisor):
        clock.advance(minutes=10)
        with database.writing() as uow:
            return call(actor, uow)

    act(lambda a, s: repair_orders.assign_technician(ro, "mech1", actor=a, uow=s))
    act(lambda a, s: repair_orders.change_state(ro, "diagnosing", actor=a, uow=s), mechanic)
    act(lambda a, s: repair_orders.add_note(ro, "前刹车片磨损到极限 pads worn", actor=a, uow=s), mechanic)
    act(lambda a, s: repair_orders.record_warranty(ro, False, "wear part, not covered", actor=a, uow=s))
    act(lambda a, s: repair_orders.change_state(ro, "in_repair", actor=a, uow=s), mechanic)
    act(lambda a, s: repair_orders.change_state(ro, "sent_out", repairer="精修车间", actor=a, uow=s), mechanic)
    out_at = clock.now()
    act(lambda a, s: repair_orders.change_state(ro, "in_repair", actor=a, uow=s, note="back"), mechanic)
    back_at = clock.now()
    act(lambda a, s: repair_orders.change_state(ro, "reinspection", actor=a, uow=s), mechanic)
    act(lambda a, s: repair_orders.change_state(ro, "ready", note="road test ok 路试正常", actor=a, uow=s))
    act(lambda a, s: repair_orders.change_state(ro, "delivered", customer_confirmed=True, actor=a, uow=s,
                                                note="customer satisfied"))
    view = act(lambda a, s: repair_orders.settle(ro, actor=a, uow=s))
    assert view.state == "settled" and view.settled_by.code == "ADV1" and view.settled_at == clock.now()
    assert view.technician.code == "MECH1" and view.warranty == "out"
    assert (view.outside_repairer, view.sent_out_at, view.back_at) == ("精修车间", out_at, back_at)
    assert view.reinspection == "road test ok 路试正常" and view.reinspected_by.code == "ADV1"
    assert view.customer_confirmed_by.code == "ADV1"
    moves = [(e.from_state, e.to_state, e.operator.code) for e in view.events if e.kind == "state"]
    assert moves == [
        ("intake", "diagnosing", "MECH1"), ("diagnosing", "in_repair", "MECH1"), ("in_repair", "sent_out", "MECH1"),
        ("sent_out", "in_repair", "MECH1"), ("in_repair", "reinspection", "MECH1"),
        ("reinspection", "ready", "ADV1"), ("ready", "delivered", "ADV1"), ("delivered", "settled", "ADV1"),
    ]
    times = [e.at for e in view.events]
    assert times == sorted(times) and len(set(times)) == len(times)  # each its own stamp
    assert [n.text for n in view.notes] == ["前刹车片磨损到极限 pads worn"]


@pytest.mark.parametrize(("current", "new"), DISALLOWED)
def test_every_disallowed_transition_is_refused_and_changes_nothing(sqlite_station, current, new):
    database, staff = sqlite_station
    ro = order_in(database, staff, current)
    before = tables_now(database)
    refusal = f"cannot go from {state_title(current)} to {state_title(new)}:"
    with database.writing() as uow, pytest.raises(RuleViolation, match=refusal):
        # Everything any move could need is given, so only the table can refuse.
        repair_orders.change_state(ro, new, actor=staff[Role.ADVISOR], uow=uow, note="n", repairer="r",
                                   customer_confirmed=True)
    assert tables_now(database) == before


@pytest.mark.parametrize("current", [s.value for s in RepairState])
def test_disallowed_transitions_refused_on_every_database(station, current):
    database, staff = station
    ro = order_in(database, staff, current)
    before = tables_now(database)
    for new in (s.value for s in RepairState):
        if (current, new) in ALLOWED:
            continue
        with database.writing() as uow, pytest.raises(RuleViolation, match="cannot go from"):
            repair_orders.change_state(ro, new, actor=staff[Role.ADVISOR], uow=uow, note="n",
                                       repairer="r", customer_confirmed=True)
    assert tables_now(database) == before
    with database.reading() as uow:
        assert repair_orders.get_repair_order(ro, uow=uow).state == current


@pytest.mark.parametrize(("state", "new", "kwargs", "error", "message"), [
    ("intake", "diagnosing", {}, RuleViolation, "assign one before diagnosis"),
    ("diagnosing", "in_repair", {}, RuleViolation, "record the warranty decision"),
    ("in_repair", "sent_out", {}, BadInput, "name the outside repairer"),
    ("reinspection", "ready", {}, BadInput, "record the re-inspection result"),
    ("ready", "delivered", {}, RuleViolation, "needs the customer's confirmation"),
    ("intake", "cancelled", {}, BadInput, "say why it is cancelled"),
])
def test_a_move_without_what_it_needs_is_refused(station, state, new, kwargs, error, message):
    database, staff = station
    ro = open_order(database, staff)
    if state == "diagnosing":  # reached without the warranty step
        drive(database, staff, ro, "diagnosing")
    elif state != "intake":
        drive(database, staff, ro, state)
    before = tables_now(database)
    with database.writing() as uow, pytest.raises(error, match=message):
        repair_orders.change_state(ro, new, actor=staff[Role.ADVISOR], uow=uow, **kwargs)
    assert tables_now(database) == before


def test_who_may_make_which_move(station):
    database, staff = station
    ro = order_in(database, staff, "ready")
    with database.writing() as uow, pytest.raises(PermissionDenied, match="MECH1 may not open or hand back"):
        repair_orders.change_state(ro, "delivered", customer_confirmed=True, actor=staff[Role.MECHANIC],
                                   uow=uow)
    with database.writing() as uow, pytest.raises(PermissionDenied, match="STORE1 may not record repair work"):
        repair_orders.add_note(ro, "x", actor=staff[Role.STOREKEEPER], uow=uow)
    delivered = order_in(database, staff, "delivered")
    with database.writing() as uow, pytest.raises(PermissionDenied, match="MECH1 may not settle"):
        repair_orders.settle(delivered, actor=staff[Role.MECHANIC], uow=uow)
    with database.writing() as uow:  # the materials accountant settles too
        assert repair_orders.settle(delivered, actor=staff[Role.ACCOUNTANT], uow=uow).state == "settled"


def test_a_mechanic_records_only_on_his_own_orders(station):
    database, staff = station
    with database.writing() as uow:
        from core.services import operators

        operators.add_operator("MECH2", "Wu Bin", ["mechanic"], "1234", actor=staff[Role.ADMIN], uow=uow)
        other = operators.authenticate("MECH2", "1234", uow=uow)
    ro = order_in(database, staff, "diagnosing")  # assigned to MECH1
    with database.writing() as uow, pytest.raises(RuleViolation, match="not assigned to MECH2"):
        repair_orders.add_note(ro, "not mine", actor=other, uow=uow)
    with database.writing() as uow:
        assert repair_orders.add_note(ro, "mine", actor=staff[Role.MECHANIC], uow=uow).notes[-1].text == "mine"


def test_the_technician_must_be_an_active_mechanic(station):
    database, staff = station
    ro = open_order(database, staff)
    with database.writing() as uow, pytest.raises(RuleViolation, match="STORE1 is not an active mechanic"):
        repair_orders.assign_technician(ro, "STORE1", actor=staff[Role.ADVISOR], uow=uow)
    with database.writing() as uow, pytest.raises(NotFound, match="unknown operator NOBODY"):
        repair_orders.assign_technician(ro, "nobody", actor=staff[Role.ADVISOR], uow=uow)


def test_warranty_is_decided_after_diagnosis_and_needs_a_reason(station):
    database, staff = station
    ro = open_order(database, staff)
    with database.writing() as uow, pytest.raises(RuleViolation, match="warranty is decided after diagnosis"):
        repair_orders.record_warranty(ro, True, "new car", actor=staff[Role.ADVISOR], uow=uow)
    drive(database, staff, ro, "diagnosing")
    with database.writing() as uow, pytest.raises(BadInput, match="reason for the warranty decision is empty"):
        repair_orders.record_warranty(ro, True, " ", actor=staff[Role.ADVISOR], uow=uow)
    with database.writing() as uow:
        view = repair_orders.record_warranty(ro, True, "2 years old", actor=staff[Role.ADVISOR], uow=uow)
    assert (view.warranty, view.warranty_reason) == ("in", "2 years old")


def test_an_unknown_order_is_not_found(station):
    database, staff = station
    with database.reading() as uow, pytest.raises(NotFound, match="unknown repair order RO-2026-999999"):
        repair_orders.get_repair_order("ro-2026-999999", uow=uow)
    with database.writing() as uow, pytest.raises(NotFound, match="unknown repair order"):
        repair_orders.change_state("RO-2026-999999", "diagnosing", actor=staff[Role.ADVISOR], uow=uow)


def test_cancelling_with_parts_out_is_refused_until_they_come_back(station):
    database, staff = station
    receive(database, staff, "96800106", 5)
    ro = order_in(database, staff, "in_repair")
    req = issue(database, staff, ro, ("96800106", "2"))
    out = r"parts issued and not returned \(96800106 2\)"
    with database.writing() as uow, pytest.raises(RuleViolation, match=out):
        repair_orders.change_state(ro, "cancelled", note="customer withdrew", actor=staff[Role.ADVISOR],
                                   uow=uow)
    take_back(database, staff, req.number, ("96800106", "2"))
    with database.writing() as uow:
        assert repair_orders.change_state(ro, "cancelled", note="customer withdrew", actor=staff[Role.ADVISOR],
                                          uow=uow).state == "cancelled"


def test_the_list_is_by_state_and_leaves_closed_orders_out(station):
    database, staff = station
    first = order_in(database, staff, "in_repair")
    second = open_order(database, staff)
    order_in(database, staff, "cancelled")
    settled = order_in(database, staff, "settled")
    with database.reading() as uow:
        listed = repair_orders.list_repair_orders(uow=uow)
        everything = repair_orders.list_repair_orders(uow=uow, include_closed=True)
        only = repair_orders.list_repair_orders(uow=uow, state="settled")
    assert [(o.ro_no, o.state) for o in listed] == [(second, "intake"), (first, "in_repair")]
    assert len(everything) == 4
    assert [o.ro_no for o in only] == [settled]
