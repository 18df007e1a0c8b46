"""``pos fertilizer ...``: Pupuk bersubsidi: daftar e-RDKK dan kuota petani.

``import-rdkk FILE --season NAME [--from HH-BB-TTTT --to HH-BB-TTTT] [--dry-run]
[--remove-missing]`` loads a season's list (all rows or none; dates for an existing season
re-date it, said in the output, refused when a redemption of the season would fall outside
them; farmers of the season missing from the file are refused, or with ``--remove-missing``
leave the list, named in the output); ``quota NIK [--json]
[--date HH-BB-TTTT]`` shows a farmer's allocation, taken and remaining per fertiliser type;
``report --from --to [--xlsx PATH]`` the redemptions per farmer and type for the distributor
(full NIK).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import click
from flask import current_app

from pos import db
from pos.cli_dates import DAY, day_range
from pos.cli_files import OUT_FILE, write
from pos.clock import business_date, utcnow
from pos.fertilizer import farmers, report
from pos.fertilizer.rdkk import RdkkFile
from pos.fertilizer.seasons import kg
from pos.group_cli import CommandGroup
from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog.file_cli import import_file, summary_line
from pos.members.nik import mask_nik
from pos.text_table import aligned

fertilizer_cli = CommandGroup("fertilizer", help="Pupuk bersubsidi: daftar e-RDKK dan kuota petani.")

@fertilizer_cli.command("import-rdkk")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--season", required=True, help="Nama musim, misalnya 'MT I 2026'.")
@click.option("--from", "starts_on", type=DAY,
              help="Tanggal mulai musim (wajib untuk musim baru; untuk musim yang ada mengubah tanggalnya).")
@click.option("--to", "ends_on", type=DAY,
              help="Tanggal akhir musim (wajib untuk musim baru; untuk musim yang ada mengubah tanggalnya).")
@click.option("--dry-run", is_flag=True, help="Hanya periksa setiap baris; tidak ada yang disimpan.")
@click.option("--remove-missing", is_flag=True,
              help="Petani musim ini yang tidak ada di berkas keluar dari daftar (tanpa ini: ditolak).")
def import_command(path: str, season: str, starts_on, ends_on, dry_run: bool, remove_missing: bool) -> None:
    """Impor daftar e-RDKK satu musim dari PATH (.csv atau .xlsx): semua baris atau tidak sama sekali."""
    rules = RdkkFile(season, starts_on, ends_on, os.path.basename(path),
                     dates=("tanggal mulai (--from)", "tanggal akhir (--to)"), remove_missing=remove_missing)
    summary = import_file(path, rules.import_rows, dry_run=dry_run,
                          columns=rules.IMPORT_COLUMNS, key=rules.KEY)
    click.echo(f"Musim {rules.season}: {summary_line(summary, dry_run, 'petani')}, "
               f"{summary['removed']} keluar dari daftar.")
    for notice in summary["notices"]:
        click.echo(notice)


@fertilizer_cli.command("quota")
@click.argument("nik")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
@click.option("--date", "day", type=DAY, help="Hari yang menentukan musimnya (bawaan: hari ini).")
def quota_command(nik: str, as_json: bool, day) -> None:
    """Alokasi petani, yang sudah ditebus dan sisanya per jenis pupuk (NIK atau Kartu Tani)."""
    on = day or business_date(utcnow(), current_app.config["TIMEZONE"])
    with db.get_db().reading() as session:
        standing = farmers.standing(session, nik, on)
        farmer, season = standing.farmer, standing.season
        found = {"nik": mask_nik(farmer.nik), "name": farmer.name, "season": season.name,
                 "kartu_tani": farmer.kartu_tani, "farmer_group": farmer.farmer_group,
                 "village": farmer.village, "commodity": farmer.commodity,
                 "types": [q.as_json() for q in standing.quotas]}
    if as_json:
        click.echo(json.dumps(found, indent=1))
        return
    click.echo(f"{found['name']} (NIK {found['nik']}), {found['farmer_group'] or '-'}, "
               f"{found['village'] or '-'}; musim {season.name} "
               f"({season.starts_on:%d-%m-%Y} s.d. {season.ends_on:%d-%m-%Y})")
    click.echo(f"{'Jenis':<10} {'Alokasi':>12} {'Ditebus':>12} {'Sisa':>12}")
    for q in standing.quotas:
        click.echo(f"{q.fertilizer.label:<10} {kg(q.allocated):>12} {kg(q.taken):>12} "
                   f"{kg(q.remaining):>12}")


@fertilizer_cli.command("report")
@click.option("--from", "starts_on", type=DAY, required=True, help="Hari usaha pertama.")
@click.option("--to", "ends_on", type=DAY, required=True, help="Hari usaha terakhir.")
@click.option("--xlsx", "path", type=OUT_FILE,
              help="Tulis juga laporannya ke berkas .xlsx ini (foldernya harus sudah ada).")
def report_command(starts_on, ends_on, path: Path | None) -> None:
    """Penebusan per petani dan jenis pupuk dalam satu periode: ditebus, dikembalikan (retur pada
    periode ini, dibukukan pada hari retur) dan bersih (NIK lengkap)."""
    with db.get_db().reading() as session:
        found = report.redemptions(session, *day_range(starts_on, ends_on))
    for line in aligned([[row.nik, row.name, row.fertilizer.label, kg(row.grams),
                          f"(ditebus {kg(row.redeemed)}, dikembalikan {kg(row.returned)})"
                          if row.returned else "", ", ".join(row.receipts)]
                         for row in found.rows], right={3}):   # every name whole, in line
        click.echo(line)
    for fertilizer, grams in found.totals.items():
        back = found.returned_totals.get(fertilizer, 0)
        click.echo(f"Jumlah {fertilizer.label}: {kg(grams)}"
                   + (f" (dikembalikan {kg(back)})" if back else ""))
    if not found.rows:
        click.echo("Tidak ada penebusan pada periode ini.")
    if path:
        write(path, spreadsheets.to_xlsx(report.xlsx_rows(found), report.XLSX_COLUMNS, "Penebusan"))
        click.echo(f"{len(found.rows)} baris ditulis ke {path}.")
