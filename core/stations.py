"""Stations of a dealer group: each a partsdesk station of its own in a schema of one PostgreSQL database.

A station's schema is the one its URL's search_path names (`?options=-csearch_path%3Dname`). Two stations in one
database can change stock together in ONE transaction: `at_station` points the transaction's connection at the
other schema (SET LOCAL search_path), so that the core's ledger functions, its hash chain and its locks, run
there unchanged, and the connection comes back to this station after. Either both stations' changes commit or
neither does. SQLite has one station to a file and no such transaction: transfers between stations are refused.

Unqualified names are resolved through the search_path at each statement, so the core's statements (even those
compiled once and prepared: PostgreSQL re-plans a prepared statement when the search_path changes) reach the
other station's tables, and its ledger triggers guard its rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from core.errors import BadInput, NotFound, RuleViolation
from core.i18n import _

# A station is named by its schema: plain lower-case names only, so that one never needs quoting; at most 16
# characters, so that the sending station's name and a transfer number fit a ledger row's document number.
STATION_NAME = re.compile(r"[a-z][a-z0-9_]{0,15}")
NAME_LENGTH = 16


def supported(conn: Connection) -> bool:
    """Whether this database can hold several stations: PostgreSQL, one schema each."""
    return conn.dialect.name == "postgresql"


def this_station(conn: Connection) -> str:
    """The name of the station the connection works at: its schema."""
    return conn.execute(text("SELECT current_schema()")).scalar_one()


def normalise_station(name: str) -> str:
    """A station's name as typed (spaces and case ignored), or BadInput when it cannot name a schema."""
    normalised = (name or "").strip().lower()
    if not STATION_NAME.fullmatch(normalised):
        raise BadInput(_("{name!r} is not a station name: a station is named by its PostgreSQL schema (letters a-z, "
                         "digits and _, at most {length} characters)").format(name=name, length=NAME_LENGTH))
    return normalised


def check_station(conn: Connection, name: str) -> str:
    """The other station's normalised name once it can receive: PostgreSQL, a schema other than this one, holding
    a partsdesk schema at this station's revision. Refused in one line otherwise."""
    if not supported(conn):
        raise RuleViolation(_("transfers between stations need PostgreSQL: on SQLite each station has a file of "
                              "its own, and no transaction reaches two"))
    station = normalise_station(name)
    home = this_station(conn)
    if station == home:
        raise BadInput(_("{station} is this station: a transfer inside it names no other station").format(
            station=station))
    if len(home) > NAME_LENGTH or not STATION_NAME.fullmatch(home):
        raise RuleViolation(_("this station's schema {name} is not a station name (letters a-z, digits and _, at "
                              "most {length} characters): rename it to send to another station").format(
            name=home, length=NAME_LENGTH))
    if conn.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :name"), {"name": station}).first() is None:
        raise NotFound(_("there is no station {station} in this database").format(station=station))
    if conn.execute(text("SELECT to_regclass(:table)"), {"table": f"{station}.alembic_version"}).scalar() is None:
        raise RuleViolation(_("{station} holds no partsdesk station: run `partsdesk init` there").format(
            station=station))
    theirs = conn.execute(text(f"SELECT version_num FROM {station}.alembic_version")).scalar()
    ours = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if theirs != ours:
        raise RuleViolation(_("station {station} is at schema revision {theirs}, this station at {ours}: bring "
                              "both to the same partsdesk (`partsdesk db upgrade`)").format(
            station=station, theirs=theirs or _("none"), ours=ours))
    return station


@contextmanager
def at_station(conn: Connection, station: str) -> Iterator[None]:
    """Inside the block the connection's transaction works at the other station (checked by check_station);
    after it, at this one again. SET LOCAL: whatever happens, the transaction's end puts the path back."""
    path = conn.execute(text("SELECT current_setting('search_path')")).scalar_one()
    conn.execute(text("SELECT set_config('search_path', :path, true)"), {"path": f"{station}, {path}"})
    try:
        yield
    except BaseException:
        if not _aborted(conn):  # an aborted transaction refuses every statement; its rollback restores the path
            conn.execute(text("SELECT set_config('search_path', :path, true)"), {"path": path})
        raise
    conn.execute(text("SELECT set_config('search_path', :path, true)"), {"path": path})


def _aborted(conn: Connection) -> bool:
    from psycopg import pq

    return conn.connection.driver_connection.info.transaction_status == pq.TransactionStatus.INERROR
