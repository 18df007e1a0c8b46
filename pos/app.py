"""The composition root: ``create_app`` builds the one Flask app of a gerai.

It loads settings, opens the database, installs CSRF and htmx support, the
staff session, every blueprint (by name) and every CLI group (imported when a
command line first asks: ``_Commands``), and picks the hardware (or takes the
fakes a test passes in).  It is the only module that imports the views.
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from flask import Flask
from flask.cli import AppGroup

from pos.cli_language import POS_HELP, SpeaksIndonesian, localize
from pos.errors import PosError
from pos.group_cli import ExplainsDatabase
from pos.startup import collector_paused, settle

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None, hardware=None) -> Flask:
    """The app; a server (not a test, not a command line) settles its heap once started.

    Built from the outlet's own settings (no ``config``: ``waitress-serve --call pos:create_app``,
    the kiosk's service, a ``pos`` command), a setting it cannot run on stops it with one line
    naming it, as every command says it, not a Python traceback."""
    with collector_paused():
        try:
            app = _build(config, hardware)
        except PosError as error:
            if config is not None:   # a test's own settings: the test judges the error
                raise
            print(f"Galat: {error.message}", file=sys.stderr)
            raise SystemExit(1) from None
        if not app.testing and not app.config["CLI"]:
            from pos import server_lock

            app.extensions["pos_server_lock"] = server_lock.hold(app.instance_path)
            settle()  # while paused: turning the collector back on finds nothing left to do
    return app


def _build(config: dict | None, hardware) -> Flask:
    # The outlet's own start (no settings of a test's own: the server) never makes its SQLite
    # file, nor does a command line but ``pos init`` and ``pos demo`` (``pos.__main__``).
    database_must_exist = config is None or config.get("DATABASE_MUST_EXIST", False)
    config = dict(config or {})
    config.pop("DATABASE_MUST_EXIST", None)
    instance = config.pop("INSTANCE_PATH", None) or os.environ.get("POS_INSTANCE_PATH")
    must_exist = config.pop("INSTANCE_MUST_EXIST", False)
    app = Flask(__name__, instance_path=str(Path(instance).resolve()) if instance else None,
                instance_relative_config=True, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    if must_exist and not Path(app.instance_path).is_dir():   # a command line on a mistyped folder
        raise PosError(f"folder data gerai {app.instance_path} tidak ada. Periksa POS_INSTANCE_PATH, "
                       "atau jalankan pos init untuk gerai baru.")
    from pos.routing import LazyBuildRule

    app.url_rule_class = LazyBuildRule  # every rule after the static one Flask adds itself
    from pos.config import DefaultConfig
    from pos.config_file import read_file

    app.config.from_object(DefaultConfig)
    read_file(app.config, Path(app.instance_path) / "pos.cfg")
    app.config.from_prefixed_env("POS")
    app.config.update(config)
    from pos.clock import check_zone
    from pos.config import check_settings

    check_zone(app.config["TIMEZONE"])
    check_settings(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config["TRUST_PROXY"]:  # POS_TRUST_PROXY: see pos.config
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    from flask_htmx import HTMX
    from flask_wtf.csrf import CSRFProtect

    from pos import assets, db, error_views, schema_views, template_cache, web
    from pos.auth import access

    template_cache.keep_compiled_templates(app)  # before CSRFProtect makes the Jinja environment
    from pos.hardware import escpos_capabilities

    escpos_capabilities.keep_in(Path(app.instance_path) / "cache" / "escpos")
    db.init_app(app, must_exist=database_must_exist)
    CSRFProtect(app)
    HTMX(app)
    web.init_app(app)
    assets.init_app(app)
    error_views.register(app)
    schema_views.init_app(app)   # first of the hooks: a database of another schema is refused
    access.init_app(app)
    _register_blueprints(app)
    from pos.hardware import build_hardware

    app.extensions["pos_hardware"] = hardware or build_hardware(app.config)
    app.extensions["pos_devices"] = devices_for(app)
    from pos.sales.print_worker import start_print_thread, start_retry_thread

    app.extensions["pos_patterns"] = _patterns(app.config["BARCODE_PATTERNS"])
    # Only the server prints in the background: a CLI command (same factory) must not
    # start a second retry thread that could print a receipt twice.
    if app.config["PRINT_IN_BACKGROUND"] and not app.config["CLI"]:
        start_print_thread(app)
    if not app.testing and not app.config["CLI"]:
        start_retry_thread(app)
    app.cli = _Commands(app)
    return app


def _patterns(texts):
    """The scale-label patterns, or a ``PosError`` naming the setting (the start stops: a
    weighed good's label would be read wrongly or not at all)."""
    from pos.errors import PosError
    from pos.inventory.catalog.scancodes import PatternError, compile_patterns

    if not isinstance(texts, list | tuple) or not all(isinstance(t, str) for t in texts):
        raise PosError('POS_BARCODE_PATTERNS harus berupa daftar pola, contoh ["21PPPPPWWWWWC", '
                       '"23PPPPPRRRRRC"] (atau [] tanpa label timbangan).')
    try:
        return compile_patterns(texts)
    except PatternError as error:
        raise PosError(f"POS_BARCODE_PATTERNS salah: {error}") from None


def _register_blueprints(app: Flask) -> None:
    from pos.approvals.views import bp as approvals_bp
    from pos.auth.staff_views import bp as staff_bp
    from pos.auth.views import bp as auth_bp
    from pos.backup.views import bp as backup_bp
    from pos.closing.views import bp as closing_bp
    from pos.devices.views import bp as devices_bp
    from pos.display.views import bp as display_bp
    from pos.fertilizer.views import bp as fertilizer_bp
    from pos.health import bp as health_bp
    from pos.het.views import bp as het_bp
    from pos.home import bp as home_bp
    from pos.inventory.catalog.views import bp as catalog_bp
    from pos.inventory.counts.views import bp as counts_bp
    from pos.inventory.labels.views import bp as labels_bp
    from pos.inventory.opening.views import bp as opening_stock_bp
    from pos.inventory.receiving.views import bp as receiving_bp
    from pos.inventory.views import bp as inventory_bp
    from pos.ledger.views import bp as ledger_bp
    from pos.limits.views import bp as limits_bp
    from pos.lpg.views import bp as lpg_bp
    from pos.members.accounts.balance_views import bp as balances_bp
    from pos.members.accounts.correction_views import bp as kasbon_correction_bp
    from pos.members.accounts.opening_kasbon_views import bp as opening_kasbon_bp
    from pos.members.accounts.opening_views import bp as opening_bp
    from pos.members.accounts.views import bp as accounts_bp
    from pos.members.views import bp as members_bp
    from pos.pharmacy.views import bp as pharmacy_bp
    from pos.prices.views import bp as prices_bp
    from pos.reports.shift_views import bp as shift_exports_bp
    from pos.reports.views import bp as reports_bp
    from pos.returns.views import bp as returns_bp
    from pos.sales.adjust_views import bp as adjust_bp
    from pos.sales.buyer_views import bp as buyer_bp
    from pos.sales.history_views import bp as receipts_bp
    from pos.sales.hold_views import bp as holds_bp
    from pos.sales.pay_views import bp as pay_bp
    from pos.sales.rx_views import bp as rx_bp
    from pos.sales.views import bp as sales_bp
    from pos.settings.views import bp as settings_bp
    from pos.shifts.report_views import bp as shift_reports_bp
    from pos.shifts.views import bp as shifts_bp
    from pos.web import vendor_bp

    for blueprint in (adjust_bp, accounts_bp, approvals_bp, auth_bp, backup_bp, balances_bp, buyer_bp,
                      catalog_bp, counts_bp, devices_bp, display_bp, fertilizer_bp, health_bp, het_bp,
                      holds_bp, home_bp, inventory_bp, labels_bp, limits_bp, lpg_bp, members_bp, pay_bp,
                      pharmacy_bp, prices_bp, receipts_bp, receiving_bp, reports_bp, returns_bp, rx_bp,
                      sales_bp, settings_bp, shifts_bp, shift_reports_bp, shift_exports_bp, closing_bp,
                      ledger_bp, staff_bp, opening_bp, opening_kasbon_bp, opening_stock_bp, vendor_bp,
                      kasbon_correction_bp):
        app.register_blueprint(blueprint)


def devices_for(app: Flask):
    """Each till's own printer and display (by the URLs on its row), else the outlet's."""
    from pos.db import get_db
    from pos.hardware.registry import Devices
    from pos.tills.service import device_urls

    def till_urls(till_id: int):
        with get_db(app).reading() as session:
            return device_urls(session, till_id)

    return Devices(lambda: app.extensions["pos_hardware"], app.config["RECEIPT_COLUMNS"], till_urls)


class _Commands(ExplainsDatabase, SpeaksIndonesian, AppGroup):
    """The app's commands (``pos …``), imported when a command line first asks for one: a
    server never does, and importing them cost its start about 36 modules and 2 MB. Their help
    and click's own messages are Indonesian (``pos.cli_language``), and a database a command cannot
    use is one line (``group_cli.ExplainsDatabase``)."""

    def __init__(self, app: Flask):
        super().__init__(app.name, help=POS_HELP)
        self._app: Flask | None = app

    def _load(self) -> None:
        if self._app is not None:
            app, self._app = self._app, None
            _register_commands(app)
            localize(self)

    def get_command(self, ctx, name):
        self._load()
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        self._load()
        return super().list_commands(ctx)


def _register_commands(app: Flask) -> None:
    from pos.cli_table import all_commands

    for command in all_commands():
        app.cli.add_command(command)


def _instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive restarts."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
