"""The station's tables by their SQL names, named once for every SQLAlchemy Core statement in core.

`from core import tables as t`, then `t.stock_lot.c.qty_remaining`. A table's area module (core.models, where
each is defined once as a Core Table) loads on first use (PEP 562), so a command that needs the stock tables
builds only those.
"""

from __future__ import annotations

from sqlalchemy import Table

import core.models as models

__all__ = sorted(name for names in models.TABLES.values() for name in names)

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
repair_order_event: Table
requisition: Table
requisition_line: Table
written_requisition: Table
written_requisition_line: Table
return_line: Table
return_slip: Table
setting: Table
shortage: Table
stock_lot: Table
stock_move: Table
supplier: Table
work_in_progress: Table


def __getattr__(name: str) -> Table:
    """The table of that SQL name, its area's module (core.models) loaded on first use."""
    if name not in __all__:
        raise AttributeError(f"module 'core.tables' has no table {name!r}")
    table = getattr(models, name)
    globals()[name] = table
    return table
