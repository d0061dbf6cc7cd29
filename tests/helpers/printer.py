"""Printer commands for tests that stay short wherever the project is cloned and wherever its temporary folders
are: the program lives in a short-named folder under /tmp, and the file it writes is named by an environment
variable, never spelled out in the command (a station's printer_command is a bounded setting)."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SPOOL_ENV = "PARTSDESK_TEST_SPOOL"
CATCH = "import os,sys\nwith open(os.environ['PARTSDESK_TEST_SPOOL'],'wb') as f:f.write(sys.stdin.buffer.read())\n"


class ShortPython:
    """Python programs run as short commands: `<folder>/py <folder>/N.py`, the folder a short one under /tmp."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Programs in `folder`; `monkeypatch` sets the spool file's variable for this test only."""
        self.folder = folder
        self.monkeypatch = monkeypatch
        self.python = folder / "py"
        # A link to this interpreter, so that a deep virtual environment does not lengthen the command.
        self.python.symlink_to(sys.executable)
        self.count = 0

    def command(self, program: str) -> str:
        """A command line that runs `program` (stdlib only) with this Python."""
        self.count += 1
        script = self.folder / f"{self.count}.py"
        script.write_text(program, encoding="utf-8")
        return shlex.join([str(self.python), str(script)])

    def catcher(self, spooled: Path) -> str:
        """A printer command that writes what it is sent to `spooled` (named through SPOOL_ENV)."""
        self.monkeypatch.setenv(SPOOL_ENV, str(spooled))
        return self.command(CATCH)


def short_folder() -> Path:
    """A new folder with a short name: under /tmp where it exists, else the system's temporary folder."""
    root = "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else tempfile.gettempdir()
    return Path(tempfile.mkdtemp(prefix="pd", dir=root))


@contextmanager
def short_programs(monkeypatch: pytest.MonkeyPatch) -> Iterator[ShortPython]:
    """Short printer commands for one test (see ShortPython), their folder removed after it."""
    folder = short_folder()
    try:
        yield ShortPython(folder, monkeypatch)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
