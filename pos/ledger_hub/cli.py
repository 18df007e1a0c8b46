"""``pos ledger-hub ...``: run the ledger hub and look after it (outlets, reports).

Every command works on the hub's database, ``POS_LEDGER_DATABASE_URL`` (PostgreSQL in
production; empty: SQLite at <instance>/ledger_hub.db, for a demo), and creates or migrates
its schema first, so a fresh database needs no extra step.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from flask import current_app

from pos import server_lock
from pos.cli_dates import DAY, day_range
from pos.cli_files import OUT_FILE, write
from pos.clock import utc_iso, utcnow
from pos.console import Galat, ask_secret
from pos.db import Database, make_engine
from pos.group_cli import CommandGroup
from pos.ledger_hub import (
    accounts,
    book_sheets,
    books,
    journal_book,
    opening,
    operators,
    outlets,
    schema,
    statements,
)
from pos.ledger_hub.accounts import Period
from pos.ledger_hub.sheets import to_xlsx
from pos.ledger_hub.shu_runs import book_today
from pos.money import format_rupiah
from pos.text_table import aligned

ledger_hub_cli = CommandGroup("ledger-hub", help="Hub buku besar koperasi (sisi koperasi).")
outlet_cli = CommandGroup("outlet", help="Gerai yang boleh mengirim dokumen ke hub.")
operator_cli = CommandGroup("operator", help="Operator yang boleh membuka layar hub (buku, SHU).")
opening_cli = CommandGroup("opening", help="Saldo awal akun neraca (CSV/XLSX).")
for _group in (outlet_cli, operator_cli, opening_cli):
    ledger_hub_cli.add_command(_group)



def hub_url() -> str:
    url = current_app.config.get("LEDGER_DATABASE_URL") or ""
    return url or f"sqlite:///{Path(current_app.instance_path) / 'ledger_hub.db'}"


@contextmanager
def hub_database() -> Iterator[Database]:
    database = Database(make_engine(hub_url()))
    try:
        schema.ensure(database.engine)
        yield database
    finally:
        database.engine.dispose()


def announce(host: str, port: int, processes: int) -> str:
    """What ``serve`` says: the value an outlet writes in POS_LEDGER_URL (the hub's address only;
    ``pos ledger push`` adds the API's path), where it once printed ``…/api/v1``. A hub on every
    interface has no one address to give: the server's address on the network is meant."""
    shown = "<alamat-IP-server-ini>" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return (f"Hub buku besar berjalan ({processes} proses). Di setiap gerai isi:\n"
            f"POS_LEDGER_URL=http://{shown}:{port}")


@ledger_hub_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Alamat jaringan yang didengarkan.")
@click.option("--port", default=8090, show_default=True, type=int, help="Port yang didengarkan.")
@click.option("--threads", default=8, show_default=True, type=int, help="Jumlah thread pekerja waitress.")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Jumlah proses hub yang berbagi port: satu per inti CPU (satu proses memakai satu"
                   " inti).")
def serve_command(host: str, port: int, threads: int, processes: int) -> None:
    """Jalankan hub (API dan halaman) dengan waitress, pada basis data POS_LEDGER_DATABASE_URL."""
    import socket

    from pos.ledger_hub import serving

    settings = {"DATABASE_URL": hub_url(), "INSTANCE_PATH": current_app.instance_path,
                "SECRET_KEY": current_app.config.get("LEDGER_SECRET_KEY") or "",
                "LEDGER_ACCOUNTS": current_app.config.get("LEDGER_ACCOUNTS") or {}}
    listener = socket.create_server((host, port), backlog=1024)   # bound once, shared by all
    # held while the hub serves (its children share it): ``pos ledger-hub restore`` refuses then
    held = server_lock.hold(current_app.instance_path, server_lock.HUB_NAME)
    click.echo(announce(host, port, processes))
    try:
        serving.run(listener, settings, threads=threads, processes=processes)
    finally:
        if held is not None:
            os.close(held)


@outlet_cli.command("add")
@click.argument("code")
@click.option("--name", default="", help="Nama gerai.")
def outlet_add(code: str, name: str) -> None:
    """Daftarkan gerai CODE dan tampilkan kredensialnya sebagai baris variabel lingkungan (hanya
    sekali)."""
    with hub_database() as database, database.transaction() as session:
        issued = outlets.add(session, code, name)
    show_credentials(issued, f"Simpan baris di atas di gerai {issued.code} "
                             f"(POS_OUTLET_CODE={issued.code}); hub tidak bisa menampilkannya lagi.")


def show_credentials(issued: outlets.Credentials, note: str) -> None:
    """An outlet's token and secret as environment lines on stdout (shown this once), and what
    to do with them on stderr."""
    for line in issued.env_lines():
        click.echo(line)
    click.echo(note, err=True)


@outlet_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def outlet_list(as_json: bool) -> None:
    """Gerai yang dokumennya diterima hub, dan hari usaha terakhir yang sudah diterima dari tiap gerai."""
    with hub_database() as database, database.reading() as session:
        last = outlets.last_days(session)
        rows = [{"code": o.code, "name": o.name, "active": o.active,
                 "created_at": utc_iso(o.created_at, "seconds"),
                 "last_day": last[o.code].isoformat() if o.code in last else None}
                for o in outlets.listing(session)]
    if as_json:
        click.echo(json.dumps(rows))
        return
    for row in rows:
        day = f"{date.fromisoformat(row['last_day']):%d-%m-%Y}" if row["last_day"] else "belum ada"
        click.echo(f"{row['code']:<12} {row['name']:<30} {'aktif' if row['active'] else 'nonaktif':<9} "
                   f"hari terakhir diterima: {day}")
    if not rows:
        click.echo("Belum ada gerai terdaftar; tambahkan dengan `pos ledger-hub outlet add KODE`.")


@operator_cli.command("add")
@click.argument("name")
@click.option("--password", help="Kata sandi (bawaan: ditanyakan, atau dibuatkan dan ditampilkan sekali).")
def operator_add(name: str, password: str | None) -> None:
    """Daftarkan operator NAME, yang masuk ke layar hub lewat /masuk."""
    if password is None and sys.stdin.isatty():
        password = ask_secret("Kata sandi (kosong: dibuatkan)", "Ulangi kata sandi",
                              default="") or None
    with hub_database() as database, database.transaction() as session:
        username, generated = operators.add(session, name, password)
    click.echo(f"Operator {username} terdaftar.")
    if generated:
        click.echo(f"Kata sandi: {generated}")
        click.echo("Catat kata sandi ini sekarang; hub tidak bisa menampilkannya lagi.", err=True)


@ledger_hub_cli.command("report")
@click.option("--outlet", "outlet_code", required=True, help="Kode gerai.")
@click.option("--date", "chosen", type=DAY, required=True, help="Tanggal usaha.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def report_command(outlet_code: str, chosen: date, as_json: bool) -> None:
    """Isi hub untuk satu tanggal usaha sebuah gerai: angka dan baris jurnal."""
    with hub_database() as database, database.reading() as session:
        report = books.day_report(session, outlet_code, chosen, current_app.config["LEDGER_ACCOUNTS"])
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    click.echo(f"Gerai {outlet_code}, {chosen:%d-%m-%Y}: {', '.join(report['documents']) or '-'}")
    if report["void_documents"]:
        click.echo(f"  Batal (tidak dibukukan): {', '.join(report['void_documents'])}")
    if report["sale_count"] is not None:
        click.echo(f"  {report['sale_count']} transaksi, bruto {format_rupiah(report['gross'])}, "
                   f"total {format_rupiah(report['total'])}")
    if report["opening_note"]:
        click.echo(f"  {report['opening_note']}")
    rows = [["Akun", "Nama akun", "Keterangan", "Debit", "Kredit"]]
    rows += [[line["account"], line["name"], line["memo"], format_rupiah(line["debit"]),
              format_rupiah(line["credit"])] for line in report["journal"]]
    rows.append(["Jumlah", "", "", format_rupiah(report["debit"]), format_rupiah(report["credit"])])
    click.echo("\n".join(aligned(rows, {3, 4}, indent="  ")))


# --to left out: today in the books' zone, or the last day received when later (as the screens)
DEFAULT_TO = ("Tanggal usaha terakhir (bawaan: hari ini, atau hari usaha terakhir yang diterima hub bila "
              "lebih akhir).")


@ledger_hub_cli.command("trial-balance")
@click.option("--from", "first", type=DAY, help="Tanggal usaha pertama.")
@click.option("--to", "last", type=DAY, help=DEFAULT_TO)
@click.option("--outlet", "outlet_code", help="Hanya gerai ini (bawaan: gabungan semua gerai).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
@click.option("--xlsx", "xlsx", type=OUT_FILE, help="Tulis juga ke berkas XLSX ini.")
def trial_balance_command(first: date | None, last: date | None, outlet_code: str | None,
                          as_json: bool, xlsx: Path | None) -> None:
    """Neraca saldo: saldo awal, mutasi debit, mutasi kredit dan saldo akhir per akun, dan apakah
    seimbang."""
    if first and last:
        day_range(first, last)
    with hub_database() as database, database.reading() as session:
        last = last or accounts.default_end(session, book_today(utcnow()))   # as the screen's
        balance = books.trial_balance(session, first, last, accounts.check_outlet(session, outlet_code))
    sheet = book_sheets.trial_sheet(balance)
    if xlsx is not None:
        write(xlsx, to_xlsx(sheet))
    if as_json:
        click.echo(json.dumps(balance.as_dict(), ensure_ascii=False))
        return
    show_sheet(sheet)


def show_sheet(sheet) -> None:
    """A book as text: its title and period, the column labels, the rows aligned, the verdict
    and the notes."""
    click.echo(f"{sheet.title}: {sheet.subtitle}")
    amounts = {i for i, c in enumerate(sheet.columns) if c.kind == "rupiah"}
    for text in aligned([[c.label for c in sheet.columns]]
                        + [[sheet.text(row, i) for i in range(len(sheet.columns))] for row in sheet.rows],
                        amounts):
        click.echo(text)
    if sheet.verdict:
        click.echo(sheet.verdict)
    for note in sheet.notes:
        click.echo(note)


@opening_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--date", "as_of", type=DAY, required=True,
              help="Tanggal saldo awal: jurnal gerai dihitung mulai tanggal itu.")
@click.option("--outlet", "outlet_code", help="Gerainya (bawaan: koperasi sendiri).")
def opening_import(file: Path, as_of: date, outlet_code: str | None) -> None:
    """Impor saldo awal (kolom akun, nama, debit, kredit): semua baris atau tidak sama sekali,
    dan harus seimbang.

    Yang diimpor gerai dari buku lama ada di laporan hari impornya (ledger-hub report, baris
    "Saldo awal dari buku lama"): stok awal pada Persediaan per unit usaha (1141u0, mis. 114110
    Sembako, 114130 Apotek), saldo awal kasbon pada 113100 Piutang anggota, simpanan pokok 311000
    dan wajib 312000 (ekuitas), sukarela 213100 (kewajiban); kode bawaan, POS_LEDGER_ACCOUNTS
    menggantinya. Akun lain dari buku lama koperasi; selisihnya diseimbangkan pada akun ekuitas
    (3xxxxx). Tanggal: saldo pada awal hari itu, jurnal gerai dihitung mulai tanggal itu (isi hari
    gerai mengimpor saldo awalnya)."""
    with hub_database() as database:
        try:
            with database.transaction() as session:
                done = opening.import_file(session, file.name, file.read_bytes(), as_of, outlet_code)
        except opening.OpeningRefused as refused:
            for problem in refused.problems:
                click.echo(problem, err=True)
            raise Galat("Saldo awal tidak diimpor; tidak ada yang berubah.") from None
    click.echo(done.message)


@ledger_hub_cli.command("books")
@click.argument("book", type=click.Choice(["phu", "neraca", "ledger", "journal"]))
@click.option("--from", "start", type=DAY, help="Tanggal usaha pertama (bawaan: 1 Januari tahun --to).")
@click.option("--to", "end", type=DAY, help=DEFAULT_TO)
@click.option("--outlet", "outlet_code", help="Hanya gerai ini (bawaan: gabungan semua gerai).")
@click.option("--account", help="Akun untuk buku besar (ledger).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
@click.option("--xlsx", "xlsx", type=OUT_FILE, help="Tulis juga ke berkas XLSX ini.")
def books_command(book: str, start: date | None, end: date | None, outlet_code: str | None,
                  account: str | None, as_json: bool, xlsx: Path | None) -> None:
    """Buku: PHU, neraca, buku besar satu akun (ledger) atau jurnal, seperti di layar hub."""
    if book == "ledger" and not account:
        raise click.UsageError("Buku besar (ledger) perlu --account, misalnya --account 111000 (kas).")
    with hub_database() as database, database.reading() as session:
        # the books' date (WIB), not the machine's, or a later day received: as the screens' end
        last = end or accounts.default_end(session, book_today(utcnow()))
        first = start or statements.year_start(last)
        period = Period(first, last, accounts.check_outlet(session, outlet_code))
        if book == "phu":
            found = statements.phu(session, period)
            sheet = book_sheets.phu_sheet(found)
        elif book == "neraca":
            found = statements.neraca(session, period)
            sheet = book_sheets.neraca_sheet(found)
        elif book == "ledger":
            found = journal_book.general_ledger(session, period, accounts.check_account(session, account))
            sheet = book_sheets.ledger_sheet(found)
        else:
            rows = journal_book.journal(session, period)
            sheet = book_sheets.journal_sheet(rows, period)
            found = None
    if xlsx is not None:
        write(xlsx, to_xlsx(sheet))
    if as_json:
        data = found.as_dict() if found is not None else {
            **period.as_dict(), "rows": [{"date": r.day.isoformat(), "account": r.account, "name": r.name,
                                          "debit": r.debit, "credit": r.credit} for r in rows]}
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    show_sheet(sheet)
