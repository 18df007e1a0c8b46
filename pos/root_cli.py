"""The ``pos`` command itself: Flask's ``FlaskGroup`` around the app's commands, in Indonesian.

FlaskGroup brings its own options (``--env-file``, ``--app``, ``--debug``, ``--version``) and
commands (``run``, ``shell``, ``routes``) with English help. They are Flask's module-level
objects, shared with the ``flask`` command, so this group keeps copies with the help
translated rather than changing Flask's; what they do is Flask's unchanged.
"""
from __future__ import annotations

import copy

import click
from flask.cli import FlaskGroup, routes_command, run_command, shell_command

from pos import cli_table
from pos.cli_language import POS_HELP, SpeaksIndonesian, localize
from pos.group_cli import ExplainsDatabase

# Flask's options by name: their help in Indonesian (and a placeholder for a value).
OPTION_HELP = {
    "--env-file": ("Muat variabel lingkungan dari berkas ini; isinya didahulukan atas '.env' dan "
                   "'.flaskenv', tetapi variabel yang diatur langsung di lingkungan tetap paling "
                   "didahulukan. Perlu paket python-dotenv.", None),
    "--app": ("Tidak berpengaruh pada pos, yang selalu memuat Gerai POS (di Flask: aplikasi atau "
              "fungsi pembuatnya, dalam bentuk 'modul:nama').", "MODUL:NAMA"),
    "--debug": ("Nyalakan atau matikan mode debug.", None),
    "--version": ("Tampilkan versi Python, Flask dan Werkzeug.", None),
    "--host": ("Alamat jaringan yang didengarkan.", None),
    "--port": ("Port yang didengarkan.", None),
    "--cert": ("Berkas sertifikat untuk HTTPS.", None),
    "--key": ("Berkas kunci untuk sertifikat itu.", None),
    "--reload": ("Nyalakan atau matikan muat ulang otomatis saat kode berubah; bawaannya menyala "
                 "bila mode debug menyala.", None),
    "--debugger": ("Nyalakan atau matikan debugger; bawaannya menyala bila mode debug menyala.", None),
    "--with-threads": ("Layani beberapa permintaan sekaligus dengan thread, atau tidak.", None),
    "--extra-files": ("Berkas tambahan yang memicu muat ulang bila berubah; beberapa path dipisah "
                      "dengan ':'.", None),
    "--exclude-patterns": ("Berkas yang cocok dengan pola fnmatch ini tidak memicu muat ulang; "
                           "beberapa pola dipisah dengan ':'.", None),
    "--sort": ("Urutan rute; 'match' adalah urutan Flask mencocokkan rute saat melayani permintaan.",
               None),
    "--all-methods": ("Tampilkan juga metode HEAD dan OPTIONS.", None),
}
# Flask's commands: (short help, help).
COMMAND_HELP = {
    "run": ("Jalankan server pengembangan.",
            "Jalankan server pengembangan di komputer ini.\n\n"
            "Hanya untuk pengembangan: tidak sestabil, seaman, dan secepat server produksi (gerai "
            "memakai waitress, lihat `make run`).\n\n"
            "Dengan opsi '--debug', muat ulang otomatis dan debugger menyala."),
    "shell": ("Jalankan shell Python dalam konteks aplikasi.",
              "Jalankan shell Python interaktif dalam konteks aplikasi Gerai POS, dengan "
              "konfigurasinya sudah dimuat.\n\n"
              "Berguna untuk menjalankan potongan kode pengelolaan yang kecil."),
    "routes": ("Tampilkan rute aplikasi.", "Tampilkan semua rute terdaftar beserta endpoint dan metodenya."),
}


class PosCommandLine(ExplainsDatabase, SpeaksIndonesian, FlaskGroup):
    """``pos``: the app's commands (``app.cli``) and Flask's, every help page and refusal in
    Indonesian; a database a command cannot use (before ``pos init``, an older schema) said in one
    line where every command runs (``ExplainsDatabase``)."""

    def __init__(self, create_app) -> None:
        super().__init__(create_app=create_app, add_default_commands=False, help=POS_HELP)
        self.params = [_translated_param(param) for param in self.params]
        for command in (run_command, shell_command, routes_command):
            self.add_command(_translated_command(command))
        self._app_commands = False
        localize(self)

    def _load_commands(self, name: str | None = None) -> None:
        """The app's commands on this group too, imported when asked for (``pos.cli_table``):
        ``pos backup`` imports its own module, ``pos --help`` and a listing all of them. No app is
        built for that (FlaskGroup built one, most of a second, to find them in ``app.cli``); a
        command builds it when it runs (``with_appcontext``)."""
        if self._app_commands:
            return
        if name is not None:
            if name not in self.commands and (command := cli_table.command(name)) is not None:
                self.add_command(command)
                localize(command)
            return
        for command in cli_table.all_commands():
            self.add_command(command)
        localize(self)
        self._app_commands = True

    def get_command(self, ctx, name):
        self._load_commands(name)
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        self._load_commands()
        return sorted(self.commands)   # the app's are here: no app is built to list app.cli's


def _translated_param(param: click.Parameter) -> click.Parameter:
    name = max(param.opts, key=len, default="")
    if name not in OPTION_HELP:
        return param
    mine = copy.copy(param)
    mine.help, metavar = OPTION_HELP[name]
    if metavar:
        mine.metavar = metavar
    if name == "--env-file":
        mine.callback = _env_file_refused_in_indonesian(param.callback)
    return mine


def _env_file_refused_in_indonesian(load):
    """Flask's ``--env-file`` loader, whose one refusal (python-dotenv is not installed) is
    English text of Flask's own, not a click message ``cli_language`` translates."""
    def loaded(ctx, param, value):
        try:
            return load(ctx, param, value)
        except click.BadParameter as refused:
            if "python-dotenv" not in refused.message:
                raise
            raise click.BadParameter(
                "paket python-dotenv tidak terpasang, jadi berkas itu tidak dapat dimuat. Di "
                "mini-PC pakai 'sudo gerai-pos PERINTAH', yang memuat /etc/gerai-pos/pos.env; di "
                "tempat lain atur variabelnya di lingkungan (mis. 'set -a; . berkas; set +a').",
                ctx=ctx, param=param, param_hint="--env-file") from None
    return loaded


def _translated_command(command: click.Command) -> click.Command:
    mine = copy.copy(command)
    mine.short_help, mine.help = COMMAND_HELP[command.name]
    mine.params = [_translated_param(param) for param in command.params]
    if getattr(mine, "_help_option", None) is not None:   # click >= 8.1.8 keeps it once made
        mine._help_option = None
    return mine
