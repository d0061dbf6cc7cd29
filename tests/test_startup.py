"""Start-up stays light: what the CLI and the TUI import before they work, and the app the console script builds.

Guards of the imports, never timings (tests/bench/bench_startup.py measures): each module named here cost tens to
hundreds of milliseconds of a CLI read or of the login's first paint when it was loaded up front.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers.tui import SIZE, make_app, until
from tui.cli import app, app_for, command_named

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
# Neither a CLI command nor the login needs these before it works.
HEAVY = ("textual", "rich", "alembic", "babel", "reportlab", "fpdf", "barcode", "pypinyin", "openpyxl")


def loaded_after(code: str) -> list[str]:
    """The modules a fresh interpreter holds after running `code` (at the repository's root)."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def tops(modules: list[str]) -> set[str]:
    """The top-level packages among module names."""
    return {name.split(".")[0] for name in modules}


def test_importing_the_cli_loads_no_ui_no_database_stack_and_no_tables():
    modules = loaded_after("import tui.cli")
    assert tops(modules) & {*HEAVY, "sqlalchemy", "sqlmodel", "pydantic", "screens", "data"} == set()
    assert [m for m in modules if m.startswith(("core.models", "core.services", "core.records", "core.printing"))] == []


def test_the_tui_starts_without_the_database_stack_or_pydantic():
    # Up to the moment the app would run: the CLI has parsed --db and chosen the language.
    modules = loaded_after(
        "import sys, tui.cli, tui.app\n"
        "tui.app.run = tui.cli.leave = lambda code: None\n"
        "sys.argv = ['partsdesk', '--db', 'nowhere.sqlite']\n"
        "tui.cli.main()")
    assert tops(modules) & {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "pypinyin"} == set()
    assert [m for m in modules if m.startswith(("data.", "core.")) and m != "data.url"] == [
        m for m in loaded_after("import tui.cli, tui.app") if m.startswith(("data.", "core."))]


def test_the_app_module_imports_the_login_and_no_other_screen():
    screens = {m for m in loaded_after("import tui.app") if m.startswith("screens.") and
               not m.startswith("screens.widgets")}
    # The login, the key names and words, the palette's commands and the workflows' registry (its rules load later).
    assert screens <= {"screens.login", "screens.keys", "screens.key_words", "screens.commands", "screens.language",
                       "screens.workflows"}, screens


# No command needs typer's pydantic adapters: its coercion of plain text, yes/no and in-range whole numbers is
# skipped (tui.cli_params). Nor a model class: the statements' tables are core.table_defs' Core tables, so a read
# loads neither sqlmodel nor pydantic (the enumerations live apart, in core.models.enums).
NOT_FOR_A_COMMAND = ("typer._adapters", "sqlmodel", "pydantic", "pydantic_core")
MODEL_MODULES = tuple(f"core.models.{area}" for area in (
    "audit", "counter", "planning", "pricing", "receiving", "sales", "stock", "stocktake", "supersession", "transfer"))


def read_modules(station: Path, *args: str) -> list[str]:
    """The modules a console script run of `partsdesk --db STATION ARGS...` holds at its end (it must succeed)."""
    return loaded_after(
        "import sys, tui.cli\n"
        "def leave(code):\n    assert not code, code\n"
        "tui.cli.leave = leave\n"
        f"sys.argv = ['partsdesk', '--db', {str(station)!r}, *{list(args)!r}]\n"
        "tui.cli.main()")


@pytest.fixture(scope="module")
def demo_station(tmp_path_factory) -> tuple[Path, str]:
    """A small demo station and the number of one of its parts."""
    station = tmp_path_factory.mktemp("startup") / "station.sqlite"
    assert runner.invoke(app, ["--db", str(station), "demo", "--parts", "12"]).exit_code == 0
    found = runner.invoke(app, ["--db", str(station), "stock", "list", "--json"])
    return station, json.loads(found.stdout)[0]["part_no"]


@pytest.mark.parametrize("args", [["part", "show", "{part}", "--json"], ["part", "show", "{part}"],
                                  ["stock", "list", "--json"], ["part", "search", "{part}", "--limit", "5", "--json"],
                                  ["ledger", "{part}", "--json"]])
def test_a_cli_read_builds_no_typer_adapter_and_no_model_class(demo_station, args):
    station, part_no = demo_station
    modules = read_modules(station, *[arg.format(part=part_no) for arg in args])
    assert [m for m in modules if m.startswith(NOT_FOR_A_COMMAND)] == []
    assert [m for m in modules if m.startswith(MODEL_MODULES)] == []
    assert "sqlalchemy" in modules  # the read did reach the database


def test_a_cli_read_loads_only_what_it_needs(tmp_path):
    station = tmp_path / "station.sqlite"
    assert runner.invoke(app, ["--db", str(station), "init", "--admin", "ADMIN", "--pin", "1234"]).exit_code == 0
    modules = read_modules(station, "stock", "list", "--json")
    assert tops(modules) & {*HEAVY, "screens"} == set()
    # No migration machinery for a station at the right revision, and no table of an area the command never reads.
    assert not [m for m in modules if m.startswith(("data.migrations.versions", "core.models.receiving",
                                                    "core.models.planning", "core.models.audit"))]


@pytest.mark.parametrize(("args", "named"), [
    ([], None),
    (["--db", "x.sqlite"], None),
    (["--db", "x.sqlite", "--as", "STORE1", "--lang", "zh_CN", "part", "show", "P"], "part"),
    (["--db=x.sqlite", "--lang=en", "stock", "list"], "stock"),
    (["ledger", "P"], "ledger"),
    (["--help"], "--"),
    (["--db", "x.sqlite", "--version"], "--"),
    (["--", "part"], "--"),
])
def test_the_command_a_line_names(args, named):
    assert command_named(args) == named


def test_the_console_script_builds_only_the_group_or_command_it_runs():
    part = app_for(["--db", "x.sqlite", "part", "show", "P"])
    assert [g.name for g in part.registered_groups] == ["part"] and part.registered_commands == []
    # Of the group, only the command the line names.
    assert [c.name for c in part.registered_groups[0].typer_instance.registered_commands] == ["show"]
    # A command another module registers into the group is found there too (cli_planning's set-supplier).
    supplier = app_for(["part", "set-supplier", "P", "S"])
    assert [c.name for c in supplier.registered_groups[0].typer_instance.registered_commands] == ["set-supplier"]
    # A group followed by anything but one of its commands' names gets the whole group, for its help and errors.
    for line in (["part", "--help"], ["part", "shw", "P"], ["part"]):
        group = app_for(line).registered_groups[0].typer_instance
        assert len(group.registered_commands) > 1, line
    assert len(part_app_commands()) == len(app_for(["part"]).registered_groups[0].typer_instance.registered_commands)
    ledger = app_for(["ledger", "P"])
    assert ledger.registered_groups == [] and [c.callback.__name__ for c in ledger.registered_commands] == ["ledger"]
    tui = app_for(["--db", "x.sqlite"])
    assert tui.registered_groups == [] and tui.registered_commands == []
    assert app_for(["--help"]) is app and app_for(["prt"]) is app  # help and suggestions need every command
    assert len(app.registered_groups) > 1  # the full app is left whole


def part_app_commands() -> list:
    """The commands registered in the whole app's `part` group."""
    return next(g for g in app.registered_groups if g.name == "part").typer_instance.registered_commands


@pytest.mark.parametrize("args", [
    ["part", "--help"],
    ["part", "show", "--help"],
    ["part", "show"],
    ["part", "show", "X", "Y"],
    ["part", "show", "X", "--bad"],
    ["part", "shw", "X"],
    ["part", "search", "X", "--limit", "abc"],
    ["part", "search", "X", "--limit", "0"],
    ["--lang", "zh_CN", "part", "search", "X", "--limit", "0"],
    ["stock", "list", "--bad"],
    ["--lang", "zh_CN", "stock", "--help"],
    ["--lang", "xx", "part", "show", "X"],
    ["ledger", "--help"],
    ["issue", "--help"],
    ["--db", "/nonexistent/folder/x.sqlite", "part", "show", "X"],
])
def test_the_built_app_speaks_as_the_whole_app(args):
    whole = runner.invoke(app, args, env={"PARTSDESK_DB": "", "PARTSDESK_LANG": ""})
    built = runner.invoke(app_for(args), args, env={"PARTSDESK_DB": "", "PARTSDESK_LANG": ""})
    assert (built.exit_code, built.stdout, built.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


async def test_the_login_reads_its_own_styles_and_the_desk_reads_the_rest_on_the_first_other_screen(db):
    from tui import app as app_module

    desk = [str(app_module._STYLES / name) for name in app_module._DESK_STYLES]
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.database_ready, "the database open")
        assert not any(app.stylesheet.has_source(path, "") for path in desk)
        await pilot.press("f1")  # the keys dialog, from the login
        await until(pilot, lambda: len(app.screen_stack) > 1, "the keys dialog")
        assert all(app.stylesheet.has_source(path, "") for path in desk)


def run_python(code: str) -> subprocess.CompletedProcess:
    """A fresh interpreter running `code` at the repository's root, its output captured."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)


def test_the_console_script_ends_with_the_commands_code_its_output_whole_and_the_exit_handlers_run(tmp_path):
    station, marker = tmp_path / "station.sqlite", tmp_path / "atexit-ran"
    assert runner.invoke(app, ["--db", str(station), "init", "--admin", "ADMIN", "--pin", "1234"]).exit_code == 0

    def console(*args: str) -> subprocess.CompletedProcess:
        return run_python(
            "import atexit, pathlib, sys, tui.cli\n"
            f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
            f"sys.argv = ['partsdesk', '--db', {str(station)!r}, *{list(args)!r}]\n"
            "tui.cli.main()")

    done = console("operator", "list", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)[0]["code"] == "ADMIN"  # every line of it, flushed
    assert marker.read_text() == "yes"
    marker.unlink()
    refused = console("part", "show", "NOPE")
    assert refused.returncode == 2 and refused.stderr.startswith("partsdesk: unknown part number NOPE")
    assert marker.read_text() == "yes"
    assert console("part", "show").returncode == 2  # a usage error


def test_leaving_says_a_message_exit_and_leaves_running_threads_to_pythons_exit(tmp_path):
    said = run_python("from tui.cli import leave\nleave('partsdesk: stopped')")
    assert (said.returncode, said.stderr.strip()) == (1, "partsdesk: stopped")
    marker = tmp_path / "thread-ran"
    # The thread is blocked on the lock when leave() looks, and may finish only after: Python's exit waits for it.
    waited = run_python(
        "import pathlib, threading\nfrom tui.cli import leave\n"
        "lock = threading.Lock()\nlock.acquire()\n"
        "def work():\n    with lock:\n"
        f"        pathlib.Path({str(marker)!r}).write_text('done')\n"
        "threading.Thread(target=work).start()\n"
        "try:\n    leave(3)\nfinally:\n    lock.release()")
    assert waited.returncode == 3 and marker.read_text() == "done"


def test_plain_parameters_pass_as_typed_and_every_other_value_goes_to_typers_coercion():
    from typer import BadParameter
    from typer._coercion import AdapterRuntimeParam, resolve_type_descriptor
    from typer.models import ArgumentInfo, OptionInfo

    from tui.cli_params import PlainRuntimeParam, runtime_param

    text = runtime_param(resolve_type_descriptor(str, ArgumentInfo()))
    flag = runtime_param(resolve_type_descriptor(bool, OptionInfo()))
    assert isinstance(text, PlainRuntimeParam) and isinstance(flag, PlainRuntimeParam)
    value = "5C6 941 005B"
    assert text._coerce_value(value, param=None, ctx=None) is value
    assert flag._coerce_value(True, param=None, ctx=None) is True
    # A value of another type is typer's to coerce, exactly as before: bytes decoded, words read as a yes/no.
    assert text._coerce_value(b"P1", param=None, ctx=None) == "P1"
    assert flag._coerce_value("yes", param=None, ctx=None) is True
    # A whole number within the range passes as an int; any other is typer's (its range check and its words).
    count = runtime_param(resolve_type_descriptor(int, OptionInfo(min=1, max=1000)))
    assert count._coerce_value("50", param=None, ctx=None) == 50 and count._coerce_value(7, param=None, ctx=None) == 7
    for refused in ("0", "1001", "abc", "-3"):
        with pytest.raises(BadParameter):
            count._coerce_value(refused, param=None, ctx=None)
    for other in ("0050", " 50"):  # typer's reading of them, through pydantic
        assert count._coerce_value(other, param=None, ctx=None) == 50
    # Paths, lists, decimals and parsers keep typer's own coercion.
    assert isinstance(runtime_param(resolve_type_descriptor(str, OptionInfo(parser=str.upper))), AdapterRuntimeParam)
    assert isinstance(runtime_param(resolve_type_descriptor(list[str], OptionInfo())), AdapterRuntimeParam)


def test_a_number_option_is_still_checked_by_typer(tmp_path):
    refused = runner.invoke(app, ["--db", str(tmp_path / "s.sqlite"), "part", "search", "X", "--limit", "0"])
    assert refused.exit_code == 2 and "--limit" in refused.stderr
