"""Alembic environment: runs on the engine the app hands in (``pos.db.upgrade``).

SQLite alters a table by rebuilding it (batch mode: copy, drop the old, rename).  With
foreign keys on, dropping the old table would cascade into the rows that point at it
(a till's open cart lines, say), so on SQLite the migrations run with foreign keys off,
as SQLite's own ALTER TABLE procedure asks, and every reference is checked before the
commit: a migration that leaves a dangling row fails and changes nothing.

On SQLite they begin IMMEDIATE (``pos_write``, as ``pos.db.transaction`` does): begun
DEFERRED, they read first, and a commit by another connection before their first write (the
WAL checkpointer's, started with the app) failed ``pos init`` at once with "database is locked"
(a stale snapshot, which the busy timeout never waits for).
"""
from alembic import context
from sqlalchemy import create_engine

from pos.models import metadata

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect().execution_options(pos_write=True) as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # outside any transaction: inside one, SQLite ignores this pragma
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():  # commits when the migrations ran cleanly
                context.configure(connection=connection, target_metadata=metadata,
                                  render_as_batch=sqlite, compare_type=True)
                with context.begin_transaction():
                    context.run_migrations()
                if sqlite:
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if dangling:
                        raise RuntimeError(f"Migrasi meninggalkan referensi yatim: {dangling[:5]}")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
