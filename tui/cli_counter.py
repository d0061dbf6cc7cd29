"""CLI commands for the counter: repair orders, requisitions and returns."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the counter commands to the top-level app."""
