"""Click's own words in Indonesian while a ``pos`` command runs: ``Penggunaan:``, ``Opsi``,
``Galat: nilai --date tidak sah: …``, ``Coba 'pos day --help' untuk bantuan.``

Click sends every text it prints itself through ``gettext``: each of its modules binds ``_`` and
``ngettext`` and calls them when the text is needed. ``install()`` points those names at
``_gettext`` and ``_ngettext`` below, which answer from ``TRANSLATION`` only inside
``speaking()`` (entered by the ``pos`` groups' ``main``, :class:`SpeaksIndonesian`) and hand
every other call to the function they replaced: the web app, Flask's own ``flask`` command and
anything else in the process see click unchanged, and no ``gettext`` domain or locale is
touched. A text click rewords in a later release is simply not found and stays English;
``tests/test_cli_language.py`` renders every help page and the common refusals, and fails.

A few words are not click messages but attributes of the command objects (``[OPTIONS]``,
``COMMAND [ARGS]...``, the ``TEXT``/``INTEGER`` placeholders of option values):
``localize(group)`` sets them on every command of a tree once, when the tree is built.
"""
from __future__ import annotations

import gettext
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import click

POS_HELP = "Gerai POS: kasir, stok dan pembukuan gerai koperasi. Bantuan tiap perintah: pos PERINTAH --help."

# click 8's messages (8.5; a few older spellings kept beside them), in Indonesian.
MESSAGES = {
    # help pages
    "Usage:": "Penggunaan:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "env var: {var}": "variabel lingkungan: {var}",
    "(dynamic)": "(dinamis)",
    "deprecated": "usang",
    # refusals (a usage error exits 2, the rest 1)
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Invalid value for {param_hint}: {message}": "nilai {param_hint} tidak sah: {message}",
    "Invalid value: {message}": "nilai tidak sah: {message}",
    "Missing argument": "Argumen wajib belum diisi:",
    "Missing option": "Opsi wajib belum diisi:",
    "Missing parameter": "Isian wajib belum diisi:",
    "Missing {param_type}": "Isian wajib belum diisi ({param_type}):",
    "Missing parameter: {param_name}": "Isian wajib belum diisi: {param_name}",
    "Missing command.": "Perintahnya belum disebut.",
    "No such option {name!r}.": "Opsi {name!r} tidak dikenal.",
    "No such option: {name}": "Opsi {name} tidak dikenal.",
    "No such command {name!r}.": "Perintah {name!r} tidak dikenal.",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
    "Value must be an iterable.": "Nilainya harus berupa daftar.",
    "Choose from:\n\t{choices}": "Pilih salah satu:\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan angka yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} bukan nilai ya/tidak yang sah. Yang dikenal: {states}",
    "{value!r} is not a valid UUID.": "{value!r} bukan UUID yang sah.",
    "{name} {filename!r} does not exist.": "{filename!r} tidak ditemukan.",
    "{name} {filename!r} is a file.": "{filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{filename!r} tidak dapat ditulisi.",
    "{name} {filename!r} is not executable.": "{filename!r} tidak dapat dijalankan.",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: {message}",
    "unknown error": "galat tak dikenal",
    "Aborted!": "Dibatalkan.",
    # prompts
    "Repeat for confirmation": "Ulangi untuk memastikan",
    "Error: The two entered values do not match.": "Galat: kedua isian tidak sama.",
    "Error: invalid input": "Galat: isian tidak sah",
    "Press any key to continue...": "Tekan tombol apa saja untuk melanjutkan...",
    "Do you want to continue?": "Lanjutkan?",
    "Confirm the action without prompting.": "Setujui tanpa ditanya.",
}
# ngettext's texts by their singular: (one, more than one).
PLURALS = {
    "Got unexpected extra argument ({args})": ("Argumen berlebih: {args}", "Argumen berlebih: {args}"),
    "Did you mean {possibility}?": ("Maksud Anda {possibility}?",
                                    "(Maksud Anda salah satu dari: {possibilities}?)"),
    "Option {name!r} requires an argument.": ("Opsi {name!r} memerlukan nilai.",
                                              "Opsi {name!r} memerlukan {nargs} nilai."),
    "{value!r} is not {choice}.": ("{value!r} bukan {choice}.", "{value!r} bukan salah satu dari {choices}."),
    "{value!r} does not match the format {format}.": ("{value!r} tidak sesuai format {format}.",
                                                      "{value!r} tidak sesuai format {formats}."),
    "{len_type} values are required, but {len_value} was given.": (
        "Perlu {len_type} nilai, tetapi yang diberikan {len_value}.",
        "Perlu {len_type} nilai, tetapi yang diberikan {len_value}."),
    "Takes {nargs} values but 1 was given.": ("Memerlukan {nargs} nilai, tetapi yang diberikan 1.",
                                              "Memerlukan {nargs} nilai, tetapi yang diberikan {len}."),
}
# Placeholders of an option's value, by click's type name ("TEXT", "INTEGER", "FILE" …).
VALUE_NAMES = {"text": "TEKS", "integer": "ANGKA", "integer range": "ANGKA", "float": "ANGKA",
               "float range": "ANGKA", "file": "BERKAS", "directory": "FOLDER", "path": "PATH",
               "boolean": "YA/TIDAK"}
OPTIONS_METAVAR = "[OPSI]"
SUBCOMMAND_METAVAR = "PERINTAH [ARGUMEN]..."
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


class _Indonesian(gettext.NullTranslations):
    """The catalogue above as a gettext translation; a text it does not hold is returned as is."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        pair = PLURALS.get(msgid1)
        if pair is None:
            return msgid1 if n == 1 else msgid2
        return pair[0] if n == 1 else pair[1]


TRANSLATION = _Indonesian()
_speaking: ContextVar[bool] = ContextVar("pos_cli_indonesian", default=False)


@contextmanager
def speaking() -> Iterator[None]:
    """Click speaks Indonesian until the block ends (also when it ends by ``sys.exit``)."""
    install()
    token = _speaking.set(True)
    try:
        yield
    finally:
        _speaking.reset(token)


def install() -> None:
    """Point click's ``_`` and ``ngettext`` at the dispatchers below (once per process)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        for attribute, ours in (("_", _gettext), ("ngettext", _ngettext)):
            if getattr(module, attribute, None) is not None:   # click's own: gettext's functions
                setattr(module, attribute, ours)


def _gettext(message: str) -> str:
    if _speaking.get():
        return TRANSLATION.gettext(message)
    return gettext.gettext(message)


def _ngettext(msgid1: str, msgid2: str, n: int) -> str:
    if _speaking.get():
        return TRANSLATION.ngettext(msgid1, msgid2, n)
    return gettext.ngettext(msgid1, msgid2, n)


class SpeaksIndonesian:
    """Mixin for a root group (``pos``, and the app's own ``app.cli``): its run, help pages and
    refusals included, happens inside ``speaking()``. Exit codes stay click's: 2 for a usage
    error, 1 for a refusal (``Galat``) or an abort, 0 for ``--help``."""

    def main(self, *args, **kwargs):
        with speaking():
            return super().main(*args, **kwargs)


def localize(command: click.Command) -> None:
    """``[OPSI]``, ``PERINTAH [ARGUMEN]...`` and ``TEKS``/``ANGKA``/``BERKAS`` in the usage lines and
    option lists of ``command`` and every command under it (names of arguments stay as they are)."""
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = OPTIONS_METAVAR
    if isinstance(command, click.Group):
        if command.subcommand_metavar == "COMMAND [ARGS]...":
            command.subcommand_metavar = SUBCOMMAND_METAVAR
        for sub in command.commands.values():
            localize(sub)
    for param in command.params:
        if isinstance(param, click.Option) and param.metavar is None and not param.is_flag \
                and param.type.name in VALUE_NAMES:
            param.metavar = VALUE_NAMES[param.type.name]
