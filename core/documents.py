"""Document references and their human numbers (ADJ-2026-000001), handed out inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from core import tables as t


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """The document a stock movement stands on: its type code (ADJ, RCV, REQ, ...) and number."""

    doc_type: str
    doc_no: str


def next_number(conn: Connection, doc_type: str, at: datetime) -> str:
    """The next number of a document type for the year of `at`, e.g. ADJ-2026-000042.

    Runs inside the caller's transaction, so a refused command does not burn a number; on
    SQLite the write lock is already held, on PostgreSQL the upsert locks the counter row.
    """
    table = t.document_sequence
    year = at.year
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(doc_type=doc_type, year=year, last_no=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.doc_type, table.c.year], set_={"last_no": table.c.last_no + 1}
    ).returning(table.c.last_no)
    number = conn.execute(statement).scalar_one()
    return f"{doc_type}-{year}-{number:06d}"

