"""A ``pos`` command on a database it may not write says so in Indonesian, one line and nothing
else: ``pos user add``, ``pos user pin`` and ``pos init`` printed the log line "Tulis ditolak:
attempt to write a readonly database" before it, and ``pos db upgrade`` (Alembic writes outside
``pos.db``'s transaction) a traceback."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from pos.auth.service import create_user
from pos.db import upgrade
from pos.errors import READ_ONLY
from tests.test_cli_database import pos_command


@pytest.fixture
def read_only(tmp_path):
    """``make(revision)``: a database migrated to ``revision`` with one manager, and the URL that
    opens it read-only (SQLite's ``mode=ro``: the same refusal as a disk mounted read-only)."""
    def make(revision: str = "head") -> str:
        path = tmp_path / "pos.db"
        engine = create_engine(f"sqlite:///{path}")
        upgrade(engine, revision)
        if revision == "head":
            with Session(engine) as session:
                create_user(session, "manajer1", "Manajer", "manager", "7391")
                session.commit()
        engine.dispose()
        return f"sqlite:///file:{path}?mode=ro&uri=true"
    return make


@pytest.mark.parametrize("args", [
    ("user", "add", "budi", "--role", "cashier", "--pin", "1234"),
    ("user", "pin", "manajer1", "--pin", "7391"),
    ("user", "deactivate", "manajer1"),
    ("init",),
])
def test_a_read_only_database_is_one_indonesian_line(read_only, tmp_path, args):
    done = pos_command(tmp_path, *args, POS_DATABASE_URL=read_only())
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr == f"Galat: {READ_ONLY}\n" and done.stdout == ""


def test_a_migration_on_a_read_only_database_is_one_line_too(read_only, tmp_path):
    done = pos_command(tmp_path, "db", "upgrade", POS_DATABASE_URL=read_only("0020"))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == f"Galat: {READ_ONLY}\n"
