"""A part's master data in the audit trail: one row per edit naming the fields it changed, from what to what, written
in the edit's transaction (core.records.audit). The fields are stored as data (codes, plain numbers), as JSON
objects keyed by field; core.services.audit words them in the reader's language."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, select

from core import tables as t
from core.decimals import fmt_money, fmt_qty
from core.records.audit import AuditAction, part_subject, record_change

# The master fields an edit may change, in the order the audit trail names them.
PART_FIELDS = ("name", "name_zh", "model_series", "part_group", "unit", "list_price", "pack_qty", "fragile", "general",
               "supplier", "location")

# Which parts have an edit open on a connection: an edit made of several (the part form's one save of the master, the
# supplier and the bin) records one row, not one per step. Keyed in the connection's info, emptied on leaving.
_OPEN = "partsdesk.part_edits"


def part_fields(conn: Connection, pid: int) -> dict[str, str]:
    """The part's master fields as the audit trail stores them: text, "" for none, money and quantities as the desk
    writes them (12.50, 2.5), the marks as true/false."""
    p = t.part.c
    row = conn.execute(
        select(p.name, p.name_zh, p.model_series, p.part_group, p.unit, p.list_price, p.pack_qty, p.fragile,
               p.general, t.supplier.c.code.label("supplier"), t.location.c.code.label("location"))
        .select_from(t.part.outerjoin(t.supplier, t.supplier.c.id == p.supplier_id)
                     .outerjoin(t.location, t.location.c.id == p.default_location_id))
        .where(p.id == pid)).one()
    fields = {name: "" if getattr(row, name) is None else str(getattr(row, name)) for name in PART_FIELDS}
    fields.update(list_price=fmt_money(row.list_price), pack_qty=fmt_qty(row.pack_qty),
                  fragile="true" if row.fragile else "false", general="true" if row.general else "false")
    return fields


def changed_fields(before: dict[str, str], after: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The fields whose value differs, as (old, new), each keyed by field in PART_FIELDS' order."""
    names = [name for name in PART_FIELDS if before.get(name, "") != after.get(name, "")]
    return {name: before.get(name, "") for name in names}, {name: after.get(name, "") for name in names}


def _dumped(fields: dict[str, str]) -> str:
    return json.dumps(fields, ensure_ascii=False)


@contextmanager
def audited_part_edit(conn: Connection, pid: int, *, operator: str, record: bool = True) -> Iterator[None]:
    """Around the changes to one part's master data: on leaving without an error, one audit row with the fields
    that changed (none changed: no row). Inside another open for the same part, it records nothing: the outer
    one records the whole edit. `record` False: the part is new in this write (adding it is no edit), so nothing
    done inside records a row."""
    opened = conn.info.setdefault(_OPEN, set())
    if pid in opened:
        yield
        return
    before = part_fields(conn, pid) if record else {}
    opened.add(pid)
    try:
        yield
    finally:
        opened.discard(pid)
    if not record:
        return
    after = part_fields(conn, pid)
    old, new = changed_fields(before, after)
    if new:
        part_no = conn.execute(select(t.part.c.part_no).where(t.part.c.id == pid)).scalar_one()
        record_change(conn, operator=operator, action=AuditAction.EDIT_PART, subject=part_subject(part_no),
                      old=_dumped(old), new=_dumped(new))


def read_fields(value: str | None) -> dict[str, str]:
    """The fields of a stored old or new value (empty for none, or a value not written here)."""
    try:
        fields = json.loads(value) if value else {}
    except ValueError:
        return {}
    return {str(key): str(item) for key, item in fields.items()} if isinstance(fields, dict) else {}
