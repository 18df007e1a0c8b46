"""``pos lpg ...``: LPG 3 kg: daftar penjualan per NIK untuk aplikasi pangkalan."""
from __future__ import annotations

from pos.web import CommandGroup

lpg_cli = CommandGroup("lpg", help="LPG 3 kg: daftar penjualan per NIK untuk aplikasi pangkalan.")
