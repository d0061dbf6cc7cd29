"""One transaction per command: it completes entirely or changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlmodel import Session


@contextmanager
def unit_of_work(session: Session) -> Iterator[Connection]:
    """Yield the session's connection inside one transaction; commit at the end, roll back on any error."""
    try:
        yield session.connection()
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def read_only(session: Session) -> Iterator[Connection]:
    """Yield the session's connection for reads and end the transaction after, so no lock outlives the read."""
    try:
        yield session.connection()
    finally:
        session.rollback()
