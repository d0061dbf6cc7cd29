"""Supersession links and each superseded part's newest number(s): the chain A->B->C followed once, when a link is
set, into part_newest, so that a forecast, a draft or an issue follows it with one join or one look-up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select

from core import tables as t
from core.byte_order import byte_order
from core.codes import normalise_part_no
from core.direct import Direct
from core.errors import BadInput
from core.i18n import _
from core.records.batches import rows_in_batches

# old part id -> [(new part id, interchangeable)]
Links = dict[int, list[tuple[int, bool]]]


@dataclass(frozen=True, slots=True)
class Link:
    """One supersession link as shown: the other part's number, the date and whether stock is interchangeable."""

    part_no: str
    effective_on: date
    interchangeable: bool


def find_cycle(links: Links) -> list[int] | None:
    """A chain that comes back to where it started (A->B->A), as the part ids along it, or None."""
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in links:
        if state.get(start):
            continue
        path: list[int] = []
        stack = [(start, iter(links.get(start, ())))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            nxt = child[0]
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(links.get(nxt, ()))))
    return None


def newest_of(links: Links) -> dict[int, dict[int, bool]]:
    """Each superseded part's newest numbers (the ends of its chains; a kit has several), each with whether every
    link on the way is interchangeable. The links hold no cycle (find_cycle)."""
    known: dict[int, dict[int, bool]] = {}

    def ends(part: int) -> dict[int, bool]:
        found = known.get(part)
        if found is not None:
            return found
        result: dict[int, bool] = {}
        for new, interchangeable in links.get(part, ()):
            further = ends(new) if new in links else {new: True}
            for end, all_along in further.items():
                result[end] = result.get(end, False) or (interchangeable and all_along)
        known[part] = result
        return result

    for part in list(links):
        ends(part)
    return known


def read_links(conn: Connection) -> Links:
    """Every supersession link of the station."""
    links: Links = {}
    rows = conn.execute(select(t.part_supersession.c.old_part_id, t.part_supersession.c.new_part_id,
                               t.part_supersession.c.interchangeable).order_by(t.part_supersession.c.id))
    for old, new, interchangeable in rows:
        links.setdefault(old, []).append((new, bool(interchangeable)))
    return links


def cycle_problem(conn: Connection, links: Links) -> str | None:
    """A sentence naming the chain that comes back on itself (A -> B -> A), or None."""
    cycle = find_cycle(links)
    if cycle is None:
        return None
    numbers = dict(conn.execute(select(t.part.c.id, t.part.c.part_no).where(t.part.c.id.in_(set(cycle)))).all())
    return _("the supersession {chain} comes back to where it started").format(
        chain=" -> ".join(numbers[part] for part in cycle))


def rebuild_newest(conn: Connection, links: Links) -> None:
    """Write part_newest again from the links (no cycle among them): a maker's file of tens of thousands of links
    is one delete and one bulk insert."""
    conn.execute(delete(t.part_newest))
    rows = [{"part_id": part, "newest_part_id": end, "interchangeable": interchangeable}
            for part, ends in newest_of(links).items() for end, interchangeable in ends.items()]
    if rows:
        conn.execute(insert(t.part_newest), rows)


def save_link(conn: Connection, old: int, new: int, *, effective_on: date, interchangeable: bool, operator: int,
              at) -> None:
    """Set one link (a link set again takes the new date and flag)."""
    link = t.part_supersession
    updated = conn.execute(link.update().where(link.c.old_part_id == old, link.c.new_part_id == new).values(
        effective_on=effective_on, interchangeable=interchangeable, operator_id=operator, at=at)).rowcount
    if not updated:
        conn.execute(insert(link).values(old_part_id=old, new_part_id=new, effective_on=effective_on,
                                         interchangeable=interchangeable, operator_id=operator, at=at))


def links_of(conn: Connection, part: int) -> tuple[tuple[Link, ...], tuple[Link, ...], tuple[str, ...]]:
    """A part's links: the numbers that replace it, the numbers it replaces, and its newest numbers (empty when it
    is not superseded)."""
    link, part_t = t.part_supersession, t.part
    by = conn.execute(select(part_t.c.part_no, link.c.effective_on, link.c.interchangeable)
                      .join(part_t, part_t.c.id == link.c.new_part_id).where(link.c.old_part_id == part)
                      .order_by(part_t.c.part_no)).all()
    of = conn.execute(select(part_t.c.part_no, link.c.effective_on, link.c.interchangeable)
                      .join(part_t, part_t.c.id == link.c.old_part_id).where(link.c.new_part_id == part)
                      .order_by(part_t.c.part_no)).all()
    newest = conn.execute(select(part_t.c.part_no).join(t.part_newest, t.part_newest.c.newest_part_id == part_t.c.id)
                          .where(t.part_newest.c.part_id == part).order_by(part_t.c.part_no)).scalars().all()
    return (tuple(Link(r.part_no, r.effective_on, bool(r.interchangeable)) for r in by),
            tuple(Link(r.part_no, r.effective_on, bool(r.interchangeable)) for r in of), tuple(newest))


def newest_numbers(conn: Connection, part_nos: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The newest number(s) of each superseded part among these, by number (a kit's several, in number order); the
    others are left out. The one rule of an old number: the counter flags it, receiving flags its line, an order or a
    draft goes to these (core.services.supersession says each in words)."""
    numbers = sorted({normalise_part_no(p) for p in part_nos if p})
    if not numbers:
        return {}
    old, new, link = t.part.alias("old"), t.part.alias("new"), t.part_newest
    statement = (select(old.c.part_no, new.c.part_no)
                 .select_from(link.join(old, old.c.id == link.c.part_id)
                              .join(new, new.c.id == link.c.newest_part_id)))
    rows = sorted(rows_in_batches(conn, lambda batch: statement.where(byte_order(old.c.part_no).in_(batch)), numbers))
    found: dict[str, tuple[str, ...]] = {}
    for part_no, newest in rows:
        found[part_no] = (*found.get(part_no, ()), newest)
    return found


def order_newest(conn: Connection, lines: list[tuple[int, object, object]]) -> list[tuple[int, object, object]]:
    """Order lines (part id, qty, unit cost) carried to the newest numbers: a superseded part is never ordered, its
    line becomes one of its newest number at that number's list price (the old number's agreed price is not the
    new one's), a kit's old number a line of each kit part with the same quantity. A number that is then on the
    order twice is one line, the quantities added."""
    if not lines:
        return lines
    link = t.part_newest
    newest: dict[int, list[int]] = {}
    for part, end in conn.execute(select(link.c.part_id, link.c.newest_part_id).where(
            link.c.part_id.in_({pid for pid, _qty, _cost in lines})).order_by(link.c.part_id, link.c.newest_part_id)):
        newest.setdefault(part, []).append(end)
    if not newest:
        return lines
    ends = {end for found in newest.values() for end in found}
    prices = dict(conn.execute(select(t.part.c.id, t.part.c.list_price).where(t.part.c.id.in_(ends))).all())
    merged: dict[int, list] = {}
    for pid, qty, cost in lines:
        for target, price in ([(end, prices[end]) for end in newest[pid]] if pid in newest else [(pid, cost)]):
            if target in merged:
                merged[target][0] += qty
            else:
                merged[target] = [qty, price]
    return [(pid, qty, cost) for pid, (qty, cost) in merged.items()]


# -- following the chain in SQL ------------------------------------------------------------------


def any_chain(conn: Connection) -> bool:
    """Whether any part is superseded: without, a forecast's or a draft's statements follow no chain at all (the
    same statements, the same cost as before supersessions existed)."""
    return conn.execute(select(t.part_newest.c.part_id).limit(1)).first() is not None


def newest_id(part_id, *, interchangeable_only: bool = False):
    """The column expression and join target that carry a part id to its newest number: `(newest, outer join
    table, on clause)`. A part not superseded keeps its own id; a kit's old number gives a row per new part."""
    newest = t.part_newest.alias("newest")
    on = newest.c.part_id == part_id
    if interchangeable_only:
        on = and_(on, newest.c.interchangeable)
    return func.coalesce(newest.c.newest_part_id, part_id), newest, on


def follow(subquery, name: str, *, interchangeable_only: bool = False, summed: Iterable[str] = ("qty",),
           grouped: Iterable[str] = ()):
    """A grouped subquery (part_id, [grouped columns], summed columns) carried to the newest numbers and summed
    again there: what the old numbers had counts for the newest one."""
    newest, joined, on = newest_id(subquery.c.part_id, interchangeable_only=interchangeable_only)
    keys = [newest.label("part_id")] + [subquery.c[g] for g in grouped]
    sums = [func.sum(subquery.c[s]).label(s) for s in summed]
    return (select(*keys, *sums).select_from(subquery.outerjoin(joined, on))
            .group_by(newest, *[subquery.c[g] for g in grouped]).subquery(name))


# -- the issue's look-up: old stock first, then the new ---------------------------------------------

# Whether any of these parts takes part in an interchangeable chain: the issue's hot path asks it each time and,
# with no chain, stops here (core.direct: straight to the driver).
_IN_CHAIN = Direct(
    select(t.part_newest.c.newest_part_id)
    .where(t.part_newest.c.interchangeable,
           or_(t.part_newest.c.part_id.in_(bindparam("ids", expanding=True)),
               t.part_newest.c.newest_part_id.in_(bindparam("news", expanding=True))))
    .limit(1),
    lists=["ids", "news"])


@dataclass(frozen=True, slots=True)
class IssueGroup:
    """What an issue of a part in an interchangeable chain takes: the old numbers' stock first (the oldest
    superseded first), then the newest number for the rest; for a kit (several newest numbers) the rest is one of
    each kit part, the rule `order_newest` follows for orders."""

    old: tuple[str, ...]
    newest: tuple[str, ...]

    @property
    def numbers(self) -> tuple[str, ...]:
        """Every number the issue may take, in the order it takes them."""
        return (*self.old, *self.newest)

    @property
    def kit(self) -> bool:
        """Whether the rest is a kit: one of each of several newest numbers."""
        return len(self.newest) > 1


def issue_groups(conn: Connection, ids: dict[str, int]) -> dict[str, IssueGroup]:
    """For each part (number -> id) in an interchangeable chain: the numbers whose stock may fill it. Members are
    the old numbers with exactly the same newest number(s), every link on the way interchangeable: one newest
    number, or a kit's several (a kit part asked by itself is not filled from a kit's old number, which is the whole
    kit). A part in no such chain, or whose kit is not interchangeable all along, is left out."""
    if not ids or _IN_CHAIN.execute(conn, {"ids": list(ids.values()), "news": list(ids.values())}).first() is None:
        return {}
    newest = t.part_newest
    own: dict[int, dict[int, bool]] = {}
    for part, end, interchangeable in conn.execute(select(
            newest.c.part_id, newest.c.newest_part_id, newest.c.interchangeable).where(
            newest.c.part_id.in_(ids.values()))):
        own.setdefault(part, {})[end] = bool(interchangeable)
    found: dict[frozenset[int], IssueGroup | None] = {}
    groups: dict[str, IssueGroup] = {}
    for part_no, part in ids.items():
        ends = own.get(part, {part: True})
        if not all(ends.values()):
            continue  # a link on the way is not interchangeable: the old number is issued as itself
        key = frozenset(ends)
        if key not in found:
            found[key] = _group_of(conn, key)
        if found[key] is not None:
            groups[part_no] = found[key]
    return groups


def _group_of(conn: Connection, ends: frozenset[int]) -> IssueGroup | None:
    """The issue group of these newest numbers: the old numbers whose newest numbers are exactly these, every one
    interchangeable, oldest first; None when there is none."""
    newest, link, old = t.part_newest, t.part_supersession, t.part.alias("old")
    # Every newest number of each part that has one of these: a member must have these and no other.
    linked = select(newest.c.part_id).where(newest.c.newest_part_id.in_(sorted(ends)))
    seen: dict[int, dict[int, bool]] = {}
    for part, end, interchangeable in conn.execute(select(
            newest.c.part_id, newest.c.newest_part_id, newest.c.interchangeable).where(newest.c.part_id.in_(linked))):
        seen.setdefault(part, {})[end] = bool(interchangeable)
    members = [part for part, its in seen.items() if set(its) == ends and all(its.values())]
    if not members:
        return None
    # Oldest first: the day each old number was superseded, then its number.
    olds = conn.execute(
        select(old.c.part_no, func.min(link.c.effective_on).label("since"))
        .select_from(old.join(link, link.c.old_part_id == old.c.id))
        .where(old.c.id.in_(members))
        .group_by(old.c.part_no).order_by("since", old.c.part_no)).scalars().all()
    news = conn.execute(select(t.part.c.part_no).where(t.part.c.id.in_(sorted(ends)))
                        .order_by(t.part.c.part_no)).scalars().all()
    return IssueGroup(tuple(olds), tuple(news))


def split_lines(wanted: list[tuple[str, object]], groups: dict[str, IssueGroup],
                available: dict[str, object]) -> list[tuple[str, object]]:
    """The lines with each one in a chain spread over its numbers, old stock first: each older number gives what
    it has (less what earlier lines took), the newest the rest (refused later if short); a kit's old number's rest
    is a line of each kit part with that quantity. Lines not in a chain stay as they are. Pure: `available` is each
    number's issuable stock."""
    left = dict(available)
    out: dict[str, object] = {}
    for part_no, qty in wanted:
        group = groups.get(part_no)
        if group is None:
            out[part_no] = out.get(part_no, 0) + qty
            continue
        rest = qty
        for member in group.old:
            give = min(rest, left.get(member, 0))
            if give > 0:
                out[member] = out.get(member, 0) + give
                left[member] = left.get(member, 0) - give
                rest -= give
            if not rest:
                break
        if rest:
            for end in group.newest:
                out[end] = out.get(end, 0) + rest
    return list(out.items())


def group_stock(group: IssueGroup, on_hand: dict[str, Decimal], held: dict[str, Decimal]) -> tuple[Decimal, Decimal]:
    """What an issue through this group may take and what other orders hold of it, as (on hand, reserved): every
    number's added up; for a kit, the old numbers' and then as many kits as the scarcest kit part has free (its
    reservations already taken off, so none is counted again)."""
    zero = Decimal("0.000")
    takes = group.old if group.kit else group.numbers
    total = sum((on_hand.get(m, zero) for m in takes), zero)
    reserved = sum((held.get(m, zero) for m in takes), zero)
    if group.kit:
        total += min(max(on_hand.get(m, zero) - held.get(m, zero), zero) for m in group.newest)
    return total, reserved


def check_links_known(conn: Connection, part_nos: Iterable[str]) -> dict[str, int]:
    """The ids of these part numbers; BadInput naming the first unknown one."""
    numbers = [normalise_part_no(p) for p in part_nos]
    ids = dict(conn.execute(select(t.part.c.part_no, t.part.c.id)
                            .where(byte_order(t.part.c.part_no).in_(set(numbers)))).all())
    for number in numbers:
        if number not in ids:
            raise BadInput(_("unknown part number {part_no}").format(part_no=number or "''"))
    return ids
