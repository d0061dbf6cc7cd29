"""The test suite's own shape: shared code lives in tests/helpers (or conftest.py fixtures), so no test module
imports another test module or conftest.py, and a test can move or go without breaking its neighbours."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imported_modules(path: Path) -> list[str]:
    """Every module a file imports, absolute names, wherever the import stands (inside functions too)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_test_module_imports_another_test_module_or_conftest():
    offending = []
    for path in sorted(TESTS.rglob("*.py")):
        if ".venv" in path.parts or "__snapshots__" in path.parts:
            continue
        for name in _imported_modules(path):
            parts = name.split(".")
            if parts[0] == "tests" and len(parts) > 1 and (parts[1].startswith("test_") or parts[1] == "conftest"):
                offending.append(f"{path.relative_to(TESTS)} imports {name}")
    assert offending == [], "move what they share to tests/helpers or a conftest.py fixture:\n" + "\n".join(offending)


def test_a_printer_catcher_stays_short_at_a_long_clone_path(tmp_path, monkeypatch):
    """The printer commands the tests set are short wherever the clone, its interpreter and tmp_path are."""
    import sys

    from core.printing.output import send_to_printer
    from tests.helpers.printer import short_programs

    deep = tmp_path.joinpath(*["a-long-clone-path-segment" * 2] * 6)
    deep.mkdir(parents=True)
    python = deep / "python"  # an interpreter in a deep virtual environment
    python.symlink_to(sys.executable)
    monkeypatch.setattr(sys, "executable", str(python))
    spooled = deep / "spooled.txt"
    assert len(str(spooled)) > 300 and len(str(python)) > 300
    with short_programs(monkeypatch) as programs:
        catcher = programs.catcher(spooled)
        assert len(catcher) <= 60, catcher  # far under the 200 characters printer_command once allowed
        send_to_printer("采购订单 slip".encode(), catcher)
    assert spooled.read_text(encoding="utf-8") == "采购订单 slip"
