"""Gettext catalogues in tests: the messages extracted in-process, their placeholders, the checks a translated
catalogue must pass, and a made-up zh_CN catalogue that translates every message (to prove nothing escapes)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

import core.i18n
from tui.babel_extract import template

ROOT = Path(__file__).resolve().parents[2]
# {name}, {name!r}, {value:>8}: a brace field ("{{" and "}}" are literal braces); %s, %(name)s: a percent field.
_BRACE = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")


@cache
def messages() -> Catalog:
    """Every message of the source tree, as the README's pybabel command extracts it."""
    return template(ROOT)


def fields(text: str) -> list[str]:
    """The placeholders of a message, sorted (repeats kept): brace fields and percent fields."""
    braces = [f for f in _BRACE.findall(text) if f not in ("{{", "}}")]
    return sorted(braces + _PERCENT.findall(text))


def _forms(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _translations(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _entries(catalog: Catalog):
    return [m for m in catalog if m.id]  # the header has the empty msgid


def missing(expected: Catalog, catalog: Catalog) -> list[str]:
    """Messages of `expected` the catalogue does not hold."""
    return [str(m.id) for m in _entries(expected) if catalog.get(m.id, m.context) is None]


def untranslated(catalog: Catalog) -> list[str]:
    """Messages with an empty translation (any plural form)."""
    return [str(m.id) for m in _entries(catalog) if not all(_translations(m))]


def fuzzy(catalog: Catalog) -> list[str]:
    """Messages marked fuzzy (gettext does not use them: they show in English)."""
    return [str(m.id) for m in _entries(catalog) if m.fuzzy]


def placeholder_mismatches(catalog: Catalog) -> list[str]:
    """Translations whose placeholders differ from the original's: a plain message has exactly the original's;
    each plural form has only placeholders of the singular or plural, and every one both share."""
    problems = []
    for message in _entries(catalog):
        originals = [fields(form) for form in _forms(message)]
        union = set().union(*map(set, originals))
        shared = set.intersection(*map(set, originals))
        for translation in filter(None, _translations(message)):
            found = fields(translation)
            wrong = found != originals[0] if len(originals) == 1 else not shared <= set(found) <= union
            if wrong:
                problems.append(f"{message.id!r}: {translation!r}")
    return problems


def plural_mismatches(catalog: Catalog) -> list[str]:
    """Messages whose number of forms is not the catalogue's (Chinese: one), or a plain message given forms."""
    problems = []
    for message in _entries(catalog):
        plural = isinstance(message.id, tuple)
        count = len(message.string) if isinstance(message.string, tuple) else None
        if plural and count != catalog.num_plurals:
            problems.append(f"{message.id!r}: {count} forms, {catalog.num_plurals} expected")
        elif not plural and count is not None:
            problems.append(f"{message.id!r}: plural forms for a plain message")
    return problems


def everything_translated(locale_dir: Path, translate=lambda text: "中" + text) -> Path:
    """A compiled zh_CN catalogue under `locale_dir` that translates every message (by default to itself behind
    a 中): where a test sees English, a string escaped the catalogue. Returns the folder to use as LOCALE_DIR."""
    catalog = Catalog(locale=core.i18n.CHINESE, domain=core.i18n.DOMAIN)
    for message in _entries(messages()):
        if isinstance(message.id, tuple):
            string = tuple(translate(message.id[-1]) for _ in range(catalog.num_plurals))
        else:
            string = translate(message.id)
        catalog.add(message.id, string)
    folder = locale_dir / core.i18n.CHINESE / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / f"{core.i18n.DOMAIN}.mo").open("wb") as mo:
        write_mo(mo, catalog)
    return locale_dir
