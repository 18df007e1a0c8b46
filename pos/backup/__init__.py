"""Backups of the SQLite database: ``copy`` (an online copy through SQLite's backup API,
verified, compressed, written atomically), ``rotation`` (daily 14, monthly 12), ``usb`` (a
drive by its label), ``record`` (the last backup, for the home page), ``restore``."""
