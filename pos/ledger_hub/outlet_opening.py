"""What an outlet brought in from its paper books on a day, as its day summary says
(``opening_stock``, ``opening_kasbon``, ``opening_savings``): no journal line at the outlet, but
figures the bookkeeper enters on the hub's Saldo awal, each on its account.

Stock comes per business unit with its Persediaan account; kasbon and savings come without
accounts, so the hub names them from its chart (``pos.chart`` with the hub's
``POS_LEDGER_ACCOUNTS``).
"""
from __future__ import annotations

from pos.chart import chart
from pos.money import format_rupiah

ROLES = ("member_receivable", "savings:pokok", "savings:wajib", "savings:sukarela")
SAVINGS = ("pokok", "wajib", "sukarela")


def account(role: str, overrides: dict | None) -> tuple[str, str]:
    return chart(overrides)(role)


Figure = tuple[str, str | None, str, int]   # what, account, name, amount


def guide(overrides: dict | None = None) -> list[tuple[str, str]]:
    """(code, name) of the accounts the outlets' saldo awal kasbon and simpanan go on, for the
    Saldo awal page's hint."""
    return [account(role, overrides) for role in ROLES]


def _groups(summary: dict, overrides: dict | None) -> list[tuple[str, list[Figure]]]:
    """(label, [(what, account, name, amount)]) per kind brought in, in the note's order."""
    groups = []
    stock = summary.get("opening_stock") or {}
    if stock.get("products"):   # a day closed before the units were given has only the total
        units = stock.get("units") or [{"account": None, "name": "Persediaan (semua unit)",
                                        "value": stock["value"]}]
        groups.append(("Persediaan", [("", u["account"], u["name"], u["value"]) for u in units]))
    owed = summary.get("opening_kasbon") or {}
    if owed.get("members") and owed.get("amount"):
        groups.append(("Piutang anggota", [("", *account("member_receivable", overrides), owed["amount"])]))
    saved = summary.get("opening_savings") or {}
    kinds = [(kind, *account(f"savings:{kind}", overrides), saved[kind])
             for kind in SAVINGS if saved.get("members") and saved.get(kind)]
    if kinds:
        groups.append(("Simpanan", kinds))
    return groups


def balances(summary: dict, overrides: dict | None = None) -> list[dict]:
    """``{account, name, amount}`` per figure to enter on the Saldo awal, in the note's order;
    an old summary without those keys (or with nothing imported) gives none."""
    return [{"account": code, "name": name, "amount": amount}
            for _, rows in _groups(summary, overrides) for _, code, name, amount in rows]


def note(summary: dict, overrides: dict | None = None) -> str | None:
    """"Saldo awal dari buku lama (isi di Saldo awal hub): Persediaan 114110 Rp…, 114130 Rp…;
    Piutang anggota 113100 Rp…; Simpanan pokok 311000 Rp…, wajib …, sukarela …", or None."""
    parts = []
    for label, rows in _groups(summary, overrides):
        figures = [" ".join(filter(None, (what, code or "(semua unit)", format_rupiah(amount))))
                   for what, code, _, amount in rows]
        parts.append(f"{label} {', '.join(figures)}")
    if not parts:
        return None
    return "Saldo awal dari buku lama (isi di Saldo awal hub): " + "; ".join(parts)
