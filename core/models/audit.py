"""The audit trail: who changed operators, roles, PINs and settings, when, from what to what; append-only."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from core.models import metadata
from core.sqltypes import UTCDateTime

# One change to the station's people or settings, written in the same transaction as the change.
audit_entry = Table(
    "audit_entry",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("operator", String(16), nullable=False),  # the code of who did it (or whose PIN failed)
    Column("action", String(40), nullable=False),
    Column("subject", String(100), nullable=False),
    Column("old", Text, nullable=True),
    Column("new", Text, nullable=True),
    Index("ix_audit_entry_at", "at"),
)
