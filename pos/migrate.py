"""The schema's versions: Alembic on ``pos/migrations`` (``upgrade``, the revisions this code
knows, the one a database is at).  ``pos.db`` re-exports these names, where callers use them.
"""
from __future__ import annotations

import functools
from pathlib import Path

from sqlalchemy.engine import Engine


def migrations_config(engine: Engine):
    """An Alembic config pointing at ``pos/migrations`` for ``engine``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    # a % in the URL (a password's %40, SQLite's file: URI) is no ConfigParser interpolation
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; running it again changes nothing."""
    from alembic import command

    command.upgrade(migrations_config(engine), revision)


@functools.lru_cache(maxsize=1)
def migration_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, the heads) of ``pos/migrations``: what this code knows; read once per
    process (Alembic loads every script)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(Path(__file__).parent / "migrations"))
    return frozenset(s.revision for s in scripts.walk_revisions()), frozenset(scripts.get_heads())


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
