"""Separation of duties and the audit trail (issue 11, item 9): one person takes one step of a draft's chain, an
admin never changes his own account, and every change to operators, roles, PINs and settings is an append-only
audit row written in the same transaction as the change."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core import approvals, i18n
from core.errors import BadInput, PermissionDenied, RuleViolation
from core.roles import Role
from core.services import audit, operators, part_import, requests, settings
from tests.helpers.cli import Station, refused
from tests.helpers.planning import draft, waiting_numbers
from tests.helpers.staff import PIN, make_staff
from tests.helpers.station import SAMPLES

CHAIN = ["parts_manager", "station_manager", "accountant", "service_director"]


@pytest.fixture
def station(any_db):
    staff = make_staff(any_db)
    with any_db.writing() as uow:
        part_import.import_parts(SAMPLES / "parts_master.csv", actor=staff[Role.PLANNER], uow=uow)
        operators.add_operator("ALL4", "Four hats", CHAIN, PIN, actor=staff[Role.ADMIN], uow=uow)
        staff["ALL4"] = operators.authenticate("ALL4", PIN, uow=uow)
    return any_db, staff


def test_one_operator_holding_every_role_of_the_chain_cannot_take_a_draft_through_alone(station):
    db, staff = station
    number = draft(db, staff)
    all4 = staff["ALL4"]
    with db.writing() as uow:
        assert requests.review_request(number, actor=all4, uow=uow).state == "pm_reviewed"
        with pytest.raises(RuleViolation, match="ALL4 already gave the parts manager's review on this request"):
            requests.review_request(number, actor=all4, uow=uow)
        # Nor may he decide the meeting's step the other way: a rejection is the step's decision too.
        with pytest.raises(RuleViolation, match="ALL4 already gave the parts manager's review"):
            requests.reject_request(number, actor=all4, uow=uow, comment="no")
        assert number not in waiting_numbers(uow, all4)
        # The review screen asks the same rules: no review, rejection or approval key for him.
        info = requests.get_request(number, uow=uow)
        assert not approvals.may_give_review(all4, info.author_id, info.state, info.steps)
        assert not approvals.may_reject(all4, info.author_id, info.state, info.approved_by, info.steps)
        assert approvals.may_give_review(staff[Role.STATION_MANAGER], info.author_id, info.state, info.steps)
        # The others carry on; at the approvals he is refused again, naming the step he took.
        requests.review_request(number, actor=staff[Role.STATION_MANAGER], uow=uow)
        requests.review_request(number, actor=staff[Role.ACCOUNTANT], uow=uow)
        with pytest.raises(RuleViolation, match="already gave the parts manager's review"):
            requests.approve_request(number, actor=all4, uow=uow)
        info = requests.get_request(number, uow=uow)
    assert info.state == "accountant_reviewed"


def test_the_two_final_approvals_come_from_two_people(station):
    db, staff = station
    number = draft(db, staff)
    all4 = staff["ALL4"]
    with db.writing() as uow:
        requests.review_request(number, actor=staff[Role.PARTS_MANAGER], uow=uow)
        requests.review_request(number, actor=staff[Role.STATION_MANAGER], uow=uow)
        requests.review_request(number, actor=staff[Role.ACCOUNTANT], uow=uow)
        # Holding both approvers' roles, he approves once: the second approval is someone else's.
        requests.approve_request(number, actor=all4, uow=uow)
        with pytest.raises(RuleViolation, match="ALL4 has already approved this request"):
            requests.approve_request(number, actor=all4, uow=uow)
        # He approved as the service director (the meeting's chair holds the station manager's position).
        info = requests.approve_request(number, actor=staff[Role.STATION_MANAGER], uow=uow)
    assert info.state == "approved" and info.approved_by == ("service_director", "station_manager")
    with db.reading() as uow:
        history = requests.get_request(number, uow=uow).history
    assert [(h.operator, h.action) for h in history][-2:] == [("ALL4", "approved"), ("SM1", "approved")]


def test_four_people_take_a_draft_through_and_the_meetings_chair_approves(station):
    db, staff = station
    number = draft(db, staff)
    with db.writing() as uow:
        for role in (Role.PARTS_MANAGER, Role.STATION_MANAGER, Role.ACCOUNTANT):
            requests.review_request(number, actor=staff[role], uow=uow)
        requests.approve_request(number, actor=staff[Role.SERVICE_DIRECTOR], uow=uow)
        info = requests.approve_request(number, actor=staff[Role.STATION_MANAGER], uow=uow)
    assert info.state == "approved"


def test_an_admin_may_not_change_his_own_roles_or_deactivate_himself(station):
    db, staff = station
    admin = staff[Role.ADMIN]
    with db.writing() as uow:
        with pytest.raises(RuleViolation, match="ADMIN may not change the roles of his own account"):
            operators.set_roles("ADMIN", ["admin", "parts_manager"], actor=admin, uow=uow)
        with pytest.raises(RuleViolation, match="his own account"):
            operators.deactivate_operator("admin", actor=admin, uow=uow)
        with pytest.raises(PermissionDenied):
            operators.set_roles("STORE1", ["parts_manager"], actor=staff[Role.STATION_MANAGER], uow=uow)
        assert operators.set_roles("STORE1", ["storekeeper", "planner"], actor=admin, uow=uow).roles == (
            "planner", "storekeeper")
        assert not operators.deactivate_operator("MECH1", actor=admin, uow=uow).active
        operators.reset_pin("ADV1", "8642", actor=admin, uow=uow)
    with db.writing() as uow:
        assert operators.authenticate("ADV1", "8642", uow=uow).code == "ADV1"


def test_every_change_to_people_and_settings_is_an_audit_row(station):
    db, staff = station
    admin = staff[Role.ADMIN]
    with db.writing() as uow:
        operators.set_roles("STORE1", ["storekeeper", "planner"], actor=admin, uow=uow)
        operators.deactivate_operator("MECH1", actor=admin, uow=uow)
        operators.reset_pin("ADV1", "8642", actor=admin, uow=uow)
        settings.set_setting("printer_command", "lp -d counter", actor=admin, uow=uow)
        settings.set_setting("printer_command", "lp -d office", actor=admin, uow=uow)
    with db.reading() as uow:
        rows = audit.audit_trail(actor=staff[Role.STATION_MANAGER], uow=uow)
        with pytest.raises(PermissionDenied, match="read the audit trail"):
            audit.audit_trail(actor=staff[Role.STOREKEEPER], uow=uow)
    seen = [(r.operator, r.action, r.subject, r.old, r.new) for r in rows]
    assert seen[0] == ("ADMIN", "first_admin", "operator ADMIN", None, "Admin 管理员; roles admin")
    assert ("ADMIN", "add_operator", "operator ALL4", None,
            "Four hats; roles accountant,parts_manager,service_director,station_manager") in seen
    assert seen[-5:] == [
        ("ADMIN", "set_roles", "operator STORE1", "storekeeper", "planner,storekeeper"),
        ("ADMIN", "deactivate", "operator MECH1", "active", "inactive"),
        ("ADMIN", "reset_pin", "operator ADV1", None, None),
        ("ADMIN", "set_setting", "setting printer_command", None, "lp -d counter"),
        ("ADMIN", "set_setting", "setting printer_command", "lp -d counter", "lp -d office"),
    ]


def test_the_trail_stores_codes_and_reads_in_the_readers_language(station):
    """An admin working in Chinese writes the same row an English one would; each reader sees it in his words."""
    db, staff = station
    i18n.use_language(i18n.CHINESE)
    with db.writing() as uow:
        operators.add_operator("PC1", "小王", ["storekeeper", "planner"], PIN, actor=staff[Role.ADMIN], uow=uow,
                               language="en")
        operators.set_language("PC1", "zh_CN", actor=staff[Role.ADMIN], uow=uow)
        operators.deactivate_operator("PC1", actor=staff[Role.ADMIN], uow=uow)
    with db.reading() as uow:
        rows = audit.audit_trail(actor=staff[Role.ADMIN], uow=uow)[-3:]
    assert [(r.subject, r.old, r.new) for r in rows] == [
        ("operator PC1", None, "小王; roles planner,storekeeper"), ("operator PC1", "en", "zh_CN"),
        ("operator PC1", "active", "inactive")]
    assert [r.shown() for r in rows] == [
        ("操作员 PC1", "", "小王；角色 备件计划员, 库房管理员"), ("操作员 PC1", "English", "中文"),
        ("操作员 PC1", "启用", "停用")]
    i18n.use_language(i18n.ENGLISH)
    assert rows[0].shown() == ("operator PC1", "", "小王; roles parts planner, storekeeper")


def test_the_audit_row_is_written_in_the_changes_transaction(station, monkeypatch):
    """A change whose audit row cannot be written does not happen."""
    db, staff = station

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(settings, "record_change", broken)
    with db.writing() as uow, pytest.raises(RuntimeError):
        settings.set_setting("printer_command", "lp -d counter", actor=staff[Role.ADMIN], uow=uow)
    with db.reading() as uow:
        assert settings.get_settings(uow=uow)["printer_command"] != "lp -d counter"


def test_the_audit_trail_is_append_only(station):
    db, staff = station
    with db.writing() as uow:
        settings.set_setting("printer_command", "lp", actor=staff[Role.ADMIN], uow=uow)
    statements = ["UPDATE audit_entry SET new = 'cat'", "DELETE FROM audit_entry"]
    if db.dialect == "postgresql":
        statements.append("TRUNCATE audit_entry")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_entry WHERE new = 'lp'")).scalar_one() == 1


def test_since_reads_a_day(station):
    with pytest.raises(BadInput, match="YYYY-MM-DD"):
        audit.parse_since("yesterday")


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def cli_station(tmp_path):
    s = Station(tmp_path / "station.sqlite")
    assert s.run("init", "--admin", "ADMIN", "--pin", "1234").exit_code == 0
    for code, role in [("STORE1", "storekeeper"), ("SM1", "station_manager")]:
        added = s.run("operator", "add", code, "--name", code, "--role", role, "--pin", "1234", as_="ADMIN")
        assert added.exit_code == 0, added.stderr
    return s


def test_cli_audit_json_oldest_first_with_its_keys(cli_station):
    s = cli_station
    assert s.run("setting", "set", "printer_command", "lp -d counter", as_="ADMIN").exit_code == 0
    refused(s.run("operator", "roles", "ADMIN", "--role", "admin", "--role", "parts_manager", as_="ADMIN"), 1,
            "ADMIN may not change the roles of his own account")
    rows = s.json("audit", "--json", as_="SM1")
    assert all(list(row) == ["at", "operator", "action", "subject", "old", "new"] for row in rows)
    assert [(r["operator"], r["action"], r["subject"]) for r in rows] == [
        ("ADMIN", "first_admin", "operator ADMIN"), ("ADMIN", "add_operator", "operator STORE1"),
        ("ADMIN", "add_operator", "operator SM1"), ("ADMIN", "set_setting", "setting printer_command")]
    assert rows[-1]["new"] == "lp -d counter" and rows[0]["at"].startswith("2026-")
    assert s.json("audit", "--json", "--since", "2099-01-01", as_="ADMIN") == []
    assert len(s.json("audit", "--json", "--since", "2000-01-01", as_="ADMIN")) == 4
    refused(s.run("audit", "--since", "29/11/2026", as_="ADMIN"), 2, "--since wants a day as YYYY-MM-DD")
    refused(s.run("audit", as_="STORE1"), 1, "STORE1 may not read the audit trail")
    table = s.run("audit", as_="ADMIN")
    # The text names the action in words (the JSON above keeps its code)
    assert table.exit_code == 0 and "setting set" in table.stdout and "printer_command" in table.stdout


def test_cli_operator_roles_deactivate_and_reset_pin(cli_station):
    s = cli_station
    done = s.run("operator", "roles", "STORE1", "--role", "storekeeper", "--role", "planner", as_="ADMIN")
    assert done.exit_code == 0 and "parts planner, storekeeper" in done.stdout  # the roles in words
    trail = s.run("audit", as_="ADMIN").stdout
    assert "roles set" in trail and "set_roles" not in trail  # the audit's actions in words; its JSON keeps codes
    refused(s.run("operator", "roles", "NOBODY", "--role", "planner", as_="ADMIN"), 2, "there is no operator NOBODY")
    refused(s.run("operator", "deactivate", "ADMIN", as_="ADMIN"), 1, "may not deactivate his own account")
    # The new PIN never falls back to PARTSDESK_PIN (the admin's own): it is asked, twice.
    reset = s.run("operator", "reset-pin", "SM1", as_="ADMIN", input="7531\n7531\n")
    assert reset.exit_code == 0, reset.stderr
    assert s.run("audit", as_="SM1").exit_code == 1  # the old PIN is gone
    assert s.run("audit", as_="SM1", pin="7531").exit_code == 0
    assert s.run("operator", "deactivate", "STORE1", as_="ADMIN").exit_code == 0
    refused(s.run("location", "add", "EXC-01-02-03", as_="STORE1"), 1, "not accepted")
    actions = [r["action"] for r in s.json("audit", "--json", as_="ADMIN")]
    assert actions[-3:] == ["set_roles", "reset_pin", "deactivate"]
