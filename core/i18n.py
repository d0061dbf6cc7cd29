"""Gettext for every string a user reads; the zh_CN catalogue lives in core/locale."""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "partsdesk"

_translation: gettext.NullTranslations = gettext.translation(DOMAIN, localedir=LOCALE_DIR, fallback=True)


def _(message: str) -> str:
    """Translate one message through the active catalogue."""
    return _translation.gettext(message)
