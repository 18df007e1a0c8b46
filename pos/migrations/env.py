"""Alembic environment: runs on the engine the app hands in (``pos.db.upgrade``)."""
from alembic import context
from sqlalchemy import create_engine

from pos.models import metadata

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:  # commits when the migrations ran cleanly
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=connection.dialect.name == "sqlite",
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
