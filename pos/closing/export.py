"""The day summary as rows: one list (section, item, count, amount) shown on the summary
page and written to CSV/XLSX (``reports.shape.Report``) and PDF (``reports.pdf``) alike."""
from __future__ import annotations

from pos.inventory.catalog.history import UNIT_WORDS
from pos.money import format_rupiah
from pos.reports import shape, tax_labels
from pos.reports.day_fertilizer import in_order
from pos.reports.pdf import Figure, Header
from pos.units import BaseUnit

METHODS = {"cash": "Tunai", "qris": "QRIS", "transfer": "Transfer/Debit",
           "member_credit": "Kasbon anggota"}
COLUMNS = [shape.Column("section", "Bagian"), shape.Column("item", "Rincian"),
           shape.Column("count", "Jumlah", "int"), shape.Column("amount", "Nilai", "rupiah")]


def _method(key: str) -> str:
    return METHODS.get(key, key)


def lines(s: dict, tax_names: dict[str, str] | None = None) -> list[dict]:
    """Every figure of the summary ``s`` as a row; count or amount None where it has none. A
    PKP day's tax classes are named by ``tax_names`` (``tax_labels.names_of`` the outlet's
    configuration), as the screens name them."""
    out: list[dict] = []

    def add(section, item, count=None, amount=None):
        out.append({"section": section, "item": item, "count": count, "amount": amount})

    add("Penjualan", "Transaksi selesai", s["sale_count"], s["total"])
    add("Penjualan", "Penjualan kotor", None, s["gross"])
    add("Penjualan", "Diskon", None, -s["discount"])   # a deduction: negative, as on screen
    if s["pkp"]:
        add("Penjualan", "PPN", None, s["tax"])
    add("Penjualan", "Pembulatan tunai", None, s["rounding"])
    add("Penjualan", "Harga pokok", None, s["cost"])
    add("Penjualan", "Laba kotor penjualan (sebelum retur)", None, s["margin"])
    if "margin_after_returns" in s:   # (a day closed before it has no such key)
        goods = s["returned_goods"]
        add("Penjualan", "Retur: nilai barang tanpa PPN", None, -goods["revenue"])
        add("Penjualan", "Retur: harga pokok kembali", None, goods["cost"])
        add("Penjualan", "Retur: barang rusak dihapus", None, -goods["written_off"])
        add("Penjualan", "Laba kotor setelah retur", None, s["margin_after_returns"])
    for key, row in s["payments"].items():
        add("Per cara bayar", _method(key), row["count"], row["amount"])
    for unit, row in s["business_units"].items():
        add("Per unit usaha", UNIT_WORDS.get(unit, unit.capitalize()), row["lines"], row["amount"])
    if s["business_units"]:   # the units' goods, the PPN added to prices and the rounding: the total
        added = s["total"] - s["rounding"] - sum(row["amount"] for row in s["business_units"].values())
        if added:   # sales priced before tax (POS_TAX_INCLUSIVE=false): their lines hold no PPN
            add("Per unit usaha", "PPN ditambahkan ke harga", None, added)
        if s["rounding"]:
            add("Per unit usaha", "Pembulatan tunai", None, s["rounding"])
        add("Per unit usaha", "Total penjualan", None, s["total"])
    if s["pkp"]:   # the screen's Pajak per kelas: each class's sales, DPP and PPN
        for name, row in tax_labels.rows(s.get("tax_classes") or {}, tax_names or tax_labels.names()):
            add("Pajak per kelas", f"{name}: penjualan", None, row["amount"])
            add("Pajak per kelas", f"{name}: DPP", None, row["dpp"])
            add("Pajak per kelas", f"{name}: PPN", None, row["tax"])
    for key, label in (("member", "Anggota"), ("non_member", "Bukan anggota")):
        row = s["members"][key]
        add("Anggota / bukan anggota", label, row["sale_count"], row["total"])
    for row in s["tills"]:
        add("Per kasir (mesin)", f"{row['code']} {row['name']}", row["sale_count"], row["total"])
    for row in s["cashiers"]:
        add("Per kasir (orang)", row["name"], row["sale_count"], row["total"])
    for row in s["member_purchases"]:
        add("Belanja anggota (SHU, bersih retur)", f"{row['number']} {row['name']}",
            None, row["total"])
    for key, row in s["member_payments"].items():
        add("Simpanan & angsuran", f"Simpanan ({_method(key)})", row["documents"], row["savings"])
        add("Simpanan & angsuran", f"Angsuran kasbon ({_method(key)})", None, row["repayments"])
        if row.get("withdrawals"):   # (a day closed before withdrawals has no such key)
            add("Simpanan & angsuran", f"Penarikan simpanan ({_method(key)})", row["withdrawal_documents"],
                -row["withdrawals"])
        if row.get("cancelled"):
            repaid = row.get("cancelled_repayments", 0)
            add("Simpanan & angsuran", f"Simpanan dibatalkan ({_method(key)})", row["cancelled_documents"],
                repaid - row["cancelled"])
            if repaid:
                add("Simpanan & angsuran", f"Angsuran kasbon dibatalkan ({_method(key)})", None, -repaid)
        if row.get("rounding"):   # (a day closed before member cash was rounded has no such key)
            add("Simpanan & angsuran", f"Pembulatan tunai ({_method(key)})", None, row["rounding"])
        if row.get("outside_drawers"):
            add("Simpanan & angsuran", "Tunai di luar laci kasir (tanpa shift)", None, row["outside_drawers"])
    opened = s.get("opening_savings") or {}   # (a day closed before saldo awal has none)
    if opened.get("members"):
        for kind in ("pokok", "wajib", "sukarela"):
            add("Saldo awal simpanan (buku lama)", f"Simpanan {kind}", opened["members"], opened[kind])
    owed = s.get("opening_kasbon") or {}   # (a day closed before saldo awal kasbon has none)
    if owed.get("members"):
        add("Saldo awal kasbon (buku lama)", "Kasbon anggota (piutang, tanpa jurnal)", owed["members"],
            owed["amount"])
    corrected = s.get("kasbon_corrections") or {}   # (a day closed before corrections were booked has none)
    if corrected.get("count"):
        where = f"{corrected['account']} {corrected['name']}"
        add("Koreksi kasbon", f"Kasbon dihapus (penghapusan piutang, {where})", None,
            -corrected["written_off"])
        add("Koreksi kasbon", f"Kasbon ditambahkan (lawan {where})", None, corrected["added"])
    stocked = s.get("opening_stock") or {}   # (a day closed before stok awal has none)
    if stocked.get("products"):
        add("Stok awal (buku lama)", "Nilai pokok (Saldo awal Persediaan, tanpa jurnal)", stocked["products"],
            stocked["value"])
        for unit in stocked.get("units") or []:   # (a day closed before has only the total)
            add("Stok awal (buku lama)", f"Saldo awal {unit['account']} {unit['name']}", unit["products"],
                unit["value"])
    moved = s.get("stock_changes") or {}   # (a day closed before it has none)
    for row in moved.get("documents") or []:
        add("Perubahan stok", f"{row['label']} {row['number']}", row["lines"], row["value"])
    if moved.get("documents"):
        add("Perubahan stok", "Total perubahan stok (harga pokok)", moved["lines"], moved["value"])
    back = s["returns"]
    add("Retur", "Retur dibukukan hari ini (nilai barang)", back["count"], back["amount"])
    if back.get("tax"):   # (a day closed before this has no such key)
        add("Retur", "PPN retur", None, -back["tax"])
    for key, amount in back["refunds"].items():   # money paid out: negative
        add("Retur", f"Dikembalikan lewat {_method(key)}", None, -amount)
    if back.get("rounding"):   # (a day closed before returns were rounded has no such key)
        add("Retur", "Pembulatan tunai retur", None, back["rounding"])
    add("Retur", "Total setelah retur", None, s["total"] - back["amount"] - back.get("rounding", 0))
    add("Retur", "Baris kembali ke stok", back["restocked"]["lines"], back["restocked"]["amount"])
    add("Retur", "Baris rusak (dimusnahkan)", back["written_off"]["lines"],
        back["written_off"]["amount"])
    add("Pembatalan", "Baris dibatalkan sebelum bayar", s["voids"]["count"], s["voids"]["amount"])
    for key, label in (("in", "Kas masuk"), ("out", "Kas keluar")):
        row = s["cash_movements"][key]
        add("Kas masuk/keluar", label, row["count"], -row["amount"] if key == "out" else row["amount"])
    reg = s["regulated"]
    fertilizer = reg["fertilizer"]   # (a day closed before returns were dated has grams only)
    add("Barang diatur", "Penebusan pupuk bersubsidi: "
        f"{BaseUnit.GRAM.format(fertilizer.get('redeemed_grams', fertilizer['grams']))}",
        fertilizer["redemptions"])
    if fertilizer.get("returned_grams"):
        add("Barang diatur", "Pupuk bersubsidi dikembalikan (retur): "
            f"{BaseUnit.GRAM.format(fertilizer['returned_grams'])}", fertilizer["returns"])
    for kind, row in in_order(s.get("fertilizer_types") or {}):   # (a day closed before has none)
        label = kind.label
        add("Barang diatur", f"Penebusan pupuk bersubsidi {label}: "
            f"{BaseUnit.GRAM.format(row['redeemed_grams'])}", row["redemptions"])
        if row["returned_grams"]:
            add("Barang diatur", f"Pupuk bersubsidi {label} dikembalikan (retur): "
                f"{BaseUnit.GRAM.format(row['returned_grams'])}", row["returns"])
    lpg = reg["lpg"]   # (a day closed before LPG returns were dated has qty only)
    add("Barang diatur", f"LPG 3 kg: {lpg.get('sold_qty', lpg['qty'])} tabung", lpg["sales"])
    if lpg.get("returned_qty"):
        add("Barang diatur", f"LPG 3 kg dikembalikan (retur): {lpg['returned_qty']} tabung",
            lpg["returns"])
    for shift in s["shifts"]:
        who = f"Shift #{shift['id']} {shift['till']} {shift['cashier']}"
        if shift.get("opening_difference"):   # (a day closed before this has no such key)
            add("Shift", f"{who} kas awal {format_rupiah(shift['opening_float'])}, dihitung saat "
                f"tutup shift sebelumnya {format_rupiah(shift['previous_counted'])}: "
                f"{shift.get('opening_note') or '-'}", None, shift["opening_difference"])
        if shift["closed_at"] is None:
            add("Shift", f"{who}: masih terbuka")
        for key, row in shift["tenders"].items():
            add("Shift", f"{who} {_method(key)}: diharapkan "
                f"{format_rupiah(row['expected'])}, "
                f"dihitung {format_rupiah(row['counted'])}", None, row["difference"])
    if "opening_difference" in s:   # (a day closed before this has no such key)
        add("Selisih", "Selisih kas awal shift (kas awal - tutup shift sebelumnya)", None,
            s["opening_difference"])
    add("Selisih", "Selisih kas hari ini", None, s["cash_difference"])
    add("Selisih", "Selisih semua cara bayar", None, s["difference"])
    return out


def title(s: dict) -> str:
    day = s["date"]
    return f"Ringkasan hari {day[8:10]}-{day[5:7]}-{day[:4]}"


def as_report(s: dict, tax_names: dict[str, str] | None = None) -> shape.Report:
    rows = lines(s, tax_names)
    return shape.Report("tutup-hari", title(s), COLUMNS, rows, None, len(rows),
                        per_page=max(len(rows), 1))


def as_sections(s: dict, tax_names: dict[str, str] | None = None) -> list[tuple[str, list[list]]]:
    """PDF sections: one per section of ``lines``, rows (item, count, amount)."""
    sections: dict[str, list[list]] = {}
    for row in lines(s, tax_names):
        rows = sections.setdefault(row["section"], [[Header("Rincian"), Header("Jumlah"),
                                                     Header("Nilai")]])
        count = "" if row["count"] is None else Figure(row["count"])
        rows.append([row["item"], count, "" if row["amount"] is None else int(row["amount"])])
    return list(sections.items())
