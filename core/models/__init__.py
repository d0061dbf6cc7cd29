"""The station's tables, one module per area.

A module loads when one of its names is first used, so that a command or a screen that needs the
stock tables does not pay for building every table class (each SQLModel class is a pydantic model:
about 10 ms apiece). Alembic and the schema tests call load_all() for the whole metadata.
"""

from __future__ import annotations

from importlib import import_module

_MODULES: dict[str, tuple[str, ...]] = {
    "enums": (
        "AdjustmentState",
        "ClaimOutcome",
        "ClaimState",
        "MoveKind",
        "OrderState",
        "Party",
        "ReceiptState",
        "RequestState",
        "SaleState",
        "ShortageState",
        "Solution",
        "StocktakeScope",
        "StocktakeState",
        "TransferDirection",
        "TransferState",
    ),
    "audit": ("AuditEntry",),
    "counter": (
        "DamageReport",
        "RepairOrder",
        "RepairOrderCheck",
        "RepairOrderEvent",
        "Requisition",
        "RequisitionLine",
        "RequisitionState",
        "ReturnLine",
        "ReturnSlip",
        "WrittenRequisition",
        "WrittenRequisitionLine",
    ),
    "planning": (
        "OrderChase",
        "PurchaseRequest",
        "PurchaseRequestEvent",
        "PurchaseRequestLine",
        "Shortage",
    ),
    "receiving": (
        "Carrier",
        "Claim",
        "ClaimLine",
        "PackingListRow",
        "PurchaseOrder",
        "PurchaseOrderLine",
        "Receipt",
        "ReceiptBox",
        "ReceiptBoxSigner",
        "ReceiptCount",
        "ReceiptInvoice",
        "ReceiptLine",
        "Supplier",
    ),
    "pricing": ("PriceRule", "RepairOrderCharge", "RepairOrderPayer"),
    "sales": ("SalesLine", "SalesOrder", "SalesReturn"),
    "supersession": ("PartNewest", "PartSupersession", "VehicleTake"),
    "stock": (
        "DocumentSequence",
        "LedgerHead",
        "Location",
        "Operator",
        "Part",
        "Setting",
        "StockLot",
        "StockMove",
        "WorkInProgress",
    ),
    "transfer": ("StockAdjustment", "StockTransfer", "TransferLot"),
    "stocktake": ("PartCount", "Stocktake", "StocktakeLine"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    """Load the module that defines a table or enum on first use (PEP 562)."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'core.models' has no attribute {name!r}")
    value = getattr(import_module(f"core.models.{module}"), name)
    globals()[name] = value
    return value


def load_all() -> None:
    """Import every table module, so that SQLModel.metadata holds the whole schema."""
    for module in _MODULES:
        import_module(f"core.models.{module}")
