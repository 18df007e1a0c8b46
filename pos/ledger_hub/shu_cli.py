"""``pos ledger-hub shu simulate|freeze|show``: a book year's SHU on the hub's database."""
from __future__ import annotations

import json
from pathlib import Path

import click

from pos.cli_files import OUT_FILE, write
from pos.clock import utc_iso, utcnow
from pos.group_cli import CommandGroup
from pos.ledger_hub import shu, shu_check, shu_export, shu_runs
from pos.ledger_hub.cli import hub_database
from pos.money import MoneyError, format_rupiah, parse_rupiah

shu_cli = CommandGroup("shu", help="SHU tahun buku: simulasi, bekukan, tampilkan.")


def _notes(run: shu_runs.Run) -> tuple[str, list[str]]:
    """What the run no longer shares with the books, and what the hub has not received."""
    with hub_database() as database, database.reading() as session:
        return shu_check.notes(session, run.year, run, shu_runs.book_today(utcnow()))


def _print(run: shu_runs.Run, as_json: bool) -> None:
    drift, notes = _notes(run)
    if as_json:
        click.echo(json.dumps({**run.as_dict(), "drift": drift or None, "notes": notes}, ensure_ascii=False))
        return
    for line in shu_export.summary_lines(run):
        click.echo(line)
    click.echo(f"{'no. anggota':<14} {'nama':<24} {'jasa anggota':>16} {'jasa modal':>16} {'jumlah':>16}")
    for x in run.lines:
        click.echo(f"{x.number:<14} {x.name[:24]:<24} {format_rupiah(x.jasa_anggota):>16} "
                   f"{format_rupiah(x.jasa_modal):>16} {format_rupiah(x.total):>16}")
    for note in ([drift] if drift else []) + notes:
        click.echo(f"Catatan: {note}")


@shu_cli.command("simulate")
@click.option("--year", type=int, required=True, help="Tahun buku, mis. 2025.")
@click.option("--pool", metavar="RUPIAH", help="SHU yang dibagi, dalam Rupiah seperti di layar: 1000000, "
              "1.000.000 atau Rp1.000.000 (bawaan: PHU tahun itu).")
@click.option("--split", metavar="BAGIAN=PERSEN,...",
              help="Persen per bagian seperti di layar SHU (25, 25% atau 12,5; jumlahnya 100; bagian yang "
                   "tidak disebut 0), mis. reserve=25,jasa_anggota=30 dst.; bagian: " + ", ".join(shu.PARTS)
                   + ". Bentuk lama dalam basis poin (reserve=2500,..., jumlahnya 10000) juga diterima.")
@click.option("--savings", "savings_basis", type=click.Choice(sorted(shu.SAVINGS_BASES)),
              help="Simpanan untuk jasa modal (bawaan: pilihan terakhir tahun itu, atau pokok_wajib).")
@click.option("--by", default="baris perintah", show_default=True, help="Siapa yang menjalankan simulasi.")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
@click.option("--xlsx", "xlsx_path", type=OUT_FILE, help="Tulis juga daftar per anggota ke berkas XLSX ini.")
def simulate_command(year: int, pool: str | None, split: str | None, savings_basis: str | None, by: str,
                     as_json: bool, xlsx_path: Path | None) -> None:
    """Hitung SHU per anggota untuk tahun itu dan simpan sebagai simulasi tahun itu."""
    try:   # read as the screen reads its field: 1000000, 1.000.000, Rp1.000.000
        amount = None if pool is None else parse_rupiah(pool, shu.MAX_POOL)
    except MoneyError as error:
        raise MoneyError(error.of_field("--pool")) from None
    with hub_database() as database, database.transaction() as session:
        last = shu_runs.current_settings(session, year)
        chosen = shu.settings(shu.parse_split(split) if split is not None else last.split,
                              savings_basis or last.savings_basis)
        run = shu_runs.simulate(session, year, chosen, by, utcnow(), amount)
    _print(run, as_json)
    if xlsx_path:
        write(xlsx_path, shu_export.xlsx(run))
        click.echo(f"Daftar SHU ditulis ke {xlsx_path}", err=True)


@shu_cli.command("freeze")
@click.option("--year", type=int, required=True, help="Tahun buku.")
@click.option("--by", required=True, help="Siapa yang membekukannya (sesuai persetujuan rapat anggota).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def freeze_command(year: int, by: str, as_json: bool) -> None:
    """Bekukan simulasi tahun itu: daftarnya tidak berubah lagi sesudahnya."""
    now = utcnow()
    with hub_database() as database, database.transaction() as session:
        run = shu_runs.freeze(session, year, by, now, shu_runs.book_today(now))
    _print(run, as_json)


@shu_cli.command("show")
@click.option("--year", type=int, required=True, help="Tahun buku.")
@click.option("--member", "number", help="Hanya slip anggota ini (nomor anggota).")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
@click.option("--xlsx", "xlsx_path", type=OUT_FILE, help="Tulis daftar per anggota ke berkas XLSX ini.")
def show_command(year: int, number: str | None, as_json: bool, xlsx_path: Path | None) -> None:
    """SHU tahun itu (simulasi atau yang sudah dibekukan), atau slip satu anggota."""
    with hub_database() as database, database.reading() as session:
        run = shu_runs.show(session, year)
    if xlsx_path:
        write(xlsx_path, shu_export.xlsx(run))
    if number is None:
        _print(run, as_json)
        return
    slip = shu_export.slip(run, number)
    if as_json:
        click.echo(json.dumps({**slip, "frozen_at": utc_iso(slip["frozen_at"], "seconds")},   # its zone said
                              ensure_ascii=False))
        return
    for line in shu_export.slip_lines(run, number):
        click.echo(line)
