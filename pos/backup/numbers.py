"""Numbers given out before a restore are never given again.

A backup is older than the database it replaces: the receipts, returns, member documents and
member cards numbered since it was made are on paper (and maybe in the cooperative's ledger),
but not in the backup. Before the restored copy goes live, each of its counters
(``pos.counters``) is raised to the last number the replaced database had given, so the next
sale's receipt number follows the last one printed. The numbers in between stay a gap, which
shows an auditor the sales that happened and are not in the backup.

Some documents are numbered by their row's id (``IDS``: a shift's X/Z report, a goods receipt, a
stock count). Their id sequence (SQLite's ``sqlite_sequence``, as those tables are
AUTOINCREMENT; a PostgreSQL sequence) is raised the same way; where an older schema's SQLite
table gives an id again (before 0042), it cannot be, and that is said (``Stuck``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import column, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.expression import TableClause

from pos import upserts


def _counter(name: str, key: str) -> TableClause:
    return table(name, column(key), column("last_no"))


# Each counter table (named, as this package imports no domain: a test holds the list to the
# models), what its numbers are in the words the operator reads, and its key column.
COUNTERS: tuple[tuple[TableClause, str], ...] = (
    (_counter("receipt_sequence", "outlet_code"), "nota penjualan"),
    (_counter("return_sequence", "outlet_code"), "nota retur"),
    (_counter("member_document_sequence", "outlet_code"), "dokumen anggota"),
    (_counter("member_card_sequence", "prefix"), "kartu anggota"),
)

# Tables whose id is the number on paper, and what that number is.
IDS: tuple[tuple[str, str], ...] = (
    ("shift", "laporan shift (X/Z)"),
    ("goods_receipt", "penerimaan barang (GR)"),
    ("count_session", "stok opname (SO)"),
)
ID_KEY = "id"

WHAT = {counter.name: what for counter, what in COUNTERS} | dict(IDS)
Given = dict[str, dict[str, int]]  # table name -> counter key -> last number given


@dataclass(frozen=True)
class Carried:
    what: str      # "nota penjualan"
    key: str       # the outlet code or the card prefix ("" for a number that is an id)
    restored: int  # the backup's last number
    last: int      # the replaced database's, where the next number now follows

    def __str__(self) -> str:
        named = " ".join(filter(None, (self.what, self.key)))
        return (f"{named}: nomor terakhir di cadangan {self.restored}, dilanjutkan dari"
                f" {self.last} ({self.last - self.restored} nomor sesudah cadangan ini tidak "
                "ada di dalamnya)")


    @property
    def line(self) -> str:
        return f"Nomor {self}."


@dataclass(frozen=True)
class Stuck:
    """A number by id (``IDS``) the restored copy cannot go on from: its SQLite table, of a
    schema before 0042, gives an id again (no AUTOINCREMENT), so the ids up to ``last`` given
    after the backup was made will be given again."""
    what: str      # "laporan shift (X/Z)"
    restored: int  # the backup's last number
    last: int      # the replaced database's

    @property
    def line(self) -> str:
        return (f"Perhatian: nomor {self.what} terakhir {self.last} tidak dapat dilanjutkan: cadangan ini "
                f"dari skema sebelum 0042, yang memberi nomor itu lagi, sehingga nomor {self.restored + 1} "
                f"sampai {self.last} yang sudah tercetak dapat dipakai lagi. Jalankan pos db upgrade, lalu "
                f"periksa nomor {self.what} berikutnya dan tandai yang sudah tercetak dengan nomor sama.")


def _key(counter: TableClause):
    return next(iter(counter.c))


def _present(conn) -> tuple[list[TableClause], list[tuple[str, str]]]:
    """The counter tables and the tables numbered by id (``IDS``) this database has (an older
    schema may lack the newer ones)."""
    have = set(inspect(conn).get_table_names())
    return ([counter for counter, _what in COUNTERS if counter.name in have],
            [(name, what) for name, what in IDS if name in have])


def _last_id(conn, name: str) -> int:
    """The highest id the table ``name`` has given: its rows', and on SQLite the sequence's
    (a deleted row's id is not given again either)."""
    last = conn.execute(select(func.max(column("id"))).select_from(table(name))).scalar() or 0
    if conn.dialect.name == "sqlite" and _autoincrement(conn, name):
        seq = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :n"), {"n": name}).scalar()
        last = max(last, seq or 0)
    return last


def _autoincrement(conn, name: str) -> bool:
    made = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"),
                        {"n": name}).scalar() or ""
    return "AUTOINCREMENT" in made.upper()


def _raise_id(conn, name: str, last: int) -> bool:
    """The next id of ``name`` follows ``last``; False where this copy cannot (an older schema
    whose SQLite table reuses ids: ``pos db upgrade`` rebuilds it)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"), {"t": name, "n": last})
        return True
    if not _autoincrement(conn, name):
        return False
    params = {"n": name, "s": last}
    if conn.execute(text("UPDATE sqlite_sequence SET seq = :s WHERE name = :n"), params).rowcount == 0:
        conn.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:n, :s)"), params)
    return True


def given(engine: Engine) -> Given | None:
    """Every counter of the database ``engine`` opens; None when it cannot be read (a damaged
    database, or none yet): the restore then says so, and goes on."""
    found: Given = {}
    if engine.dialect.name == "sqlite" and not Path(engine.url.database or "").is_file():
        return found  # nothing given yet (and connecting would make the file)
    try:
        with engine.connect() as conn:
            counters, ids = _present(conn)
            for counter in counters:
                rows = conn.execute(select(_key(counter), counter.c.last_no)).all()
                found[counter.name] = {key: last for key, last in rows if last is not None}
            for name, _what in ids:
                found[name] = {ID_KEY: _last_id(conn, name)}
    except SQLAlchemyError:
        return None
    return found


def carry(url: URL | str, numbers: Given) -> list[Carried | Stuck]:
    """Raise the counters of the database at ``url`` (the restored copy, before it goes live)
    to ``numbers`` where those are higher; what was raised, and what could not be (``Stuck``)."""
    engine = create_engine(url, poolclass=NullPool)
    raised: list[Carried | Stuck] = []
    try:
        with engine.begin() as conn:
            counters, ids = _present(conn)
            for counter in counters:
                what, key = WHAT[counter.name], _key(counter)
                have = dict(conn.execute(select(key, counter.c.last_no)).all())
                for name, last in sorted(numbers.get(counter.name, {}).items()):
                    if last <= (have.get(name) or 0):
                        continue
                    conn.execute(upserts.insert(conn, counter).values({key.name: name, "last_no": last})
                                 .on_conflict_do_update(index_elements=[key.name],
                                                        set_={"last_no": last}))
                    raised.append(Carried(what, name, have.get(name) or 0, last))
            raised += _carry_ids(conn, ids, numbers)
    finally:
        engine.dispose()
    return raised


def _carry_ids(conn, ids: list[tuple[str, str]], numbers: Given) -> list[Carried | Stuck]:
    raised: list[Carried | Stuck] = []
    for name, what in ids:
        last = numbers.get(name, {}).get(ID_KEY, 0)
        if last <= (restored := _last_id(conn, name)):
            continue
        raised.append(Carried(what, "", restored, last) if _raise_id(conn, name, last)
                      else Stuck(what, restored, last))
    return raised
