"""Operators: the first admin, adding people with roles and PINs, and signing in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update

from core import clock
from core import tables as t
from core.codes import validate_operator_code
from core.errors import AuthenticationFailed, BadInput, NotFound, OperatorLocked, RuleViolation
from core.i18n import ENGLISH, LANGUAGES, _, normalise_language
from core.pins import hash_pin, validate_pin
from core.records.audit import AuditAction, operator_subject, operator_summary, record_change
from core.records.operators import (
    check_mechanic,
    check_operator_pin,
    check_signer,
    refused,
    settle_pin_check,
)
from core.records.settings import station_language as _station_language
from core.roles import Actor, Permission, Role, parse_roles, require
from core.units import ReadUnit, WriteUnit


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    """An operator as lists and screens show it (never the PIN hash)."""

    code: str
    name: str
    roles: tuple[str, ...]
    active: bool
    locked_until: datetime | None = None  # set while wrong PINs keep the operator out
    language: str = ENGLISH  # one of core.i18n.LANGUAGES: the language the desk speaks to him in


def _checked_language(code: str | None) -> str:
    language = normalise_language(code)
    if language is None:
        raise BadInput(_("unknown language {code!r}: use one of {languages}").format(
            code=code, languages=", ".join(LANGUAGES)))
    return language


def _insert_operator(conn, code: str, name: str, roles: frozenset[Role], pin: str, language: str | None = None) -> int:
    code = validate_operator_code(code)
    name = (name or "").strip()
    if not name:
        raise BadInput(_("operator {code} needs a name").format(code=code))
    validate_pin(pin)
    if conn.execute(select(t.operator.c.id).where(t.operator.c.code == code)).first():
        raise RuleViolation(_("operator {code} already exists").format(code=code))
    return conn.execute(
        insert(t.operator).values(
            code=code,
            name=name,
            roles=",".join(sorted(roles)),
            pin_hash=hash_pin(pin),
            # Unless chosen, the station's language: a Chinese station's new storekeeper reads Chinese.
            language=_checked_language(language) if language else _station_language(conn),
            active=True,
            created_at=clock.now(),
        )
    ).inserted_primary_key[0]


def create_first_admin(code: str, name: str, pin: str, *, uow: WriteUnit) -> OperatorInfo:
    """Create the station's first operator, an admin; refused once any operator exists."""
    with uow.write() as conn:
        if conn.execute(select(func.count()).select_from(t.operator)).scalar_one():
            raise RuleViolation(_("this station already has operators; add more with `partsdesk operator add`"))
        _insert_operator(conn, code, name, frozenset({Role.ADMIN}), pin)
        added = validate_operator_code(code)
        record_change(conn, operator=added, action=AuditAction.FIRST_ADMIN, subject=operator_subject(added),
                      new=operator_summary(name.strip(), Role.ADMIN.value))
        row = _operator_row(conn, added, lock=False)
    return _info(row, clock.now())


def add_operator(
    code: str, name: str, roles: list[str] | tuple[str, ...], pin: str, *, actor: Actor, uow: WriteUnit,
    language: str | None = None,
) -> OperatorInfo:
    """Add an operator with roles and a PIN (admin only); his language is the station's unless one is given."""
    require(actor, Permission.MANAGE_OPERATORS)
    parsed = parse_roles(roles)
    with uow.write() as conn:
        _insert_operator(conn, code, name, parsed, pin, language)
        added = validate_operator_code(code)
        record_change(conn, operator=actor.code, action=AuditAction.ADD_OPERATOR, subject=operator_subject(added),
                      new=operator_summary(name.strip(), ",".join(sorted(parsed))))
        row = _operator_row(conn, added, lock=False)
    return _info(row, clock.now())


def authenticate(code: str, pin: str, *, uow: WriteUnit) -> Actor:
    """The operator for a code and PIN; an unknown code, an inactive operator or a wrong PIN is refused alike.

    A wrong PIN is counted in the database in a write block of its own, committed before the refusal is
    raised: a failed command changes nothing except this security count. After 5 wrong PINs in a row the
    operator is locked (1, 5, then 15 minutes) and even the right PIN is refused (OperatorLocked) until then.
    A right PIN with nothing counted and no lock takes no write lock at all.
    """
    with uow.read() as conn:
        check = check_operator_pin(conn, code, pin)
    if check.row_id is None:
        raise refused()
    if check.settled():
        return check.actor()
    with uow.write() as conn:
        outcome = settle_pin_check(conn, check, clock.now())
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def confirm_mechanic(code: str, pin: str, *, actor: Actor, doing: str, uow: WriteUnit) -> Actor:
    """The mechanic who signs for parts, checked by his PIN (counted like every PIN): someone else than the
    storekeeper, with the role. Call it before the service's write block: the PIN's cost is not spent holding
    the lock, and a wrong PIN's count commits on its own."""
    normalised = check_signer(code, actor=actor, doing=doing)
    try:
        mechanic = authenticate(normalised, pin, uow=uow)
    except OperatorLocked:
        raise
    except AuthenticationFailed:
        raise AuthenticationFailed(_("the mechanic's code or PIN was not accepted ({code}): nothing changed").format(
            code=normalised)) from None
    return check_mechanic(mechanic)


def list_operators(*, uow: ReadUnit) -> list[OperatorInfo]:
    """Every operator, by code; locked_until while a lockout lasts (None once it has passed)."""
    o = t.operator.c
    now = clock.now()
    with uow.read() as conn:
        rows = conn.execute(select(o.code, o.name, o.roles, o.active, o.locked_until, o.language)
                            .order_by(o.code)).all()
    return [_info(r, now) for r in rows]


@dataclass(frozen=True, slots=True)
class OperatorPage:
    """One page of the operators, by code, with how many there are in all."""

    rows: list[OperatorInfo]
    total: int


def operators_page(*, uow: ReadUnit, limit: int, offset: int = 0) -> OperatorPage:
    """`limit` operators from `offset`, by code as `list_operators` has them, and the count of all: SQL orders,
    counts and pages, so the administration screen reads no more of a dealer group's operators than it shows."""
    o = t.operator.c
    now = clock.now()
    with uow.read() as conn:
        total = conn.execute(select(func.count()).select_from(t.operator)).scalar_one()
        rows = conn.execute(select(o.code, o.name, o.roles, o.active, o.locked_until, o.language)
                            .order_by(o.code).limit(max(0, limit)).offset(max(0, offset))).all()
    return OperatorPage([_info(r, now) for r in rows], total)


def _operator_row(conn, code: str, *, lock: bool = True):
    normalised = (code or "").strip().upper()
    query = select(t.operator).where(t.operator.c.code == normalised)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(_("there is no operator {code}").format(code=normalised))
    return row


def _info(row, now: datetime) -> OperatorInfo:
    until = row.locked_until if row.locked_until is not None and row.locked_until > now else None
    return OperatorInfo(row.code, row.name, tuple(row.roles.split(",")), row.active, until, row.language)


def _not_himself(actor: Actor, code: str, doing: str) -> None:
    # Separation of duties: an admin who could give himself parts_manager could adjust stock he manages.
    if actor.code == code:
        raise RuleViolation(_("{code} may not {doing} his own account: another admin does").format(
            code=actor.code, doing=doing))


def unlock_operator(code: str, *, actor: Actor, uow: WriteUnit) -> OperatorInfo:
    """End an operator's lockout and forget the wrong PINs counted (admin); an audit row says who did."""
    require(actor, Permission.MANAGE_OPERATORS)
    at = clock.now()
    with uow.write() as conn:
        row = _operator_row(conn, code)
        was = row.locked_until.isoformat() if row.locked_until is not None and row.locked_until > at else None
        conn.execute(update(t.operator).where(t.operator.c.id == row.id).values(
            failed_pins=0, lockouts=0, locked_until=None))
        record_change(conn, operator=actor.code, action=AuditAction.UNLOCK, subject=operator_subject(row.code),
                      old=was, new=None, at=at)
        row = _operator_row(conn, code)
    return _info(row, at)


def set_roles(code: str, roles: list[str] | tuple[str, ...], *, actor: Actor, uow: WriteUnit) -> OperatorInfo:
    """Give an operator exactly these roles (admin; never his own); an audit row keeps the old and the new."""
    require(actor, Permission.MANAGE_OPERATORS)
    parsed = parse_roles(roles)
    at = clock.now()
    with uow.write() as conn:
        row = _operator_row(conn, code)
        _not_himself(actor, row.code, _("change the roles of"))
        new = ",".join(sorted(parsed))
        if new != row.roles:
            conn.execute(update(t.operator).where(t.operator.c.id == row.id).values(roles=new))
            record_change(conn, operator=actor.code, action=AuditAction.SET_ROLES, subject=operator_subject(row.code),
                          old=row.roles, new=new, at=at)
        row = _operator_row(conn, code)
    return _info(row, at)


def set_language(code: str, language: str, *, actor: Actor, uow: WriteUnit) -> OperatorInfo:
    """Change the language an operator's desk speaks (admin, or the operator himself); an audit row keeps the old
    and the new. It takes effect at his next sign-in."""
    chosen = _checked_language(language)
    at = clock.now()
    with uow.write() as conn:
        row = _operator_row(conn, code)
        # Choosing one's own language gives no power over anything: everyone may; someone else's is the admin's.
        if actor.code != row.code:
            require(actor, Permission.MANAGE_OPERATORS)
        if chosen != row.language:
            conn.execute(update(t.operator).where(t.operator.c.id == row.id).values(language=chosen))
            record_change(conn, operator=actor.code, action=AuditAction.SET_LANGUAGE,
                          subject=operator_subject(row.code), old=row.language, new=chosen, at=at)
        row = _operator_row(conn, code)
    return _info(row, at)


def station_language(*, uow: ReadUnit) -> str:
    """The station's language (setting `language`): the sign-in screen's, and new operators' unless chosen."""
    with uow.read() as conn:
        return _station_language(conn)


def language_of(code: str, *, uow: ReadUnit) -> str:
    """An operator's language (the signed-in Actor carries it too, as `actor.language`)."""
    with uow.read() as conn:
        return _operator_row(conn, code, lock=False).language


def deactivate_operator(code: str, *, actor: Actor, uow: WriteUnit) -> OperatorInfo:
    """Stop an operator from signing in (admin; never himself); his history keeps his name."""
    require(actor, Permission.MANAGE_OPERATORS)
    at = clock.now()
    with uow.write() as conn:
        row = _operator_row(conn, code)
        _not_himself(actor, row.code, _("deactivate"))
        if row.active:
            conn.execute(update(t.operator).where(t.operator.c.id == row.id).values(active=False))
            record_change(conn, operator=actor.code, action=AuditAction.DEACTIVATE,
                          subject=operator_subject(row.code), old="active", new="inactive", at=at)
        row = _operator_row(conn, code)
    return _info(row, at)


def reset_pin(code: str, pin: str, *, actor: Actor, uow: WriteUnit) -> OperatorInfo:
    """Give an operator a new PIN (admin); the audit row says it changed, never what it is."""
    require(actor, Permission.MANAGE_OPERATORS)
    validate_pin(pin)
    at = clock.now()
    with uow.write() as conn:
        row = _operator_row(conn, code)
        conn.execute(update(t.operator).where(t.operator.c.id == row.id).values(pin_hash=hash_pin(pin)))
        record_change(conn, operator=actor.code, action=AuditAction.RESET_PIN, subject=operator_subject(row.code),
                      old=None, new=None, at=at)
        row = _operator_row(conn, code)
    return _info(row, at)


def has_operators(*, uow: ReadUnit) -> bool:
    """Whether the station has any operator yet (a fresh database has none)."""
    with uow.read() as conn:
        count = conn.execute(select(func.count()).select_from(t.operator)).scalar_one()
    return bool(count)


