"""Writing the files the desk hands out (slips, sheets, order files, labels, backups): whole or not at all,
never over the live database, never over an existing file unless forced, never through a planted link."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import BadInput
from core.i18n import _

# The files SQLite keeps beside a database: writing over any of them breaks the live database.
DATABASE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"

# Every SQLite database this process has opened (data.db.Database registers its file): the one writer
# below refuses them whichever command, screen or service asks, so no caller can forget to pass it.
_databases: set[str] = set()


class FileExists(BadInput):
    """The target file exists and replacing it was not asked for (`--force`, or yes in the TUI's question)."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def protect_database(path: str | Path) -> None:
    """Never write a file over this SQLite database or its -wal, -shm and -journal files."""
    try:
        _databases.add(os.path.realpath(path))
    except ValueError:  # a NUL in the path: no file can have it, and opening it says so in its own line
        pass


def _protected(target: Path) -> bool:
    """Whether `target` (followed through any links) is a database this process opened, or one of its side files."""
    real = os.path.realpath(target)
    for database in _databases:
        if any(real == database + side for side in DATABASE_SIDE_FILES):
            return True
    if target.exists():
        for database in _databases:
            for side in DATABASE_SIDE_FILES:
                try:
                    if os.path.samefile(target, database + side):  # another name for the same file
                        return True
                except OSError:
                    continue
    return False


def _is_sqlite_database(target: Path) -> bool:
    try:
        with open(target, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def check_target(path: str | Path, *, force: bool = False, database: bool = False) -> Path:
    """The target of a write, refused (BadInput, exit 2) when it is the live database or one of its side files,
    a folder, or (without `force`) an existing file or link; and any SQLite database unless the write is itself
    a database (`database`: a backup may replace an older backup when forced)."""
    target = Path(path)
    if "\x00" in str(target):
        raise BadInput(_("cannot write {path!r}: a file name holds no NUL character").format(path=str(target)))
    if _protected(target):
        raise BadInput(_("{path} is the station's database (or one of its files): it is never written over").format(
            path=target))
    exists = target.is_symlink() or target.exists()
    if exists and target.is_dir() and not target.is_symlink():
        raise BadInput(_("cannot write {path}: it is a folder").format(path=target))
    if exists and not database and _is_sqlite_database(target):
        raise BadInput(_("{path} is a SQLite database: it is never written over").format(path=target))
    if exists and not force:
        raise FileExists(_("{path} exists: give --force to replace it").format(path=target), target)
    return target


@contextmanager
def replacing(path: str | Path, *, force: bool = False, database: bool = False) -> Iterator[Path]:
    """A temporary file to fill, made exclusively (O_EXCL, mode 0600) in the target's folder; renamed onto the
    target when the block ends without an error, removed otherwise. A link at the target is replaced, not followed.

    BadInput when the target is refused (check_target) or the folder cannot be written.
    """
    target = check_target(path, force=force, database=database)
    folder = target.parent
    try:
        # mkstemp opens with O_CREAT|O_EXCL under a random name: a planted file or link makes it pick another
        # name, never write through it (a fixed `name.part` could be a link put there by anyone).
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name[:100]}.", suffix=".part")
    except OSError as exc:
        raise BadInput(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        # Checked again just before the rename: the database may have been named by a link made meanwhile.
        check_target(target, force=force, database=database)
        os.replace(temporary, target)
    except OSError as exc:
        raise BadInput(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    finally:
        temporary.unlink(missing_ok=True)


def write_file(path: str | Path, data: bytes, *, force: bool = False) -> Path:
    """Write `data` to `path` whole or not at all (see `replacing`), so that a printer spool or a reader never
    sees half a file and a failed write leaves nothing behind; BadInput when it is refused or cannot be written."""
    with replacing(path, force=force) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    return Path(path)
