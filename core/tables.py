"""The station's tables by their SQL names, named once for every SQLAlchemy Core statement in core.

`from core import tables as t`, then `t.stock_lot.c.qty_remaining`. A table is built on first use from
core.table_defs, the Core tables generated from the SQLModel models (core.models.mirror): a command needs no model
class, nor sqlmodel and pydantic, to run its statements, and builds only the tables it names.
"""

from __future__ import annotations

from sqlalchemy import MetaData, Table

from core.table_defs import BUILDERS

# The tables built so far; a foreign key names its table by SQL name and finds it here when a join needs it.
metadata = MetaData()
__all__ = sorted(BUILDERS)

audit_entry: Table
claim: Table
claim_line: Table
carrier: Table
document_sequence: Table
ledger_head: Table
location: Table
operator: Table
order_chase: Table
packing_list_row: Table
part: Table
part_count: Table
part_newest: Table
part_supersession: Table
price_rule: Table
purchase_order: Table
purchase_order_line: Table
purchase_request: Table
purchase_request_event: Table
purchase_request_line: Table
receipt: Table
receipt_box: Table
receipt_box_signer: Table
receipt_count: Table
receipt_invoice: Table
receipt_line: Table
repair_order: Table
repair_order_check: Table
repair_order_charge: Table
repair_order_event: Table
repair_order_payer: Table
requisition: Table
requisition_line: Table
written_requisition: Table
written_requisition_line: Table
return_line: Table
return_slip: Table
sales_line: Table
sales_order: Table
sales_return: Table
setting: Table
shortage: Table
stock_adjustment: Table
stock_lot: Table
stock_move: Table
stock_transfer: Table
stock_transfer_lot: Table
stocktake: Table
stocktake_line: Table
supplier: Table
vehicle_take: Table
work_in_progress: Table


def __getattr__(name: str) -> Table:
    """The table of that SQL name, built on first use."""
    build = BUILDERS.get(name)
    if build is None:
        raise AttributeError(f"module 'core.tables' has no table {name!r}")
    table = metadata.tables.get(name)
    if table is None:
        table = build(metadata)
    globals()[name] = table
    return table
