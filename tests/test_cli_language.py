"""The ``pos`` command speaks Indonesian: every help page (ours and Flask's commands and options)
and click's own refusals, with click's exit codes; click outside ``pos`` is left as it was."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from pos.root_cli import PosCommandLine

# Common English words; none of them is an Indonesian word (Indonesian "data", "total", "server",
# "per", "status" and "folder" are left out on purpose).
ENGLISH = frozenset("""
    a an the and or of to in on at by for from with without into onto this that these those its
    their his her our your is are be been was were it not only also all every each any some one
    when where which who whom what how why whether while after before again still yet now then
    usage options option commands command show shows shown message exit exits error errors invalid
    value missing argument arguments try help got unexpected extra such required default print
    prints create creates list lists write writes read reads run runs give gives set sets make makes
    send sends add adds stop stops let lets keep keeps import imports export exports new old first
    last day days date business member members outlet outlets stock sale sales receipt receipts file
    files directory text integer output machine readable name number year book password account
    price zone note full empty asked omitted here version load enable disable
""".split())
# Quoted text ('--date', "closed", `pos user add`): names and examples, not prose.
QUOTED = re.compile(r"""(?<!\w)'[^'\n]*'(?!\w)|"[^"\n]*"|`[^`\n]*`""")
CODE_LIKE = re.compile(r"[-_./:=|<>%@{}\[\]\d]")


def english_words(page: str, path: tuple[str, ...], subcommands) -> list[str]:
    """The English words of a rendered help page, outside command and option names, placeholders
    and code-like tokens (paths, settings, keys, formats, examples)."""
    text = page.replace(" ".join(("pos", *path)), " ")
    for name in subcommands:                       # the first column of the Perintah: list
        text = re.sub(rf"(?m)^  {re.escape(name)}(?=\s)", " ", text)
    text = QUOTED.sub(" ", text)
    found = []
    for token in text.split():
        word = token.strip(".,;:?!()[]")
        if re.fullmatch(r"\w+'s", word) or word.lower() in ("e.g", "i.e"):
            found.append(word)                     # "outlet's", "e.g."
        elif not word or CODE_LIKE.search(word) or (word.isupper() and len(word) > 1):
            continue                               # --date, POS_HET_ZONE, 2026-11-30, NIK, PATH
        elif word.lower() in ENGLISH:
            found.append(word)
    return found


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture
def pos(app, monkeypatch):
    """``pos`` as installed (``pos.__main__``): Flask's group around the test app's commands."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")   # FlaskGroup sets it; put back after the test
    root = PosCommandLine(create_app=lambda: app)

    def run(*args: str):
        return CliRunner().invoke(root, list(args), prog_name="pos")
    run.root = root
    return run


def every_command(name: str, command: click.Command, path: tuple[str, ...] = ()):
    path = (*path, name) if name else path
    yield path, command
    for sub_name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from every_command(sub_name, sub, path)


def test_every_help_page_is_indonesian(app, pos):
    app.cli.list_commands(None)                        # imports and registers the app's commands
    commands = {**pos.root.commands, **app.cli.commands}
    pages = [((), pos.root)] + [page for name in sorted(commands)
                                for page in every_command(name, commands[name])]
    listed = {(): commands}
    assert len(pages) > 85 and {("run",), ("ledger-hub", "shu", "simulate")} <= {p for p, _ in pages}
    english = {}
    for path, command in pages:
        shown = pos(*path, "--help")
        assert shown.exit_code == 0, (path, shown.output)
        assert shown.output.startswith(f"Penggunaan: {' '.join(('pos', *path))} [OPSI]"), shown.output
        assert "Opsi:" in shown.output and "Tampilkan bantuan ini lalu keluar." in shown.output
        words = english_words(shown.output, path, listed.get(path, getattr(command, "commands", {})))
        if words:
            english[" ".join(path) or "pos"] = words
    assert english == {}


def test_the_english_word_check_finds_english_and_passes_indonesian():
    page = ("Penggunaan: pos het list [OPSI]\n\n  Show the ceilings; the outlet's e.g. catatan.\n\n"
            "Opsi:\n  --date TEKS  Tanggal usaha, YYYY-MM-DD (bawaan: hari ini).\n")
    assert english_words(page, ("het", "list"), {}) == ["Show", "the", "the", "outlet's", "e.g"]
    indonesian = ("Penggunaan: pos day [OPSI] PERINTAH [ARGUMEN]...\n\n  Hari usaha: tutup hari.\n\n"
                  "Perintah:\n  close   Tutup satu hari usaha; 'pos day close --help'.\n"
                  "  list    Penjualan per NIK, data dan total (\"closed\": false), POS_HET_ZONE.\n")
    assert english_words(indonesian, ("day",), {"close": None, "list": None}) == []


@pytest.mark.parametrize("args, said", [
    # a value the command itself refuses: the option named, what is wrong said in Indonesian
    (["day", "status", "--date", "20261130"],
     "Galat: nilai --date tidak sah: 20-26-1130: tahun harus antara 2000 dan 2099."),
    # values click's own types refuse
    (["members", "purchases", "--year", "abc"],
     "Galat: nilai '--year' tidak sah: 'abc' bukan angka yang sah."),
    (["members", "purchases", "--year", "1999"],
     "Galat: nilai '--year' tidak sah: 1999 di luar rentang 2000<=x<=2100."),
    (["report", "sales", "--from", "2026-11-01", "--to", "2026-11-30", "--by", "week"],
     "Galat: nilai '--by' tidak sah: 'week' bukan salah satu dari 'hour', 'day'"),
    (["het", "import", "tidak-ada.csv"], "Galat: nilai 'PATH' tidak sah: 'tidak-ada.csv' tidak ditemukan."),
    (["day", "close"], "Galat: Opsi wajib belum diisi: '--date'."),
    (["user", "add", "sari"], "Galat: Opsi wajib belum diisi: '--role'. Pilih salah satu:"),
    (["user", "pin"], "Galat: Argumen wajib belum diisi: 'USERNAME'."),
    (["day", "status", "--dat", "2026-11-30"], "Galat: Opsi '--dat' tidak dikenal. Maksud Anda '--date'?"),
    (["day", "status", "--date", "2026-11-30", "besok"], "Galat: Argumen berlebih: besok"),
    (["hari"], "Galat: Perintah 'hari' tidak dikenal."),
])
def test_a_usage_error_is_said_in_indonesian_and_exits_2(pos, args, said):
    result = pos(*args)
    assert result.exit_code == 2, result.output
    assert said in result.output
    command = " ".join(("pos", *(args[:2] if args[0] != "hari" else [])))
    assert f"Penggunaan: {command} [OPSI]" in result.output
    assert f"Coba '{command} --help' untuk bantuan." in result.output
    for english in ("Usage", "Error", "Try ", "Invalid", "Missing", "No such", "extra", "Did you"):
        assert english not in result.output


def test_a_value_left_out_and_a_refusal_and_help(pos):
    bare = pos("day", "status", "--date")
    assert bare.exit_code == 2 and "Galat: Opsi '--date' memerlukan nilai." in bare.output
    refused = pos("user", "pin", "tidakada", "--pin", "1234")
    assert refused.exit_code == 1 and refused.output.startswith("Galat: "), refused.output
    helped = pos("--help")
    assert helped.exit_code == 0 and "Penggunaan: pos [OPSI] PERINTAH [ARGUMEN]..." in helped.output
    assert "Perintah:" in helped.output and "--version" in helped.output


def test_the_app_command_group_of_the_test_runner_speaks_indonesian_too(app):
    result = app.test_cli_runner().invoke(args=["shift", "list", "--date", "31-11-2026"])
    assert result.exit_code == 2
    assert ("Galat: nilai --date tidak sah: 31-11-2026 tidak ada: November 2026 hanya 30 hari."
            in result.output)
    assert "Penggunaan: pos.app shift list [OPSI]" in result.output     # the test runner's name
    assert "Coba 'pos.app shift list --help' untuk bantuan." in result.output


def test_click_outside_pos_stays_as_it_was(pos):
    assert "Galat: Opsi wajib belum diisi: '--date'." in pos("day", "close").output

    @click.command()
    @click.option("--x", required=True)
    def other(x):
        pass

    outside = CliRunner().invoke(other, [])
    assert outside.exit_code == 2
    assert "Usage: other [OPTIONS]" in outside.output and "Error: Missing option '--x'." in outside.output
    assert "Show this message and exit." in CliRunner().invoke(other, ["--help"]).output


def test_the_installed_command_speaks_indonesian(tmp_path):
    env = {**os.environ, "POS_INSTANCE_PATH": str(tmp_path)}

    def pos_command(*args):
        return subprocess.run([sys.executable, "-m", "pos", *args], env=env, capture_output=True, text=True)

    helped = pos_command("--help")
    assert helped.returncode == 0 and helped.stdout.startswith("Penggunaan: pos [OPSI] PERINTAH [ARGUMEN]...")
    assert "  -e, --env-file BERKAS  Muat variabel lingkungan" in helped.stdout
    assert "  demo        Isi basis data dengan gerai demo" in helped.stdout
    refused = pos_command("report", "day", "--date", "kemarin")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.endswith("Galat: nilai --date tidak sah: kemarin tidak dikenali; tulis "
                                   "HH-BB-TTTT, misalnya 15-11-2026.\n"), refused.stderr


def test_an_env_file_without_python_dotenv_is_refused_in_indonesian(pos, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dotenv", None)      # as on the mini-PC: not installed
    settings = tmp_path / "pos.env"
    settings.write_text("POS_OUTLET_CODE=X\n")
    refused = pos("--env-file", str(settings), "day", "status", "--date", "30-11-2026")
    assert refused.exit_code == 2
    assert ("Galat: nilai --env-file tidak sah: paket python-dotenv tidak terpasang, jadi berkas itu "
            "tidak dapat dimuat. Di mini-PC pakai 'sudo gerai-pos PERINTAH'") in refused.output
    assert "must be installed" not in refused.output


def test_help_builds_no_app_and_a_command_builds_it_once(app, monkeypatch):
    """``pos --help`` and a group's help built the whole app (FlaskGroup looked for the commands
    in ``app.cli``); they list the commands without one, and a command still gets its app."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    built = []

    def create_app():
        built.append(1)
        return app
    root = PosCommandLine(create_app=create_app)
    listed = CliRunner().invoke(root, ["--help"], prog_name="pos")
    assert listed.exit_code == 0 and "report" in listed.output and "inventory" in listed.output
    group = CliRunner().invoke(root, ["report", "--help"], prog_name="pos")
    assert group.exit_code == 0 and "stock-card" in group.output and built == []
    ran = CliRunner().invoke(root, ["report", "stock-card", "TIDAK-ADA", "--from", "01-12-2026"],
                             prog_name="pos")
    assert ran.exit_code != 0 and "tidak ditemukan" in ran.output and built == [1]


def test_a_command_imports_its_own_module_and_the_table_names_each_as_it_is_called():
    """``pos backup`` imports the backup command, not the hub's, the devices' or the closing's
    (a new interpreter: this one imported them all); the help lists every command."""
    code = ("import sys\nfrom pos.root_cli import PosCommandLine\n"
            "root = PosCommandLine(create_app=None)\n"
            "assert root.get_command(None, 'backup').name == 'backup'\n"
            "print(sorted(m for m in sys.modules if m.startswith('pos.') and m.endswith('cli')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    modules = eval(loaded.stdout)  # noqa: S307 (our own subprocess's list of names)
    assert "pos.backup.cli" in modules
    assert not {"pos.ledger_hub.cli", "pos.devices.cli", "pos.closing.cli", "pos.members.cli"} & set(modules)
    from pos import cli_table
    assert [command.name for command in cli_table.all_commands()] == list(cli_table.PLACES)
    assert "savings" in cli_table.command("members").commands  # a group gets its other modules' commands
    assert cli_table.command("tidak-ada") is None
