"""Text at the edge: no control characters and no text longer than its column, refused in core before any
database sees it, so that SQLite (which would store it) and PostgreSQL (which refuses NUL and over-long text
with a driver's message) answer alike: one line naming the field."""

from __future__ import annotations

import re

from sqlalchemy import BindParameter, Insert, String, Update

from core.errors import BadInput
from core.i18n import _

# C0 and C1 controls but tab, line feed and carriage return (a note may hold lines), the line and paragraph
# separators, and the bidirectional overrides and isolates that make a slip read otherwise than it is stored.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def control_character(value: str) -> str | None:
    """The first forbidden character of a text as U+XXXX, or None when there is none."""
    found = _CONTROL.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def text_problem(value: str, limit: int | None) -> str | None:
    """What is wrong with a text for a field of at most `limit` characters, or None when nothing is."""
    bad = control_character(value)
    if bad:
        return _("holds the control character {char}").format(char=bad)
    if limit is not None and len(value) > limit:
        return _("is longer than {limit} characters ({length})").format(limit=limit, length=len(value))
    return None


def check_text(value: str, what: str, limit: int | None = None) -> str:
    """The text back when it has no control character and at most `limit` characters, else BadInput naming it."""
    problem = text_problem(value, limit)
    if problem:
        raise BadInput(_("{what} {problem}").format(what=what, problem=problem))
    return value


def guard_statement(conn, clauseelement, multiparams, params, execution_options) -> None:
    """Before an INSERT or UPDATE runs (an engine's before_execute event): every text bound to a text column of
    the statement's table is checked against that column's length and for control characters; BadInput names
    the table and column. The services check the fields they know by name first; this is the net under them."""
    if not isinstance(clauseelement, (Insert, Update)):
        return
    table = clauseelement.table
    texts = _text_columns(table)
    if not texts:
        return
    values = getattr(clauseelement, "_values", None) or {}
    for key, bound in values.items():
        name = key if isinstance(key, str) else getattr(key, "key", None)
        if name in texts and isinstance(bound, BindParameter) and isinstance(bound.value, str):
            _check_column(table.name, name, texts[name], bound.value)
    rows = multiparams if multiparams else [params] if params else []
    for row in rows:
        if not isinstance(row, dict):
            continue
        for name, limit in texts.items():
            value = row.get(name)
            if isinstance(value, str):
                _check_column(table.name, name, limit, value)


_TEXT_COLUMNS: dict[object, dict[str, int | None]] = {}


def _text_columns(table) -> dict[str, int | None]:
    """A table's text columns and their lengths (None: unlimited), worked out once per table: the guard runs
    on every write, the issue path's included."""
    found = _TEXT_COLUMNS.get(table)
    if found is None:
        found = {c.key: c.type.length for c in table.columns if isinstance(c.type, String)}
        _TEXT_COLUMNS[table] = found
    return found


def _check_column(table: str, column: str, limit: int | None, value: str) -> None:
    problem = text_problem(value, limit)
    if problem:
        raise BadInput(_("{what} {problem}").format(what=f"{table}.{column}", problem=problem))
