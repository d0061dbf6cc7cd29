"""Each operator's language: the station's setting `language` (from the system locale, zh_CN in the demo) gives
new operators theirs, an admin or the operator changes it (audited), sign-in carries it, migration 0009 fills it."""

import pytest
from alembic import command
from sqlalchemy import text

import data.migrations
from core.errors import BadInput, PermissionDenied
from core.i18n import CHINESE, ENGLISH, system_language
from core.roles import Role
from core.services import operators, settings
from core.services.audit import audit_trail
from data.db import Database
from data.migrations import upgrade
from tests.helpers.staff import PIN


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, ENGLISH),
    ({"LANG": "zh_CN.UTF-8"}, CHINESE),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.GB18030"}, CHINESE),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, ENGLISH),
    ({"LC_ALL": "zh_SG"}, CHINESE),
    ({"LANG": "fr_FR.UTF-8"}, ENGLISH),  # a language without a catalogue: English
    ({"LANG": "", "LC_ALL": "", "LC_MESSAGES": "zh"}, CHINESE),  # empty values are not set
])
def test_the_system_language_reads_lc_all_then_lc_messages_then_lang(environ, expected):
    assert system_language(environ) == expected


def test_the_setting_defaults_to_the_system_locale(db, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    with db.reading() as uow:
        assert settings.get_settings(uow=uow)["language"] == CHINESE
        assert operators.station_language(uow=uow) == CHINESE
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    with db.reading() as uow:
        assert operators.station_language(uow=uow) == ENGLISH


def test_new_operators_take_the_station_language_unless_one_is_chosen(db, staff):
    admin = staff[Role.ADMIN]
    assert {a.language for a in staff.values()} == {ENGLISH}
    with db.writing() as uow:
        assert settings.set_setting("language", "zh-CN", actor=admin, uow=uow) == CHINESE
        added = operators.add_operator("STORE2", "Wang", ["storekeeper"], PIN, actor=admin, uow=uow)
        chosen = operators.add_operator("STORE3", "Smith", ["storekeeper"], PIN, actor=admin, uow=uow,
                                        language="en")
    assert (added.language, chosen.language) == (CHINESE, ENGLISH)
    with db.writing() as uow:
        assert operators.authenticate("STORE2", PIN, uow=uow).language == CHINESE
        assert operators.language_of("store3", uow=uow) == ENGLISH
        assert {o.code: o.language for o in operators.list_operators(uow=uow)}["STORE2"] == CHINESE


def test_a_setting_or_operator_language_outside_the_list_is_refused(db, staff):
    admin = staff[Role.ADMIN]
    with db.writing() as uow:
        with pytest.raises(BadInput, match="must be one of zh_CN, en"):
            settings.set_setting("language", "fr", actor=admin, uow=uow)
        with pytest.raises(BadInput, match="unknown language 'fr'"):
            operators.add_operator("STORE2", "Wang", ["storekeeper"], PIN, actor=admin, uow=uow, language="fr")
        with pytest.raises(BadInput, match="unknown language"):
            operators.set_language("STORE1", "klingon", actor=admin, uow=uow)


def test_changing_a_language_is_audited_and_taken_at_the_next_sign_in(db, staff):
    with db.writing() as uow:
        info = operators.set_language("store1", "zh_CN", actor=staff[Role.ADMIN], uow=uow)
        operators.set_language("STORE1", "zh_CN", actor=staff[Role.ADMIN], uow=uow)  # no change: no row
        # Everyone chooses his own language; someone else's is the admin's to change.
        operators.set_language("PLAN1", "zh", actor=staff[Role.PLANNER], uow=uow)
        with pytest.raises(PermissionDenied):
            operators.set_language("STORE1", "en", actor=staff[Role.PLANNER], uow=uow)
        assert info.language == CHINESE
        assert operators.authenticate("STORE1", PIN, uow=uow).language == CHINESE
        rows = [r for r in audit_trail(actor=staff[Role.ADMIN], uow=uow) if r.action == "set_language"]
    assert [(r.operator, r.subject, r.old, r.new) for r in rows] == [
        ("ADMIN", "operator STORE1", "en", "zh_CN"), ("PLAN1", "operator PLAN1", "en", "zh_CN")]


@pytest.mark.parametrize(("stored", "expected"), [("zh_CN", CHINESE), (None, ENGLISH)])
def test_migration_0009_gives_existing_operators_the_station_language(tmp_path, stored, expected):
    database = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
    upgrade(database.engine, "0008")
    with database.engine.begin() as conn:
        conn.execute(text("INSERT INTO operator (code, name, roles, pin_hash, active, created_at) "
                          "VALUES ('OLD1', 'Old', 'storekeeper', 'x', 1, '2026-01-01 00:00:00')"))
        if stored:
            conn.execute(text("INSERT INTO setting (key, value) VALUES ('language', :v)"), {"v": stored})
    upgrade(database.engine)
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT language FROM operator")).scalar_one() == expected
    command.downgrade(data.migrations.alembic_config(database.engine), "0008")
    database.dispose()


def test_the_demo_station_speaks_chinese(tmp_path):
    from data.demo import seed_demo

    database = Database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    seed_demo(database, parts=12)
    with database.writing() as uow:
        assert operators.station_language(uow=uow) == CHINESE
        assert {o.language for o in operators.list_operators(uow=uow)} == {CHINESE}
        assert operators.authenticate("STORE1", "1234", uow=uow).language == CHINESE
    database.dispose()
