"""``pos day ...``: close a business day and see whether it is closed, from the command line."""
from __future__ import annotations

from datetime import date

import click
from flask import current_app

from pos import db
from pos.auth.models import User
from pos.auth.service import find_user
from pos.cli_dates import DAY
from pos.clock import business_date, to_local, utcnow
from pos.closing import service
from pos.console import Galat
from pos.dates import not_yet
from pos.days.models import BusinessDay
from pos.group_cli import CommandGroup
from pos.settings.service import pkp

day_cli = CommandGroup("day", help="Hari usaha: tutup hari.")


@day_cli.command("close")
@click.option("--date", "chosen", type=DAY, required=True, help="Tanggal usaha.")
@click.option("--user", "username", help="Manajer yang menutupnya (bawaan: manajer aktif yang pertama).")
def close(chosen: date, username: str | None) -> None:
    """Tutup satu hari usaha: semua shift harus ditutup dulu; hari yang sudah ditutup ditolak."""
    cfg, now = current_app.config, utcnow()
    with db.get_db().transaction() as session:
        user = find_user(session, username) if username else service.first_manager(session)
        if user is None:
            raise Galat("Belum ada manajer aktif untuk menutup hari.")
        row = service.close_day(session, day=chosen, user_id=user.id, now=now,
                                today=business_date(now, cfg["TIMEZONE"]),
                                **service.settings(cfg, pkp(session, cfg)))
        digest = row.summary_hash
    click.echo(f"Hari {chosen:%d-%m-%Y} ditutup")
    click.echo(f"sha256 {digest}")


@day_cli.command("status")
@click.option("--date", "chosen", type=DAY, required=True, help="Tanggal usaha.")
def status(chosen: date) -> None:
    """Terbuka atau sudah ditutup (kapan, oleh siapa), dan shift yang masih terbuka pada hari itu
    atau sebelumnya; hari yang belum tiba atau sebelum kegiatan pertama gerai ditolak."""
    zone = current_app.config["TIMEZONE"]
    today = business_date(utcnow(), zone)
    with db.get_db().reading() as session:   # "terbuka" would say it can still be worked and closed
        if refused := (not_yet(chosen, today)
                       or service.before_first(session, chosen, zone, "tidak pernah dibuka", today=today)):
            raise Galat(refused)
        row = session.get(BusinessDay, chosen)
        who = row and session.get(User, row.closed_by)
        still_open = service.open_shifts(session, chosen) if row is None else []
    if row is not None:
        when = to_local(row.closed_at, zone)
        click.echo(f"Hari {chosen:%d-%m-%Y}: ditutup {when:%d-%m-%Y %H:%M} oleh "
                   f"{who.full_name if who else row.closed_by}")
        click.echo(f"sha256 {row.summary_hash}")
        return
    click.echo(f"Hari {chosen:%d-%m-%Y}: terbuka")
    for s in still_open:
        click.echo(f"  shift #{s.id} terbuka: {s.till}, {s.cashier} ({s.business_date:%d-%m-%Y})")
