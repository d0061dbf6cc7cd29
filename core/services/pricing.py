"""Prices and who pays: the station's price rules, a part's selling price, a part's group, and the payer of a
part on a repair order (core.records.pricing holds the rules of the price itself)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, delete, insert, select, update

from core import clock
from core import tables as t
from core.byte_order import byte_order
from core.codes import fold, normalise_series
from core.decimals import parse_number
from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _
from core.records.batches import batched
from core.records.catalog import part_id
from core.records.part_audit import audited_part_edit
from core.records.pricing import (
    GROUP,
    PAYERS,
    SCOPES,
    SERIES,
    STATION,
    PriceRule,
    RoCharges,
    live_charges,
    part_price,
    purchase_cost,
    read_rules,
    ro_charges,
)
from core.records.repair_orders import ro_row
from core.roles import Actor, Permission, require
from core.roles import may_see_margin as may_see_margin  # the rule is core.roles'; screens ask it here too
from core.units import ReadUnit, WriteUnit, retried

# A markup or floor above this is a typing slip (a thousand percent on cost), not a price.
MAX_PERCENT = Decimal(1000)
PERCENT_PLACES = 2
GROUP_LIMIT = 40


def may_set_prices(actor: Actor | None) -> bool:
    """Whether the operator may change the station's price rules."""
    return actor is not None and actor.can(Permission.SET_PRICES)


def selling_price(session, part) -> Decimal:
    """A part's selling price to the customer under the station's price rules (the list price where no rule
    covers it). `session` is a read or write unit, a Connection or an ORM Session; `part` a part number, a part
    id or a row with `id`; NotFound for an unknown part."""
    if hasattr(session, "read"):
        with session.read() as conn:
            return _selling_price(conn, part)
    conn = session.connection() if hasattr(session, "connection") and not isinstance(session, Connection) \
        else session
    return _selling_price(conn, part)


def _selling_price(conn: Connection, part) -> Decimal:
    if isinstance(part, str):
        pid = part_id(conn, part)
    else:
        pid = part if isinstance(part, int) else part.id
        if conn.execute(select(t.part.c.id).where(t.part.c.id == pid)).scalar() is None:
            raise NotFound(_("unknown part {part}").format(part=pid))
    return part_price(conn, pid)


def list_rules(*, uow: ReadUnit) -> list[PriceRule]:
    """The station's price rules: the station-wide one first, then by series, then by group."""
    with uow.read() as conn:
        return read_rules(conn)


def _percent(text: str | None, what: str) -> Decimal | None:
    """A percent typed for a markup or a floor (None, or empty: not set), 0 to MAX_PERCENT, two places."""
    if text is None or not str(text).strip():
        return None
    value = parse_number(str(text).strip().removesuffix("%"), what, PERCENT_PLACES)
    if value < 0 or value > MAX_PERCENT:
        raise BadInput(_("{what} must be a percent from 0 to {high}").format(what=what, high=MAX_PERCENT))
    return value.quantize(Decimal("0.01"))


def _group(text: str | None) -> str | None:
    group = " ".join(fold(text or "").split()).upper()
    if len(group) > GROUP_LIMIT:
        raise BadInput(_("the part group must be at most {limit} characters").format(limit=GROUP_LIMIT))
    return group or None


def rule_key(scope: str, key: str | None) -> tuple[str, str]:
    """A rule's scope and key as stored: a series or group normalised, the station's key empty; BadInput for a
    scope that is not series, group or station, or a series or group left empty."""
    scope = (scope or "").strip().lower()
    if scope not in SCOPES:
        raise BadInput(_("a price rule is for a series, a group or the station"))
    if scope == STATION:
        return scope, ""
    name = normalise_series(key) if scope == SERIES else _group(key)
    if not name:
        raise BadInput(_("name the model series or the part group the rule is for"))
    return scope, name


@retried
def set_rule(scope: str, key: str | None, *, markup: str | None, floor: str | None, actor: Actor,
             uow: WriteUnit) -> PriceRule:
    """Set (or replace) a price rule: the markup on cost for a series or a group (or the station's default), and
    the floor, the least margin on cost; the station's floor is the minimum margin of every part."""
    require(actor, Permission.SET_PRICES)
    scope, key = rule_key(scope, key)
    up, low = _percent(markup, _("the markup")), _percent(floor, _("the floor"))
    if up is None and low is None:
        raise BadInput(_("a price rule needs a markup, a floor or both (percent on cost)"))
    at = clock.now()
    with uow.write() as conn:
        found = conn.execute(select(t.price_rule.c.id).where(t.price_rule.c.scope == scope, t.price_rule.c.key == key)
                             .with_for_update()).scalar()
        values = {"markup": up, "floor": low, "set_at": at, "set_by_id": actor.id}
        if found is None:
            conn.execute(insert(t.price_rule).values(scope=scope, key=key, **values))
        else:
            conn.execute(update(t.price_rule).where(t.price_rule.c.id == found).values(**values))
        return next(r for r in read_rules(conn) if (r.scope, r.key) == (scope, key))


@retried
def remove_rule(scope: str, key: str | None, *, actor: Actor, uow: WriteUnit) -> None:
    """Remove a price rule: its parts fall back to the next rule (the series', the station's) or the list price."""
    require(actor, Permission.SET_PRICES)
    scope, key = rule_key(scope, key)
    with uow.write() as conn:
        gone = conn.execute(delete(t.price_rule).where(t.price_rule.c.scope == scope, t.price_rule.c.key == key))
        if not gone.rowcount:
            raise NotFound(_("there is no price rule for {key}").format(key=key or _("the station")))


@retried
def set_part_group(part_no: str, group: str | None, *, actor: Actor, uow: WriteUnit) -> str | None:
    """Put a part in a group (brakes, filters, ...) that a price rule may name; empty takes it out of any. A
    change is an audit row."""
    require(actor, Permission.EDIT_PARTS)
    name = _group(group)
    with uow.write() as conn:
        pid = part_id(conn, part_no)
        with audited_part_edit(conn, pid, operator=actor.code):
            conn.execute(update(t.part).where(t.part.c.id == pid).values(part_group=name))
    return name


def parse_payer(text: str) -> str:
    """A payer as typed: customer, warranty or internal; else BadInput naming them."""
    payer = (text or "").strip().lower()
    if payer not in PAYERS:
        raise BadInput(_("the payer is customer, warranty or internal, not {payer!r}").format(payer=text))
    return payer


@retried
def set_payer(ro_no: str, part_no: str, payer: str, *, actor: Actor, uow: WriteUnit) -> RoCharges:
    """Say who pays for a part issued on a repair order (customer, warranty, internal), until it is settled."""
    require(actor, Permission.SETTLE_REPAIR_ORDER)
    chosen = parse_payer(payer)
    with uow.write() as conn:
        row = ro_row(conn, ro_no, lock=True)
        if row.settled_at is not None or row.state in ("settled", "cancelled"):
            raise RuleViolation(_("{ro} is closed: its payers can no longer change").format(ro=row.ro_no))
        pid = part_id(conn, part_no)
        if pid not in {p for p, _line in live_charges(conn, row.id)}:
            number = conn.execute(select(t.part.c.part_no).where(t.part.c.id == pid)).scalar_one()
            raise RuleViolation(_("{part_no} is not issued on {ro}: only its parts have a payer").format(
                part_no=number, ro=row.ro_no))
        payers = t.repair_order_payer
        conn.execute(delete(payers).where(payers.c.repair_order_id == row.id, payers.c.part_id == pid))
        # Kept even where it is the default: a warranty decision changed later does not undo what was said.
        conn.execute(insert(payers).values(repair_order_id=row.id, part_id=pid, payer=chosen, set_at=clock.now(),
                                           set_by_id=actor.id))
        return ro_charges(conn, row)


def charges_of(ro_no: str, *, uow: ReadUnit) -> RoCharges:
    """A repair order's parts charged by payer, with their cost."""
    with uow.read() as conn:
        return ro_charges(conn, ro_row(conn, ro_no))


def purchase_costs(part_nos: list[str], *, uow: ReadUnit) -> dict[str, Decimal]:
    """What each part costs the station to buy, for a draft's value (cost x quantity): the unit cost of the lot
    last received, else (a part never received) its list price. Parts the master does not know are left out."""
    wanted = sorted(set(part_nos))
    if not wanted:
        return {}
    part = t.part
    with uow.read() as conn:
        return {part_no: cost for batch in batched(wanted) for part_no, cost in conn.execute(
            select(part.c.part_no, purchase_cost(part.c.id, part.c.list_price))
            .where(byte_order(part.c.part_no).in_(batch)))}


# The words a person types for a rule's scope at the desk, English and the procedure's Chinese.
_SCOPE_WORDS = {"series": SERIES, "车型": SERIES, "group": GROUP, "组": GROUP, "配件组": GROUP,
                "station": STATION, "全站": STATION, "站": STATION}


def parse_rule_for(text: str) -> tuple[str, str | None]:
    """What a rule is for as typed in one field: "series EXCELLE", "group brakes" or "station" (车型, 组, 全站);
    BadInput otherwise."""
    word, _space, rest = (text or "").strip().partition(" ")
    scope = _SCOPE_WORDS.get(word.lower())
    if scope is None:
        raise BadInput(_("say what the rule is for: series NAME, group NAME or station"))
    return scope, rest.strip() or None
