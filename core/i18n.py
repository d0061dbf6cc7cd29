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
# Each language by its own name, whatever the active one: the name a reader looks for in a list of languages.
_NAMES = {CHINESE: "中文", ENGLISH: "English"}


def catalogue_files(language: str, locale_dir: Path | None = None) -> tuple[Path, Path]:
    """A language's catalogue source (.po) and its compiled form (.mo)."""
    source = (locale_dir or LOCALE_DIR) / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    return source, source.with_suffix(".mo")


def compile_catalogue(source: Path, compiled: Path) -> None:
    """Compile a .po into a .mo (Babel), written whole or not at all; fuzzy entries are left out, as msgfmt does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as po:
        catalog = read_po(po, locale=source.parent.parent.name, domain=DOMAIN)
    # A name of this process's own: test workers (or two desks starting) may refresh the same catalogue at once.
    partial = compiled.with_name(f"{compiled.name}.{os.getpid()}.part")
    with partial.open("wb") as mo:
        write_mo(mo, catalog)
    os.replace(partial, compiled)


def _is_stale(language: str) -> bool:
    source, compiled = catalogue_files(language)
    return source.exists() and (not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime)


def _refresh(language: str) -> None:
    # A checkout whose .po was edited (or merged) after `pip install -e .` compiled it: recompiled here where
    # Babel is installed (a developer's venv: the test extra) and the folder is writable; elsewhere the old .mo
    # is used and the CLI says to reinstall (stale_catalogues).
    if _is_stale(language):
        try:
            compile_catalogue(*catalogue_files(language))
        except (ImportError, OSError):
            pass


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of one language (English is the source text itself)."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    _refresh(language)
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


def language_name(code: str) -> str:
    """A language's name in itself ("中文", "English"), for lists and the sign-in switch; the code if unknown."""
    return _NAMES.get(code, code)


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


def NC_(context: str, message: str) -> str:  # noqa: N802 - gettext's marker convention
    """Mark a message that reads differently by context ('open' order 未到货, 'open' claim 未发出) where it is
    defined; `pgettext` with the same context translates it where shown."""
    return message


def pgettext(context: str, message: str) -> str:
    """Translate a message in a context, or as the plain message where the catalogue has no such context."""
    catalogue = _catalogue(_active[0])
    translated = catalogue.pgettext(context, message)
    return translated if translated != message else catalogue.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, translated (Chinese has one form)."""
    return _catalogue(_active[0]).ngettext(singular, plural, count)


def stale_catalogues() -> list[str]:
    """The languages whose catalogue source (.po) is newer than its compiled form (.mo), or was never compiled.

    The .mo files are compiled when partsdesk is built or installed (setup.py), never committed. A .po edited in
    a checkout afterwards is recompiled when first used where Babel is installed; where it is not, it is not
    seen until `pip install -e .` runs again, and the CLI says so. A wheel carries only the .mo files.
    """
    return [language for language in LANGUAGES if language != ENGLISH and _is_stale(language)]
