"""Superseded part numbers: set a link (one new number, or several for a kit), import the maker's file of links,
and read a part's links with what is left of the old stock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from core import clock, ledger
from core import tables as t
from core.byte_order import byte_order
from core.codes import normalise_part_no
from core.decimals import fmt_qty
from core.errors import BadInput, ImportProblem, ImportRejected
from core.i18n import _, ngettext
from core.records import supersession as chain
from core.records.catalog import part_id
from core.roles import Actor, Permission, require
from core.tabular import RowReader, map_columns, open_table
from core.units import ReadUnit, WriteUnit, retried

# Column -> the headers that name it, English first, then what a maker's Chinese file prints.
COLUMNS: dict[str, tuple[str, ...]] = {
    "old": ("old", "old_part_no", "旧零件号", "原零件号"),
    "new": ("new", "new_part_no", "新零件号", "替代零件号"),
    "date": ("date", "effective_on", "日期", "生效日期"),
    "interchangeable": ("interchangeable", "可互换", "互换"),
}
REQUIRED = ("old", "new")
_YES = {"yes", "y", "true", "1", "是", "x", "√"}
_NO = {"no", "n", "false", "0", "否"}
# A bad file names its first problems, not every row of it.
MAX_PROBLEMS = 1000


@dataclass(frozen=True, slots=True)
class Superseded:
    """What a supersession set: the old number, the new number(s), the date and the flag."""

    old: str
    new: tuple[str, ...]
    effective_on: date
    interchangeable: bool


@dataclass(frozen=True, slots=True)
class Supersession:
    """A part's place in the chains: what replaces it, what it replaces, its newest number(s) and, for an old
    number, what is left of it (issuable stock) beside what the newest number holds."""

    part_no: str
    superseded_by: tuple[chain.Link, ...]
    supersedes: tuple[chain.Link, ...]
    newest: tuple[str, ...]
    left: Decimal
    newest_on_hand: dict[str, Decimal]

    @property
    def superseded(self) -> bool:
        """Whether another number replaces it."""
        return bool(self.superseded_by)


def parse_day(text: str | date | None, what: str) -> date:
    """A date as YYYY-MM-DD (today when empty), or BadInput naming it."""
    if isinstance(text, date):
        return text
    raw = (text or "").strip()
    if not raw:
        return clock.now().date()
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise BadInput(_("{what} {text!r} is not a date (YYYY-MM-DD)").format(what=what, text=raw)) from None


@retried
def supersede(old: str, new: list[str] | tuple[str, ...] | str, *, interchangeable: bool = True,
              effective_on: str | date | None = None, actor: Actor, uow: WriteUnit) -> Superseded:
    """Supersede a part by another, or by several (a kit), from a date; a chain that comes back on itself is
    refused and nothing changes (planner, parts manager)."""
    require(actor, Permission.EDIT_PARTS)
    news = [new] if isinstance(new, str) else list(new)
    if not news:
        raise BadInput(_("name the new part number"))
    day = parse_day(effective_on, _("date"))
    old_no = normalise_part_no(old)
    new_nos = tuple(dict.fromkeys(normalise_part_no(n) for n in news))
    if old_no in new_nos:
        raise BadInput(_("{part_no} cannot supersede itself").format(part_no=old_no))
    at = clock.now()
    with uow.write() as conn:
        ids = chain.check_links_known(conn, [old_no, *new_nos])
        for new_no in new_nos:
            chain.save_link(conn, ids[old_no], ids[new_no], effective_on=day, interchangeable=interchangeable,
                            operator=actor.id, at=at)
        links = chain.read_links(conn)
        problem = chain.cycle_problem(conn, links)
        if problem:
            raise BadInput(problem)  # the write block rolls back: nothing changed
        chain.rebuild_newest(conn, links)
    return Superseded(old_no, new_nos, day, interchangeable)


@dataclass(frozen=True, slots=True)
class _Row:
    row: int
    old: str
    new: str
    day: date
    interchangeable: bool


def _check_rows(path: str | Path) -> tuple[list[_Row], list[ImportProblem]]:
    """Every row of a supersession file checked for its cells (numbers, date, flag)."""
    rows: list[_Row] = []
    problems: list[ImportProblem] = []
    with open_table(path) as table:
        columns = map_columns(table.headers, COLUMNS, REQUIRED, _("the file"))
        for number, cells in table.rows:
            row = RowReader(number, cells, columns, table.headers, lengths={"old": 40, "new": 40})
            old, new = normalise_part_no(row.cell("old")), normalise_part_no(row.cell("new"))
            if not old:
                row.problem("old", _("empty part number"))
            if not new:
                row.problem("new", _("empty part number"))
            if old and old == new:
                row.problem("new", _("{part_no} cannot supersede itself").format(part_no=old))
            day = None
            try:
                day = parse_day(row.cell("date"), _("date"))
            except BadInput as exc:
                row.problem("date", exc.message)
            flag = row.cell("interchangeable").lower()
            if flag and flag not in _YES | _NO:
                row.problem("interchangeable", _("{value!r} is not yes or no").format(
                    value=row.cell("interchangeable")))
            if row.problems:
                problems.extend(row.problems)
            else:
                rows.append(_Row(number, old, new, day, flag not in _NO))
            if len(problems) >= MAX_PROBLEMS:
                break
    return rows, problems


@retried
def import_supersessions(path: str | Path, *, actor: Actor, uow: WriteUnit) -> int:
    """Import the maker's supersession file (CSV or XLSX: old, new, date, interchangeable; UTF-8 or GB18030): the
    whole file or nothing; an unknown number or a chain coming back on itself refuses it, naming the row. The
    number of links set."""
    require(actor, Permission.EDIT_PARTS)
    name = Path(path).name
    rows, problems = _check_rows(path)
    at = clock.now()
    with uow.write() as conn:
        if not problems:
            numbers = {n for r in rows for n in (r.old, r.new)}
            ids = dict(conn.execute(select(t.part.c.part_no, t.part.c.id)
                                    .where(byte_order(t.part.c.part_no).in_(numbers))).all()) if numbers else {}
            for r in rows:
                for column, number in (("old", r.old), ("new", r.new)):
                    if number not in ids:
                        problems.append(ImportProblem(r.row, column, _("unknown part number {part_no}").format(
                            part_no=number)))
        if not problems:
            links = chain.read_links(conn)
            for r in rows:
                kept = [(n, i) for n, i in links.get(ids[r.old], []) if n != ids[r.new]]
                links[ids[r.old]] = [*kept, (ids[r.new], r.interchangeable)]
                problem = chain.cycle_problem(conn, links)
                if problem:
                    problems.append(ImportProblem(r.row, "new", problem))
                    break
        if problems:
            raise ImportRejected(ngettext("{file}: {count} problem, nothing imported",
                                          "{file}: {count} problems, nothing imported", len(problems)).format(
                file=name, count=len(problems)), problems)
        if not rows:
            raise BadInput(_("{file} holds no supersessions").format(file=name))
        for r in rows:
            chain.save_link(conn, ids[r.old], ids[r.new], effective_on=r.day, interchangeable=r.interchangeable,
                            operator=actor.id, at=at)
        chain.rebuild_newest(conn, chain.read_links(conn))
    return len(rows)


def supersession_of(part_no: str, *, uow: ReadUnit) -> Supersession:
    """A part's links, its newest number(s), what is left of it and what the newest number(s) hold."""
    with uow.read() as conn:
        pid = part_id(conn, part_no)
        by, of, newest = chain.links_of(conn, pid)
        normalised = normalise_part_no(part_no)
        stock = ledger.issuable(conn, [normalised, *newest])
    zero = Decimal("0.000")
    return Supersession(normalised, by, of, newest, stock.get(normalised, zero),
                        {n: stock.get(n, zero) for n in newest})


def newest_for(part_nos: list[str], *, uow: ReadUnit) -> dict[str, tuple[str, ...]]:
    """The newest number(s) of each superseded part among these (the lookup marks them; an order for them is
    placed on these); others are left out."""
    if not part_nos:
        return {}
    with uow.read() as conn:
        return chain.newest_numbers(conn, part_nos)


def redirect_notes(redirected: dict[str, tuple[str, ...]]) -> list[str]:
    """One line per superseded number an order or a draft named, saying the newest number(s) it went to: an old
    number is never ordered (the maker no longer supplies it, interchangeable or not), its order is the newest's."""
    return [_("{old} is superseded: ordered {new} instead").format(old=old, new=", ".join(new))
            for old, new in sorted(redirected.items())]


def counter_note(old: str, newest: tuple[str, ...], left: Decimal, issued_from: tuple[str, ...] = ()) -> str:
    """The flag the counter shows when an old number is scanned or typed: its newest number(s), what is left of
    it, and what the issue takes for it: in an interchangeable chain every number of it, the oldest first
    (`issued_from`, core.records.supersession.issue_groups), for a kit the old numbers first and then one of each kit
    part; else (not interchangeable) the old number only."""
    if issued_from and len(newest) > 1:
        # A kit: issued_from is the old numbers, then the kit parts (the newest numbers).
        return _("{old} is superseded by the kit {new}: {left} of {old} left; issued from {numbers} first, then one "
                 "of each kit part").format(old=old, new=", ".join(newest), left=fmt_qty(left),
                                            numbers=", ".join(n for n in issued_from if n not in newest))
    if issued_from:
        return _("{old} is superseded by {new}: {left} of {old} left; issued from {numbers}, the oldest first").format(
            old=old, new=", ".join(newest), left=fmt_qty(left), numbers=", ".join(issued_from))
    return _("{old} is superseded by {new}: {left} of {old} left; only {old} is issued").format(
        old=old, new=", ".join(newest), left=fmt_qty(left))


def received_note(old: str, newest: tuple[str, ...], *, shipped: bool = True) -> str:
    """The flag receiving shows for an old number (on the screen, the putaway list and the discrepancy record). A
    line the packing list names is counted and shelved as it arrived, since the maker shipped that number (`shipped`);
    an old number the list does not name is only flagged (it is counted as a wrong part like any other)."""
    if not shipped:
        return _("{old} is superseded by {new}").format(old=old, new=", ".join(newest))
    return _("{old} is superseded by {new}: counted as shipped, shelved as {old}").format(old=old,
                                                                                           new=", ".join(newest))


def scanned_note(part_no: str, *, uow: ReadUnit) -> str | None:
    """Receiving's flag for a part number scanned or typed that the packing list does not name, when it is
    superseded, else None; an unknown number is None too (the scan itself says so)."""
    normalised = normalise_part_no(part_no)
    newest = newest_for([normalised], uow=uow).get(normalised)
    return received_note(normalised, newest, shipped=False) if newest else None
