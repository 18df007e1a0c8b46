"""``pos members balance|purchases``: members' accounts from the command line."""
from pos.web import CommandGroup

accounts_cli = CommandGroup("accounts", help="Rekening anggota.")
