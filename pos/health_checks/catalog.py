"""Codes the till could read as the wrong thing: a product's barcode or SKU that is also another
product's SKU, a member's card or a member's number; and a member's card that is another
member's number.  The catalog and the register refuse new ones; these were made before they
did, by an old import or by hand in the database.  Each is listed with what to do; selling goes
on (a warning), but the till finds the first holder (barcodes before SKUs, products before
members) and so the wrong item or no member, or asks which of two members."""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.health_checks.check import Check, Level
from pos.inventory.catalog.codes import collisions
from pos.members import code_clashes

TITLE = "Kode barang dan kartu anggota"


def codes(session: Session) -> Check:
    """Every code held twice; the public figure is their number, the manager sees which."""
    found = sorted([*collisions(session), *code_clashes.collisions(session)],
                   key=lambda c: (c.code, c.problem))
    figures = {"collisions": len(found)}
    if not found:
        return Check("codes", Level.OK, TITLE, "tidak ada kode ganda", figures)
    details = {"held_twice": [{"code": c.code, "problem": c.problem, "fix": c.fix} for c in found]}
    problem = (f"{len(found)} kode dipakai dua kali, sehingga kasir bisa mendapat barang atau anggota "
               "yang salah, atau harus bertanya anggota mana yang dimaksud:\n"
               + "\n".join(f"- {c.problem}" for c in found))
    fix = "Perbaiki setiap kode:\n" + "\n".join(f"- {c.code}: {c.fix}" for c in found)
    return Check("codes", Level.WARN, TITLE, f"{len(found)} kode ganda", figures, details, problem, fix)
