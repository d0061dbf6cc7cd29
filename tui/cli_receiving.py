"""CLI commands for receiving: purchase orders, receipts against packing lists, claims."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the receiving commands to the top-level app."""
