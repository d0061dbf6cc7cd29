"""PostgreSQL: a draft's lines name their part and their request checked once per statement, not once per row.

A foreign key checks each new row by itself: for the 77,580 lines a draft writes at 200,000 parts that was 0.9
of the 1.4 s its COPY took. Migration 0028 replaces the two keys of purchase_request_line (part_id, request_id)
by data.pg_line_keys' triggers; a draft's lines are only ever written whole, so a change is checked per
statement too.
"""

from __future__ import annotations

from data.pg_line_keys import LineKeys

KEYS = LineKeys("purchase_request_line", "request_lines", {
    "purchase_request_line_part_id_fkey": ("part_id", "part", "part"),
    "purchase_request_line_request_id_fkey": ("request_id", "purchase_request", "request"),
})

# The foreign keys the triggers stand for: (table, column, referenced table), by PostgreSQL's names for them.
REPLACED_KEYS = {name: (KEYS.table, column, referred) for name, (column, referred, _short) in KEYS.keys.items()}

UPGRADE = KEYS.upgrade()
DOWNGRADE = KEYS.downgrade()
