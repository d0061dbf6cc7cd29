"""Gettext for every string a user reads, in the language of the person reading it (zh_CN or en).

The zh_CN catalogue lives in core/locale; the process has one active language at a time, which the CLI sets
from `--lang` and the environment, and the TUI sets at sign-in from the operator's language.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "partsdesk"
CHINESE = "zh_CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of one language (English is the source text itself)."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


_active: list[str] = [ENGLISH]


def normalise_language(code: str | None) -> str | None:
    """One of LANGUAGES for a language or locale name ("zh", "zh-CN", "zh_CN.UTF-8", "en_US", "C"), else None."""
    if not code:
        return None
    base = code.strip().split(".")[0].split("@")[0].replace("-", "_").lower()
    if base == "zh" or base.startswith(("zh_cn", "zh_hans", "zh_sg")):
        return CHINESE
    if base in ("en", "c", "posix") or base.startswith("en_"):
        return ENGLISH
    return None


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the system locale: the first of LC_ALL, LC_MESSAGES, LANG that is set, English if unknown."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            # POSIX: the first one set decides, even when it names a language we have no catalogue for.
            return normalise_language(value) or ENGLISH
    return ENGLISH


def use_language(code: str) -> str:
    """Make `code` the language every later `_()` answers in; returns the language taken."""
    language = normalise_language(code)
    if language is None:
        raise ValueError(f"unknown language {code!r}: use one of {', '.join(LANGUAGES)}")
    _active[0] = language
    return language


def language() -> str:
    """The active language."""
    return _active[0]


def _(message: str) -> str:
    """Translate one message through the active catalogue."""
    return _catalogue(_active[0]).gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined (module level); `_()` translates it where it is shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, translated (Chinese has one form)."""
    return _catalogue(_active[0]).ngettext(singular, plural, count)
