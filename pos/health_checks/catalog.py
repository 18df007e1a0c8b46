"""Codes the till could read as the wrong thing: a product's barcode or SKU that is also another
product's SKU, a member's card or a member's number; and a member's card that is another
member's number, or another member's card in other letters.  The catalog and the register
refuse new ones; these were made before they did, by an old import or by hand in the database.
Each is listed with what to do; selling goes on (a warning), but the till finds the first holder
(barcodes before SKUs, products before members) and so the wrong item or no member, or asks
which of two members.  And a member number not in capitals, which the till (reading a typed
number in capitals) never finds."""
from __future__ import annotations

from sqlalchemy.orm import Session

from pos.health_checks.check import Check, Level
from pos.inventory.catalog.codes import collisions
from pos.members import code_clashes, number_case

TITLE = "Kode barang dan kartu anggota"
NUMBERS_TITLE = "Nomor anggota"


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


def member_numbers(session: Session) -> Check:
    """Member numbers in small letters (``members.number_case``); the public figure is how many."""
    found = number_case.small_letters(session)
    figures = {"small_letters": len(found)}
    if not found:
        return Check("member_numbers", Level.OK, NUMBERS_TITLE, "semua dalam huruf besar", figures)
    details = {"numbers": [{"number": n.code, "problem": n.problem, "fix": n.fix} for n in found]}
    problem = (f"{len(found)} nomor anggota tidak dalam huruf besar, sehingga kasir tidak menemukan "
               "anggotanya dengan nomor itu:\n" + "\n".join(f"- {n.problem}" for n in found))
    fix = "Perbaiki setiap nomor:\n" + "\n".join(f"- {n.code}: {n.fix}" for n in found)
    return Check("member_numbers", Level.WARN, NUMBERS_TITLE, f"{len(found)} nomor huruf kecil",
                 figures, details, problem, fix)
