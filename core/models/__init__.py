"""The station's tables, one module per area; importing this package registers them all."""

from core.models.stock import (
    DocumentSequence,
    Location,
    MoveKind,
    Operator,
    Part,
    Setting,
    StockLot,
    StockMove,
)

__all__ = [
    "DocumentSequence",
    "Location",
    "MoveKind",
    "Operator",
    "Part",
    "Setting",
    "StockLot",
    "StockMove",
]
