"""CLI ↔ screen parity: every command of the typer app, which of them write, and the README's table of where the
desk does each write command (`python -m tui.parity --write` puts it in both READMEs).

A command is named as it is typed, its groups first: "stock adjust", "price rule set", "issue". `print KIND
NUMBER` is one command per paper ("print ro", "print sale"): each paper is printed from its own screen.

The rule that sorts them: a command is a read when its verb only shows what the database holds (READ_VERBS:
list, show, search, ...), and a write when it changes the database or hands something out of the desk: an
order file exported, a backup, and every `print` and `label` command (PAPER_GROUPS: paper). `check` is both a
verb of verifying and the second person's check (二审): it reads in `db check` and `stock check` (VERIFYING)
and writes everywhere else. A read that can also write a file on the side (`report --out`, `receive slip
--out`) stays a read: the file is a copy of what it shows; the paper is `print KIND`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import typer

from screens.keys import label as key_label
from screens.parity import covering_rows

# Verbs that only show what the database holds: their commands are reads.
READ_VERBS = frozenset({
    "list", "show", "search", "status", "verify", "pending", "reasons", "sheet", "ledger", "forecast", "report",
    "audit", "transit", "putaway", "slip", "discrepancy",
})
# `check` that verifies the database (the rest of the checks are the second person's 二审, a write).
VERIFYING = frozenset({"db check", "stock check"})
# Groups whose every command hands out paper: writes whatever their verb (`label sheet` is an A4 of labels).
PAPER_GROUPS = frozenset({"label", "print"})
# Write commands that belong to scripts and setting up, never to the desk, each with why.
EXCLUDED: dict[str, str] = {
    "init": "creates the schema and the first admin, before there is a desk to sign in to",
    "demo": "fills a database with the demo station: not the station's own work",
    "db upgrade": "brings the schema to the installed version, once per upgrade, with the desks closed",
    "restore": "replaces the database under every desk: done with the desks closed, from a shell",
    "part import": "the maker's parts master, up to a million rows: a batch job for a shell or a schedule",
    "part import-supersessions": "the maker's supersession file: a batch job like part import",
}
ROOT = Path(__file__).resolve().parents[1]
READMES = {"README.md": "en", "README.zh-CN.md": "zh"}
BEGIN = "<!-- parity table: made by `python -m tui.parity --write` from screens/workflows.py; do not edit -->"
END = "<!-- end of the parity table -->"
_HEADERS = {"en": ("command", "screen", "key"), "zh": ("命令", "界面", "按键")}
_CLI_ONLY = {"en": "On the command line only (scripts and setting up): ", "zh": "仅在命令行（脚本与安装）："}


@dataclass(frozen=True, slots=True)
class CliCommand:
    """One command of the CLI: its name as typed, its verb (the registered command's own name), its help's first
    line and whether --help hides it."""

    name: str
    verb: str
    summary: str
    hidden: bool = False

    @property
    def writes(self) -> bool:
        """Whether the command changes the database or hands something out (the module's rule)."""
        return is_write(self.name, self.verb)


def is_write(name: str, verb: str | None = None) -> bool:
    """Whether the command named `name` (verb: its last word unless given) is a write, by the module's rule."""
    if name.split()[0] in PAPER_GROUPS:
        return True
    if name in VERIFYING:
        return False
    return (verb or name.split()[-1]) not in READ_VERBS


def cli_commands(app: typer.Typer | None = None) -> list[CliCommand]:
    """Every command of the typer app (tui.cli's by default) and its groups, `print` once per paper."""
    if app is None:
        from tui.cli import app
    return list(_walk(app, ()))


def write_commands(app: typer.Typer | None = None) -> list[str]:
    """The names of the CLI's write commands, in the app's order."""
    return [command.name for command in cli_commands(app) if command.writes]


def _walk(group: typer.Typer, prefix: tuple[str, ...]) -> Iterator[CliCommand]:
    for info in group.registered_commands:
        verb = info.name or info.callback.__name__.lower().replace("_", "-")
        doc = info.help or info.callback.__doc__ or ""
        summary = doc.strip().splitlines()[0] if doc.strip() else ""
        names = [" ".join((*prefix, verb))]
        if not prefix and verb == "print":
            from tui.cli_print import PAPERS

            names = [f"print {paper}" for paper in PAPERS]
        for name in names:
            yield CliCommand(name, verb, summary, bool(info.hidden))
    for sub in group.registered_groups:
        yield from _walk(sub.typer_instance, (*prefix, sub.name))


def table_lines(language: str = "en") -> list[str]:
    """The README's table: each write command a workflow's screen does, the screens and their keys (as the desk
    shows them: ⇧F2), then the commands left to the command line."""
    head = _HEADERS[language]
    lines = [f"| {head[0]} | {head[1]} | {head[2]} |", "| --- | --- | --- |"]
    for command, rows in sorted(covering_rows().items()):
        screens = ", ".join(f"{row.title} {row.title_zh}" for row in rows)
        shown_keys = ", ".join(key_label(row.key) for row in rows)
        lines.append(f"| `{command}` | {screens} | {shown_keys} |")
    lines += ["", _CLI_ONLY[language] + ", ".join(f"`{name}`" for name in sorted(EXCLUDED)) + "."]
    return lines


def generated_block(language: str = "en") -> str:
    """The README's whole generated block, its markers included."""
    return "\n".join([BEGIN, *table_lines(language), END])


def block_in(text: str) -> str | None:
    """The generated block as a README holds it (None when it has none)."""
    found = re.search(re.escape(BEGIN) + r".*?" + re.escape(END), text, re.S)
    return found.group(0) if found else None


def write_readmes(root: Path = ROOT) -> list[str]:
    """Put the generated table in each README in place of the one it holds; the READMEs changed."""
    changed = []
    for name, language in READMES.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        old = block_in(text)
        if old is None:
            raise SystemExit(f"{name}: no parity table markers ({BEGIN})")
        new = generated_block(language)
        if old != new:
            path.write_text(text.replace(old, new), encoding="utf-8")
            changed.append(name)
    return changed


def main(argv: list[str] | None = None) -> None:
    """Print the English table, or with --write put the tables in both READMEs."""
    parser = argparse.ArgumentParser(prog="python -m tui.parity", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the table in README.md and README.zh-CN.md")
    args = parser.parse_args(argv)
    if args.write:
        for name in write_readmes():
            print(f"{name} rewritten")
    else:
        sys.stdout.write(generated_block("en") + "\n")


if __name__ == "__main__":
    main()
