"""Which language the desk speaks: the station's (setting `language`) on the sign-in screen, the operator's once
signed in; the one place the screens read either, so that the app switches in one call (PartsdeskApp.speak)."""

from __future__ import annotations

from typing import Any

from core.i18n import CHINESE, ENGLISH, normalise_language

# How the sign-in's language key names each language: in that language, as switchers do.
LANGUAGE_NAMES = {CHINESE: "中文", ENGLISH: "English"}


def operator_language(actor: Any) -> str | None:
    """The signed-in operator's language (core.roles.Actor.language), None where the actor carries none."""
    return normalise_language(getattr(actor, "language", None))


def station_language(uow: Any) -> str | None:
    """The station's setting `language` (read in a worker thread), None where the database has no such setting."""
    from core.services import operators

    read = getattr(operators, "station_language", None)  # core.services.operators.station_language, once merged
    if read is not None:
        return normalise_language(read(uow=uow))
    from core.services.settings import get_settings

    return normalise_language(get_settings(uow=uow).get("language"))


def other_language(language: str) -> str:
    """The language the sign-in's switch key changes to from `language`."""
    return ENGLISH if language == CHINESE else CHINESE
