"""The audit trail: who changed operators, roles, PINs, settings and parts' master data, when, from what to what;
append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from core.sqltypes import UTCDateTime


class AuditEntry(SQLModel, table=True):
    """One change to the station's people, settings or parts master, written in the same transaction as the change."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    operator: str = Field(sa_type=String(16), nullable=False)  # the code of who did it (or whose PIN failed)
    action: str = Field(sa_type=String(40), nullable=False)
    subject: str = Field(sa_type=String(100), nullable=False)
    old: str | None = Field(default=None, sa_type=Text, nullable=True)
    new: str | None = Field(default=None, sa_type=Text, nullable=True)

    __table_args__ = (Index("ix_audit_entry_at", "at"),)
