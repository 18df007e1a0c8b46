"""A test page for the receipt printer: the widths, the code page, cut and a QR code."""
from __future__ import annotations

from pos.hardware.ports import Receipt
from pos.hardware.text import labelled, wrap

# What a test print on dummy:// (the installer's until a real printer is set) says: the page went
# to the recording printer, which keeps it in memory; "dikirim ke printer" had one look for paper.
ON_DUMMY = ("Halaman uji hanya dicatat printer rekaman (dummy://), tidak tercetak di kertas: "
            "printer belum diatur (Perangkat).")


def test_page(columns: int, outlet_name: str, when: str, printer: str) -> Receipt:
    """The page on ``columns``: its sentences broken between words, never cut at the edge."""
    heading = [line.center(columns).rstrip() for line in wrap(outlet_name.upper(), columns)]
    amounts = "Rp12.500  Rp1.234.500  -Rp500"   # the spaces between them kept when they fit
    lines = [*heading, "CETAK UJI".center(columns).rstrip(), "-" * columns, ("1234567890" * 5)[:columns],
             *wrap(f"Lebar kertas: {columns} kolom", columns),
             *labelled("Printer: ", printer, columns), *labelled("Waktu: ", when, columns),
             *([amounts] if len(amounts) <= columns else wrap(amounts, columns)), "-" * columns,
             *wrap("Jika baris angka di atas pas satu baris dan kertas terpotong, printer siap dipakai.",
                   columns)]
    return Receipt(receipt_no="CETAK-UJI", lines=lines, columns=columns,
                   qr_payload="GERAIPOS:CETAK-UJI", emphasis={len(heading)})


def test_page_from_config(cfg, printer=None) -> Receipt:
    """The test page for this gerai's settings, stamped with the outlet's local time, naming
    ``printer``'s address (a till's own printer; the outlet's ``POS_PRINTER`` by default)."""
    from pos.clock import to_local, utcnow, zone_abbreviation

    now = to_local(utcnow(), cfg["TIMEZONE"])
    address = getattr(printer, "url", None) or cfg["PRINTER"]
    return test_page(cfg["RECEIPT_COLUMNS"], cfg["OUTLET_NAME"],
                     f"{now:%d-%m-%Y %H:%M} {zone_abbreviation(cfg['TIMEZONE'])}",
                     address.split("?")[0])
