"""``pos inventory ...``: the stock check; the catalog's import and export join this group
(``pos.inventory.catalog.cli``)."""
from __future__ import annotations

import click

from pos import db
from pos.console import Galat
from pos.group_cli import CommandGroup
from pos.inventory.stock import batch_discrepancies, discrepancies

inventory_cli = CommandGroup("inventory", help="Stok dan katalog.")


@inventory_cli.command("verify")
def verify() -> None:
    """Buktikan stok tercatat sama dengan jumlah mutasinya (per barang dan per batch)."""
    with db.get_db().reading() as session:
        products = discrepancies(session)
        batches = batch_discrepancies(session)
    for product_id, on_hand, moved in products:
        click.echo(f"barang {product_id}: tercatat {on_hand}, jumlah mutasi {moved}")
    for kind, ident, held, expected in batches:
        label = "batch" if kind == "batch" else "barang ber-batch"
        click.echo(f"{label} {ident}: tercatat {held}, seharusnya {expected}")
    if products or batches:
        raise Galat(f"{len(products) + len(batches)} selisih ditemukan.")
    click.echo("Stok cocok dengan seluruh mutasi.")
