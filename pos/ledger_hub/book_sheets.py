"""Each book as a ``sheets.Sheet``: what its screen shows and its XLSX holds, row for row."""
from __future__ import annotations

from pos.ledger_hub.books import TrialBalance
from pos.ledger_hub.journal_book import GeneralLedger, JournalRow
from pos.ledger_hub.sheets import Column, Sheet
from pos.ledger_hub.statements import MEMBER_WORDS, Neraca, Phu
from pos.money import format_rupiah

RP, TEXT, DATE = "rupiah", "text", "date"


def _subtitle(period) -> str:
    return f"Periode {period.label}"


def journal_sheet(rows: list[JournalRow], period) -> Sheet:
    sheet = Sheet("jurnal", "Jurnal per hari dan akun", _subtitle(period),
                  [Column("Tanggal", DATE), Column("Akun"), Column("Nama akun"), Column("Debit", RP),
                   Column("Kredit", RP)])
    for row in rows:
        sheet.add(row.day, row.account, row.name, row.debit, row.credit)
    debit, credit = sum(r.debit for r in rows), sum(r.credit for r in rows)
    sheet.add("Jumlah", "", "", debit, credit, style="total")
    sheet.ok = debit == credit
    sheet.verdict = "Jurnal seimbang." if sheet.ok else "Jurnal TIDAK seimbang."
    return sheet


def ledger_sheet(ledger: GeneralLedger) -> Sheet:
    sheet = Sheet(f"buku-besar-{ledger.account}", f"Buku besar {ledger.account} {ledger.name}",
                  _subtitle(ledger.period),
                  [Column("Tanggal", DATE), Column("Gerai"), Column("Debit", RP), Column("Kredit", RP),
                   Column("Saldo", RP)])
    sheet.add("Saldo awal", "", None, None, ledger.opening, style="subtotal")
    for row in ledger.rows:
        sheet.add(row.day, f"{row.outlet or 'koperasi'} (saldo awal)" if row.opening else row.outlet,
                  row.debit, row.credit, row.balance)
    sheet.add("Saldo akhir", "", ledger.debit, ledger.credit, ledger.closing, style="total")
    return sheet


def trial_sheet(balance: TrialBalance) -> Sheet:
    """The standard neraca saldo: per account saldo awal, mutasi debit, mutasi kredit and saldo
    akhir (balances signed debit minus credit), the SHU before the period, and the totals."""
    sheet = Sheet("neraca-saldo", "Neraca saldo", f"Periode {balance.label}",
                  [Column("Akun"), Column("Nama akun"), Column("Saldo awal", RP), Column("Mutasi debit", RP),
                   Column("Mutasi kredit", RP), Column("Saldo akhir", RP)])
    for row in balance.rows:
        sheet.add(row.account, row.name, row.opening, row.debit or None, row.credit or None, row.closing)
    if balance.results_before:
        sheet.add("", "SHU sebelum periode (belum dibagi)", balance.results_before, None, None,
                  balance.results_before)
    sheet.add("Jumlah", "", balance.opening_total, balance.debit, balance.credit, balance.closing_total,
              style="total")
    sheet.ok = balance.balanced
    sheet.verdict = "Neraca saldo seimbang." if balance.balanced else "Neraca saldo TIDAK seimbang."
    sheet.notes = ["Saldo awal dan saldo akhir: debit dikurangi kredit (minus: saldo kredit)."]
    for code, as_of in balance.opened_within:
        whose = f"gerai {code}" if code else "koperasi"
        if not balance.outlet or code == balance.outlet:
            sheet.notes.append(f"Saldo awal {whose} per {as_of:%d-%m-%Y} ada di kolom Saldo awal (di buku "
                               "besar: baris pada tanggalnya); jurnal sebelum tanggal itu sudah termasuk di "
                               "dalamnya dan tidak dihitung lagi, seperti di neraca.")
        else:
            sheet.notes.append(f"Saldo awal {whose} per {as_of:%d-%m-%Y}: jurnal gerai {balance.outlet} "
                               "sebelum tanggal itu sudah termasuk di dalamnya dan tidak dihitung lagi, "
                               "seperti di neraca.")
    return sheet


def phu_sheet(report: Phu) -> Sheet:
    sheet = Sheet("phu", "Perhitungan Hasil Usaha (PHU)", _subtitle(report.period),
                  [Column("Pos"), Column("Unit usaha"), Column("Jumlah", RP)])
    sheet.add("Pendapatan dan harga pokok per unit usaha", "", None, style="heading")
    for unit in report.units:
        for member in (True, False, None):
            if member in unit.revenue:
                sheet.add(f"Penjualan {MEMBER_WORDS[member]}", unit.label, unit.revenue[member])
        sheet.add("Harga pokok penjualan", unit.label, -unit.cogs)
        sheet.add("Hasil usaha kotor", unit.label, unit.gross_profit, style="subtotal")
    sheet.add("Jumlah penjualan", "Semua unit", report.revenue, style="subtotal")
    sheet.add("Jumlah harga pokok penjualan", "Semua unit", -report.cogs, style="subtotal")
    sheet.add("Hasil usaha kotor", "Semua unit", report.gross_profit, style="subtotal")
    sheet.add("Beban usaha", "", None, style="heading")
    for account, name, amount in report.expenses:
        sheet.add(f"{account} {name}", "", -amount)
    sheet.add("Jumlah beban usaha", "", -report.expense, style="subtotal")
    sheet.add("Pendapatan dan beban lain", "", None, style="heading")
    for account, name, amount in report.others:
        sheet.add(f"{account} {name}", "", amount)
    sheet.add("Jumlah pendapatan dan beban lain", "", report.other, style="subtotal")
    sheet.add("Sisa hasil usaha (SHU)", "", report.shu, style="total")
    if report.opened_within:
        since = "; ".join(f"{code or 'koperasi'} sejak {as_of:%d-%m-%Y}"
                          for code, as_of in report.opened_within)
        sheet.notes = [f"Dihitung sejak saldo awal ({since}): hasil sebelumnya sudah termasuk dalam saldo "
                       "awal, seperti di neraca."]
    return sheet


def neraca_sheet(report: Neraca) -> Sheet:
    sheet = Sheet("neraca", "Neraca", f"Per {report.period.end:%d-%m-%Y}, {report.period.scope}; SHU periode "
                                      f"{report.period.start:%d-%m-%Y} s.d. {report.period.end:%d-%m-%Y}",
                  [Column("Akun"), Column("Nama akun"), Column("Jumlah", RP)])
    for title, items, total_label, total in (("Aset", report.assets, "Jumlah aset", report.total_assets),
                                             ("Kewajiban", report.liabilities, "Jumlah kewajiban",
                                              report.total_liabilities)):
        sheet.add(title, "", None, style="heading")
        for account, name, amount in items:
            sheet.add(account, name, amount)
        sheet.add(total_label, "", total, style="subtotal")
    sheet.add("Ekuitas", "", None, style="heading")
    for account, name, amount in report.equity:
        sheet.add(account, name, amount)
    if report.shu_before:
        sheet.add("", "SHU sebelum periode (belum dibagi)", report.shu_before)
    sheet.add("", "SHU periode berjalan", report.shu_period)
    sheet.add("Jumlah ekuitas", "", report.total_equity, style="subtotal")
    sheet.add("Jumlah kewajiban dan ekuitas", "", report.total_liabilities + report.total_equity,
              style="total")
    sheet.ok = report.balanced
    sheet.verdict = "Neraca seimbang." if report.balanced else "Neraca TIDAK seimbang."
    sheet.notes = _neraca_notes(report)
    return sheet


def _neraca_notes(report: Neraca) -> list[str]:
    """Why an asset may show below zero: the books started without their saldo awal (the stock
    and cash the outlet had before its first day on the hub), or with too little of it."""
    notes = []
    if not report.opened:
        notes.append(f"Belum ada saldo awal {report.period.scope} per {report.period.end:%d-%m-%Y}: "
                     "neraca dihitung dari jurnal saja, sehingga kas dan persediaan bisa tampak "
                     "minus. Impor saldo awal di halaman Saldo awal.")
    if report.unopened:
        notes.append(f"Belum ada saldo awal gerai {', '.join(report.unopened)} per "
                     f"{report.period.end:%d-%m-%Y}: neraca gabungan menghitung jurnal gerai itu saja, "
                     "sehingga kas dan persediaan bisa tampak minus. Impor saldo awalnya di halaman "
                     "Saldo awal.")
    minus = [f"{account} {name} {format_rupiah(amount)}" for account, name, amount in report.below_zero]
    if minus:
        notes.append(f"Aset minus: {'; '.join(minus)}. Periksa saldo awalnya: aset ini tidak dapat "
                     "kurang dari nol.")
    return notes
