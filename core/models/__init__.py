"""The station's tables, one module per area: SQLAlchemy Core Tables on one MetaData, and the areas' states.

Each area module defines its tables once, as Core `Table`s (core.tables names them for every statement); no
ORM class and no pydantic model stands over them, so a command loads neither SQLAlchemy's ORM nor pydantic.
A module loads when one of its names is first used (here, or a table through core.tables), so that a command
or a screen that needs the stock tables does not build every table. Alembic and the schema tests call
load_all() for the whole metadata.
"""

from __future__ import annotations

from importlib import import_module

from sqlalchemy import MetaData

# Every table of the station: the schema migrations are compared with (tests/test_migrations.py).
metadata = MetaData()

# The area module that defines each table, by its SQL name.
TABLES: dict[str, tuple[str, ...]] = {
    "audit": ("audit_entry",),
    "counter": (
        "damage_report",
        "repair_order",
        "repair_order_check",
        "repair_order_event",
        "requisition",
        "requisition_line",
        "return_line",
        "return_slip",
        "written_requisition",
        "written_requisition_line",
    ),
    "planning": ("order_chase", "purchase_request", "purchase_request_event", "purchase_request_line", "shortage"),
    "receiving": (
        "carrier",
        "claim",
        "claim_line",
        "packing_list_row",
        "purchase_order",
        "purchase_order_line",
        "receipt",
        "receipt_box",
        "receipt_box_signer",
        "receipt_count",
        "receipt_invoice",
        "receipt_line",
        "supplier",
    ),
    "stock": (
        "document_sequence",
        "ledger_head",
        "location",
        "operator",
        "part",
        "setting",
        "stock_lot",
        "stock_move",
        "work_in_progress",
    ),
}
# ... and each state (a StrEnum of the values a table's column holds).
STATES: dict[str, tuple[str, ...]] = {
    "counter": ("RequisitionState",),
    "planning": ("RequestState", "ShortageState", "Solution"),
    "receiving": ("ClaimOutcome", "ClaimState", "OrderState", "Party", "ReceiptState"),
    "stock": ("MoveKind",),
}
_HOME = {name: module for found in (TABLES, STATES) for module, names in found.items() for name in names}
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
    """Import every table module, so that `metadata` holds the whole schema."""
    for module in TABLES:
        import_module(f"core.models.{module}")
