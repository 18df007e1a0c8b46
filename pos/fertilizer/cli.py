"""``pos fertilizer ...``: Pupuk bersubsidi: daftar e-RDKK dan kuota petani.

``import-rdkk FILE --season NAME [--from HH-BB-TTTT --to HH-BB-TTTT] [--dry-run]
[--remove-missing]`` loads a season's list (all rows or none; dates for an existing season
re-date it, said in the output, refused when a redemption of the season would fall outside
them; farmers of the season missing from the file are refused, or with ``--remove-missing``
leave the list, named in the output); ``quota NIK [--json]
[--date HH-BB-TTTT]`` shows a farmer's allocation, taken and remaining per fertiliser type
(kg with sacks, as ``/pupuk``);
``report --from --to [--per-receipt] [--xlsx PATH]`` the redemptions per farmer and type for
the distributor (full NIK; ``--per-receipt``: one line per receipt with its date, who collected
it, kg, sacks and Rupiah; a return on its own day, negative); ``realization --season NAME
[--csv PATH] [--xlsx PATH]`` the season's allocation, redeemed, left, serapan and Rupiah per
farmer, with subtotals per kelompok tani and the totals (NIK masked; kg with sacks).
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
from pos.fertilizer import farmers, files, realization, receipts, report
from pos.fertilizer.rdkk import RdkkFile
from pos.fertilizer.sacks import kg_with_sacks, sack_sizes
from pos.fertilizer.seasons import kg
from pos.group_cli import CommandGroup
from pos.inventory.catalog.file_cli import import_file, summary_line
from pos.members.nik import mask_nik
from pos.money import format_rate, format_rupiah
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
        sacks = sack_sizes(session)   # kg with sacks, as /pupuk shows them: "150 kg (3 karung)"
    for quota, shown in zip(standing.quotas, found["types"], strict=True):   # whole sacks still due
        sack = shown["sack_g"] = sacks.get(quota.fertilizer)
        shown["remaining_sacks"] = max(quota.remaining, 0) // sack if sack else None
    if as_json:
        click.echo(json.dumps(found, indent=1))
        return
    click.echo(f"{found['name']} (NIK {found['nik']}), {found['farmer_group'] or '-'}, "
               f"{found['village'] or '-'}; musim {season.name} "
               f"({season.starts_on:%d-%m-%Y} s.d. {season.ends_on:%d-%m-%Y})")
    rows = [[q.fertilizer.label, *(kg_with_sacks(grams, sacks.get(q.fertilizer))
                                   for grams in (q.allocated, q.taken, q.remaining))]
            for q in standing.quotas]
    for line in aligned([["Jenis", "Alokasi", "Ditebus", "Sisa"], *rows], right=(1, 2, 3)):
        click.echo(line)


@fertilizer_cli.command("report")
@click.option("--from", "starts_on", type=DAY, required=True, help="Hari usaha pertama.")
@click.option("--to", "ends_on", type=DAY, required=True, help="Hari usaha terakhir.")
@click.option("--per-receipt", is_flag=True,
              help="Satu baris per struk: tanggal, struk, petani, yang mengambil, jenis, kg, karung, Rp.")
@click.option("--xlsx", "path", type=OUT_FILE,
              help="Tulis juga laporannya ke berkas .xlsx ini (foldernya harus sudah ada).")
def report_command(starts_on, ends_on, per_receipt: bool, path: Path | None) -> None:
    """Penebusan per petani dan jenis pupuk dalam satu periode: ditebus, dikembalikan (retur pada
    periode ini, dibukukan pada hari retur) dan bersih (NIK lengkap)."""
    if per_receipt:
        return _per_receipt(*day_range(starts_on, ends_on), path)
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
        rows = [{**row, "kg": row["gram"]} for row in report.xlsx_rows(found)]   # kg as numbers
        write(path, files.xlsx_bytes(rows, report.XLSX_COLUMNS, {"kg": "kg", "gram": "int"}, "Penebusan"))
        click.echo(f"{len(found.rows)} baris ditulis ke {path}.")


def _per_receipt(starts_on, ends_on, path: Path | None) -> None:
    with db.get_db().reading() as session:
        rows = receipts.per_receipt(session, starts_on, ends_on)
    for line in aligned([[f"{r.business_date:%d-%m-%Y}", r.number, r.nik, r.name, r.taker,
                          r.fertilizer.label, kg(r.grams), r.sacks, format_rupiah(r.value)] for r in rows],
                        right={6, 8}):
        click.echo(line)
    if not rows:
        click.echo("Tidak ada penebusan pada periode ini.")
    if path:
        write(path, files.xlsx_bytes(receipts.file_rows(rows), receipts.COLUMNS, receipts.KINDS,
                                     "Penebusan per struk"))
        click.echo(f"{len(rows)} baris ditulis ke {path}.")


@fertilizer_cli.command("realization")
@click.option("--season", required=True, help="Nama musim, misalnya 'MT I 2026'.")
@click.option("--csv", "csv_path", type=OUT_FILE, help="Tulis juga ke berkas .csv ini (koma desimal).")
@click.option("--xlsx", "xlsx_path", type=OUT_FILE, help="Tulis juga ke berkas .xlsx ini.")
def realization_command(season: str, csv_path: Path | None, xlsx_path: Path | None) -> None:
    """Realisasi satu musim: alokasi, ditebus, sisa, serapan, Rp per petani, kelompok tani dan total."""
    with db.get_db().reading() as session:
        found = realization.realization(session, realization.season_named(session, season))
    sacks = found.sacks

    def cells(fertilizer, f) -> list[str]:
        return [fertilizer.label, kg(f.allocated), kg_with_sacks(f.taken, sacks.get(fertilizer)),
                kg_with_sacks(f.remaining, sacks.get(fertilizer)),
                "-" if f.rate_bp is None else format_rate(f.rate_bp, fixed=True) + "%",
                format_rupiah(f.value)]
    table = [["NIK", "Nama", "Desa", "Jenis", "Alokasi", "Ditebus", "Sisa", "Serapan", "Nilai"]]
    for group in found.groups:
        table += [[line.nik, line.name + ("" if line.listed else " (keluar dari daftar)"),
                   line.village or "-", *cells(line.fertilizer, line.figures)] for line in group.lines]
        table += [["", f"Subtotal {group.name}", "", *cells(f, figures)]
                  for f, figures in group.totals.items()]
    table += [["", "Total", "", *cells(f, figures)] for f, figures in found.totals.items()]
    click.echo(f"Realisasi musim {found.season} ({found.starts_on:%d-%m-%Y} s.d. {found.ends_on:%d-%m-%Y})")
    for line in aligned(table, right={4, 5, 6, 7, 8}):
        click.echo(line)
    rows = realization.file_rows(found)
    for path, body in ((csv_path, lambda: files.csv_text(rows, realization.COLUMNS, realization.KINDS)
                        .encode("utf-8-sig")),   # as the web's download: accents read right
                       (xlsx_path, lambda: files.xlsx_bytes(rows, realization.COLUMNS, realization.KINDS,
                                                            "Realisasi"))):
        if path:
            write(path, body())
            click.echo(f"{len(rows)} baris ditulis ke {path}.")
