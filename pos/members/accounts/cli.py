"""``pos members balance|savings|purchases|opening-savings|opening-kasbon``: members' accounts from the
command line."""
from __future__ import annotations

import json

import click
from flask import current_app
from sqlalchemy import select

from pos import db
from pos.auth.models import Role, User
from pos.cli_dates import DAY
from pos.clock import business_date, utcnow
from pos.console import Galat
from pos.group_cli import CommandGroup
from pos.inventory.catalog.file_cli import import_file, summary_line
from pos.members.accounts import balances, opening, opening_kasbon, overview, purchases
from pos.money import format_rupiah
from pos.text_table import aligned

accounts_cli = CommandGroup("accounts", help="Rekening anggota.")


@accounts_cli.command("balance")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def balance(number: str, as_json: bool) -> None:
    """Kasbon anggota (batas, saldo, sisa batas), simpanannya dan berapa bulan simpanan wajib
    belum dibayar."""
    today = business_date(utcnow(), current_app.config["TIMEZONE"])
    with db.get_db().reading() as session:
        found = overview.by_number(session, number, today).as_dict()
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    click.echo(f"{found['number']}  {found['name']}  ({found['status']})")
    left = format_rupiah(found["available"]) if found["can_take_kasbon"] else \
        overview.NO_KASBON if found["status"] == "nonaktif" else overview.NO_LIMIT
    click.echo(f"  Batas kasbon {format_rupiah(found['credit_limit'])}, kasbon "
               f"{format_rupiah(found['balance'])}, sisa batas {left}")
    saved = found["savings"]
    click.echo(f"  Simpanan pokok {format_rupiah(saved['pokok'])}, wajib {format_rupiah(saved['wajib'])}, "
               f"sukarela {format_rupiah(saved['sukarela'])}")
    click.echo(f"  Wajib belum dibayar: {found['wajib_months_unpaid']} bulan")


@accounts_cli.command("savings")
@click.option("--date", "day", type=DAY, help="Saldo pada akhir tanggal ini (bawaan: hari ini).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def savings_(day, as_json: bool) -> None:
    """Saldo simpanan semua anggota (pokok, wajib, sukarela) dan totalnya."""
    today = business_date(utcnow(), current_app.config["TIMEZONE"])
    with db.get_db().reading() as session:
        found = balances.on_day(session, day or today, today)
    if as_json:
        click.echo(json.dumps(found.as_dict(), indent=2))
        return
    click.echo(f"Saldo simpanan anggota per {found.day:%d-%m-%Y}")
    rp, totals = format_rupiah, found.totals
    rows = [["Nomor", "Nama", "Pokok", "Wajib", "Sukarela", "Jumlah"]]
    rows += [[r.number, r.name, rp(r.pokok), rp(r.wajib), rp(r.sukarela), rp(r.total)] for r in found.rows]
    rows.append(["TOTAL", f"{len(found.rows)} anggota", rp(totals["pokok"]), rp(totals["wajib"]),
                 rp(totals["sukarela"]), rp(totals["total"])])
    for line in aligned(rows, right={2, 3, 4, 5}):   # every name whole, the amounts in line
        click.echo(line)


@accounts_cli.command("purchases")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Tahun buku, mis. 2026.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def purchases_(year: int, as_json: bool) -> None:
    """Dasar SHU satu tahun: belanja per anggota, penjualan anggota dan bukan anggota per unit
    usaha, simpanan yang dipegang anggota per 31 Desember (termasuk saldo awal)."""
    with db.get_db().reading() as session:
        basis = purchases.year_basis(session, year).as_dict()
    if as_json:
        click.echo(json.dumps(basis, indent=2))
        return
    rp = format_rupiah
    click.echo(f"Belanja anggota {year}")
    paid, goods = basis["total"]["member_paid"], basis["total"]["member"]
    rows = [[row["number"], row["name"], rp(row["purchases"])] for row in basis["members"]]
    for line in aligned([*rows, ["Jumlah (uang dibayar)", "", rp(paid)]], right={2}, indent="  "):
        click.echo(line)
    if paid != goods:
        click.echo(f"  (barang {rp(goods)}, pembulatan tunai {rp(paid - goods)})")
    click.echo("")
    units = [[unit, rp(split["member"]), rp(split["non_member"])]
             for unit, split in [*basis["units"].items(), ("TOTAL barang", basis["total"])]]
    for line in aligned([["Unit usaha", "Anggota", "Bukan anggota"], *units], right={1, 2}):
        click.echo(line)
    click.echo(f"\nSimpanan per 31-12-{year} (saldo awal dan setoran, dikurangi penarikan, "
               "s.d. akhir tahun; dasar jasa modal)")
    saved = [[number, rp(s["pokok"]), rp(s["wajib"]), rp(s["sukarela"]), rp(sum(s.values()))]
             for number, s in basis["savings"].items()]
    for line in aligned([["Nomor", "Pokok", "Wajib", "Sukarela", "Jumlah"], *saved], right={1, 2, 3, 4}):
        click.echo(line)


@accounts_cli.command("opening-savings")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Hanya periksa setiap baris; tidak ada yang disimpan.")
@click.option("--wajib-ok", is_flag=True,
              help="Simpan juga simpanan_wajib yang tidak sama dengan bulan dibayar × iuran wajib "
                   "sekarang (iuran dulu berbeda).")
@click.option("--pokok-ok", is_flag=True,
              help="Simpan juga simpanan_pokok selain simpanan pokok sekarang atau 0 (dulu berbeda); "
                   "simpanan pokok yang diimpor dianggap lunas.")
def opening_savings(path: str, dry_run: bool, wajib_ok: bool, pokok_ok: bool) -> None:
    """Impor saldo awal simpanan anggota dari PATH (.csv atau .xlsx; kolom nomor, nama,
    simpanan_pokok, simpanan_wajib, wajib_lunas_sampai, simpanan_sukarela): semua baris atau
    tidak sama sekali."""
    cfg = current_app.config
    rules = opening.OpeningFile(business_date(utcnow(), cfg["TIMEZONE"]), cfg["SIMPANAN_WAJIB"], wajib_ok,
                                pokok_rate=cfg["SIMPANAN_POKOK"], pokok_ok=pokok_ok)
    summary = import_file(path, rules.import_rows, dry_run=dry_run, columns=opening.IMPORT_COLUMNS,
                          key=opening.KEY)
    click.echo(summary_line(summary, dry_run) + ".")


@accounts_cli.command("opening-kasbon")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Hanya periksa setiap baris; tidak ada yang disimpan.")
@click.option("--user", "username", help="Manajer yang mencatatnya (bawaan: manajer aktif yang pertama).")
def opening_kasbon_(path: str, dry_run: bool, username: str | None) -> None:
    """Impor saldo awal kasbon anggota (piutang dari buku lama) dari PATH (.csv atau .xlsx; kolom
    nomor, nama, kasbon, tanggal): semua baris atau tidak sama sekali."""
    rules = opening_kasbon.OpeningKasbonFile(business_date(utcnow(), current_app.config["TIMEZONE"]))
    with db.get_db().reading() as session:
        user_id = _manager(session, username)

    def run(session, rows):
        return rules.import_rows(session, rows, user_id)

    summary = import_file(path, run, dry_run=dry_run, columns=opening_kasbon.IMPORT_COLUMNS,
                          key=opening_kasbon.KEY)
    click.echo(summary_line(summary, dry_run) + ".")
    for line in summary.get("notices", []):
        click.echo(f"Peringatan: {line}")


def _manager(session, username: str | None) -> int:
    """The manager the saldo awal is recorded by: the one named, else the first active one."""
    found = session.scalar(select(User).where(User.active.is_(True), User.role == Role.MANAGER,
                                              *([User.username == username] if username else []))
                           .order_by(User.id).limit(1))
    if found is None:
        raise Galat(f"Manajer aktif '{username}' tidak ditemukan." if username
                    else "Belum ada manajer aktif untuk mencatat saldo awal kasbon.")
    return found.id
