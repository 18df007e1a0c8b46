"""The shapes of the demo data tables (see ``pos.demo_data``)."""
from __future__ import annotations


Size = tuple[str, int]
Line = tuple[str, str, str, str, tuple[str, ...], tuple[Size, ...]]

PPN, BEBAS, SUBSIDI = "ppn", "bebas", "tidak_dipungut"
ONE = ("",)
