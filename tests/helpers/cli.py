"""The CLI in tests: a database file driven only through typer's CliRunner, and checks of its output."""

from __future__ import annotations

import json

from sqlalchemy import text
from typer.testing import CliRunner

from data.db import Database
from tui.cli import app_for

runner = CliRunner()


def invoke(args: list[str], **kwargs):
    """Run a command line in this process as the console script runs it (tui.cli.main): on the app built for
    that line (tui.cli.app_for), not on the whole app, which typer builds afresh on every run (a tenth of a
    second each: the suite runs thousands)."""
    args = list(args)
    return runner.invoke(app_for(args), args, **kwargs)


class Station:
    """A database file driven only through the CLI."""

    def __init__(self, path):
        """A station in the SQLite file at `path` (not created yet)."""
        self.path = path

    def run(self, *args: str, as_: str | None = None, pin: str | None = None, input: str | None = None):
        """Run one command on the file, signed in as `as_` (PIN 1234 unless given), with nothing from the shell."""
        env = {"PARTSDESK_OPERATOR": "", "PARTSDESK_PIN": "", "PARTSDESK_DB": ""}
        if as_:
            env["PARTSDESK_OPERATOR"] = as_
            env["PARTSDESK_PIN"] = pin or "1234"
        line = ["--db", str(self.path), *args]
        # The app the console script builds for this line (tui.cli.app_for): only the command or group it runs.
        return runner.invoke(app_for(line), line, env=env, input=input)

    def json(self, *args: str, **kwargs):
        """Run a command with --json; it must succeed, and its output is the one JSON document."""
        result = self.run(*args, "--json", **kwargs)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def count(self, table: str) -> int:
        """How many rows a table holds now."""
        database = Database(f"sqlite:///{self.path}")
        with database.engine.connect() as conn:
            value = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        database.dispose()
        return value


def refused(result, code: int, message: str) -> None:
    """The command failed with this exit code and one clear line on stderr, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    first = result.stderr.splitlines()[0]
    assert first.startswith("partsdesk: ") and message in first, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def numbers_are_strings(document) -> None:
    """No JSON number anywhere: quantities, money and ids are strings in plain notation."""
    if isinstance(document, dict):
        for value in document.values():
            numbers_are_strings(value)
    elif isinstance(document, list):
        for value in document:
            numbers_are_strings(value)
    else:
        assert document is None or isinstance(document, (str, bool)), document
