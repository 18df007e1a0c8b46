"""Opening balances (*saldo awal*) of the balance-sheet accounts, imported from CSV or XLSX.

Columns ``account, name, debit, credit`` (or ``akun, nama, debit, kredit``), one row per
account, integer Rupiah.  All rows or none: every problem is listed with its row number and
nothing is stored unless the whole file is right and debits equal credits.  An import is for
one outlet or, without one, the cooperative itself ("" in the tables), as at a date; it
replaces that scope's earlier import.  The balance sheet counts that scope's journal lines
from that date on (``accounts.books_start``).  A saldo awal dated in or before a year whose SHU
is frozen, or replacing one dated so, would change books the members' meeting approved: it is
refused (``shu_runs.frozen_from``).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pos.clock import utcnow
from pos.errors import PosError
from pos.ledger_hub import accounts, shu_runs
from pos.ledger_hub.models import HubOpening, HubOpeningLine
from pos.money import MoneyError, format_rupiah, parse_rupiah
from pos.workbooks import BadWorkbook, FirstSheet

ACCOUNT = re.compile(r"[0-9]{6}")
HEADERS = {"account": "account", "akun": "account", "kode": "account", "name": "name", "nama": "name",
           "debit": "debit", "credit": "credit", "kredit": "credit"}
MAX_ROWS = 5000
MAXIMUM = 10**15   # a cooperative's balance, not a cashier's typo guard


class OpeningRefused(PosError):
    """The file is refused as a whole; ``problems`` lists every row's problem."""

    def __init__(self, problems: list[str]):
        super().__init__("Saldo awal tidak diimpor: " + " ".join(problems[:3])
                         + (f" (dan {len(problems) - 3} masalah lain)" if len(problems) > 3 else ""), 422)
        self.problems = problems


@dataclass(frozen=True)
class OpeningRow:
    account: str
    name: str
    debit: int
    credit: int


@dataclass(frozen=True)
class Imported:
    outlet: str
    as_of: date
    rows: int
    debit: int
    credit: int
    replaced: bool

    @property
    def message(self) -> str:
        scope = f"gerai {self.outlet}" if self.outlet else "koperasi"
        again = " (menggantikan saldo awal sebelumnya)" if self.replaced else ""
        return (f"Saldo awal {scope} per {self.as_of:%d-%m-%Y}: {self.rows} akun, debit "
                f"{format_rupiah(self.debit)} = kredit {format_rupiah(self.credit)}{again}.")


def read_table(filename: str, content: bytes) -> list[list]:
    """The file's rows as lists of cells (CSV with ``,`` or ``;``, or the first XLSX sheet)."""
    if (filename or "").lower().endswith(".xlsx"):
        try:
            sheet = FirstSheet(content)
        except BadWorkbook:   # any broken or foreign file: one clear answer
            raise OpeningRefused(["Berkas XLSX tidak bisa dibaca."]) from None
        with sheet:
            rows = [list(row) for row in sheet.rows()]
        if sheet.problems:   # a formula saved without its value is no amount of 0
            raise OpeningRefused(sheet.problems)
        return rows
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OpeningRefused(["Berkas CSV harus UTF-8."]) from None
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _amount(cell, label: str) -> int:
    if cell is None or cell == "":
        return 0
    if isinstance(cell, bool) or (isinstance(cell, float) and not cell.is_integer()):
        raise ValueError(f"{label} harus Rupiah bulat")
    if isinstance(cell, int | float):
        if cell < 0:
            raise ValueError(f"{label} tidak boleh negatif")
        return int(cell)
    try:
        return parse_rupiah(str(cell), MAXIMUM)
    except MoneyError as problem:
        raise ValueError(problem.of_field(label)) from None


def _found(header: list, shown: int = 12) -> str:
    """The file's first row as its column names, each cut short, an empty one "(kosong)"."""
    names = [str(cell if cell is not None else "").strip()[:30] or "(kosong)" for cell in header[:shown]]
    return ", ".join(names) + (f" dan {len(header) - shown} lainnya" if len(header) > shown else "")


def parse(table: list[list]) -> list[OpeningRow]:
    """Check every row; ``OpeningRefused`` with all the problems, or the rows."""
    table = [row for row in table if any(cell not in (None, "") for cell in row)]
    if not table:
        raise OpeningRefused(["Berkas kosong."])
    header = [HEADERS.get(str(cell or "").strip().lower()) for cell in table[0]]
    missing = [name for name in ("account", "name", "debit", "credit") if name not in header]
    if missing:
        raise OpeningRefused([f"Kolom wajib tidak ada: {', '.join(missing)} (kolom di berkas: "
                              f"{_found(table[0])}; tulis account, name, debit, credit, atau akun, nama, "
                              "debit, kredit)."])
    if len(table) - 1 > MAX_ROWS:
        raise OpeningRefused([f"Paling banyak {MAX_ROWS} baris."])
    where = {name: header.index(name) for name in ("account", "name", "debit", "credit")}
    rows, problems, seen = [], [], set()
    for number, raw in enumerate(table[1:], start=2):
        cells = {name: (raw[i] if i < len(raw) else None) for name, i in where.items()}
        account = str(cells["account"] or "").strip()
        if isinstance(cells["account"], float) and cells["account"].is_integer():
            account = str(int(cells["account"]))
        name = str(cells["name"] or "").strip()[:120]
        wrong = []   # every problem of the row at once, not the first of them
        if not ACCOUNT.fullmatch(account):
            wrong.append(f"kode akun {account or '(kosong)'} harus 6 angka")
        elif accounts.account_class(account) not in accounts.BALANCE_CLASSES:
            wrong.append(f"akun {account} bukan akun neraca (1xxxxx aset, 2xxxxx kewajiban, "
                         "3xxxxx ekuitas)")
        elif account in seen:
            wrong.append(f"akun {account} muncul dua kali")
        amounts = []
        for key, label in (("debit", "debit"), ("credit", "kredit")):
            try:
                amounts.append(_amount(cells[key], label))
            except ValueError as problem:
                wrong.append(str(problem).rstrip("."))
        if len(amounts) == 2 and all(amounts):   # a balance sits on one side of its account
            wrong.append(f"isi debit atau kredit saja, tidak keduanya (akun {account or '(kosong)'})")
        if wrong:
            problems.append(f"Baris {number}: {'; '.join(wrong)}.")   # one full stop
            continue
        seen.add(account)
        rows.append(OpeningRow(account, name or account, *amounts))
    if problems:
        raise OpeningRefused(problems)
    debit, credit = sum(r.debit for r in rows), sum(r.credit for r in rows)
    if debit != credit:
        raise OpeningRefused([f"Saldo awal tidak seimbang: debit {format_rupiah(debit)}, "
                              f"kredit {format_rupiah(credit)}."])
    return rows


def store(session: Session, outlet: str | None, as_of: date, rows: list[OpeningRow],
          operator: str = "") -> Imported:
    """Replace the scope's opening balances with ``rows`` (already checked by ``parse``)."""
    scope = accounts.check_outlet(session, outlet) or ""
    held = session.get(HubOpening, scope)
    _refuse_closed(session, scope, as_of, held.as_of if held is not None else None)
    replaced = held is not None
    session.execute(delete(HubOpeningLine).where(HubOpeningLine.outlet_code == scope))
    session.execute(delete(HubOpening).where(HubOpening.outlet_code == scope))
    session.add(HubOpening(outlet_code=scope, as_of=as_of, imported_at=utcnow(), imported_by=operator))
    session.add_all(HubOpeningLine(outlet_code=scope, account=r.account, name=r.name, debit=r.debit,
                                   credit=r.credit) for r in rows)
    session.flush()
    return Imported(scope, as_of, len(rows), sum(r.debit for r in rows), sum(r.credit for r in rows),
                    replaced)


def _refuse_closed(session: Session, scope: str, as_of: date, held: date | None) -> None:
    closed = shu_runs.frozen_from(session, min(as_of, held or as_of).year)
    if closed is None:
        return
    end, who = date(closed.year, 12, 31), f"gerai {scope}" if scope else "koperasi"
    if as_of <= end:
        raise OpeningRefused([f"Buku s.d. {end:%d-%m-%Y} sudah ditutup: SHU tahun {closed.year} dibekukan "
                              f"(disahkan rapat anggota). Saldo awal per {as_of:%d-%m-%Y} akan mengubahnya; "
                              f"pilih tanggal sesudah {end:%d-%m-%Y} (koreksi tahun itu dicatat di tahun "
                              "buku berikutnya)."])
    raise OpeningRefused([f"Saldo awal {who} per {held:%d-%m-%Y} termasuk buku s.d. {end:%d-%m-%Y}, yang "
                          f"sudah ditutup (SHU tahun {closed.year} dibekukan): tidak dapat diganti. "
                          "Koreksinya dicatat di tahun buku berikutnya."])


def import_file(session: Session, filename: str, content: bytes, as_of: date, outlet: str | None = None,
                operator: str = "") -> Imported:
    """Read, check and store one opening-balance file: all rows or none."""
    return store(session, outlet, as_of, parse(read_table(filename, content)), operator)


def listing(session: Session) -> list[tuple[HubOpening, int, int, int]]:
    """Every imported scope with its row count, debit and credit."""
    line = HubOpeningLine
    sums = {code: (int(n), int(d or 0), int(c or 0)) for code, n, d, c in session.execute(
        select(line.outlet_code, func.count(), func.sum(line.debit), func.sum(line.credit))
        .group_by(line.outlet_code))}
    return [(head, *sums.get(head.outlet_code, (0, 0, 0)))
            for head in session.scalars(select(HubOpening).order_by(HubOpening.outlet_code))]
