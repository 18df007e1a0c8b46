"""The one error of this package: a backup or restore refused, with the reason in Indonesian."""
from pos.errors import PosError


class BackupError(PosError):
    """A backup or restore that did not happen; nothing was changed."""
