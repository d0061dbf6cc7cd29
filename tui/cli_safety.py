"""CLI commands that keep a station safe: `partsdesk backup FILE [--force]`, `partsdesk restore FILE [--force]`
(admin) and `partsdesk db check [--json]`. The mechanics are data.backup's; this module asks and says."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from core.errors import BadInput
from core.i18n import _
from tui.cli_support import emit_json, say, state

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]


def register(app: typer.Typer, db_app: typer.Typer) -> None:
    """Add backup and restore to the top-level app and check to the db group."""
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
    db_app.command("check")(db_check)


def backup_command(
    ctx: typer.Context,
    file: Annotated[Optional[Path], typer.Argument(help=_("The backup file to write."))] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace FILE if it exists (never the database)."))] = False,
    daily: Annotated[
        bool, typer.Option("--daily", help=_("Today's backup into the backup_folder setting, rotated (for cron)."))
    ] = False,
) -> None:
    """Copy the database to FILE while others go on working (SQLite; PostgreSQL: says the pg_dump command)."""
    from data.backup import backup, daily_backup, refuse_postgresql

    if daily == (file is not None):
        raise BadInput(_("give the backup FILE, or --daily for the backup_folder setting"))
    cli = state(ctx)
    refuse_postgresql(cli.url(), "backup", file or _("FILE"))
    database = cli.database(check_schema=daily)
    if daily:
        from core.services.settings import get_settings

        with database.reading() as uow:
            settings = get_settings(uow=uow)
        if not settings["backup_folder"]:
            raise BadInput(_("no backup folder is set: partsdesk setting set backup_folder /var/backups/partsdesk"))
        made = daily_backup(database, settings["backup_folder"], int(settings["backup_keep"]))
        say(_("backed up to {path}").format(path=made) if made else _("today's backup is there already"))
        return
    written = backup(database, file, force=force)
    say(_("backed up to {path} ({size} bytes)").format(path=written, size=written.stat().st_size))


def restore_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=_("The backup file to restore."))],
    force: Annotated[bool, typer.Option("--force", help=_("Do not ask before replacing the database."))] = False,
) -> None:
    """Replace the database with a checked backup (admin); the replaced database is kept aside."""
    from core.services.safety import record_restore
    from data.backup import finish_restore, refuse_postgresql, stage_restore
    from data.db import Database

    cli = state(ctx)
    refuse_postgresql(cli.url(), "restore", file)
    # Not cli.database(): the database a restore replaces may be unreadable (overwritten, damaged), which is
    # what a restore is for; stage_restore reads only the backup.
    database = Database(cli.url())
    staged = stage_restore(database, file)
    try:
        admin = _require_admin(cli, database, staged.staged)
        if not force:
            if not sys.stdin.isatty():
                raise BadInput(_("restore replaces every record of the station: give --force to do it without a "
                                 "terminal to ask on"))
            if not typer.confirm(_("Replace the database at {live} with {file}?").format(live=staged.live,
                                                                                         file=file)):
                raise typer.Abort()
    except BaseException:
        staged.discard()
        raise
    aside = finish_restore(database, staged)
    with database.writing() as uow:  # the restored books say who restored them, from what
        record_restore(admin, str(file.absolute()), None if aside is None else str(aside), uow=uow)
    if aside is None:
        say(_("restored {file} into {live} (there was no database there)").format(file=file, live=staged.live))
    else:
        say(_("restored {file} into {live}; the replaced database is kept at {aside}").format(
            file=file, live=staged.live, aside=aside))


def _require_admin(cli, database, staged: Path):
    """The acting operator must be an admin, signed with the PIN: of the live database where it can be read,
    else (a damaged or emptied database, what a restore is for) of the backup being restored."""
    from core.roles import Permission, require
    from data.db import Database

    books = database
    try:
        database.check_schema()
    except Exception:  # unreadable, no schema, another revision: the backup's admin signs
        books = Database(f"sqlite:///{staged}")
    try:
        with books.writing() as uow:
            actor = cli.actor(uow)
    finally:
        if books is not database:
            books.dispose()
    require(actor, Permission.RESTORE_DATABASE)
    return actor


def db_check(ctx: typer.Context, json: JsonOption = False) -> None:
    """Every check of the database: integrity, foreign keys, stock; exit 1 naming each that fails."""
    from data.backup import run_checks

    results = run_checks(state(ctx).database())
    ok = all(result.ok for result in results)
    if json:
        emit_json({"ok": ok, "checks": [{"name": r.name, "ok": r.ok, "problems": r.problems} for r in results]})
    else:
        for result in results:
            say(f"{result.name}: " + (_("ok") if result.ok else _("FAILED")))
            for problem in result.problems:
                say(f"  {problem}")
    if not ok:
        if not json:
            typer.echo(_("partsdesk: the database fails {checks}").format(
                checks=", ".join(r.name for r in results if not r.ok)), err=True)
        raise typer.Exit(1)
