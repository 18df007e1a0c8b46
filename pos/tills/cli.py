"""``pos till ...``: the tills, their own printer and display, and typed weights."""
from __future__ import annotations

import json

import click

from pos import db
from pos.group_cli import CommandGroup
from pos.tills import service as tills

till_cli = CommandGroup("till", help="Mesin kasir (pos till): perangkat dan daftar.")


@till_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Keluaran untuk mesin (JSON).")
def till_list(as_json: bool) -> None:
    """Semua kasir dengan perangkatnya sendiri (kosong: perangkat gerai) dan siapa yang memakainya."""
    with db.get_db().reading() as session:
        rows = [{"code": t.code, "name": t.name, "active": t.active, "printer": t.printer,
                 "display": t.display, "manual_weight": t.manual_weight, "held_by": t.held_by}
                for t in tills.all_tills(session)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        typed = "ya" if r["manual_weight"] else "tidak"
        click.echo(f"{r['code']:<10} {r['name']:<16} printer={r['printer'] or '(gerai)'} "
                   f"layar={r['display'] or '(gerai)'} berat-diketik={typed}")


@till_cli.command("add")
@click.argument("code")
@click.option("--name", required=True, help="Nama yang tampil saat masuk, mis. \"Kasir 2\".")
def till_add(code: str, name: str) -> None:
    """Tambah mesin kasir CODE, mis. KASIR-2: muncul di pilihan kasir saat masuk, dengan
    perangkat gerai sampai diberi perangkatnya sendiri (set-devices atau layar Perangkat)."""
    with db.transaction() as session:
        till = tills.add_till(session, code, name)
        made = (till.code, till.name)
    click.echo("Kasir {} ({}) ditambahkan.".format(*made))


@till_cli.command("set-devices")
@click.argument("code")
@click.option("--printer", default=None, help="Alamat printer, mis. network://192.168.1.50:9100; "
                                               "teks kosong: printer gerai.")
@click.option("--display", default=None, help="Alamat layar pelanggan, mis. serial:///dev/ttyUSB2; "
                                               "teks kosong: layar gerai.")
@click.option("--manual-weight/--no-manual-weight", default=None,
              help="Kasir boleh mengetik berat bila tidak ada timbangan, atau tidak.")
def till_set_devices(code: str, printer: str | None, display: str | None,
                     manual_weight: bool | None) -> None:
    """Beri kasir CODE printer, laci dan layar pelanggannya sendiri; opsi yang tidak diisi tetap
    seperti semula. Server yang sedang berjalan memakai perubahannya dalam satu menit."""
    with db.transaction() as session:
        till = tills.till_by_code(session, code)
        till, _ = tills.set_devices(
            session, till.id, printer=till.printer if printer is None else printer,
            display=till.display if display is None else display,
            manual_weight=till.manual_weight if manual_weight is None else manual_weight,
            user_id=None)
        summary = (till.code, till.printer or "(gerai)", till.display or "(gerai)",
                   "ya" if till.manual_weight else "tidak")
    click.echo("Kasir {}: printer {}, layar {}, berat diketik {}.".format(*summary))
