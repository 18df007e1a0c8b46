"""``pos qris ...``: make and explain QRIS payloads.

The outlet's static QRIS may be stored by the Pengaturan screen (``pos.settings``,
which itself checks payloads with ``pos.payments``); so that the two packages do
not import each other, the settings blueprint lends its reader to the app as
``app.extensions["pos_qris_static"]`` and ``make`` asks the app for it.
"""
from __future__ import annotations

import click
from flask import current_app

from pos import db
from pos.errors import PosError
from pos.group_cli import CommandGroup
from pos.money import format_rupiah, parse_rupiah
from pos.payments import qris

qris_cli = CommandGroup("qris", help="QRIS.")


def configured_static() -> str | None:
    """The outlet's static QRIS: the Pengaturan screen's, else ``POS_QRIS_STATIC``, else None."""
    reader = current_app.extensions.get("pos_qris_static")
    if reader is None:
        return str(current_app.config.get("QRIS_STATIC") or "").strip() or None
    with db.get_db().reading() as session:
        return reader(session, current_app.config)


@qris_cli.command("make")
@click.option("--amount", required=True, help="Nominal dalam Rupiah, mis. 25000 atau 25.000.")
def make(amount: str) -> None:
    """Tampilkan payload QRIS dinamis untuk nominal --amount dari QRIS statis gerai."""
    value = parse_rupiah(amount, qris.MAX_AMOUNT)
    static = configured_static()
    if static is None:
        raise PosError("QRIS statis belum diatur: isi di layar Pengaturan atau POS_QRIS_STATIC.")
    click.echo(qris.dynamic(static, value))


@qris_cli.command("check")
@click.argument("payload")
def check(payload: str) -> None:
    """Jelaskan PAYLOAD tag demi tag; kode keluar 1 beserta alasannya bila bukan QRIS yang sah."""
    rows = qris.explain(payload.strip())
    parsed = qris.parse(payload.strip())
    tag_width = max(len(tag) for tag, _, _ in rows)
    name_width = max(len(name) for _, name, _ in rows)
    for tag, name, value in rows:
        click.echo(f"{tag:<{tag_width}}  {name:<{name_width}}  {value}".rstrip())
    kind = "dinamis" if parsed.is_dynamic else "statis"
    amount = f", nominal {format_rupiah(parsed.amount)}" if parsed.amount is not None else ""
    click.echo(f"QRIS sah ({kind}{amount}), CRC {parsed.get('63')} cocok.")
