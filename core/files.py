"""Writing the files the desk hands out (slips, sheets, order files, labels): whole or not at all."""

from __future__ import annotations

from pathlib import Path

from core.errors import BadInput
from core.i18n import _


def write_file(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary name and a rename, so that a printer spool or a reader
    never sees half a file and a failed write leaves nothing behind; BadInput when it cannot be written."""
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BadInput(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None
    return target
