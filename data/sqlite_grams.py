"""SQLite's Chinese-name grams (part_gram) deleted by their key (migration 0032), not through an index by part.

part_gram holds every one- and two-character piece of each part's Chinese name, keyed (gram, part_id), kept by
triggers (migration 0001). When a name changes or a part goes, its old pieces must go. Migration 0015 let the
triggers find them by part through a second index, on part_gram(part_id): without one each delete scanned every
part's pieces (79 s for a re-import of 2,000 names at 200,000 parts). But that index is a second b-tree to write
for every piece of every new name: a quarter of the pieces' cost in a large import (10M pieces at a million parts).

The old pieces are known without it: they are the old name's, cut as the insert cut them (the same substr of the
same lower() over the same positions). So the triggers delete each of them by the table's own key, (gram, part_id),
a probe per piece, and the index goes. PostgreSQL keeps its pieces otherwise (migration 0018): nothing here.
"""

from core.records.part_bulk import NAME_PIECE

INDEX_NAME = "ix_part_gram_part"
CREATE_INDEX = f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON part_gram (part_id)"
DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX_NAME}"

# The pieces of a name, as part_gram_insert cuts them: {name} is the name's expression (old.name_zh in a trigger).
_PIECES = f"SELECT {NAME_PIECE.format(name='{name}', i='i')} FROM gram_position WHERE i <= length({{name}})"

# The old name's pieces, each deleted by the key. A NULL name has no pieces: length(NULL) selects no position.
DELETE_BY_KEY = "DELETE FROM part_gram WHERE part_id = {part} AND gram IN (" + _PIECES + ")"

_INSERT_NEW = f"""INSERT OR IGNORE INTO part_gram (gram, part_id)
        SELECT {NAME_PIECE.format(name='new.name_zh', i='i')}, new.id FROM gram_position
        WHERE new.name_zh IS NOT NULL AND i <= length(new.name_zh);"""


def _triggers(delete_old: str) -> dict[str, str]:
    """The update and delete triggers, each deleting the old name's pieces by `delete_old` (the update then cuts
    the new name's)."""
    return {
        "part_gram_update": f"CREATE TRIGGER part_gram_update AFTER UPDATE OF name_zh ON part BEGIN\n        "
                            f"{delete_old};\n        {_INSERT_NEW}\n    END",
        "part_gram_delete": f"CREATE TRIGGER part_gram_delete AFTER DELETE ON part BEGIN\n        "
                            f"{delete_old};\n    END",
    }


# By key (0032), and by part as 0001 wrote them (0032's downgrade).
BY_KEY = _triggers(DELETE_BY_KEY.format(part="old.id", name="old.name_zh"))
BY_PART = _triggers("DELETE FROM part_gram WHERE part_id = old.id")


def replace_triggers(execute, triggers: dict[str, str]) -> None:
    """Drop the update and delete triggers and create them as `triggers` writes them (execute: one statement)."""
    for name, sql in triggers.items():
        execute(f"DROP TRIGGER IF EXISTS {name}")
        execute(sql)
