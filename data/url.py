"""Where the database is: --db, PARTSDESK_DB or the per-user file. Cheap to import (no SQLAlchemy),
so the CLI and the TUI can name the database before the database stack has loaded."""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import BadInput
from core.i18n import _

APP_NAME = "partsdesk"
ENV_DB = "PARTSDESK_DB"
DB_FILE = "partsdesk.sqlite"


def resolve_url(db: str | None = None, *, app_dir: str | Path | None = None) -> str:
    """The database URL from --db, else PARTSDESK_DB, else app_dir/partsdesk.sqlite; a plain path means SQLite.

    The CLI passes typer.get_app_dir("partsdesk") as app_dir (data may not import typer).
    """
    value = db or os.environ.get(ENV_DB)
    if not value:
        if app_dir is None:
            raise BadInput(_("no database given: use --db or set {env}").format(env=ENV_DB))
        value = str(Path(app_dir) / DB_FILE)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for in-memory SQLite)."""
    if not url.startswith("sqlite"):
        return None
    _, _, rest = url.partition(":///")
    path = rest.split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def create_private_file(path: Path) -> None:
    """Make a new SQLite file private before SQLite first opens it: its folder 0700 when made here, the file
    0600. SQLite gives the -wal, -shm and -journal files the main file's mode, so they are private too. The
    file holds PIN hashes and customers' names, phones and VINs: no other local user may read it."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # after mkdir: mkdir's mode passes through the umask
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # an existing database keeps the mode its owner gave it
    os.close(handle)
    os.chmod(path, 0o600)
