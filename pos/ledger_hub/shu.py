"""SHU (sisa hasil usaha) for a book year: pure computation in whole Rupiah.

``SHU_a = V_a / VUK x JUA + S_a / TMS x JMA`` (UU 25/1992 Pasal 45; DOMAIN §3e): V_a a
member's purchases over the year at every outlet, VUK all members' purchases, JUA the jasa
anggota part; S_a the member's savings, TMS all members' savings, JMA the jasa modal part.

Only member business is shared out: the SHU to share (``pool``) is first split in proportion
to member and non-member revenue; the non-member part goes to the reserve.  The member part
is split by the cooperative's AD/ART percentages (basis points summing to 10000).

The one rounding rule (largest remainder): every part and every member's share is first
rounded down to a whole Rupiah; the Rupiah left over are then given one each to the parts
with the largest dropped fractions (ties: the earlier in order, i.e. the lower member
number), so the parts always add up to the whole to the Rupiah.  Nothing is rounded twice,
and no float is used.  ``round_half_up`` is used only for the rates shown beside the list
(jasa per Rp1.000 of purchases or savings).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pos.errors import PosError
from pos.money import BP_DENOMINATOR, format_rate, format_rupiah, round_half_up
from pos.text import is_digits

PARTS = ("reserve", "jasa_anggota", "jasa_modal", "pendidikan", "pengurus", "lainnya")
LABELS = {"reserve": "Cadangan", "jasa_anggota": "Jasa anggota (jasa usaha)",
          "jasa_modal": "Jasa modal", "pendidikan": "Dana pendidikan",
          "pengurus": "Dana pengurus, pengawas dan karyawan", "lainnya": "Dana lainnya"}
DEFAULT_SPLIT = {"reserve": 2500, "jasa_anggota": 3000, "jasa_modal": 2000, "pendidikan": 500,
                 "pengurus": 1000, "lainnya": 1000}
# Which savings make S_a: simpanan pokok + wajib by default (the members' capital).
SAVINGS_BASES = {"pokok_wajib": "Simpanan pokok + wajib", "wajib": "Simpanan wajib saja",
                 "semua": "Simpanan pokok + wajib + sukarela"}


class ShuError(PosError):
    """SHU input that cannot be used as given; nothing is changed."""


@dataclass(frozen=True)
class Settings:
    split: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_SPLIT))   # basis points
    savings_basis: str = "pokok_wajib"

    def as_dict(self) -> dict:
        return {"split": {part: self.split[part] for part in PARTS}, "savings_basis": self.savings_basis}


def settings(split: dict | None = None, savings_basis: str = "pokok_wajib") -> Settings:
    """Checked settings: every part a whole number of basis points >= 0, summing to 10000."""
    given = dict(DEFAULT_SPLIT if split is None else split)
    unknown = sorted(set(given) - set(PARTS))
    if unknown:
        raise ShuError(f"Bagian SHU tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(PARTS)}.")
    values = {}
    for part in PARTS:
        value = given.get(part, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ShuError(f"Persentase {LABELS[part]} harus bilangan bulat basis poin, 0 atau lebih.")
        values[part] = value
    total = sum(values.values())
    if total != BP_DENOMINATOR:
        raise ShuError(f"Jumlah pembagian SHU harus 100%, sekarang {format_rate(total, fixed=True)}%.")
    if savings_basis not in SAVINGS_BASES:
        raise ShuError(f"Dasar jasa modal tidak dikenal: {savings_basis}. "
                       f"Pilihan: {', '.join(SAVINGS_BASES)}.")
    return Settings(values, savings_basis)


SPLIT_EXAMPLE = "reserve=25,jasa_anggota=30,jasa_modal=20,pendidikan=5,pengurus=10,lainnya=10"


def _split_items(text: str) -> dict[str, str]:
    """``name=value`` pieces by comma (or semicolon); a piece of bare digits after a whole
    number is its decimals, as a percentage is typed: ``reserve=12,5,jasa_modal=20``."""
    out: dict[str, str] = {}
    last = None
    for item in (piece.strip() for piece in re.split(r"[,;]", text)):
        if not item:
            continue
        decimals = item.removesuffix("%").strip()
        if "=" not in item and last is not None and is_digits(decimals, 6) and is_digits(out[last], 3):
            out[last] += "," + item
            continue
        name, sep, value = (x.strip() for x in item.partition("="))
        if not sep or not name:
            raise ShuError(f"Tulis pembagian sebagai bagian=persen, mis. {SPLIT_EXAMPLE} (bukan {item!r}).")
        if name in out:
            raise ShuError(f"Bagian {name} tertulis dua kali.")
        out[name], last = value, name
    unknown = sorted(set(out) - set(PARTS))
    if unknown:
        raise ShuError(f"Bagian SHU tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(PARTS)}.")
    return out


def parse_split(text: str) -> dict[str, int]:
    """``reserve=25,jasa_anggota=30,...`` in basis points, each percentage read as the screen's
    form reads it (``percent_bp``: ``25``, ``25%``, ``12,5``); the parts not named are 0.  The
    older form in basis points (``reserve=2500,...``: whole numbers summing to 10000) still reads."""
    typed = _split_items(text)
    whole = [int(v) for v in typed.values() if is_digits(v, 5)]   # ASCII only: not ² or ２５
    if typed and len(whole) == len(typed) and (sum(whole) == BP_DENOMINATOR or max(whole) > 100):
        if sum(whole) != BP_DENOMINATOR:
            raise ShuError(f"Basis poin pembagian SHU harus berjumlah {BP_DENOMINATOR} (100%), sekarang "
                           f"{sum(whole)}. Atau tulis persen, mis. {SPLIT_EXAMPLE}.")
        return dict(zip(typed, whole, strict=True))
    out = {name: percent_bp(value, name) for name, value in typed.items()}
    total = sum(out.values())
    if total != BP_DENOMINATOR:
        raise ShuError(f"Jumlah pembagian SHU harus 100%, sekarang {format_rate(total, fixed=True)}%: "
                       f"tulis persen, mis. {SPLIT_EXAMPLE} (basis poin seperti reserve=2500 "
                       f"harus berjumlah {BP_DENOMINATOR}).")
    return out


def percent_bp(text: str, label: str) -> int:
    """A percentage as typed (``25``, ``2,5``, ``12.34``) in basis points; at most 2 decimals."""
    raw = (text or "").strip().removesuffix("%").strip().replace(",", ".")
    whole, _, cents = raw.partition(".")
    if not is_digits(whole, 3) or (cents and not is_digits(cents, 2)):   # ASCII only: not ² or ２５
        raise ShuError(f"{label}: tulis persen sebagai angka, mis. 25 atau 2,5 (paling banyak 2 desimal).")
    return int(whole) * 100 + int((cents or "0").ljust(2, "0"))


def percent_text(bp: int) -> str:
    """Basis points as a percentage is typed back: 2500 -> "25", 250 -> "2,5", 1234 -> "12,34"."""
    return format_rate(bp)


def allocate(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` by the largest remainder; sums to ``total``.

    All weights zero gives all zeros (the caller decides where such a total goes)."""
    if total < 0 or any(w < 0 for w in weights):
        raise ShuError("Jumlah dan bobot pembagian tidak boleh negatif.")
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    shares = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(shares)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return shares


@dataclass(frozen=True)
class Member:
    number: str
    name: str
    purchases: int   # V_a
    savings: int     # S_a


@dataclass(frozen=True)
class Line:
    number: str
    name: str
    purchases: int
    savings: int
    jasa_anggota: int
    jasa_modal: int

    @property
    def total(self) -> int:
        return self.jasa_anggota + self.jasa_modal


@dataclass(frozen=True)
class Distribution:
    pool: int
    member_share: int        # the pool's member-business part
    non_member_share: int    # the non-member part, to the reserve
    parts: dict[str, int]    # the member share split by the settings (reserve before the above)
    reserve_total: int       # parts["reserve"] + non_member_share + what no member could take
    vuk: int
    tms: int
    lines: list[Line]

    @property
    def members_total(self) -> int:
        return sum(line.total for line in self.lines)

    def rate_per_thousand(self, part: str) -> int:
        """Rupiah of jasa per Rp1.000 of purchases (or savings), half up, for display only."""
        basis = self.vuk if part == "jasa_anggota" else self.tms
        return round_half_up(self.parts[part] * 1000, basis) if basis else 0


MAX_POOL = 10**15   # Rp1.000.000.000.000.000: beyond it a typo, not a cooperative's SHU


def distribute(pool: int, member_revenue: int, non_member_revenue: int, chosen: Settings,
               members: list[Member]) -> Distribution:
    """The year's SHU split to the parts and to each member (``members`` in number order)."""
    if not isinstance(pool, int) or isinstance(pool, bool) or pool < 0:
        raise ShuError("SHU yang dibagi harus Rupiah bulat, 0 atau lebih (tahun rugi tidak dibagi).")
    if pool > MAX_POOL:   # as the form refuses it (the command took any, then a database error)
        raise ShuError(f"SHU yang dibagi paling banyak {format_rupiah(MAX_POOL)}.")
    if member_revenue < 0 or non_member_revenue < 0:
        raise ShuError("Pendapatan anggota dan bukan anggota tidak boleh negatif.")
    if member_revenue + non_member_revenue == 0:
        member_share, non_member = pool, 0   # no revenue recorded: nothing to set aside
    else:
        member_share, non_member = allocate(pool, [member_revenue, non_member_revenue])
    amounts = allocate(member_share, [chosen.split[part] for part in PARTS])
    parts = dict(zip(PARTS, amounts, strict=True))
    ordered = sorted(members, key=lambda m: m.number)
    if any(m.purchases < 0 or m.savings < 0 for m in ordered):
        raise ShuError("Belanja dan simpanan anggota tidak boleh negatif.")
    vuk, tms = sum(m.purchases for m in ordered), sum(m.savings for m in ordered)
    by_use = allocate(parts["jasa_anggota"], [m.purchases for m in ordered])
    by_capital = allocate(parts["jasa_modal"], [m.savings for m in ordered])
    lines = [Line(m.number, m.name, m.purchases, m.savings, a, c)
             for m, a, c in zip(ordered, by_use, by_capital, strict=True)]
    unshared = (parts["jasa_anggota"] - sum(by_use)) + (parts["jasa_modal"] - sum(by_capital))
    return Distribution(pool, member_share, non_member, parts, parts["reserve"] + non_member + unshared,
                        vuk, tms, lines)
