"""``pos members ...``: the member register from the command line (import, export, list).

``balance`` and ``purchases`` are added to the same group by ``pos.members.accounts.cli``.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from pos import db
from pos.auth.models import Role, User
from pos.cli_files import OUT_FILE, write
from pos.clock import business_date, utcnow
from pos.console import Galat
from pos.group_cli import CommandGroup
from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog.file_cli import import_file, summary_line
from pos.members import transfer
from pos.members.models import Member
from pos.members.nik import mask_nik
from pos.text_table import aligned

members_cli = CommandGroup("members", help="Anggota koperasi.")


@members_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Hanya periksa setiap baris; tidak ada yang disimpan.")
@click.option("--shared-phone-ok", is_flag=True,
              help="Simpan juga nomor HP yang sudah dipakai anggota aktif lain (nomor bersama keluarga).")
@click.option("--user", "username",
              help="Manajer yang mengatur batas_kasbon dari berkas (bawaan: manajer aktif yang pertama).")
def import_command(path: str, dry_run: bool, shared_phone_ok: bool, username: str | None) -> None:
    """Impor anggota dari PATH (.csv atau .xlsx): semua baris atau tidak sama sekali."""
    today = business_date(utcnow(), current_app.config["TIMEZONE"])
    rules = transfer.MemberFile(shared_phone_ok, today)

    def run(session, rows):
        return rules.import_rows(session, rows, _importer(session, username))

    summary = import_file(path, run, dry_run=dry_run, columns=transfer.IMPORT_COLUMNS, key=transfer.KEY)
    for line in summary.get("shared_phones", []):
        click.echo(f"Nomor HP dipakai bersama: {line}")
    click.echo(summary_line(summary, dry_run) + ".")


def _importer(session, username: str | None) -> int | None:
    """Who sets the file's kasbon limits: the active user named (``--user``), else the first
    active manager, else no one (a limit in the file is then refused, row by row)."""
    if username:
        found = session.scalar(select(User.id).where(User.active.is_(True), User.username == username))
        if found is None:
            raise Galat(f"Pengguna aktif '{username}' tidak ditemukan.")
        return found
    return session.scalar(select(User.id).where(User.active.is_(True), User.role == Role.MANAGER)
                          .order_by(User.id).limit(1))


@members_cli.command("export")
@click.argument("path", type=OUT_FILE)
def export_command(path: Path) -> None:
    """Tulis semua anggota ke PATH (.csv atau .xlsx, menurut akhiran namanya), dengan NIK lengkap.
    Foldernya harus sudah ada."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter("gunakan nama berakhiran .csv atau .xlsx", param_hint="PATH")
    with db.get_db().reading() as session:
        rows = transfer.export_rows(session)
    columns = transfer.IMPORT_COLUMNS
    body = spreadsheets.to_xlsx(rows, columns, "Anggota") if path.suffix.lower() == ".xlsx" \
        else spreadsheets.to_csv(rows, columns).encode("utf-8-sig")
    write(path, body)
    click.echo(f"{len(rows)} anggota diekspor ke {path}.")


@members_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def list_command(as_json: bool) -> None:
    """Semua anggota menurut nomor; NIK disamarkan."""
    with db.get_db().reading() as session:
        members = [_listed(m) for m in session.scalars(select(Member).order_by(Member.number))]
    if as_json:
        click.echo(json.dumps(members, indent=1))
        return
    rows = [["Nomor", "Nama", "NIK", "HP", "Masuk", "Status"]] + [
        [m["number"], m["name"], m["nik"] or "-", m["phone"] or "-",
         f"{date.fromisoformat(m['joined_on']):%d-%m-%Y}", m["status"]] for m in members]
    for line in aligned(rows):   # every name whole, the columns in line whatever its letters
        click.echo(line)


def _listed(member: Member) -> dict:
    return {"number": member.number, "name": member.name, "nik": mask_nik(member.nik),
            "phone": member.phone, "card_barcode": member.card_barcode,
            "joined_on": member.joined_on.isoformat(), "status": member.status}
