"""``pos fertilizer ...``: Pupuk bersubsidi: daftar e-RDKK dan kuota petani."""
from __future__ import annotations

from pos.web import CommandGroup

fertilizer_cli = CommandGroup("fertilizer", help="Pupuk bersubsidi: daftar e-RDKK dan kuota petani.")
