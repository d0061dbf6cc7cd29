"""A part's whole master record at once (the part form): read with its supplier, and added or changed in one write
through the services of `part add`, `part edit`, `part set-supplier` and `part set-location`, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core import tables as t
from core.codes import normalise_location, normalise_part_no
from core.records.catalog import part_id
from core.records.part_audit import audited_part_edit
from core.services.catalog import PartInfo, add_part, edit_part, get_part, set_part_location
from core.services.purchasing import set_part_supplier
from core.units import ReadUnit, WriteUnit


@dataclass(frozen=True, slots=True)
class PartMaster:
    """A part's master data and the supplier it is ordered from (None: the station's manufacturer)."""

    info: PartInfo
    supplier: str | None


def read_part_master(part_no: str, *, uow: ReadUnit) -> PartMaster:
    """A part's master data and its supplier's code; NotFound for an unknown number."""
    with uow.read() as conn:
        info = get_part(part_no, uow=uow)
        supplier = conn.execute(select(t.supplier.c.code).join(t.part, t.part.c.supplier_id == t.supplier.c.id)
                                .where(t.part.c.part_no == info.part_no)).scalar()
    return PartMaster(info, supplier)


def save_part(part_no: str, fields: dict[str, object], *, new: bool, actor, uow: WriteUnit) -> PartInfo:
    """Add the part (`new`) or change its master data, then its supplier and default bin where they differ, in one
    write: a refusal of any field leaves the part as it was. `fields` holds name, name_zh, model_series, unit,
    price, pack_qty, fragile, general (as add_part takes them), supplier and location (empty: the manufacturer;
    no bin), and group (the part group a price rule may name; empty: none). An edit records one audit row with
    the fields it changed (none changed: no row); adding a part records none."""
    from core.services.pricing import set_part_group

    master = {key: fields[key] for key in ("name", "name_zh", "model_series", "unit", "price", "pack_qty", "fragile",
                                           "general") if key in fields}
    supplier = str(fields.get("supplier") or "").strip().upper() or None
    location = str(fields.get("location") or "").strip() or None
    group = str(fields.get("group") or "").strip() or None
    with uow.write() as conn:
        if new:
            info = add_part(part_no, location=location, actor=actor, uow=uow, **master)
            # Adding a part is no edit of one: its supplier and group, given with it, record no audit row.
            with audited_part_edit(conn, part_id(conn, info.part_no), operator=actor.code, record=False):
                if supplier:
                    set_part_supplier(info.part_no, supplier, actor=actor, uow=uow)
                if group:
                    set_part_group(info.part_no, group, actor=actor, uow=uow)
            return get_part(info.part_no, uow=uow)
        # One audit row for the whole form: the fields it changed, whichever service changed them.
        with audited_part_edit(conn, part_id(conn, part_no), operator=actor.code):
            before = read_part_master(part_no, uow=uow)
            edit_part(part_no, actor=actor, uow=uow, **master)
            if supplier != before.supplier:
                set_part_supplier(before.info.part_no, supplier, actor=actor, uow=uow)
            if location and normalise_location(location) != (before.info.location or ""):
                set_part_location(before.info.part_no, location, actor=actor, uow=uow)
            if "group" in fields and group != before.info.part_group:
                set_part_group(before.info.part_no, group, actor=actor, uow=uow)
        return get_part(normalise_part_no(part_no), uow=uow)
