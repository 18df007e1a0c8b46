"""The schema's versions: Alembic on ``pos/migrations`` (``upgrade``, the revisions this code
knows, the one a database is at).  ``pos.db`` re-exports these names, where callers use them.

A database at another revision than this code's head (``Mismatch``: made by a newer version, or
not upgraded yet) is refused by the server's pages (``pos.schema_views``) and by the commands
that write (``pos.group_cli``); ``SchemaWatch`` asks, in one query, until it matches.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
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
    """(every revision, the heads) of ``pos/migrations`` as Alembic reads them (it loads every
    script, about a second): the truth ``revisions_by_name``, which the app uses, is held to in
    tests/test_schema_guard.py."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(Path(__file__).parent / "migrations"))
    return frozenset(s.revision for s in scripts.walk_revisions()), frozenset(scripts.get_heads())


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# Every revision is a file ``NNNN_what.py`` whose revision id is its number, revising the one
# numbered before it (tests/test_schema_guard.py holds Alembic to that): the names alone say
# what this code knows, where Alembic's ``ScriptDirectory`` imports every script (about a second).
VERSIONS = Path(__file__).parent / "migrations" / "versions"


@functools.lru_cache(maxsize=1)
def revisions_by_name() -> tuple[frozenset[str], str]:
    """(every revision, the head) of ``pos/migrations``, from its file names: one listing of a
    folder, cheap enough for a server's start."""
    numbers = [path.name.split("_", 1)[0] for path in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")]
    return frozenset(numbers), max(numbers)


def recorded_revisions(engine: Engine) -> list[str]:
    """The revisions ``alembic_version`` records, in one query; none when the table is not there
    (a database before ``pos init``, or made from the models by ``create_all`` as the tests and
    the benchmark make theirs). Another database error is raised."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except DBAPIError:
        with engine.connect() as conn:   # a new one: PostgreSQL's transaction is aborted
            if inspect(conn).has_table("alembic_version"):
                raise
        return []


@dataclass(frozen=True)
class Mismatch:
    """A database whose schema is not this code's: made by a newer version (a revision this code
    does not know), or older than its head (``pos db upgrade`` not run yet)."""

    revision: str
    head: str
    newer: bool

    @property
    def message(self) -> str:
        """One line for a command: what it is and what to run."""
        if self.newer:
            return (f"Basis data dari versi aplikasi yang lebih baru (revisi {self.revision}): "
                    "perbarui aplikasi dulu.")
        return f"Skema basis data belum mutakhir (revisi {self.revision}): jalankan pos db upgrade."

    @property
    def page(self) -> str:
        """The server's answer to every page but /healthz while it lasts."""
        if self.newer:
            return (f"Basis data ini dibuat oleh versi Gerai POS yang lebih baru (skema {self.revision}, "
                    f"aplikasi ini {self.head}): kasir ditutup agar tidak ada penjualan atau data yang "
                    "disimpan dengan aturan lama. Perbarui aplikasi dulu (pasang versi yang membuat "
                    "basis data ini atau yang lebih baru), lalu muat ulang halaman ini.")
        return (f"Skema basis data belum mutakhir (skema {self.revision}, aplikasi ini perlu "
                f"{self.head}): kasir ditutup agar tidak ada penjualan atau data yang disimpan pada "
                "skema lama. Jalankan pos db upgrade (sudo gerai-pos db upgrade di mini-PC), lalu "
                "muat ulang halaman ini.")


def mismatch(engine: Engine) -> Mismatch | None:
    """How the database's schema differs from this code's, or None when it is this code's (or
    records no revision at all: empty, or made from the models)."""
    known, head = revisions_by_name()
    for revision in recorded_revisions(engine):
        if revision not in known:
            return Mismatch(revision, head, newer=True)
        if revision != head:
            return Mismatch(revision, head, newer=False)
    return None


class SchemaWatch:
    """Whether one database's schema is this code's, asked (one query) until it is, then never
    again: a server refuses its pages while it is not, and serves once ``pos db upgrade`` ran,
    without a restart. ``pos.db.Database`` holds one per engine."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._matched = False

    def refusal(self) -> Mismatch | None:
        if self._matched:
            return None
        found = mismatch(self._engine)
        self._matched = found is None
        return found
