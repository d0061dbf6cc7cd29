"""Operators: the first admin, adding people with roles and PINs, and signing in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select

from core import clock
from core import tables as t
from core.codes import validate_operator_code
from core.errors import BadInput, RuleViolation
from core.i18n import _
from core.pins import hash_pin, validate_pin
from core.records.operators import operator_for_pin
from core.roles import Actor, Permission, Role, parse_roles, require
from core.units import ReadUnit, WriteUnit


@dataclass(frozen=True, slots=True)
class OperatorInfo:
    """An operator as lists and screens show it (never the PIN hash)."""

    code: str
    name: str
    roles: tuple[str, ...]
    active: bool


def _insert_operator(conn, code: str, name: str, roles: frozenset[Role], pin: str) -> int:
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
    return OperatorInfo(validate_operator_code(code), name.strip(), (Role.ADMIN.value,), True)


def add_operator(
    code: str, name: str, roles: list[str] | tuple[str, ...], pin: str, *, actor: Actor, uow: WriteUnit
) -> OperatorInfo:
    """Add an operator with roles and a PIN (admin only)."""
    require(actor, Permission.MANAGE_OPERATORS)
    parsed = parse_roles(roles)
    with uow.write() as conn:
        _insert_operator(conn, code, name, parsed, pin)
    return OperatorInfo(validate_operator_code(code), name.strip(), tuple(sorted(parsed)), True)


def authenticate(code: str, pin: str, *, uow: ReadUnit) -> Actor:
    """The operator for a code and PIN; an unknown code, an inactive operator or a wrong PIN is refused alike."""
    with uow.read() as conn:
        return operator_for_pin(conn, code, pin)


def list_operators(*, uow: ReadUnit) -> list[OperatorInfo]:
    """Every operator, by code."""
    with uow.read() as conn:
        rows = conn.execute(
            select(t.operator.c.code, t.operator.c.name, t.operator.c.roles, t.operator.c.active).order_by(
                t.operator.c.code
            )
        ).all()
    return [OperatorInfo(r.code, r.name, tuple(r.roles.split(",")), r.active) for r in rows]


def has_operators(*, uow: ReadUnit) -> bool:
    """Whether the station has any operator yet (a fresh database has none)."""
    with uow.read() as conn:
        count = conn.execute(select(func.count()).select_from(t.operator)).scalar_one()
    return bool(count)


