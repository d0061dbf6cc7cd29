"""What every CLI command shares: the error contract, the database, the acting operator, JSON and tables."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from core.errors import BadInput, ImportRejected, PartsdeskError
from core.i18n import LANGUAGES, _, language, normalise_language, stale_catalogues, system_language, use_language
from tui.cli_words import docstring_help, speak_our_language, translate_usage_error

ENV_OPERATOR = "PARTSDESK_OPERATOR"
ENV_PIN = "PARTSDESK_PIN"
ENV_LANG = "PARTSDESK_LANG"
LANG_OPTION = "--lang"

ForceOption = Annotated[
    bool, typer.Option("--force", help=_("Replace the --out file if it exists (never the database)."))
]


# Warnings said once the command has ended, after its own output or error line (which stays the first line).
_warnings: list[str] = []


def warn_visible_pin(option: str, env: str = "PARTSDESK_PIN") -> None:
    """Warn (on stderr, at the end) that a PIN given as an option is readable by every local user in `ps`."""
    line = _("warning: {option} is visible to other users in the process list; use {env} or the prompt").format(
        option=option, env=env)
    if line not in _warnings:
        _warnings.append(line)


def _say_warnings() -> None:
    while _warnings:
        typer.echo(f"partsdesk: {_warnings.pop(0)}", err=True)


def fail(message: str) -> None:
    """Print one error line on stderr."""
    typer.echo(f"partsdesk: {message}", err=True)


def lang_argument(args: list[str]) -> str | None:
    """The value of `--lang X` or `--lang=X` among the command line's arguments (the last one given), if any."""
    chosen = None
    for index, arg in enumerate(args):
        if arg == "--":  # what follows is an argument, never an option
            break
        if arg == LANG_OPTION and index + 1 < len(args):
            chosen = args[index + 1]
        elif arg.startswith(LANG_OPTION + "="):
            chosen = arg.split("=", 1)[1]
    return chosen


def choose_language(args: list[str], environ: dict[str, str] | None = None) -> str:
    """The CLI's language: --lang, else PARTSDESK_LANG, else LC_ALL / LC_MESSAGES / LANG, else English.

    A language asked for by name (--lang, PARTSDESK_LANG) that is not one of LANGUAGES is refused (BadInput);
    a system locale without a catalogue (fr_FR) is English.
    """
    environ = os.environ if environ is None else environ
    asked = lang_argument(args) or environ.get(ENV_LANG)
    if not asked:
        return system_language(environ)
    chosen = normalise_language(asked)
    if chosen is None:
        raise BadInput(_("unknown language {code!r}: use one of {languages}").format(
            code=asked, languages=", ".join(LANGUAGES)))
    return chosen


def _translate_helps(command) -> None:
    # Help texts are written as `help=_(...)` and docstrings, read when the modules are imported; nothing sets
    # a language before that, so they hold the English msgids, translated here, once the language is chosen,
    # on the click objects typer builds afresh for every run.
    for attribute in ("help", "short_help", "epilog"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, _(text))
    if not getattr(command, "short_help", None) and getattr(command, "help", None):
        command.short_help = first_sentence(command.help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values():
        _translate_helps(sub)


def first_sentence(help_text: str) -> str:
    """A command's line in its group's list: the help's first sentence, ended by 。 as well as by ". ".

    click cuts a command's line at its limit by words, and Chinese has no spaces between words: a long
    Chinese sentence came out as "..." alone.
    """
    paragraph = help_text.strip().split("\n\n")[0]
    paragraph = " ".join(line.strip() for line in paragraph.splitlines())
    for end in ("。", ". "):
        if end in paragraph:
            return paragraph.split(end)[0] + end.strip()
    return paragraph


class PartsdeskGroup(TyperGroup):
    """The top-level command: every error is one line on stderr and an exit code, never a traceback.

    Exit codes: 0 done; 1 refused by a rule, a permission or a wrong PIN; 2 bad input or usage.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: D102
        args = list(sys.argv[1:] if args is None else args)
        before = language()
        try:
            use_language(choose_language(args))
        except BadInput as exc:
            fail(exc.message)
            if standalone_mode:
                sys.exit(exc.exit_code)
            return exc.exit_code
        try:
            return self._run(args, prog_name, complete_var, standalone_mode, **extra)
        finally:
            use_language(before)  # one process, one command; in tests, the next one starts as it was

    def _run(self, args, prog_name, complete_var, standalone_mode, **extra):
        speak_our_language()
        _translate_helps(self)  # loads the language's catalogue, recompiling an edited .po where it can
        if language() in stale_catalogues():
            _warnings.append(_("the {language} catalogue was edited after it was compiled: reinstall "
                               "(pip install -e .) to use the edits").format(language=language()))
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except typer.TyperException as exc:
            # Usage errors (exit 2) and Typer's other errors; typer vendors click, so these are its classes.
            ctx = getattr(exc, "ctx", None)
            message = translate_usage_error(exc.format_message())
            if ctx is not None and exc.exit_code == 2:
                fail(_("{message} (see `{command} --help`)").format(message=message, command=ctx.command_path))
            else:
                fail(message)
            code = exc.exit_code
        except typer.Abort:
            fail(_("aborted, nothing changed"))
            code = 1
        except ImportRejected as exc:
            fail(exc.message)
            for problem in exc.problems:
                typer.echo(f"  {problem}", err=True)
            code = exc.exit_code
        except PartsdeskError as exc:
            fail(exc.message)
            code = exc.exit_code
        except OSError as exc:
            # A file the system refuses (a name too long, a folder where a file should be, no permission): its
            # reason, not a traceback. The services name their files themselves where they can.
            where = f"{exc.filename}: " if exc.filename and len(str(exc.filename)) <= 200 else ""
            fail(_("cannot use the file: {where}{reason}").format(where=where, reason=exc.strerror or exc))
            code = 1
        except Exception as exc:
            if not _is_database_error(exc):
                raise
            # A database that cannot be reached or refuses a statement: one line, the driver's reason.
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            fail(_("database error: {reason}").format(reason=reason))
            code = 1
        _say_warnings()
        if standalone_mode:
            sys.exit(code)
        return code


def _is_database_error(exc: Exception) -> bool:
    """Whether `exc` is SQLAlchemy's: asked of the module only where it is loaded (no command that never touched
    the database can raise one), so that the TUI's first paint does not wait for SQLAlchemy's import."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


@dataclass
class CliState:
    """The global options and the database opened for this command."""

    db_option: str | None
    operator_option: str | None
    _database: Any = field(default=None, repr=False)

    def database(self, *, check_schema: bool = True):
        """The Database named by --db / PARTSDESK_DB / the per-user default, schema checked."""
        if self._database is None:
            from data.db import Database

            self._database = Database(self.url())
        if check_schema:
            self._database.check_schema()
        else:
            # Even a command that makes the schema needs the database itself: a PostgreSQL database that does
            # not exist is named here, with the command that creates it (data.db.missing_database). Not a
            # SQLite file that is not there yet: connecting would make it, 0644 and before its folder exists;
            # init and demo make it private (data.url.create_private_file).
            from data.url import sqlite_file

            path = sqlite_file(self._database.url)
            if path is None or path.exists():
                self._database.schema_revision()
        return self._database

    def close(self) -> None:
        """Close the command's connections as it ends: a pooled SQLite connection left to the garbage collector
        would checkpoint its WAL into the file whenever it is collected, even after a restore replaced the file."""
        if self._database is not None:
            self._database.dispose()
            self._database = None

    def url(self) -> str:
        """The database URL this command works on."""
        from data.url import APP_NAME, resolve_url

        return resolve_url(self.db_option, app_dir=typer.get_app_dir(APP_NAME))

    def actor(self, uow):
        """The operator acting on a write: --as or PARTSDESK_OPERATOR, PIN from the env or a hidden prompt."""
        from core.services.operators import authenticate

        code = (self.operator_option or os.environ.get(ENV_OPERATOR) or "").strip().upper()
        if not code:
            raise BadInput(_("this command changes stock or records: say who you are with --as CODE or {env}").format(
                env=ENV_OPERATOR))
        return authenticate(code, pin_for(code), uow=uow)


def pin_for(code: str) -> str:
    """An operator's PIN: PARTSDESK_PIN_<CODE>, else PARTSDESK_PIN, else asked without echo."""
    pin = os.environ.get(f"{ENV_PIN}_{code}") or os.environ.get(ENV_PIN)
    if pin:
        return pin
    return ask_pin(_("PIN for {code}").format(code=code), code)


def ask_pin(prompt: str, code: str) -> str:
    """A PIN asked without echo at a terminal; without one, the first line of the input (a script's pipe),
    and with no input at all one line saying where the PIN can come from (never getpass's warnings)."""
    if sys.stdin is not None and sys.stdin.isatty():
        return typer.prompt(prompt, hide_input=True)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line.strip():
        raise BadInput(_("no PIN for {code} and no terminal to ask it at: set {env}_{code}").format(
            code=code, env=ENV_PIN))
    return line.rstrip("\r\n")


def new_pin_for(code: str, given: str | None) -> str:
    """A new PIN for another operator: the option (the command warns about it), else PARTSDESK_PIN_<CODE>, else
    asked twice without echo; never PARTSDESK_PIN, which is the acting admin's own and would silently become the
    other's."""
    if given:
        return given
    return os.environ.get(f"{ENV_PIN}_{code}") or ask_new_pin(_("New PIN for {code}").format(code=code), code)


def ask_new_pin(prompt: str, code: str) -> str:
    """A new PIN: asked twice without echo at a terminal; without one, read as ask_pin reads a PIN."""
    if sys.stdin is not None and sys.stdin.isatty():
        return typer.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return ask_pin(prompt, code)


def state(ctx: typer.Context) -> CliState:
    """The CliState the top-level callback stored."""
    return ctx.find_root().obj


def emit_json(document: Any) -> None:
    """Print exactly one JSON document on stdout (non-ASCII kept readable).

    A list or a dict may hold iterators (a service's streamed rows, `streamed`): they are written element by
    element as they are read, so memory stays flat however long the list, and the bytes are those
    json.dumps(..., indent=2) gives for the same document built whole.
    """
    out = sys.stdout
    with reader_may_leave():
        for chunk in _json_chunks(document, 0):
            out.write(chunk)
        out.write("\n")
        out.flush()


@contextmanager
def reader_may_leave() -> Iterator[None]:
    """Output whose reader may leave before its end (`partsdesk stock list | head`): the rest is not read or
    written, and nothing is said, not even by the interpreter's last flush of stdout."""
    try:
        yield
    except BrokenPipeError:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # a stdout without a file (tests): nothing to flush into
            pass


class streamed:  # noqa: N801  (a marker wrapping an iterable, read like a type in the document it sits in)
    """An iterable of JSON values that emit_json writes as a list, one element at a time."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        """Wrap the iterable (a generator the command's read unit feeds)."""
        self.items = items


def _json_chunks(value: Any, depth: int) -> Iterator[str]:
    """The text of `value` as json.dumps(indent=2, ensure_ascii=False) writes it at nesting `depth`, in pieces."""
    if isinstance(value, streamed):
        yield from _json_list(value.items, depth)
    elif isinstance(value, dict) and any(isinstance(v, streamed) for v in value.values()):
        if not value:
            yield "{}"
            return
        inner = "\n" + "  " * (depth + 1)
        first = True
        for key, item in value.items():
            yield ("{" if first else ",") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from _json_chunks(item, depth + 1)
            first = False
        yield "\n" + "  " * depth + "}"
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        # A JSON string never holds a raw newline: every newline is the layout's, indented to this depth.
        yield text.replace("\n", "\n" + "  " * depth) if depth else text


def _json_list(items: Iterable[Any], depth: int) -> Iterator[str]:
    inner = "\n" + "  " * (depth + 1)
    first = True
    buffer: list[str] = []
    for item in items:
        buffer.append(("[" if first else ",") + inner)
        buffer.extend(_json_chunks(item, depth + 1))
        first = False
        if len(buffer) >= 512:  # written in slices: one write per element costs more than the encoding
            yield "".join(buffer)
            buffer.clear()
    if first:
        yield "[]"
        return
    buffer.append("\n" + "  " * depth + "]")
    yield "".join(buffer)


def iso(at: datetime) -> str:
    """An instant in ISO 8601 with its UTC offset."""
    return at.isoformat()


def local(at: datetime) -> str:
    """An instant in the station's local time, to the minute, for tables."""
    # strftime's text, built without it: a ledger of 100k moves calls this once a row.
    there = at.astimezone()
    return f"{there.year:04d}-{there.month:02d}-{there.day:02d} {there.hour:02d}:{there.minute:02d}"


def local_from_utc() -> Callable[[datetime], str]:
    """A function giving local()'s text of an instant stored as naive UTC (a listing's raw rows), for many rows.

    The station's offset from UTC is asked once a UTC day and reused for the day's rows where it is the same at
    the day's first and last microsecond (a day holds at most one change of offset); on a day that changes it,
    each row is asked, as local() asks. The text is local()'s to the minute.
    """
    from datetime import timedelta, timezone

    offsets: dict[Any, Any] = {}
    day_end = timedelta(days=1, microseconds=-1)

    def text(at: datetime) -> str:
        day = at.date()
        offset = offsets.get(day, False)
        if offset is False:
            start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
            first = start.astimezone().utcoffset()
            offset = first if (start + day_end).astimezone().utcoffset() == first else None
            offsets[day] = offset
        if offset is None:
            return local(at.replace(tzinfo=timezone.utc))
        return (at + offset).isoformat(" ", "minutes")

    return text


def iso_from_utc(at: datetime) -> str:
    """iso()'s text of an instant stored as naive UTC."""
    return at.isoformat() + "+00:00"


# The environment variable that turns the pager off ("off", "0", "no", "cat") or names the pager to use.
ENV_PAGER = "PARTSDESK_PAGER"
_PAGER_OFF = {"off", "0", "no", "none", "false", "cat"}
# Rows read before the columns' widths are fixed: a longer value after them is printed whole, never cut.
WIDTH_WINDOW = 1000
# Table lines joined into one piece of output (table_chunks).
TABLE_CHUNK = 256


def pager_command(environ: dict[str, str] | None = None) -> str | None:
    """The pager long text output goes through on a terminal: PARTSDESK_PAGER, else PAGER, else `less -FRX`;
    None when PARTSDESK_PAGER turns it off or stdout is not a terminal (a pipe or a file gets the text as it is)."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(ENV_PAGER, "").strip()
    if chosen.lower() in _PAGER_OFF:
        return None
    if not sys.stdout.isatty():
        return None
    return chosen or environ.get("PAGER", "").strip() or "less -FRX"


@contextmanager
def output() -> Iterator[Callable[[str], None]]:
    """A function that writes one line of text output: through the pager at a terminal, else to stdout.

    The pager reads the lines as they are written, so the first page shows while the rest is still read. A
    pager quit early (q in less) ends the output quietly.
    """
    command = pager_command()
    if command is None:
        out = sys.stdout
        buffer: list[str] = []
        held = 0

        def write(line: str) -> None:
            # Written 8 KB or more at a time: one write per line costs more than the line (a writer may hand
            # several lines joined, as table_chunks gives them, or one).
            nonlocal held
            buffer.append(line)
            held += len(line)
            if held >= 8192 or len(buffer) >= 256:
                out.write("\n".join(buffer) + "\n")
                buffer.clear()
                held = 0

        with reader_may_leave():
            try:
                yield write
            finally:
                # What was read before an error is shown too; the error's line follows it on stderr.
                if buffer:
                    out.write("\n".join(buffer) + "\n")
                out.flush()
        return
    import subprocess

    environ = dict(os.environ)
    environ.setdefault("LESSCHARSET", "utf-8")
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=environ, encoding="utf-8",
                             errors="replace")
    closed = False

    def to_pager(line: str) -> None:
        nonlocal closed
        if closed:
            return
        try:
            pager.stdin.write(line + "\n")
        except BrokenPipeError:  # the reader quit the pager: nothing more to show
            closed = True

    try:
        yield to_pager
    finally:
        try:
            pager.stdin.close()
        except BrokenPipeError:
            pass
        pager.wait()


def table(title: str | None, columns: list[str], rows: Iterable[list[Any]], right: set[int] | None = None) -> None:
    """A readable table on stdout, written as its rows are read (through the pager at a terminal).

    The columns' widths are those of the header and the first WIDTH_WINDOW rows, Chinese counted double
    (core.textwidth); a later, longer value is printed whole. The look is the one Rich drew before.
    """
    with output() as write:
        for chunk in table_chunks(title, columns, rows, right):
            write(chunk)


def write_table(write: Callable[[str], None], title: str | None, columns: list[str], rows: Iterable[list[Any]],
                right: set[int] | None = None) -> None:
    """The lines of a table, each given to `write`: header, rule and one line a row (see `table`)."""
    for chunk in table_chunks(title, columns, rows, right):
        for line in chunk.split("\n"):
            write(line)


def table_chunks(title: str | None, columns: list[str], rows: Iterable[list[Any]],
                 right: set[int] | None = None) -> Iterator[str]:
    """The lines of a table (see `table`) as they are read, several joined by newlines at a time: one write of
    many lines costs less than a call per line."""
    from core.textwidth import cell_width

    right = right or set()
    rights = [index in right for index in range(len(columns))]
    iterator = iter(rows)
    window: list[list[str]] = []
    for row in iterator:
        window.append(["" if v is None else str(v) for v in row])
        if len(window) >= WIDTH_WINDOW:
            break
    widths = [cell_width(c) for c in columns]
    for cells in window:
        for index, cell in enumerate(cells):
            width = cell_width(cell)
            if width > widths[index]:
                widths[index] = width

    def line(cells: list[str], sep: str) -> str:
        parts = []
        for cell, width, to_right in zip(cells, widths, rights, strict=True):
            if cell.isascii():  # one column a character: str's own padding (a longer value is left whole)
                parts.append(" " + (cell.rjust(width) if to_right else cell.ljust(width)) + " ")
            else:
                gap = " " * (width - cell_width(cell))
                parts.append(f" {gap}{cell} " if to_right else f" {cell}{gap} ")
        return sep.join(parts)

    # An ASCII row is one str.format of a pattern made once: the padding `line` gives such a row, in C (a
    # longer value is left whole by a format's width too). Anything else (a Chinese name, None, a number)
    # goes through `line`.
    fast = "│".join(" {:" + (">" if to_right else "<") + str(width) + "} " for width, to_right in zip(
        widths, rights, strict=True))
    count = len(columns)
    lines: list[str] = []
    if title:
        total = sum(widths) + 3 * len(widths) - 1
        pad = max(total - cell_width(title), 0)
        lines.append((" " * (pad // 2) + title + " " * (pad - pad // 2)).rstrip())
    lines.append(line(list(columns), "┃"))
    lines.append("╇".join("━" * (w + 2) for w in widths))
    lines.extend(line(cells, "│") for cells in window)
    del window
    for row in iterator:
        try:
            ascii_only = "".join(row).isascii() and len(row) == count  # TypeError: a cell that is not a str
        except TypeError:
            ascii_only = False
        if ascii_only:
            lines.append(fast.format(*row))
        else:
            lines.append(line(["" if v is None else str(v) for v in row], "│"))
        if len(lines) >= TABLE_CHUNK:
            yield "\n".join(lines)
            lines.clear()
    if lines:
        yield "\n".join(lines)


def say(message: str) -> None:
    """One line of human output."""
    typer.echo(message)


def translate_help(app: typer.Typer) -> None:
    """Pass every command's help (its docstring's first paragraph) through gettext, like every other string."""
    for command in app.registered_commands:
        if command.help is None and command.callback and command.callback.__doc__:
            command.help = _(docstring_help(command.callback.__doc__))
    for group in app.registered_groups:
        translate_help(group.typer_instance)


def write_text(text: str, out: Path | None, *, force: bool = False) -> None:
    """A printable document to a file (written whole or not at all; an existing one only with `force`) or to the
    screen."""
    if out is None:
        typer.echo(text, nl=False)
        return
    from core.files import write_file

    write_file(out, text.encode("utf-8"), force=force)
    say(_("written to {path}").format(path=out))
