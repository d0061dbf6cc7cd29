"""Work in progress kept per operator, screen and document, on SQLite and PostgreSQL: saved, restored, an older
save never over a newer one, an empty one dropping it."""

from __future__ import annotations

from core.roles import Role
from core.services.work_in_progress import load_work, save_work
from tests.helpers import make_staff


def test_work_is_kept_per_operator_and_document_and_a_late_older_save_changes_nothing(any_db):
    staff = make_staff(any_db)
    store, planner = staff[Role.STOREKEEPER], staff[Role.PLANNER]
    with any_db.writing() as uow:
        save_work("counter", "RO-1", {"lines": [["96536697", "2"]]}, 10, actor=store, uow=uow)
        save_work("counter", "RO-1", {"lines": [["96536697", "3"]]}, 20, actor=store, uow=uow)
        save_work("counter", "RO-1", {"lines": [["96536697", "1"]]}, 15, actor=store, uow=uow)  # overtaken
        save_work("counter", "RO-2", {"lines": [["96800106", "1"]]}, 10, actor=store, uow=uow)
    with any_db.reading() as uow:
        assert load_work("counter", "RO-1", actor=store, uow=uow) == {"lines": [["96536697", "3"]]}
        assert load_work("counter", "RO-2", actor=store, uow=uow) == {"lines": [["96800106", "1"]]}
        assert load_work("counter", "RO-1", actor=planner, uow=uow) is None  # another operator's own
    with any_db.writing() as uow:
        save_work("counter", "RO-1", {}, 30, actor=store, uow=uow)  # issued or emptied: dropped
    with any_db.reading() as uow:
        assert load_work("counter", "RO-1", actor=store, uow=uow) is None
