"""The CLI write commands the desk's screens do, read from the workflow registry's `commands=`: the parity test
and the README's table (tui.parity) are made from here."""

from __future__ import annotations

from screens.workflows import WORKFLOWS, Workflow


def covering_rows(rows: tuple[Workflow, ...] = WORKFLOWS) -> dict[str, tuple[Workflow, ...]]:
    """Each command some row lists, with the rows that list it (in the registry's order)."""
    covered: dict[str, tuple[Workflow, ...]] = {}
    for row in rows:
        for command in row.commands:
            covered[command] = (*covered.get(command, ()), row)
    return covered


def listed_commands(rows: tuple[Workflow, ...] = WORKFLOWS) -> frozenset[str]:
    """Every command the rows list."""
    return frozenset(covering_rows(rows))
