"""One transaction per command: it completes entirely or changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlmodel import Session


@contextmanager
def unit_of_work(session: Session) -> Iterator[Connection]:
    """Yield a connection inside one transaction; commit at the end, roll back on any error.

    A session already inside a transaction is joined (and committed with it). Otherwise the work
    runs on a connection of its own from the session's engine: the services write through SQLAlchemy
    Core, and the session's transaction bookkeeping doubled the cost of an empty transaction on the
    issue path (64 µs against 35 µs, tests/bench).
    """
    if session.in_transaction():
        try:
            yield session.connection()
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return
    with session.get_bind().begin() as connection:
        yield connection


@contextmanager
def read_only(session: Session) -> Iterator[Connection]:
    """Yield the session's connection for reads and end the transaction after, so no lock outlives the read."""
    try:
        yield session.connection()
    finally:
        session.rollback()
