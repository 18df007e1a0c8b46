"""Rupiah arithmetic: integers only, one rounding rule, one format.

Money is ``int`` Rupiah everywhere; rates are ``int`` basis points (11% = 1100).
``round_half_up`` is the only place a fraction is rounded, so receipts,
reports and the ledger always agree.
"""
import re

from pos.errors import PosError
from pos.units import format_number

Rupiah = int
BP_DENOMINATOR = 10_000


class MoneyError(PosError):
    """Text that is not an amount of Rupiah, or cash that does not cover a total."""

    def of_field(self, label: str) -> str:
        """The message said of the field ``label``: "Jumlah uang tidak valid. …" of Setoran is
        "Setoran tidak valid. …" and of Jumlah "Jumlah tidak valid. …", never "Jumlah: Jumlah
        uang …"; another message follows "``label``: "."""
        if not label:
            return self.message
        if self.message.startswith("Jumlah uang "):
            return label + self.message.removeprefix("Jumlah uang")
        return f"{label}: {self.message}"


class AmountTooBig(MoneyError):
    """An amount written right but above the field's ``maximum``."""

    def __init__(self, maximum: int):
        super().__init__(f"Jumlah uang terlalu besar (maksimal {format_rupiah(maximum)}).")
        self.maximum = maximum


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to the nearest int, halves away from zero."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return sign * q


def round_cash(amount: Rupiah, coin: int, round_down: bool = False) -> Rupiah:
    """Cash in whole coins: ``amount`` to the nearest multiple of ``coin`` (halves up), as a sale
    takes it, a refund and the savings counter pay it (``POS_CASH_ROUNDING``); ``coin`` 0 or 1
    leaves it.  ``round_down``: never above ``amount`` (a line at its ceiling price, HET)."""
    if coin <= 1:
        return amount
    nearest = round_half_up(amount, coin) * coin
    return amount // coin * coin if round_down and nearest > amount else nearest


def in_coins(amount: Rupiah, coin: int, label: str, error: type[PosError] = MoneyError,
             whole: Rupiah | None = None) -> Rupiah:
    """``amount`` of cash typed for the drawer (a Kas masuk/keluar, a float or a count typed as a
    total, the cash a member hands over, part of a kasbon), refused with ``error`` unless it is
    whole coins of ``coin`` (``POS_CASH_ROUNDING``, the outlet's smallest coin; 0 or 1: any
    Rupiah), naming the nearest amounts that are: no drawer holds Rp12.345 when its least coin is
    Rp100.  ``whole``: what is owed (a kasbon); paying all of it is owed, not chosen (rounded by
    ``round_cash``, never refused), and it is named when the next coin would reach it."""
    if coin <= 1 or amount % coin == 0 or (whole is not None and amount >= whole):
        return amount
    below = amount // coin * coin
    if whole is not None and below + coin >= whole:
        nearest = f"Tulis {format_rupiah(below)}, atau lunasi {format_rupiah(whole)}" if below > 0 \
            else f"Lunasi {format_rupiah(whole)}"
    else:
        nearest = f"Tulis {format_rupiah(below)} atau {format_rupiah(below + coin)}" if below > 0 \
            else f"Tulis {format_rupiah(below + coin)}"
    raise error(f"{label} {format_rupiah(amount)} tidak bisa dibayar dengan uang tunai: pecahan "
                f"terkecil di laci {format_rupiah(coin)}. {nearest}.")


def percent_of(amount: Rupiah, rate_bp: int) -> Rupiah:
    """``amount`` x rate, e.g. a 2.5% discount is ``percent_of(x, 250)``."""
    return round_half_up(amount * rate_bp, BP_DENOMINATOR)


def tax_included(gross: Rupiah, rate_bp: int) -> Rupiah:
    """The tax inside a tax-inclusive ``gross`` (11% of DPP = gross x 11/111)."""
    if rate_bp == 0:
        return 0
    return round_half_up(gross * rate_bp, BP_DENOMINATOR + rate_bp)


def tax_added(net: Rupiah, rate_bp: int) -> Rupiah:
    """The tax to add on top of a tax-exclusive ``net`` price."""
    return percent_of(net, rate_bp)


def dpp_nilai_lain(net: Rupiah, numerator: int = 11, denominator: int = 12) -> Rupiah:
    """The *DPP nilai lain* of an ex-tax amount (PMK 131/2024): 11/12 of it, rounded once."""
    return round_half_up(net * numerator, denominator)


def stated_tax(gross: Rupiah, rate_bp: int, numerator: int = 11,
               denominator: int = 12) -> tuple[Rupiah, Rupiah]:
    """(DPP nilai lain, PPN) inside a tax-inclusive ``gross`` as the law states them.

    The PPN is the effective-rate tax the sale stored (``tax_included``: 11% of the ex-tax
    price); the statutory 12% of the DPP nilai lain equals it within Rp1.
    Rp11.100 -> ex-tax Rp10.000, DPP Rp9.167, PPN Rp1.100.
    """
    tax = tax_included(gross, rate_bp)
    return dpp_nilai_lain(gross - tax, numerator, denominator), tax


def line_amount(unit_price: Rupiah, qty: int, per_qty: int = 1) -> Rupiah:
    """Price of ``qty`` base units when ``unit_price`` is for ``per_qty`` of them.

    Pieces have per_qty 1; goods sold by weight or volume are priced per kg or
    litre (per_qty 1000) and counted in grams or millilitres.
    """
    return round_half_up(unit_price * qty, per_qty)


def change_due(total: Rupiah, tendered: Rupiah) -> Rupiah:
    """Change to give back; raises when the cash does not cover the total."""
    if tendered < total:
        raise MoneyError("Uang diterima kurang dari total belanja.")
    return tendered - total


def format_rate(rate_bp: int, *, fixed: bool = False) -> str:
    """A rate in basis points as Indonesians write a percentage: ``1100`` -> ``11``, ``1250`` ->
    ``12,5``, ``-43`` -> ``-0,43`` (the sign in front: ``divmod`` floors a negative); with
    ``fixed`` always two decimals (``18,00``), so a column of margins lines up."""
    whole, part = divmod(abs(rate_bp), 100)
    decimals = f",{part:02d}" if fixed else (f",{part:02d}".rstrip("0") if part else "")
    return ("-" if rate_bp < 0 else "") + f"{whole}" + decimals


def format_rupiah(amount: Rupiah) -> str:
    """``12500`` -> ``Rp12.500``; negative -> ``-Rp12.500`` (same as Babel's id_ID)."""
    text = format_number(abs(int(amount)))
    return f"-Rp{text}" if amount < 0 else f"Rp{text}"


def format_difference(amount: Rupiah) -> str:
    """A counted-less-expected difference: ``+Rp10`` over, ``-Rp10`` short, ``Rp0`` none."""
    return ("+" if amount > 0 else "") + format_rupiah(amount)


def input_text(value: Rupiah | str | None) -> str:
    """An amount as a money field shows it, grouped as the cashier's typing is (``28.687.500``);
    what was typed and refused (a string) comes back as typed, nothing as an empty field."""
    if value is None:
        return ""
    return format_number(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


# ASCII digits only ("\d" would take ８ or ٣), and few enough that int() stays cheap: anything
# longer than 30 digits is no amount a cashier types (and int() refuses 4,300 and more).
_AMOUNT = re.compile(r"(?:rp\.?)?\s*([0-9]{1,3}(?:\.[0-9]{3}){1,9}|[0-9]{1,30})(?:,-|,00)?", re.IGNORECASE)


def parse_rupiah(text: str, maximum: Rupiah = 1_000_000_000) -> Rupiah:
    """Read what a cashier types: ``50000``, ``50.000``, ``Rp50.000``, ``50.000,-``.

    Rejects fractions of a Rupiah, negatives, signs, grouping in the wrong place, spaces
    among the digits (``1 2 3 4`` is no amount typed; only ``Rp 50.000`` has one) and anything
    above ``maximum``.
    """
    cleaned = (text or "").strip()
    match = _AMOUNT.fullmatch(cleaned)
    if not match:
        raise MoneyError("Jumlah uang tidak valid. Tulis angka Rupiah, misalnya 50000 atau 50.000.")
    value = int(match.group(1).replace(".", ""))
    if value > maximum:
        raise AmountTooBig(maximum)
    return value


def is_negative_amount(text: str) -> bool:
    """``-5000``, ``-Rp5.000``: an amount with a minus sign, which ``parse_rupiah`` refuses as no
    amount (a field that must be 0 or more says so instead)."""
    cleaned = (text or "").strip()
    return cleaned.startswith("-") and _AMOUNT.fullmatch(cleaned[1:].strip()) is not None


def spread(total: int, weights: list[int], caps: list[int]) -> list[int]:
    """``total`` split over lines in proportion to ``weights`` (largest remainder), no share
    above its cap; what a capped line cannot take goes to the others.  Sums to
    ``min(total, sum(caps))`` exactly."""
    shares = [0] * len(weights)
    remaining = min(max(total, 0), sum(max(c, 0) for c in caps))
    while remaining > 0:
        open_ = [i for i in range(len(weights)) if shares[i] < caps[i]]
        weight = {i: max(weights[i], 0) for i in open_}
        if not any(weight.values()):
            weight = dict.fromkeys(open_, 1)
        whole = sum(weight.values())
        part = {i: divmod(remaining * w, whole) for i, w in weight.items()}
        left = remaining - sum(q for q, _ in part.values())
        extra = set(sorted(open_, key=lambda i: (-part[i][1], i))[:left])
        given = 0
        for i in open_:
            take = min(part[i][0] + (i in extra), caps[i] - shares[i])
            shares[i] += take
            given += take
        remaining -= given
    return shares
