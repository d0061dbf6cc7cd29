"""Alembic environment: runs the migrations on the engine handed over by data.migrations.upgrade."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import core.models

core.models.load_all()  # the whole schema, for comparisons and autogenerate

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
