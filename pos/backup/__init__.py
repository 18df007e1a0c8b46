"""Backups of the database. SQLite: ``copy`` (an online copy through SQLite's backup API,
verified, compressed, written atomically) and ``restore``. PostgreSQL: ``pg`` (the client
programs, reached without a shell, the password only in the environment), ``pg_dump`` (a
verified ``pg_dump --format=custom``) and ``pg_restore`` (restored beside the live database,
then swapped by renames). Both: ``rotation`` (daily 14, monthly 12), ``usb`` (a drive by its
label), ``record`` (the last backup, for the home page), ``files`` (the atomic write), ``newer``
(after a restore, the backups newer than the one restored set aside from the rotation), ``outlet``
(another outlet's backup refused unless asked for)."""
