"""Asking before a screen replaces a file it writes (a slip or a label printed again): the yes/no question,
then the same print forced, or the file kept as it was. The live database is never asked about: it is refused."""

from __future__ import annotations

from collections.abc import Callable

from core.files import FileExists
from core.i18n import _


def ask_to_replace(screen, exc: FileExists, again: Callable[[], object], kept: Callable[[str], object]) -> object:
    """Ask whether to replace `exc.path`: yes calls `again()` (which writes with force), no says through `kept`
    that the file stays as it was. Returns the push, for a call's `failed` to await."""
    from screens.widgets.dialogs import YesNoDialog

    def answered(yes: bool | None) -> None:
        if yes:
            again()
        else:
            # The name, not the whole path: the line must fit, and the question showed the folder.
            kept(_("{name} is kept as it was: nothing printed").format(name=exc.path.name))

    question = _("{path} exists. Replace it with this one?").format(path=exc.path)
    return screen.app.push_screen(YesNoDialog(_("Replace the file?"), question, kind="warning"), answered)
