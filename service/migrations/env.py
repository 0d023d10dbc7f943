"""Alembic environment: runs on the connection `service.db.migrate` hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from service.lti import orm as _lti_tables  # noqa: F401  (LTI tables in the metadata)
from service.orm import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    """Migrate over the given connection, or open one from `sqlalchemy.url`."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as opened:
        context.configure(connection=opened, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
