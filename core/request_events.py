"""What the desk writes on a draft's history by itself, stored as data and worded in the reader's language.

A history entry's `comment` is what a person typed; what the desk adds (the forecast a draft came from, the
lines an edit changed, the file an import read) is a small JSON `detail`, so that a draft made by a Chinese
planner reads in English to an English reader and the JSON output never depends on who wrote it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from core import labels
from core.decimals import fmt_qty
from core.i18n import _, ngettext


@dataclass(frozen=True, slots=True)
class ChangedLine:
    """One line an edit changed: a new quantity, a reason only (qty None), or removed."""

    part_no: str
    qty: Decimal | None = None
    removed: bool = False


def created(cycle: str, lines: int) -> str:
    """The detail of a draft made from the forecast of a cycle (week or month), with its line count."""
    # Numbers as text, as every JSON the desk gives carries them.
    return json.dumps({"cycle": cycle, "lines": str(lines)})


def edited(changes: list[ChangedLine], file: str | None = None) -> str:
    """The detail of an edit: the lines it changed, and the sheet they came from when imported."""
    detail: dict = {"changes": [{"part_no": c.part_no, "qty": None if c.qty is None else str(c.qty),
                                 "removed": c.removed} for c in changes]}
    if file:
        detail["file"] = file
    # The column holds 2,000 characters: an edit of hundreds of lines keeps its count, not every line.
    text = json.dumps(detail, ensure_ascii=False)
    if len(text) > 2000:
        detail = {"changed": str(len(changes)), **({"file": file} if file else {})}
        text = json.dumps(detail, ensure_ascii=False)
    return text


def parse(detail: str | None) -> dict | None:
    """A stored detail as data (None for none, or for text an older version did not write as JSON)."""
    if not detail:
        return None
    try:
        value = json.loads(detail)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def words(detail: dict | None) -> str:
    """A detail in the active language: '12 lines from the monthly forecast', '96536697 → 12, 5C6941005A
    removed (from sheet.xlsx)'; empty for none."""
    if not detail:
        return ""
    if "cycle" in detail:
        count = int(detail.get("lines", 0))
        if detail["cycle"] == "week":
            return ngettext("{count} line from the weekly forecast",
                            "{count} lines from the weekly forecast", count).format(count=count)
        if detail["cycle"] == "month":
            return ngettext("{count} line from the monthly forecast",
                            "{count} lines from the monthly forecast", count).format(count=count)
        return ngettext("{count} line from the forecast by {cycle}", "{count} lines from the forecast by {cycle}",
                        count).format(count=count, cycle=labels.label(labels.CYCLE, detail["cycle"]))
    parts = []
    for change in detail.get("changes", ()):
        if change.get("removed"):
            parts.append(_("{part_no} removed").format(part_no=change["part_no"]))
        elif change.get("qty") is not None:
            parts.append(f"{change['part_no']} → {fmt_qty(Decimal(change['qty']))}")
        else:
            parts.append(change["part_no"])
    if "changed" in detail:
        count = int(detail["changed"])
        parts.append(ngettext("{count} line changed", "{count} lines changed", count).format(count=count))
    text = ", ".join(parts)
    if detail.get("file"):
        text += (" " if text else "") + _("(from {file})").format(file=detail["file"])
    return text


def history_text(detail: str | None, comment: str | None) -> str:
    """A history entry as read: the desk's own words for the detail, then the person's comment after a dash."""
    said = words(parse(detail))
    comment = (comment or "").strip()
    if said and comment:
        return f"{said} — {comment}"
    return said or comment
