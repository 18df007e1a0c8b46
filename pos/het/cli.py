"""``pos het ...``: Harga eceran tertinggi (HET): jadwal per produk dan zona."""
from __future__ import annotations

from pos.web import CommandGroup

het_cli = CommandGroup("het", help="Harga eceran tertinggi (HET): jadwal per produk dan zona.")
