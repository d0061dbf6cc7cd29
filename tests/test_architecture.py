"""The layers hold: import-linter's contracts pass, and the CLI starts without Textual."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # The contracts really ran (a config error or an empty config would not print these).
    assert "Contracts: 5 kept, 0 broken." in result.stdout, result.stdout


def test_the_cli_does_not_load_textual_or_the_database_stack_at_import():
    code = "import sys, tui.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'screens')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
