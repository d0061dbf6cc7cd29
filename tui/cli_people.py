"""CLI commands for the station's people and their trail: unlocking, roles, deactivating, PIN resets, the audit.

`partsdesk operator unlock CODE` ends a lockout after wrong PINs (admin); `partsdesk operator language CODE
zh_CN` changes the language an operator reads (admin, or himself); `partsdesk audit [--since DAY]
[--json]` lists who changed operators, roles, PINs and settings, and every lockout, oldest first.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from core.i18n import _, language_name
from core.labels import AUDIT_ACTION, ROLE, label, labels
from tui.cli_support import emit_json, iso, local, new_pin_for, say, state, table, warn_visible_pin

JsonOption = Annotated[bool, typer.Option("--json", help=_("Print one JSON document."))]


def register(app: typer.Typer, operator_app: typer.Typer) -> None:
    """Add the people commands to the top-level app and its `operator` group."""
    operator_app.command("unlock")(operator_unlock)
    operator_app.command("roles")(operator_roles)
    operator_app.command("deactivate")(operator_deactivate)
    operator_app.command("reset-pin")(operator_reset_pin)
    operator_app.command("language")(operator_language)
    app.command("audit")(audit)


def operator_unlock(ctx: typer.Context, code: str) -> None:
    """End an operator's lockout after wrong PINs (admin)."""
    from core.services.operators import unlock_operator

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = unlock_operator(code, actor=cli.actor(uow), uow=uow)
    say(_("operator {code} unlocked").format(code=info.code))


def operator_roles(
    ctx: typer.Context,
    code: str,
    role: Annotated[list[str], typer.Option(help=_("A role; repeat for several. The operator gets exactly these."))],
) -> None:
    """Give an operator exactly these roles (admin; never his own)."""
    from core.services.operators import set_roles

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = set_roles(code, role, actor=cli.actor(uow), uow=uow)
    say(_("operator {code}: {roles}").format(code=info.code, roles=labels(ROLE, info.roles)))


def operator_deactivate(ctx: typer.Context, code: str) -> None:
    """Stop an operator from signing in (admin; never himself)."""
    from core.services.operators import deactivate_operator

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = deactivate_operator(code, actor=cli.actor(uow), uow=uow)
    say(_("operator {code} can no longer sign in").format(code=info.code))


def operator_reset_pin(
    ctx: typer.Context,
    code: str,
    pin: Annotated[
        Optional[str], typer.Option(help=_("The new PIN (default: PARTSDESK_PIN_<CODE>, else asked twice)."))
    ] = None,
) -> None:
    """Give an operator a new PIN (admin)."""
    from core.services.operators import reset_pin

    if pin:  # before anything can fail: it was on the command line either way
        warn_visible_pin("--pin", "PARTSDESK_PIN_<CODE>")
    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        secret = new_pin_for(code.strip().upper(), pin)
        info = reset_pin(code, secret, actor=actor, uow=uow)
    say(_("operator {code} has a new PIN").format(code=info.code))


def operator_language(
    ctx: typer.Context,
    code: str,
    language: Annotated[str, typer.Argument(metavar="zh_CN|en", help=_("The language: zh_CN or en."))],
) -> None:
    """Change the language an operator's desk speaks, from his next sign-in (admin, or the operator himself)."""
    from core.services.operators import set_language

    cli = state(ctx)
    with cli.database().writing() as uow:
        info = set_language(code, language, actor=cli.actor(uow), uow=uow)
    say(_("operator {code} now reads {language}").format(code=info.code, language=language_name(info.language)))


def audit(
    ctx: typer.Context,
    since: Annotated[Optional[str], typer.Option(help=_("Only from this day on (YYYY-MM-DD, local)."))] = None,
    json: JsonOption = False,
) -> None:
    """Who changed operators, roles, PINs and settings, and every lockout, oldest first (admin, station manager)."""
    from core.services.audit import audit_trail, parse_since

    start = parse_since(since) if since is not None else None
    cli = state(ctx)
    with cli.database().writing() as uow:
        actor = cli.actor(uow)
        rows = audit_trail(actor=actor, uow=uow, since=start)
    if json:
        emit_json([{"at": iso(r.at), "operator": r.operator, "action": r.action, "subject": r.subject,
                    "old": r.old, "new": r.new} for r in rows])
    else:
        table(
            None,
            [_("at"), _("operator"), _("action"), _("subject"), _("old"), _("new")],
            [
                [local(r.at), r.operator, label(AUDIT_ACTION, r.action), *r.shown()]
                for r in rows
            ],
        )
