"""Farmers a season's new e-RDKK file leaves out: named, and taken off the list only when the
manager confirms it.

An import replaces the season's whole list, so a file of one kelompok tani would quietly take
every other farmer off it.  ``names`` are the listed farmers of the season the file does not
hold (those who redeemed are refused outright, ``RdkkFile.validate``); without the manager's
confirmation (``CONFIRM``: the upload's tick box, ``--remove-missing``) they refuse the file
(``refused``, with ``HINT`` under it); with it the check and the outcome say who leaves
(``said``).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos.fertilizer.models import RdkkFarmer
from pos.inventory.catalog.spreadsheets import Hint

SHOWN = 5   # names in a message; the rest counted
CONFIRM = "remove_missing"
LABEL = "Ya, petani yang tidak ada di berkas keluar dari daftar"
HINT = Hint("Impor e-RDKK menggantikan seluruh daftar musim: unggah daftar lengkap semua kelompok tani. "
            f"Bila petani itu memang keluar dari daftar, unggah lagi dengan centang “{LABEL}” "
            "(perintah: pos fertilizer import-rdkk --remove-missing).")


def names(session: Session, season_id: int, kept: set[str]) -> list[str]:
    """The names of the season's listed farmers whose NIK is not in ``kept``, by name."""
    return sorted(name for nik, name in session.execute(
        select(RdkkFarmer.nik, RdkkFarmer.name)
        .where(RdkkFarmer.season_id == season_id, RdkkFarmer.listed.is_(True)))
        if nik not in kept)


def _few(found: list[str]) -> str:
    more = len(found) - SHOWN
    return ", ".join(found[:SHOWN]) + (f" dan {more} lainnya" if more > 0 else "") + "."


def refused(season: str, found: list[str]) -> str:
    return (f"{len(found)} petani musim {season} tidak ada di berkas dan akan keluar dari daftar: "
            + _few(found))


def said(found: list[str]) -> str:
    return f"{len(found)} petani keluar dari daftar: {_few(found)}"
