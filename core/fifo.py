"""First in, first out: the pure rule that decides which lots an issue takes from."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

L = TypeVar("L")


@dataclass(frozen=True, slots=True)
class Pick(Generic[L]):
    """Take `qty` from `lot`."""

    lot: L
    qty: Decimal


def pick_fifo(lots: list[tuple[L, Decimal]], wanted: Decimal) -> list[Pick[L]] | None:
    """Picks from lots already ordered oldest first; None when together they hold less than wanted.

    Each lot is (lot, qty_remaining). The oldest lot is emptied before the next is touched, so
    newer stock is only ever taken once everything older is gone.
    """
    if wanted <= 0:
        raise ValueError("wanted must be positive")
    picks: list[Pick[L]] = []
    left = wanted
    for lot, remaining in lots:
        if remaining <= 0:
            continue
        take = min(remaining, left)
        picks.append(Pick(lot, take))
        left -= take
        if left == 0:
            return picks
    return None
