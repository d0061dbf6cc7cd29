"""PostgreSQL: the foreign keys of a table written in bulk, checked once per statement instead of once per row.

A foreign key checks each new row by itself (a look-up and a FOR KEY SHARE lock of the row it names). For the
lines a document writes in one statement (a draft's 77,580 lines at 200,000 parts, a zone's 64,349 count lines
at 1M) that was most of the statement: 0.9 of 1.4 s, 2.6 of 3.5 s. `LineKeys` replaces chosen keys of such a
table by triggers doing the same work set-wise: after each statement that adds lines, the rows they name are
locked FOR KEY SHARE in one statement per key, as the keys would lock them, and a name that does not exist is
refused with the key's own error (SQLSTATE 23503, its constraint name). A change of a key column is checked
after the statement too, or (where the table is updated a row at a time on other columns) by a row trigger that
fires only when a key column is set. Deleting a row that lines still name, or changing its id, is refused alike.
SQLite keeps its foreign keys: its check of a row is a look-up in the same process.
"""

from __future__ import annotations

from dataclasses import dataclass

# The statement check's look-ups of what the lines name (key[1] the lines' column, key[2] the referenced table),
# as migrations 0028 and 0029 first wrote them.
FIRST_LOOKUPS = """
        -- Locked as a foreign key's check locks them: no one deletes them or changes their ids till this commits.
        EXECUTE format('SELECT 1 FROM %I WHERE id IN (SELECT %I FROM named_lines) FOR KEY SHARE', key[2], key[1]);
        EXECUTE format('SELECT n.%1$I FROM named_lines n WHERE NOT EXISTS (SELECT 1 FROM %2$I r WHERE r.id = n.%1$I) '
                       'LIMIT 1', key[1], key[2]) INTO missing;"""
# The same look-ups as migration 0031 writes them.
SIZED_LOOKUPS = """
        -- Locked as a foreign key's check locks them: no one deletes them or changes their ids till this commits.
        -- A join, not `id IN (SELECT ...)`: the planner knows the statement's count of lines and, for a whole
        -- document, hashes them against one scan of the table; for the IN it guessed 200 distinct names and probed
        -- the key once a line (0.41 s of a 77,580-line draft's COPY). An edit of a few lines keeps the probes. A row
        -- named twice (a part counted in two bins) is locked twice by this transaction: the second is a no-op.
        EXECUTE format('SELECT 1 FROM %1$I r JOIN named_lines n ON r.id = n.%2$I FOR KEY SHARE OF r', key[2], key[1]);
        -- No LIMIT: with one the planner expects a missing name early and probes line by line, yet a statement
        -- that passes has none; INTO keeps the first row of one that fails.
        EXECUTE format('SELECT n.%1$I FROM named_lines n WHERE NOT EXISTS (SELECT 1 FROM %2$I r WHERE r.id = n.%1$I)',
                       key[1], key[2]) INTO missing;"""

@dataclass(frozen=True)
class LineKeys:
    """The keys of `table` that triggers named `prefix`_… check per statement."""

    table: str
    prefix: str
    # PostgreSQL's name of each key: (column, referenced table, the table's short name in the triggers' names).
    keys: dict[str, tuple[str, str, str]]
    # How a change of a key column is checked: "statement" (after each UPDATE, over its rows) or "row" (a row
    # trigger on the key columns alone, for a table whose other columns are updated a row at a time).
    updates: str = "statement"

    def _key_rows(self) -> str:
        # Each key as (column, referenced table, key name), a row of a PostgreSQL array the functions loop over.
        return ", ".join(f"['{column}', '{referred}', '{name}']"
                         for name, (column, referred, _short) in self.keys.items())

    def _checking(self, function: str, check: str, *, replace: bool = False) -> str:
        """A trigger function that runs `check` for each key (key[1] the lines' column, key[2] the referenced
        table, key[3] the key's name): it sets `missing` to a named id that does not exist, refused then. With
        `replace`, the statement replaces the function of that name."""
        return f"""
CREATE {'OR REPLACE ' if replace else ''}FUNCTION {self.prefix}_{function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    key text[];
    named bigint;
    found_id bigint;
    missing bigint;
BEGIN
    FOREACH key SLICE 1 IN ARRAY ARRAY[{self._key_rows()}] LOOP
{check}
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'insert or update on table "{self.table}" violates foreign key constraint "%"',
                            key[3]
                USING ERRCODE = 'foreign_key_violation', TABLE = '{self.table}', CONSTRAINT = key[3],
                      DETAIL = format('Key (%s)=(%s) is not present in table "%s".', key[1], missing, key[2]);
        END IF;
    END LOOP;
    RETURN NULL;
END $$
"""

    def _names_what_exists(self, *, joined: bool, replace: bool = False) -> str:
        # A statement's check, over its rows (the transition table named_lines). `joined`: the look-ups as joins
        # the planner sizes by the lines (migration 0031); else as migrations 0028 and 0029 first wrote them.
        return self._checking("name_what_exists", SIZED_LOOKUPS if joined else FIRST_LOOKUPS, replace=replace)

    def sized_check(self) -> str:
        """The statement check's function as migration 0031 replaces it (the look-ups sized by the lines)."""
        return self._names_what_exists(joined=True, replace=True)

    def first_check(self) -> str:
        """The statement check's function as migrations 0028 and 0029 first wrote it (0031's downgrade)."""
        return self._names_what_exists(joined=False, replace=True)

    def _row_names_what_exists(self) -> str:
        # A row trigger's check: the row's key columns read by name from the row as JSON.
        return self._checking("row_names_what_exists", """
        named := (to_jsonb(NEW) ->> key[1])::bigint;
        CONTINUE WHEN named IS NULL;
        -- Into a variable: EXECUTE leaves FOUND as it was.
        EXECUTE format('SELECT id FROM %I WHERE id = $1 FOR KEY SHARE', key[2]) USING named INTO found_id;
        missing := CASE WHEN found_id IS NULL THEN named END;""")

    def _keeping(self, function: str, find: str) -> str:
        """A trigger function of the referenced side (TG_ARGV: the key's name, the lines' column) that runs `find`:
        it sets `named` to an id that lines still name, refused then."""
        return f"""
CREATE FUNCTION {self.prefix}_{function}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    named bigint;
BEGIN
{find}
    IF named IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table '
                        '"{self.table}"', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, CONSTRAINT = TG_ARGV[0],
                  DETAIL = format('Key (id)=(%s) is still referenced from table "{self.table}".', named);
    END IF;
    RETURN NULL;
END $$
"""

    def _keeps_named(self) -> str:
        # A row that lines still name is not deleted (a statement trigger over the deleted rows, `gone`).
        return self._keeping("keep_named", f"""
    EXECUTE format('SELECT o.id FROM gone o WHERE EXISTS '
                   '(SELECT 1 FROM {self.table} l WHERE l.%I = o.id) LIMIT 1', TG_ARGV[1]) INTO named;""")

    def _keeps_named_id(self) -> str:
        # Nor is its id changed (a row trigger).
        return self._keeping("keep_named_id", f"""
    EXECUTE format('SELECT $1::bigint WHERE EXISTS (SELECT 1 FROM {self.table} l WHERE l.%I = $1)', TG_ARGV[1])
        USING OLD.id INTO named;""")

    def _update_check(self) -> list[str]:
        p, table = self.prefix, self.table
        if self.updates == "statement":
            return [f"CREATE TRIGGER {p}_changed AFTER UPDATE ON {table} REFERENCING NEW TABLE AS named_lines "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {p}_name_what_exists()"]
        columns = [column for column, _referred, _short in self.keys.values()]
        changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)
        # Fired only when an UPDATE sets a key column, so a row-at-a-time update of the others costs nothing.
        return [self._row_names_what_exists(),
                f"CREATE TRIGGER {p}_changed AFTER UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW "
                f"WHEN ({changed}) EXECUTE FUNCTION {p}_row_names_what_exists()"]

    def upgrade(self) -> list[str]:
        """The statements that drop the keys and make the triggers."""
        p, table = self.prefix, self.table
        statements = [f"ALTER TABLE {table} DROP CONSTRAINT {name}" for name in self.keys]
        # The statement check as these migrations wrote it; 0031 replaces it (sized_check).
        statements += [self._names_what_exists(joined=False), self._keeps_named(), self._keeps_named_id()]
        # A transition table per event: PostgreSQL allows none on a trigger for two events.
        statements.append(f"CREATE TRIGGER {p}_added AFTER INSERT ON {table} REFERENCING NEW TABLE AS named_lines "
                          f"FOR EACH STATEMENT EXECUTE FUNCTION {p}_name_what_exists()")
        statements += self._update_check()
        for name, (column, referred, short) in self.keys.items():
            statements.append(f"CREATE TRIGGER {p}_keep_{short} AFTER DELETE ON {referred} "
                              f"REFERENCING OLD TABLE AS gone FOR EACH STATEMENT "
                              f"EXECUTE FUNCTION {p}_keep_named('{name}', '{column}')")
            # Ids never change; a row trigger on the id column alone costs nothing where they do not.
            statements.append(f"CREATE TRIGGER {p}_keep_{short}_id AFTER UPDATE OF id ON {referred} FOR EACH ROW "
                              f"WHEN (OLD.id IS DISTINCT FROM NEW.id) "
                              f"EXECUTE FUNCTION {p}_keep_named_id('{name}', '{column}')")
        return statements

    def downgrade(self) -> list[str]:
        """The statements that drop the triggers and put the keys back."""
        p, table = self.prefix, self.table
        statements = []
        for _column, referred, short in reversed(self.keys.values()):
            statements += [f"DROP TRIGGER {p}_keep_{short}_id ON {referred}",
                           f"DROP TRIGGER {p}_keep_{short} ON {referred}"]
        statements += [f"DROP TRIGGER {p}_changed ON {table}", f"DROP TRIGGER {p}_added ON {table}"]
        if self.updates != "statement":
            statements.append(f"DROP FUNCTION {p}_row_names_what_exists()")
        statements += [f"DROP FUNCTION {p}_keep_named_id()", f"DROP FUNCTION {p}_keep_named()",
                       f"DROP FUNCTION {p}_name_what_exists()"]
        statements += [f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({column}) REFERENCES {referred} (id)"
                       for name, (column, referred, _short) in self.keys.items()]
        return statements
