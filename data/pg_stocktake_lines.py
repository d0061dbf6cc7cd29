"""PostgreSQL: a stocktake's lines name their part, bin and stocktake checked once per statement, not per row.

Opening a count of a zone at 1M parts writes its 64,349 lines in one INSERT ... SELECT, and the three foreign
keys' checks of each row took 2.6 of its 3.5 s. Migration 0029 replaces them by data.pg_line_keys' triggers.
The lines are updated a row at a time too (a scan, a recount, a variance's value at close), on other columns:
a change of a key column is checked by a row trigger on those columns alone, which such an update never fires.
The counters' keys (counted_by, counted_by_second) stay foreign keys: a count names its two people.
"""

from __future__ import annotations

from data.pg_line_keys import LineKeys

KEYS = LineKeys("stocktake_line", "stocktake_lines", {
    "stocktake_line_part_id_fkey": ("part_id", "part", "part"),
    "stocktake_line_location_id_fkey": ("location_id", "location", "location"),
    "stocktake_line_stocktake_id_fkey": ("stocktake_id", "stocktake", "stocktake"),
}, updates="row")

# The foreign keys the triggers stand for: (table, column, referenced table), by PostgreSQL's names for them.
REPLACED_KEYS = {name: (KEYS.table, column, referred) for name, (column, referred, _short) in KEYS.keys.items()}

UPGRADE = KEYS.upgrade()
DOWNGRADE = KEYS.downgrade()
