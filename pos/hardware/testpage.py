"""A test page for the receipt printer: the widths, the code page, cut and a QR code."""
from __future__ import annotations

from pos.hardware.ports import Receipt

# What a test print on dummy:// (the installer's until a real printer is set) says: the page went
# to the recording printer, which keeps it in memory; "dikirim ke printer" had one look for paper.
ON_DUMMY = ("Halaman uji hanya dicatat printer rekaman (dummy://), tidak tercetak di kertas: "
            "printer belum diatur (Perangkat).")


def test_page(columns: int, outlet_name: str, when: str, printer: str) -> Receipt:
    ruler = ("1234567890" * 5)[:columns]
    lines = [outlet_name.upper()[:columns].center(columns).rstrip(), "CETAK UJI".center(columns).rstrip(),
             "-" * columns, ruler, f"Lebar kertas: {columns} kolom"[:columns],
             f"Printer: {printer}"[:columns], f"Waktu: {when}"[:columns],
             "Rp12.500  Rp1.234.500  -Rp500"[:columns], "-" * columns,
             "Jika baris angka di atas pas satu"[:columns], "baris dan kertas terpotong, printer"[:columns],
             "siap dipakai."]
    return Receipt(receipt_no="CETAK-UJI", lines=lines, columns=columns,
                   qr_payload="GERAIPOS:CETAK-UJI", emphasis={1})


def test_page_from_config(cfg) -> Receipt:
    """The test page for this gerai's settings, stamped with the outlet's local time."""
    from pos.clock import to_local, utcnow, zone_abbreviation

    now = to_local(utcnow(), cfg["TIMEZONE"])
    return test_page(cfg["RECEIPT_COLUMNS"], cfg["OUTLET_NAME"],
                     f"{now:%d-%m-%Y %H:%M} {zone_abbreviation(cfg['TIMEZONE'])}",
                     cfg["PRINTER"].split("?")[0])
