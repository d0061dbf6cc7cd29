"""The benchmark result protocol in one place: a target's row, the rows appended to --results, and the exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def result(target: str, what: str, backend: str, parts: int | None, value: float, unit: str, limit: float | None,
           base: float | None = None, base_what: str | None = None) -> dict:
    """One line of the lead's table: the figure beside its limit and, when there is one, its baseline."""
    return {"target": target, "what": what, "backend": backend, "parts": parts, "value": round(value, 4),
            "unit": unit, "limit": limit, "baseline": None if base is None else round(base, 4),
            "baseline_what": base_what, "met": limit is None or value <= limit}


# The station size the issues set their time limits for (issue 14's draft, stock list and stock check; issue 15's
# reports): a larger station's times stand beside their baselines, with no limit.
LIMITS_AT_PARTS = 200_000


def sized(row: dict, parts: int | None) -> dict:
    """`row` (a result) as it stands at a station of `parts`: past LIMITS_AT_PARTS its limit is dropped and said."""
    if parts is not None and parts > LIMITS_AT_PARTS:
        row.update(limit=None, met=True, what=f"{row['what']}; its limit is for {LIMITS_AT_PARTS:,} parts")
    return row


def finish(rows: list[dict], results: Path | None, quick: bool) -> int:
    """Append the rows to the results file (one JSON object a line) and give the bench's exit code: 1 when a
    target is missed on a full run, else 0 (a quick run's small station says nothing about a target)."""
    if results:
        with results.open("a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row) + "\n")
    missed = [row["target"] for row in rows if not row["met"]]
    if missed and not quick:
        print(f"missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0
