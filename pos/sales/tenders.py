"""Settling a sale's total against its tenders: cash, QRIS, transfer/debit, member credit.

Pure (no database, no Flask), so every rule is tested on its own:

- tenders may be mixed on one sale (split payment); non-cash tenders are applied in the
  order given and none may exceed what remains (change comes only from cash);
- kasbon is one tender per sale (one charge, one receipt line, one payment in the reports):
  two are summed into the first; two QRIS or two transfers (each its own reference) stay two;
- the cash part, what non-cash tenders leave, is rounded to the nearest coin
  (``cash_rounding``, half up, or down when a line is at its HET; 0 = off) and the
  difference kept as the sale's
  ``rounding``, so lines + rounding = total = the sum of the payments' amounts;
  non-cash tenders are never rounded (and QRIS never surcharged);
- a sale is paid in full or not at all.

``from_form`` reads the payment panel's form (any mapping with ``get`` and
``getlist``): the cash handed over in ``tendered``; non-cash tenders as parallel
lists ``tender_method``, ``tender_amount``, ``tender_reference``, ``tender_confirmed`` and,
when sent, ``tender_cart`` (the cart, ``cart_view.cart_key``, each was added for) and
``tender_member`` (kasbon: the member number it was added for); checkout refuses a tender
added for another cart or member.  One bank reference is one transfer: the same reference
twice in one payment is refused.
"""
from __future__ import annotations

from dataclasses import dataclass

from pos import money
from pos.errors import PosError
from pos.money import format_rupiah as rp
from pos.payments.reference import check_reference
from pos.sales.models import PaymentMethod
from pos.text import is_digits

MAX_TENDERS = 8  # non-cash tenders on one sale; more is a tampered form


class TenderError(PosError):
    pass


@dataclass(frozen=True)
class Tender:
    """One way the customer pays: for cash, the money handed over; otherwise the amount."""

    method: PaymentMethod
    tendered: int
    reference: str | None = None   # transfer/debit: the bank reference
    confirmed: bool = False        # QRIS: the cashier saw the money arrive
    cart: str | None = None        # the cart it was added for (``cart_view.cart_key``); None: not sent
    member: str | None = None      # kasbon: the member number it was added for; None: not sent


@dataclass(frozen=True)
class Applied:
    """A payment row: ``amount`` applied to the sale, ``tendered`` handed over (cash only differs)."""

    method: PaymentMethod
    amount: int
    tendered: int
    reference: str | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class Settlement:
    total: int          # what the customer pays: the lines' total + rounding
    rounding: int       # + or -, from the cash part only
    tendered: int       # handed over, all tenders
    change: int         # given back, from cash only
    payments: tuple[Applied, ...]

    @property
    def cash_due(self) -> int:
        return sum(p.amount for p in self.payments if p.method is PaymentMethod.CASH)


def settle(total: int, tenders: list[Tender], cash_rounding: int = 0, *,
           round_down: bool = False) -> Settlement:
    """Apply ``tenders`` to ``total`` (the lines' total) or raise ``TenderError`` saying why not.
    ``round_down``: a line is at its ceiling (HET), so cash is rounded down, never up."""
    if total < 0 or cash_rounding < 0:
        raise TenderError("Total atau pembulatan tidak sah.")
    if not tenders:   # nothing typed in Uang diterima, nothing else added: what remains
        due = money.round_cash(total, cash_rounding, round_down)
        raise TenderError(f"Tulis uang diterima (sisa {rp(due)}), F5 untuk uang pas, atau pilih cara "
                          "bayar lain.")
    cash = [t for t in tenders if t.method is PaymentMethod.CASH]
    others = [t for t in tenders if t.method is not PaymentMethod.CASH]
    if len(others) > MAX_TENDERS or len(cash) > 1:
        raise TenderError("Terlalu banyak cara bayar dalam satu transaksi.")
    for tender in others:
        _check(tender)
    remaining, applied = total, []
    for tender in _one_kasbon(others):
        if tender.tendered > remaining:
            raise TenderError(f"{tender.method.label} {rp(tender.tendered)} melebihi sisa "
                              f"{rp(remaining)}. Kembalian hanya dari tunai.")
        remaining -= tender.tendered
        applied.append(Applied(tender.method, tender.tendered, tender.tendered,
                               tender.reference, tender.confirmed))
    due = money.round_cash(remaining, cash_rounding, round_down) if remaining else 0
    rounding = due - remaining
    handed = cash[0].tendered if cash else 0
    if handed < 0:
        raise TenderError("Uang diterima tidak valid.")
    if not cash and due:
        raise TenderError(f"Belum lunas: sisa {rp(due)}. Tambah pembayaran lain atau tunai.")
    if cash and handed and not due and others:
        raise TenderError("Sudah lunas tanpa tunai: kosongkan uang diterima.")
    try:
        change = money.change_due(due, handed)
    except money.MoneyError as short:
        raise TenderError(f"{short.message} Kurang {rp(due - handed)}.") from None
    money.in_coins(handed, cash_rounding, "Uang diterima", TenderError)   # change no drawer has
    if cash:
        applied.append(Applied(PaymentMethod.CASH, due, handed))
    settlement = Settlement(total + rounding, rounding, sum(p.tendered for p in applied),
                            change, tuple(applied))
    assert sum(p.amount for p in applied) == settlement.total  # the ledger balances
    return settlement


def other_cart(given: list[Tender], key: str) -> str:
    """Why a tender may not pay the cart whose ``cart_view.cart_key`` is ``key``: it was added
    in the panel for another cart (emptied, parked or changed since; a panel not told); "" when
    none was.  Cash, typed at Selesai, is always this cart's."""
    for tender in given:
        if tender.cart is not None and tender.cart != key:
            ref = f" (Ref {tender.reference})" if tender.reference else ""
            return (f"{tender.method.label} {rp(tender.tendered)}{ref} ditambahkan untuk keranjang lain: "
                    "keranjang berubah sejak itu. Tidak ada yang dijual; keranjang tetap. Periksa "
                    "keranjang, lalu tekan F9 dan tambahkan pembayarannya lagi.")
    return ""


def _one_kasbon(others: list[Tender]) -> list[Tender]:
    """The non-cash tenders with every kasbon summed into the first: kasbon added twice in the
    panel, or a tampered form, is still one charge on the member's account."""
    kasbon = [t for t in others if t.method is PaymentMethod.MEMBER_CREDIT]
    if len(kasbon) < 2:
        return others
    first = others.index(kasbon[0])
    merged = Tender(PaymentMethod.MEMBER_CREDIT, sum(t.tendered for t in kasbon))
    return [merged if n == first else t for n, t in enumerate(others)
            if n == first or t.method is not PaymentMethod.MEMBER_CREDIT]


def _check(tender: Tender) -> None:
    label = tender.method.label
    if tender.tendered <= 0:
        raise TenderError(f"Jumlah {label} harus lebih dari nol.")
    if tender.method is PaymentMethod.QRIS and not tender.confirmed:
        raise TenderError("Dana QRIS belum dikonfirmasi. Periksa dana masuk, lalu tekan "
                          "\"Dana QRIS sudah masuk\".")
    if tender.method is PaymentMethod.TRANSFER:
        check_reference(tender.reference, TenderError)


_FORM_METHODS = {m.value: m for m in PaymentMethod if m is not PaymentMethod.CASH}


def from_form(form, maximum: int) -> list[Tender]:
    """The tenders posted by the payment panel; a malformed or tampered form raises.  Nothing
    at all (Uang diterima empty, no other tender) is no tender: ``settle`` says what remains."""
    methods, amounts = form.getlist("tender_method"), form.getlist("tender_amount")
    references, confirmed = form.getlist("tender_reference"), form.getlist("tender_confirmed")
    carts, members = _optional(form, "tender_cart", methods), _optional(form, "tender_member", methods)
    if not (len(methods) == len(amounts) == len(references) == len(confirmed)) \
            or len(methods) > MAX_TENDERS:
        raise TenderError("Formulir pembayaran tidak sah. Muat ulang halaman kasir.", 400)
    tenders, seen = [], {}   # the references so far, by their capitals
    for method, amount, reference, ok, cart, member in zip(methods, amounts, references, confirmed,
                                                           carts, members, strict=True):
        if method not in _FORM_METHODS or ok not in ("", "0", "1") or not is_digits(amount, 13):
            raise TenderError("Formulir pembayaran tidak sah. Muat ulang halaman kasir.", 400)
        if int(amount) > maximum:
            raise TenderError(f"Jumlah terlalu besar (maksimal {rp(maximum)}).")
        kind = _FORM_METHODS[method]
        ref = check_reference(reference, TenderError) if kind is PaymentMethod.TRANSFER else None
        if ref is not None and ref.upper() in seen:
            raise TenderError(f"Referensi {seen[ref.upper()]} sudah ada pada pembayaran ini: satu "
                              "referensi bank untuk satu transfer. Hapus yang dobel (F9), lalu periksa "
                              "referensinya.")
        if ref is not None:
            seen[ref.upper()] = ref
        tenders.append(Tender(kind, int(amount), ref, ok == "1", cart or None,
                              member.strip() if member is not None and kind is PaymentMethod.MEMBER_CREDIT
                              else None))
    raw = (form.get("tendered") or "").strip()
    if raw:
        try:
            cash = money.parse_rupiah(raw, maximum)
        except money.MoneyError as problem:
            raise TenderError(problem.of_field("Uang diterima")) from None
        if cash or not tenders:  # "0" beside other tenders is no cash at all
            tenders.append(Tender(PaymentMethod.CASH, cash))
    return tenders


def _optional(form, name: str, methods: list[str]) -> list[str | None]:
    """A list sent beside the tenders by the panel, one per tender; Nones when not sent at all
    (an older page, a test's form: not checked), refused when its length is not theirs."""
    values = form.getlist(name)
    if not values:
        return [None] * len(methods)
    if len(values) != len(methods) or any(len(v) > 64 for v in values):
        raise TenderError("Formulir pembayaran tidak sah. Muat ulang halaman kasir.", 400)
    return values
