"""``pos inventory ...``: checks and bulk operations on stock and the catalog."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from pos import db

inventory_cli = AppGroup("inventory", help="Stok dan katalog.")


@inventory_cli.command("verify")
def verify() -> None:
    """Prove on-hand stock equals the sum of its movements (per product and per batch)."""
    from pos.inventory.stock import batch_discrepancies, discrepancies

    with db.get_db().reading() as session:
        products = discrepancies(session)
        batches = batch_discrepancies(session)
    for product_id, on_hand, moved in products:
        click.echo(f"barang {product_id}: tercatat {on_hand}, jumlah mutasi {moved}")
    for kind, ident, held, expected in batches:
        label = "batch" if kind == "batch" else "barang ber-batch"
        click.echo(f"{label} {ident}: tercatat {held}, seharusnya {expected}")
    if products or batches:
        raise click.ClickException(f"{len(products) + len(batches)} selisih ditemukan.")
    click.echo("Stok cocok dengan seluruh mutasi.")


@inventory_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and roll back; nothing is saved.")
@click.option("--user", "username", default=None, help="Staff username recorded on price changes.")
def import_catalog(path: str, dry_run: bool, username: str | None) -> None:
    """Import a catalog from PATH (.csv or .xlsx): all rows or none."""
    from pos.inventory import transfer

    with open(path, "rb") as handle:
        data = handle.read(transfer.MAX_BYTES + 1)
    try:
        rows = transfer.read_file(path, data)
        with db.get_db().rehearsal() if dry_run else db.transaction() as session:
            summary = transfer.import_rows(session, rows, _user_id(session, username),
                                           _echo_progress)
    except transfer.ImportErrors as error:
        for line in error.errors:
            click.echo(line, err=True)
        raise click.ClickException(f"{len(error.errors)} kesalahan; tidak ada yang disimpan.") from None
    done = "diperiksa (tidak disimpan)" if dry_run else "diimpor"
    click.echo(f"{summary['total']} baris {done}: {summary['created']} baru, "
               f"{summary['updated']} diperbarui, {summary['unchanged']} tidak berubah.")


def _user_id(session, username: str | None) -> int | None:
    from sqlalchemy import select

    from pos.auth.models import User

    if not username:
        return None
    user_id = session.scalar(select(User.id).where(User.username == username.strip().lower()))
    if user_id is None:
        raise click.ClickException(f"Staf {username} tidak ada.")
    return user_id


def _echo_progress(done: int, total: int) -> None:
    if done == total or done % 1000 == 0:
        click.echo(f"  {done}/{total}", err=True)


@inventory_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_catalog(path: str) -> None:
    """Write the whole catalog to PATH (.csv or .xlsx, by extension)."""
    from pos.inventory import transfer

    if not path.lower().endswith((".csv", ".xlsx")):
        raise click.BadParameter("gunakan nama berakhiran .csv atau .xlsx", param_hint="PATH")
    with db.get_db().reading() as session:
        rows = transfer.export_rows(session)
    body = transfer.to_xlsx(rows) if path.lower().endswith(".xlsx") \
        else transfer.to_csv(rows).encode("utf-8-sig")
    with open(path, "wb") as handle:
        handle.write(body)
    click.echo(f"{len(rows)} barang diekspor ke {path}.")
