"""The station's tables by their SQL names, named once for every SQLAlchemy Core statement in core.

`from core import tables as t`, then `t.stock_lot.c.qty_remaining`. A table's model module loads on
first use (PEP 562), as core.models does, so a command that needs the stock tables builds only those.
"""

from __future__ import annotations

from sqlalchemy import Table

import core.models as models

# SQL table name -> the model class that defines it.
_MODELS = {
    "audit_entry": "AuditEntry",
    "claim": "Claim",
    "claim_line": "ClaimLine",
    "carrier": "Carrier",
    "damage_report": "DamageReport",
    "document_sequence": "DocumentSequence",
    "ledger_head": "LedgerHead",
    "location": "Location",
    "operator": "Operator",
    "order_chase": "OrderChase",
    "packing_list_row": "PackingListRow",
    "part": "Part",
    "part_count": "PartCount",
    "part_newest": "PartNewest",
    "part_supersession": "PartSupersession",
    "price_rule": "PriceRule",
    "purchase_order": "PurchaseOrder",
    "purchase_order_line": "PurchaseOrderLine",
    "purchase_request": "PurchaseRequest",
    "purchase_request_event": "PurchaseRequestEvent",
    "purchase_request_line": "PurchaseRequestLine",
    "receipt": "Receipt",
    "receipt_box": "ReceiptBox",
    "receipt_box_signer": "ReceiptBoxSigner",
    "receipt_count": "ReceiptCount",
    "receipt_invoice": "ReceiptInvoice",
    "receipt_line": "ReceiptLine",
    "repair_order": "RepairOrder",
    "repair_order_charge": "RepairOrderCharge",
    "repair_order_check": "RepairOrderCheck",
    "repair_order_event": "RepairOrderEvent",
    "repair_order_payer": "RepairOrderPayer",
    "requisition": "Requisition",
    "requisition_line": "RequisitionLine",
    "return_line": "ReturnLine",
    "return_slip": "ReturnSlip",
    "sales_line": "SalesLine",
    "sales_order": "SalesOrder",
    "sales_return": "SalesReturn",
    "setting": "Setting",
    "shortage": "Shortage",
    "stock_adjustment": "StockAdjustment",
    "stock_lot": "StockLot",
    "stock_move": "StockMove",
    "stock_transfer": "StockTransfer",
    "stock_transfer_lot": "TransferLot",
    "stocktake": "Stocktake",
    "stocktake_line": "StocktakeLine",
    "supplier": "Supplier",
    "vehicle_take": "VehicleTake",
    "work_in_progress": "WorkInProgress",
    "written_requisition": "WrittenRequisition",
    "written_requisition_line": "WrittenRequisitionLine",
}
__all__ = sorted(_MODELS)

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
    """The table of that SQL name, its model loaded on first use."""
    model = _MODELS.get(name)
    if model is None:
        raise AttributeError(f"module 'core.tables' has no table {name!r}")
    table = getattr(models, model).__table__
    globals()[name] = table
    return table
