"""Which language the desk speaks: the station's (setting `language`) on the sign-in screen, the operator's once
signed in; the one place the screens read either, so that the app switches in one call (PartsdeskApp.speak)."""

from __future__ import annotations

from typing import Any

from core.i18n import CHINESE, ENGLISH, normalise_language


def operator_language(actor: Any) -> str | None:
    """The signed-in operator's language (core.roles.Actor.language), None where the actor carries none."""
    return normalise_language(getattr(actor, "language", None))


def station_language(uow: Any) -> str | None:
    """The station's setting `language` (read in a worker thread: it imports the services)."""
    from core.services.operators import station_language as read

    return normalise_language(read(uow=uow))


def other_language(language: str) -> str:
    """The language the sign-in's switch key changes to from `language`."""
    return ENGLISH if language == CHINESE else CHINESE
