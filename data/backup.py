"""Backup, restore and the database checks of a station: SQLite's online backup while others write, a restore
that checks the file before it replaces anything and keeps the replaced database aside, and the named checks of
`partsdesk db check`. On PostgreSQL, pg_dump and pg_restore do the copying; this module says how."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from core import clock
from core.errors import BadInput, RuleViolation
from core.files import FileExists, replacing
from core.i18n import _
from data.db import BUSY_TIMEOUT_MS, Database, read_only_refusal
from data.migrations import HEAD_REVISION, KNOWN_REVISIONS
from data.url import sqlite_file

BACKUP_PREFIX = "partsdesk-"
BACKUP_SUFFIX = ".sqlite"


# -- backup ------------------------------------------------------------------------------------


def libpq_url(url: str) -> str:
    """The station's PostgreSQL URL as pg_dump and pg_restore take it: no driver name and no password (libpq
    asks for it, or reads ~/.pgpass or PGPASSWORD), so that a message never shows it."""
    parsed = make_url(url)._replace(drivername="postgresql", password=None)
    return parsed.render_as_string(hide_password=False)


def pg_dump_command(url: str, target: Path | str) -> str:
    """The pg_dump command that backs up a PostgreSQL station to `target`."""
    return f"pg_dump --format=custom --file {shlex.quote(str(target))} {shlex.quote(libpq_url(url))}"


def refuse_postgresql(url: str, action: str, file: str | Path) -> None:
    """Before anything connects: a backup or a restore (`action`) of a PostgreSQL station is BadInput giving the
    pg_dump or pg_restore command for `file` (never the password)."""
    if sqlite_file(url) is not None or not url.startswith("postgresql"):
        return
    if action == "backup":
        raise BadInput(_("a backup of a PostgreSQL station is PostgreSQL's own: {command}").format(
            command=pg_dump_command(url, file)))
    raise BadInput(_("a restore of a PostgreSQL station is PostgreSQL's own: {command}").format(
        command=_pg_restore_command(url, Path(file))))


def _live_file(database: Database, what: str, command: Callable[[str], str], *, must_exist: bool = True) -> Path:
    path = sqlite_file(database.url)
    if path is None:
        raise BadInput(_("{what} of a PostgreSQL station is PostgreSQL's own: {command}").format(
            what=what, command=command(database.url)))
    if must_exist and not path.exists():
        raise BadInput(_("there is no database at {path}").format(path=path))
    return path.absolute()


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """SQLite's online backup of `source` into the file `target`, made a single self-contained file."""
    copy = sqlite3.connect(target)
    try:
        # All pages in one step: one read transaction on the source, so the copy is one consistent moment
        # while other terminals go on writing (WAL: readers and the writer do not block each other).
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # no -wal beside a backup: the one file is the whole of it
        copy.commit()
    finally:
        copy.close()


def _open_live(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)


def backup(database: Database, target: str | Path, *, force: bool = False) -> Path:
    """Copy the SQLite station to `target` while others may write: consistent, written whole or not at all
    through an exclusive temporary file (core.files), mode 0600; an existing file replaced only with `force`.
    On PostgreSQL BadInput giving the pg_dump command."""
    target = Path(target)
    live = _live_file(database, _("a backup"), lambda url: pg_dump_command(url, target))
    with replacing(target, force=force, database=True) as temporary:
        # Through the station's engine: it opens a database on a read-only disk read-only, and a backup is
        # exactly what one wants of it then.
        source = database.engine.raw_connection()
        try:
            _copy(source.driver_connection, temporary)
        except sqlite3.Error as exc:
            raise BadInput(_("cannot back up {path}: {reason}").format(path=live, reason=exc)) from None
        finally:
            source.close()
    return target


# -- the daily backup ----------------------------------------------------------------------------

DAILY_PATTERN = re.compile(r"^partsdesk-(\d{8})\.sqlite$")


def daily_name(day: datetime) -> str:
    """The file of one day's automatic backup (the UTC day): names sort as the days do."""
    return f"{BACKUP_PREFIX}{day:%Y%m%d}{BACKUP_SUFFIX}"


def daily_backup(database: Database, folder: str, keep: int) -> Path | None:
    """Today's automatic backup into `folder` unless it is there already, then only the newest `keep` daily
    backups kept (files named as daily_name, nothing else in the folder is touched). None when there is nothing
    to do: no folder set, a PostgreSQL station, or today's backup made already (by this or another terminal)."""
    if not folder or database.dialect != "sqlite":
        return None
    place = Path(folder)
    target = place / daily_name(clock.now())
    if target.exists():
        return None
    if not place.exists():
        try:
            place.mkdir(parents=True, exist_ok=True)
            os.chmod(place, 0o700)
        except OSError as exc:
            raise BadInput(_("cannot make the backup folder {folder}: {reason}").format(
                folder=place, reason=exc.strerror or exc)) from None
    try:
        made: Path | None = backup(database, target)
    except FileExists:
        made = None  # another terminal made it meanwhile
    dailies = sorted((p for p in place.iterdir() if DAILY_PATTERN.match(p.name)), key=lambda p: p.name, reverse=True)
    for old in dailies[keep:]:
        old.unlink(missing_ok=True)
    return made


# -- the checks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One named check of `partsdesk db check`: whether it passed and every problem it found."""

    name: str
    ok: bool
    problems: list[str] = field(default_factory=list)


def _integrity(database: Database) -> list[str] | None:
    if database.dialect != "sqlite":
        return None  # PostgreSQL checks its pages itself (data checksums); there is no integrity_check
    with database.engine.connect() as conn:
        rows = [row[0] for row in conn.execute(text("PRAGMA integrity_check")).all()]
    return [] if rows == ["ok"] else rows


def _foreign_keys(database: Database) -> list[str] | None:
    if database.dialect != "sqlite":
        return None  # PostgreSQL never lets a broken reference in
    with database.engine.connect() as conn:
        rows = conn.execute(text("PRAGMA foreign_key_check")).all()
    return [_("{table} row {row} refers to a missing {parent}").format(table=table, row=row, parent=parent)
            for table, row, parent, _key in rows]


def _stock(database: Database) -> list[str]:
    from core.services.stock import invariant_violations

    with database.reading() as uow:
        return invariant_violations(uow=uow, chain=False)  # the chain is its own check, below


def _ledger_chain(database: Database) -> list[str]:
    from core.services.stock import verify_ledger_chain

    with database.reading() as uow:
        return verify_ledger_chain(uow)


# The checks in the order they run; one more check is one more line here. None from a check: it does not
# apply on this backend (left out of the report).
CHECKS: list[tuple[str, Callable[[Database], list[str] | None]]] = [
    ("integrity", _integrity),
    ("foreign_keys", _foreign_keys),
    ("stock", _stock),
    ("ledger_chain", _ledger_chain),
]


def run_checks(database: Database) -> list[CheckResult]:
    """Every check that applies to this database, in order; a check that cannot even run is a failed check."""
    results = []
    for name, check in CHECKS:
        try:
            problems = check(database)
        except Exception as exc:  # a damaged file makes a check fail, and that is what the report must say
            problems = [str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]]
        if problems is not None:
            results.append(CheckResult(name, not problems, problems))
    return results


# -- restore -----------------------------------------------------------------------------------


@dataclass
class StagedRestore:
    """A backup copied beside the live database and checked; `finish_restore` puts it in place."""

    live: Path
    staged: Path
    source: Path
    revision: str

    def discard(self) -> None:
        """Remove the staged copy (and any side file SQLite left beside it)."""
        for side in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.staged}{side}").unlink(missing_ok=True)


def stage_restore(database: Database, source: str | Path) -> StagedRestore:
    """Copy `source` beside the live database and check the copy: a SQLite partsdesk database at this program's
    schema revision that passes every check of `db check`. Refused (BadInput) otherwise, nothing changed; the
    source file itself is only read."""
    source = Path(source)
    # A station restored onto a new machine has no database yet: the backup becomes it.
    live = _live_file(database, _("a restore"), lambda url: _pg_restore_command(url, source), must_exist=False)
    if not live.parent.exists():
        live.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(live.parent, 0o700)
    if not source.is_file():
        raise BadInput(_("there is no backup file at {path}").format(path=source))
    if database.read_only:  # a read-only database is not restored into: its one line
        raise read_only_refusal(database.url)
    if os.path.realpath(source) == os.path.realpath(live):
        raise BadInput(_("{path} is the station's database itself, not a backup").format(path=source))
    handle, name = tempfile.mkstemp(dir=live.parent, prefix=f".{live.name}.restore-", suffix=".sqlite")
    os.close(handle)
    staged = StagedRestore(live, Path(name), source, "")
    try:
        try:
            # Read-only and immutable: the backup is read as it is, never locked, changed or given a -wal.
            reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                _copy(reader, staged.staged)
            finally:
                reader.close()
            revision = _revision(staged.staged)
        except sqlite3.DatabaseError as exc:
            raise BadInput(_("{path} is not a partsdesk backup: {reason}").format(path=source, reason=exc)) from None
        if revision is None:
            raise BadInput(_("{path} is not a partsdesk backup: it holds no partsdesk schema").format(path=source))
        if revision != HEAD_REVISION:
            if revision in KNOWN_REVISIONS:
                raise BadInput(_("{path} is at schema revision {rev}, this partsdesk needs {head}: bring a copy of "
                                 "it up first with `partsdesk --db COPY db upgrade`, then restore the copy").format(
                    path=source, rev=revision, head=HEAD_REVISION))
            raise BadInput(_("{path} is at schema revision {rev}, which this partsdesk does not know: it was made "
                             "by a newer partsdesk").format(path=source, rev=revision))
        staged.revision = revision
        checked = Database(f"sqlite:///{staged.staged}")
        try:
            failed = [result for result in run_checks(checked) if not result.ok]
        finally:
            checked.dispose()
        if failed:
            raise RuleViolation(_("{path} fails its checks, nothing was restored: {problems}").format(
                path=source, problems="; ".join(f"{r.name}: {r.problems[0]}" for r in failed)))
    except BaseException:
        staged.discard()
        raise
    return staged


def _pg_restore_command(url: str, source: Path) -> str:
    return f"pg_restore --clean --if-exists --dbname {shlex.quote(libpq_url(url))} {shlex.quote(str(source))}"


def _revision(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return row[0] if row else None
    finally:
        conn.close()


def aside_name(live: Path, at: datetime) -> Path:
    """Where the replaced database is kept: beside it, named for the moment it was replaced (UTC)."""
    return live.with_name(f"{live.name}.replaced-{at:%Y%m%d-%H%M%S}")


def finish_restore(database: Database, staged: StagedRestore) -> Path | None:
    """Keep the live database aside (mode 0600), then put the staged backup in its place, and remove the staged
    copy. Returns where the replaced database was kept (None: there was none, the staged copy is renamed in).

    A readable live database is kept by an online backup and replaced through SQLite's backup API, one
    transaction, so that a terminal still open sees the restored database and never a mix. A live file SQLite
    cannot read (overwritten, damaged: what a restore is for) is kept byte for byte, its -wal too, and the
    staged file is renamed over it, its -wal and -shm removed so that no stale page is replayed onto it.
    """
    aside = aside_name(staged.live, clock.now())
    try:
        database.dispose()  # no pooled connection of this process holds a snapshot of the old database
        if not staged.live.exists():
            os.replace(staged.staged, staged.live)  # made 0600 by mkstemp, in the database's folder
            return None
        readable = _keep_aside(staged.live, aside)
        if readable:
            source = sqlite3.connect(staged.staged)
            live = _open_live(staged.live)
            try:
                source.backup(live)
            except sqlite3.Error as exc:
                raise BadInput(_("cannot restore into {path}: {reason}; the database is unchanged, and kept at "
                                 "{aside}").format(path=staged.live, reason=exc, aside=aside)) from None
            finally:
                live.close()
                source.close()
        else:
            for side in ("-wal", "-shm", "-journal"):
                Path(f"{staged.live}{side}").unlink(missing_ok=True)
            os.replace(staged.staged, staged.live)
    finally:
        staged.discard()
    return aside


def _keep_aside(live: Path, aside: Path) -> bool:
    """Copy the live database to `aside` (never over an existing file); whether SQLite could read it."""
    with replacing(aside, database=True) as temporary:
        source = _open_live(live)
        try:
            _copy(source, temporary)
            return True
        except sqlite3.DatabaseError:
            pass
        finally:
            source.close()
        shutil.copyfile(live, temporary)
    wal = Path(f"{live}-wal")
    if wal.exists() and wal.stat().st_size:
        with replacing(f"{aside}-wal") as temporary:
            shutil.copyfile(wal, temporary)
    return False
