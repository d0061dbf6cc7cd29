"""The demo station's dispatch checker (发货检验员, CHECK1): a transfer a demo storekeeper enters is checked (二审) by
him, so the demo shows the two-level check."""

from sqlalchemy import select

from core import tables as t
from core.services import catalog, operators, transfers
from data.db import Database
from data.demo import DEMO_PIN, seed_demo


def test_the_demo_checker_checks_a_storekeepers_transfer(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    seed_demo(database, parts=12)
    with database.reading() as uow, uow.read() as conn:
        part_no, source, zone = conn.execute(
            select(t.part.c.part_no, t.location.c.code, t.location.c.zone)
            .join(t.stock_lot, t.stock_lot.c.part_id == t.part.c.id)
            .join(t.location, t.location.c.id == t.stock_lot.c.location_id)
            .where(t.stock_lot.c.qty_remaining >= 1, t.location.c.zone == "EXC").limit(1)).one()
    target = f"{zone}-19-09-09"
    with database.writing() as uow:
        storekeeper = operators.authenticate("STORE1", DEMO_PIN, uow=uow)
        checker = operators.authenticate("CHECK1", DEMO_PIN, uow=uow)
        assert "checker" in checker.roles
        catalog.add_location(target, actor=storekeeper, uow=uow)
    with database.writing() as uow:
        entered = transfers.create_transfer(part_no, "1", from_location=source, to_location=target,
                                            actor=storekeeper, uow=uow)
    with database.writing() as uow:
        checked = transfers.check_transfer(entered.number, actor=checker, uow=uow)
    assert checked.state == "checked" and checked.decided_by == "CHECK1"
    database.dispose()
