"""Getting printed matter out: a file written whole or not at all, and the station's printer command."""

from __future__ import annotations

import shlex
import subprocess

from core.errors import PartsdeskError
from core.files import write_file  # noqa: F401  (the printing package's callers use it from here)
from core.i18n import _

PRINTER_TIMEOUT = 60  # seconds; a spooler that takes longer is stuck, and the desk must not hang on it


class PrinterFailed(PartsdeskError):
    """The printer command is missing, could not start, or said no; what was written stays written."""

    exit_code = 1


class NoPrinterCommand(PrinterFailed):
    """No printer command is set: the CLI says the command that sets one, a screen says where the admin sets it."""


def checked_command(command: str) -> str:
    """The printer command of the settings, or NoPrinterCommand saying how to set one."""
    if not command.strip():
        raise NoPrinterCommand(_("no printer command is set: partsdesk setting set printer_command 'lp -d PRINTER'"))
    return command


def print_test_page(command: str) -> str:
    """Send a short test page to the printer command (the admin checks the printer setting); returns its text."""
    from core import clock

    page = "\n".join((_("partsdesk printer test page 打印测试页"),
                      clock.now().astimezone().strftime("%Y-%m-%d %H:%M"), "0123456789 ABCDEFGHIJ 备件库房", ""))
    send_to_printer(page.encode("utf-8"), command)
    return page


def send_to_printer(data: bytes, command: str) -> None:
    """Pipe printed matter to the printer command (run without a shell, the data on its standard input)."""
    args = shlex.split(checked_command(command))
    try:
        done = subprocess.run(args, input=data, capture_output=True, timeout=PRINTER_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PrinterFailed(_("the printer command {command!r} could not run: {reason}").format(
            command=command, reason=getattr(exc, "strerror", None) or exc)) from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PrinterFailed(_("the printer command {command!r} failed (exit {code}){reason}").format(
            command=command, code=done.returncode, reason=f": {said[0]}" if said else ""))
