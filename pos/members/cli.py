"""``pos members ...``: the member register from the command line."""
from pos.web import CommandGroup

members_cli = CommandGroup("members", help="Anggota koperasi.")
