"""`partsdesk stock check`: the books in SQL and the ledger chain's structure, nothing else loaded.

Kept apart from core.services.stock so that the command imports only what it runs (not the ledger's booking,
the records or the documents): start-up is most of a one-second check. db check's stock check and the tests'
invariant_violations use the same books query.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from threading import Thread
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, or_, select

from core import ledger_chain
from core import tables as t
from core.decimals import fmt_qty
from core.i18n import _

if TYPE_CHECKING:
    from core.units import ReadUnit


def stock_check(*, uow: ReadUnit) -> list[str]:
    """What `partsdesk stock check` says: every place where the books disagree, and the ledger chain's structure
    (its head names the last row, no id missing, the last row the one booked), without re-hashing every row.

    The full re-hash is `stock verify` and `db check` (core.services.stock.invariant_violations with the
    chain). One read block: one snapshot, as there.
    """
    with uow.read() as conn, uow.twin() as twin:
        problems = ledger_chain.check_structure(conn)
        problems.extend(books_problems(conn, twin))
    return problems


# How long a stop waits for the twin's thread to see a cancel before it sends another.
STOP_RETRY_SECONDS = 0.1

# A pass's findings, or the error it raised, handed back by the thread that ran it.
Outcome = tuple[list[str] | None, BaseException | None]


def books_problems(conn: Connection, twin: Connection | None = None) -> list[str]:
    """The check's books in SQL: only the lots and ledger rows that disagree come back to Python (memory flat).

    Two passes, each over the ledger's lot index alone (lot, part, location, quantity: migration 0017), never
    its rows. The lots, each with its ledger rows' sum by index, give the lots whose sum is not their remaining
    quantity, and negative or over-full ones. The ledger's distinct (lot, part, location), each with its lot
    by key, give the ledger rows naming another part or location than their lot's, or a lot that is not there.
    Lot findings come in lot order, then the ledger rows naming another place, as the check has always said them.
    Given the block's twin (ReadUnit.twin: PostgreSQL, the same snapshot), the second pass runs on it at the same
    time as the first: the server runs each on a processor of its own.
    """
    if twin is None:
        return lot_problems(conn) + place_problems(conn)
    found: list[Outcome] = []
    places = Thread(target=lambda: found.append(_outcome(place_problems, twin)), name="stock-check-places")
    places.start()
    try:
        problems = lot_problems(conn)
        places.join()  # the twin is never left running a statement when the block ends
    except BaseException:  # Ctrl-C or a failure, in the first pass or while waiting for the twin's
        _stop(places, twin)
        raise
    elsewhere, error = found[0]
    if error is not None:
        raise error
    return problems + (elsewhere or [])


def _stop(places: Thread, twin: Connection) -> None:
    """Cancel the twin's statement on the server until its thread ends, rather than wait for the statement to end.
    A cancel that reaches the server before the statement does is lost, so it is sent again while the thread runs."""
    while places.is_alive():
        _cancel(twin)
        places.join(STOP_RETRY_SECONDS)


def _cancel(twin: Connection) -> None:
    """Ask the server to cancel the statement the twin runs, if any (psycopg's cancel request, on a connection of
    its own: the twin's is busy)."""
    try:
        twin.connection.dbapi_connection.cancel_safe()
    except Exception:  # the cancel only saves time: without it the join waits for the statement
        pass


def _outcome(check: Callable[[Connection], list[str]], conn: Connection) -> Outcome:
    """A check's findings or its error, for a thread to hand back."""
    try:
        return check(conn), None
    except BaseException as exc:  # raised again by the caller's thread
        return None, exc


def lot_problems(conn: Connection) -> list[str]:
    """The lots whose ledger sum is not their remaining quantity, and negative or over-full lots, in lot order."""
    lot, move = t.stock_lot, t.stock_move
    booked = func.sum(move.c.qty)
    disagreeing = conn.execute(
        select(lot.c.id, lot.c.qty_received, lot.c.qty_remaining, booked.label("booked"))
        .select_from(lot.outerjoin(move, move.c.lot_id == lot.c.id))
        # By the key alone (the lot's other columns depend on it, as PostgreSQL allows): SQLite then groups in
        # the scan's id order with no sort of the 400,000 groups for the ORDER BY.
        .group_by(lot.c.id)
        .having(or_(func.coalesce(booked, 0) != lot.c.qty_remaining, lot.c.qty_remaining < 0,
                    lot.c.qty_remaining > lot.c.qty_received))
        .order_by(lot.c.id)
    )
    problems: list[str] = []
    for row in disagreeing:
        booked_qty = Decimal(0) if row.booked is None else row.booked
        if booked_qty != row.qty_remaining:
            problems.append(_("lot {lot}: ledger {booked} != remaining {remaining}").format(
                lot=row.id, booked=fmt_qty(booked_qty), remaining=fmt_qty(row.qty_remaining)))
        if row.qty_remaining < 0:
            problems.append(_("lot {lot}: negative remaining {remaining}").format(
                lot=row.id, remaining=fmt_qty(row.qty_remaining)))
        if row.qty_remaining > row.qty_received:
            problems.append(_("lot {lot}: remaining above received").format(lot=row.id))
    return problems


def place_problems(conn: Connection) -> list[str]:
    """The lots named by a ledger row of another part or location than the lot's, or by a row whose lot is gone."""
    lot, move = t.stock_lot, t.stock_move
    problems: list[str] = []
    # Distinct first, then the lot: one look-up per place the ledger names (about one per lot), not per row.
    places = select(move.c.lot_id, move.c.part_id, move.c.location_id).distinct().subquery("places")
    elsewhere = conn.execute(
        select(places.c.lot_id, places.c.part_id, places.c.location_id)
        .select_from(places.outerjoin(lot, lot.c.id == places.c.lot_id))
        .where(or_(lot.c.id.is_(None), lot.c.part_id != places.c.part_id, lot.c.location_id != places.c.location_id))
        .order_by(places.c.lot_id, places.c.part_id, places.c.location_id)
    )
    for lot_id, _part, _location in elsewhere:
        problems.append(_("lot {lot}: a ledger row names another part or location").format(lot=lot_id))
    return problems
