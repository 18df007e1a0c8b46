"""One way the command line imports a CSV/XLSX file (catalog, members, HET, e-RDKK lists):
read it (``spreadsheets``, size-capped), run the import in one transaction (a rehearsal with
``--dry-run``), print every "Baris N" error and save nothing when there is one."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import click
from sqlalchemy.orm import Session

from pos import db
from pos.console import Galat
from pos.inventory.catalog import spreadsheets


def import_file(path: str, run: Callable[[Session, list], dict], *, dry_run: bool,
                columns: Sequence[str] | None = None, key: str | None = None) -> dict:
    """The summary of ``run(session, rows)`` on the rows of ``path``; a ``ClickException`` after
    printing the row errors (nothing saved)."""
    with open(path, "rb") as handle:
        data = handle.read(spreadsheets.MAX_BYTES + 1)
    shape = () if columns is None else (columns, key)
    try:
        rows = spreadsheets.read_file(path, data, *shape)
        with db.get_db().rehearsal() if dry_run else db.transaction() as session:
            return run(session, rows)
    except spreadsheets.ImportErrors as error:
        for line in error.errors:
            click.echo(line, err=True)
        raise Galat(f"{error.problems} kesalahan; tidak ada yang disimpan.") from None


def summary_line(summary: dict, dry_run: bool, noun: str = "baris") -> str:
    """"12 baris diimpor: 3 baru, 2 diperbarui, 7 tidak berubah" (or "diperiksa"), and ", 1 kosong
    dilewati" where an import skips rows left empty (``skipped``)."""
    done = "diperiksa (tidak disimpan)" if dry_run else "diimpor"
    skipped = f", {summary['skipped']} kosong dilewati" if summary.get("skipped") else ""
    return (f"{summary['total']} {noun} {done}: {summary['created']} baru, "
            f"{summary['updated']} diperbarui, {summary['unchanged']} tidak berubah{skipped}")
