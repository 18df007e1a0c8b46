"""Demo staff, tills and the names, regencies and phone prefixes members are made from
(Kalimantan Timur); demo only, the logic is in ``pos.demo.seed``."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from pos.clock import utcnow

# before the demo's first sale: the old kasbon 120 days ago (``pos.demo.old_kasbon``), then the 14
# closed days of ``pos.demo.history``
STOCK_COUNTED_DAYS_AGO = 121


def stock_counted() -> datetime:
    """When the demo's opening stock was counted: before its history's first sale, so a
    product's kartu stok starts from it."""
    return utcnow() - timedelta(days=STOCK_COUNTED_DAYS_AGO)


STAFF: tuple[tuple[str, str, str, str], ...] = (  # username, full name, role, PIN (demo only)
    ("kasir1", "Siti Rahmawati", "cashier", "1111"),
    ("gudang1", "Rudi Hartono", "clerk", "2222"),
    ("manajer1", "Andi Baso Mappiasse", "manager", "9999"),
    ("admin", "Admin Gerai", "admin", "0000"),
)

TILLS: tuple[tuple[str, str], ...] = (("KASIR-1", "Kasir 1"), ("KASIR-2", "Kasir 2"))

# Who delivers to the gerai (name, kind, phone): rice and sugar, fertiliser, medicines, snacks.
SUPPLIERS: tuple[tuple[str, str, str], ...] = (
    ("Perum Bulog Kanwil Kaltimtara", "bulog", "0541-741234"),
    ("CV Tani Makmur Kutai", "pupuk", "0812-5544-7711"),
    ("PBF Borneo Farma Samarinda", "pbf", "0541-202020"),
    ("UMKM Amplang Bu Sari", "umkm", "0852-4711-0890"),
)

# Members: (name, sex L/P).  Javanese, Bugis, Banjar, Dayak and Kutai names.
MEMBER_NAMES: tuple[tuple[str, str], ...] = (
    ("Budi Santoso", "L"), ("Sri Wahyuni", "P"), ("Agus Setiawan", "L"), ("Dwi Lestari", "P"),
    ("Eko Prasetyo", "L"), ("Sumarni", "P"), ("Wahyu Hidayat", "L"), ("Suparman", "L"),
    ("Endang Purwaningsih", "P"), ("Slamet Widodo", "L"),
    ("Andi Tenri Ajeng", "P"), ("Muhammad Yusuf Lapatau", "L"), ("Hasnah Baharuddin", "P"),
    ("Syamsuddin Lato", "L"), ("Nurhaedah", "P"), ("Irwan Mappiasse", "L"),
    ("Andi Sitti Aisyah", "P"), ("Baso Amiruddin", "L"), ("Hajrah Lamadi", "P"),
    ("Rahman Daeng Sirua", "L"),
    ("Muhammad Arsyad", "L"), ("Siti Norhayati", "P"), ("Gusti Rahmadi", "L"),
    ("Ahmad Rijali", "L"),
    ("Fauziah Rahmah", "P"), ("Anang Syahrani", "L"), ("Galuh Noorlaila", "P"),
    ("Khairul Anwar", "L"), ("Masrani", "L"), ("Norjannah", "P"),
    ("Yohanes Lung Ding", "L"), ("Maria Hudang", "P"), ("Paulus Ajang", "L"),
    ("Theresia Bulan", "P"), ("Stefanus Ngau", "L"), ("Agustina Ping", "P"), ("Markus Jalung", "L"),
    ("Yakobus Lawing", "L"), ("Elisabet Uring", "P"), ("Petrus Bit Ibau", "L"),
    ("Aji Muhammad Ruslan", "L"), ("Awang Darmawan", "L"), ("Dayang Rosmini", "P"),
    ("Encik Hamdani", "L"), ("Aji Nurfitriani", "P"), ("Awang Iskandar", "L"),
    ("Dayang Kartini", "P"), ("Adji Suryadi", "L"), ("Awang Hasanuddin", "L"),
    ("Siti Masitah", "P"),
)

# The cooperative's founding day (members joined from then on) and the one nonaktif member.
FOUNDED = date(2025, 7, 21)
INACTIVE_MEMBER = "AGT-0012"

# Kaltim regency/city codes (first four NIK digits).
KALTIM_REGENCIES: tuple[str, ...] = (
    "6401", "6402", "6403", "6404", "6405", "6409", "6411", "6471", "6472", "6474",
)
PHONE_PREFIXES: tuple[str, ...] = (
    "0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0858", "0877", "0878", "0895",
)
