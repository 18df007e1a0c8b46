"""``pos qris ...``: make and explain QRIS payloads."""
from pos.web import CommandGroup

qris_cli = CommandGroup("qris", help="QRIS.")
