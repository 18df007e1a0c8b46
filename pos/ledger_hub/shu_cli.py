"""``pos ledger-hub shu simulate|freeze|show``: a book year's SHU on the hub's database."""
from __future__ import annotations

import json
from pathlib import Path

import click

from pos.clock import utcnow
from pos.ledger_hub import shu, shu_export, shu_runs
from pos.ledger_hub.cli import hub_database
from pos.money import format_rupiah
from pos.web import CommandGroup

shu_cli = CommandGroup("shu", help="SHU tahun buku: simulasi, bekukan, tampilkan.")


def _print(run: shu_runs.Run, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(run.as_dict(), ensure_ascii=False))
        return
    for line in shu_export.summary_lines(run):
        click.echo(line)
    click.echo(f"{'no. anggota':<14} {'nama':<24} {'jasa anggota':>16} {'jasa modal':>16} {'jumlah':>16}")
    for x in run.lines:
        click.echo(f"{x.number:<14} {x.name[:24]:<24} {format_rupiah(x.jasa_anggota):>16} "
                   f"{format_rupiah(x.jasa_modal):>16} {format_rupiah(x.total):>16}")


@shu_cli.command("simulate")
@click.option("--year", type=int, required=True, help="Book year, e.g. 2025.")
@click.option("--pool", type=int, help="SHU to share in Rupiah (default: the year's PHU).")
@click.option("--split", help="Basis points per part, e.g. reserve=2500,jasa_anggota=3000,"
                              "jasa_modal=2000,pendidikan=500,pengurus=1000,lainnya=1000 (sum 10000).")
@click.option("--savings", "savings_basis", type=click.Choice(sorted(shu.SAVINGS_BASES)),
              help="Savings for jasa modal (default: the year's last choice, else pokok_wajib).")
@click.option("--by", default="cli", show_default=True, help="Who runs the simulation.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, writable=True),
              help="Also write the per-member list to this XLSX file.")
def simulate_command(year: int, pool: int | None, split: str | None, savings_basis: str | None, by: str,
                     as_json: bool, xlsx_path: str | None) -> None:
    """Compute the year's SHU per member and keep it as the year's simulation."""
    with hub_database() as database, database.transaction() as session:
        last = shu_runs.current_settings(session, year)
        chosen = shu.settings(shu.parse_split(split) if split is not None else last.split,
                              savings_basis or last.savings_basis)
        run = shu_runs.simulate(session, year, chosen, by, utcnow(), pool)
    _print(run, as_json)
    if xlsx_path:
        Path(xlsx_path).write_bytes(shu_export.xlsx(run))
        click.echo(f"Daftar SHU ditulis ke {xlsx_path}", err=True)


@shu_cli.command("freeze")
@click.option("--year", type=int, required=True, help="Book year.")
@click.option("--by", required=True, help="Who freezes it (as the members' meeting approved).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def freeze_command(year: int, by: str, as_json: bool) -> None:
    """Freeze the year's simulation: the list never changes after this."""
    now = utcnow()
    with hub_database() as database, database.transaction() as session:
        run = shu_runs.freeze(session, year, by, now, shu_runs.book_today(now))
    _print(run, as_json)


@shu_cli.command("show")
@click.option("--year", type=int, required=True, help="Book year.")
@click.option("--member", "number", help="Only this member's slip (member number).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, writable=True),
              help="Write the per-member list to this XLSX file.")
def show_command(year: int, number: str | None, as_json: bool, xlsx_path: str | None) -> None:
    """The year's SHU run (simulation or frozen), or one member's slip."""
    with hub_database() as database, database.reading() as session:
        run = shu_runs.show(session, year)
    if xlsx_path:
        Path(xlsx_path).write_bytes(shu_export.xlsx(run))
    if number is None:
        _print(run, as_json)
        return
    slip = shu_export.slip(run, number)
    if as_json:
        click.echo(json.dumps({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in slip.items()},
                              ensure_ascii=False))
        return
    for line in shu_export.slip_lines(run, number):
        click.echo(line)
