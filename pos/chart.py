"""The chart of accounts the day journal posts to: roles mapped to 6-digit codes and names.

The default follows the account codes of the cooperative ministry's core accounting
application (KDMP "CORE": 111000 Kas, 112xxx Bank, 114xxx Persediaan per commodity or unit,
2xxxxx Kewajiban, 3xxxxx Ekuitas, 4xxxxx Pendapatan, 5xxxxx Harga pokok).  Simpanan pokok and
wajib are equity (they come back only when a member leaves); simpanan sukarela a member may
withdraw at any time, so it is owed: a short-term liability (SAK EP; "Simpanan Sukarela Anggota"
under *kewajiban jangka pendek* in the cooperatives' charts).  A cooperative changes any code or
name with ``POS_LEDGER_ACCOUNTS``: a JSON object from role to ``[code, name]``, e.g.
``{"bank": ["112100", "Bank BRI"]}``.  Every role the journal uses must resolve to a 6-digit
code; a bad override is refused when the app starts, not when a day closes.
"""
from __future__ import annotations

from dataclasses import dataclass

from pos.errors import PosError

UNITS = {"sembako": ("1", "Sembako"), "pupuk": ("2", "Pupuk"), "apotek": ("3", "Apotek"),
         "umkm": ("4", "UMKM"), "lainnya": ("9", "Lainnya")}


def _default() -> dict[str, tuple[str, str]]:
    chart = {
        "cash": ("111000", "Kas"),
        "bank": ("112100", "Bank (transfer/debit)"),
        "qris": ("112900", "Piutang QRIS (kliring)"),
        "cash_suspense": ("119900", "Kas masuk/keluar laci (perlu diklasifikasi)"),
        "member_receivable": ("113100", "Piutang anggota (kasbon)"),
        "payable": ("211100", "Utang usaha (pemasok)"),
        "ppn_out": ("212100", "PPN keluaran"),
        "savings:pokok": ("311000", "Simpanan pokok"),
        "savings:wajib": ("312000", "Simpanan wajib"),
        "savings:sukarela": ("213100", "Simpanan sukarela anggota"),  # withdrawable: owed
        "rounding": ("490100", "Selisih pembulatan kas"),
        "cash_over": ("490200", "Selisih kas lebih"),
        "cash_short": ("690200", "Selisih kas kurang"),
        "stock_loss": ("690100", "Selisih dan penghapusan persediaan"),
        # a manager's Koreksi kasbon: a kasbon taken off that was not paid is written off here,
        # one added (an earlier error) comes back the same way (an allowance: override it)
        "receivable_loss": ("690300", "Selisih dan penghapusan piutang anggota"),
    }
    for unit, (digit, name) in UNITS.items():
        chart[f"inventory:{unit}"] = (f"1141{digit}0", f"Persediaan {name}")
        chart[f"revenue:{unit}:member"] = (f"41{digit}100", f"Penjualan {name} - anggota")
        chart[f"revenue:{unit}:non_member"] = (f"41{digit}200", f"Penjualan {name} - bukan anggota")
        chart[f"discount:{unit}"] = (f"41{digit}900", f"Potongan penjualan {name}")
        chart[f"cogs:{unit}"] = (f"51{digit}000", f"Harga pokok penjualan {name}")
    return chart


DEFAULT = _default()
TENDER_ROLE = {"cash": "cash", "qris": "qris", "transfer": "bank", "member_credit": "member_receivable"}


class ChartError(PosError):
    pass


@dataclass(frozen=True)
class Chart:
    accounts: dict[str, tuple[str, str]]

    def __call__(self, role: str) -> tuple[str, str]:
        try:
            return self.accounts[role]
        except KeyError:
            raise ChartError(f"Akun untuk peran {role} tidak ada di bagan akun.") from None

    def rows(self) -> list[tuple[str, str, str]]:
        """(code, name, role) of every account, by code (for the README and the screens)."""
        return sorted((code, name, role) for role, (code, name) in self.accounts.items())


def chart(overrides: dict | None = None) -> Chart:
    """The default chart with the cooperative's ``overrides`` (role -> [code, name])."""
    accounts = dict(DEFAULT)
    for role, value in (overrides or {}).items():
        if role not in DEFAULT:
            raise ChartError(f"POS_LEDGER_ACCOUNTS: peran {role!r} tidak dikenal.")
        if not (isinstance(value, list | tuple) and len(value) == 2 and
                isinstance(value[0], str) and value[0].isdigit() and len(value[0]) == 6 and
                isinstance(value[1], str) and value[1].strip()):
            raise ChartError(f"POS_LEDGER_ACCOUNTS: {role} harus [kode 6 digit, nama].")
        accounts[role] = (value[0], value[1].strip())
    return Chart(accounts)
