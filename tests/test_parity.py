"""CLI ↔ screen parity: every CLI write command a role may use is done by a workflow's screen (its row's
`commands=`), and both READMEs hold the table made from the registry."""

from __future__ import annotations

import typer

from screens.parity import listed_commands
from tui.parity import EXCLUDED, READMES, ROOT, block_in, cli_commands, generated_block, is_write, write_commands

# Commands whose screens other helpers are building right now, each on its branch: the merger empties this as
# their rows land (test_pending_is_emptied_as_the_rows_list_them fails on one a row lists).
PENDING: dict[str, str] = {
}
# Write commands a role uses that no screen does yet and no branch is building: what is missing, honestly.
GAPS: dict[str, str] = {
}


def test_every_write_command_a_role_may_use_has_a_screen():
    listed = listed_commands()
    missing = [name for name in write_commands()
               if name not in listed and name not in EXCLUDED and name not in PENDING and name not in GAPS]
    assert not missing, (
        "CLI write commands no workflow row lists in commands= (screens/workflows.py): " + ", ".join(missing)
        + "; list each on the row whose screen does it with the same core service, or give a reason in "
          "tui.parity.EXCLUDED")


def test_the_rows_list_only_write_commands_of_the_cli():
    assert sorted(listed_commands() - set(write_commands())) == []


def test_the_exceptions_name_write_commands_that_no_row_lists():
    writes, listed = set(write_commands()), listed_commands()
    for name in [*EXCLUDED, *GAPS]:
        assert name in writes, f"{name}: not a write command of the CLI"
        assert name not in listed, f"{name}: a row lists it, so it is no exception"


def test_pending_is_emptied_as_the_rows_list_them():
    assert sorted(set(PENDING) & listed_commands()) == []


def test_the_classification_knows_a_write_from_a_read():
    commands = {command.name: command for command in cli_commands()}
    for write in ("stock adjust", "transfer check", "issue", "backup", "po export", "print ro", "label sheet",
                  "return take"):
        assert commands[write].writes, write
    for read in ("stock list", "stock check", "db check", "part search", "po transit", "receive discrepancy",
                 "stocktake sheet", "report", "audit", "ledger"):
        assert not commands[read].writes, read
    assert commands["return take"].hidden


def test_groups_nest_and_check_is_the_second_persons_check():
    app, sale, price, rule = typer.Typer(), typer.Typer(), typer.Typer(), typer.Typer()
    sale.command("check")(lambda: None)
    sale.command("list")(lambda: None)
    rule.command("set")(lambda: None)
    price.add_typer(rule, name="rule")
    app.add_typer(sale, name="sale")
    app.add_typer(price, name="price")
    assert write_commands(app) == ["sale check", "price rule set"]
    assert not is_write("price rule list")


def test_both_readmes_hold_the_table_made_from_the_registry():
    for name, language in READMES.items():
        held = block_in((ROOT / name).read_text(encoding="utf-8"))
        assert held == generated_block(language), f"{name}: run `python -m tui.parity --write`"
