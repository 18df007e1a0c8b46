"""Every setting Gerai POS reads, with its default and a one-line reason.

Load order (see ``create_app``): these defaults, then the optional instance
file ``instance/pos.cfg``, then ``POS_*`` environment variables, then the dict a
test passes in.  Environment values are parsed as JSON when they look like it,
so ``POS_PKP=true`` is a bool and ``POS_TAX_RATE_BP=1100`` an int.

``check_settings`` refuses, at every start, the values the app would accept and then break on.
"""
import json
import os
import re
from pathlib import Path


class DefaultConfig:
    # SQLAlchemy URL; empty means SQLite at <instance>/pos.db.
    DATABASE_URL = ""
    # Signs the session cookie. Empty: generated once into the instance folder.
    SECRET_KEY = ""
    # Short code printed on receipts and used in receipt numbers: 2-20 capitals, digits or '-',
    # a capital first (OUTLET_CODE_RULE, as kiosk/install.sh asks it).
    OUTLET_CODE = "GERAI01"
    OUTLET_NAME = "Gerai Koperasi Merah Putih"
    OUTLET_ADDRESS = ""
    OUTLET_NPWP = ""
    # IANA zone of the outlet; business dates and receipt times use it (WITA).
    TIMEZONE = "Asia/Makassar"
    # Is the cooperative a PKP (collects PPN)? Most start below the threshold, so no. The
    # Pengaturan screen's stored value (or `pos init --pkp`) wins over this one.
    PKP = False
    # Effective PPN rate in basis points (12% x 11/12 DPP = 11%).
    TAX_RATE_BP = 1100
    # How receipts and reports state that PPN (PMK 131/2024): the statutory rate on the
    # "DPP nilai lain", which is NUMERATOR/DENOMINATOR of the ex-tax price.
    TAX_STATUTORY_RATE_BP = 1200
    TAX_DPP_NUMERATOR = 11
    TAX_DPP_DENOMINATOR = 12
    # The outlet's zone for ceiling prices (HET) that differ by zone (SPHP and medium/premium
    # rice: "1", "2", "3"); ceilings without a zone apply everywhere.
    HET_ZONE = ""
    # Shelf prices include tax (the Indonesian norm).
    TAX_INCLUSIVE = True
    # Staff sessions expire after this many idle seconds (judged on the server's last-seen time).
    IDLE_TIMEOUT_SECONDS = 30 * 60
    # Wrong PINs for one user from one client address before that address is locked out of it.
    LOGIN_MAX_ATTEMPTS = 5
    # Wrong PINs for one user from all addresses together before the user is locked everywhere.
    LOGIN_MAX_ATTEMPTS_PER_USER = 20
    # How long either lock lasts.
    LOGIN_LOCK_SECONDS = 5 * 60
    # Login attempts one client address may make per minute (any user name); more wait.
    LOGIN_ATTEMPTS_PER_MINUTE = 10
    # Refusals answered a second late at once, each holding a server thread: the server's 8
    # threads less two for the tills; past them a refusal is answered at once.
    LOGIN_TARPIT_SLOTS = 6
    # Receipt printer: dummy:// records in memory; real printers come with pos.hardware.
    PRINTER = "dummy://"
    # Weighing scale, e.g. serial:///dev/ttyUSB1?baudrate=9600&bytesize=7&parity=E&protocol=toledo8217
    # (protocols: toledo8217, cas); empty: no scale.
    SCALE = ""
    # Customer pole display, e.g. serial:///dev/ttyUSB2?baudrate=9600; empty: none.
    DISPLAY = ""
    # Characters per receipt line: 32 for 58 mm paper, 48 for 80 mm.
    RECEIPT_COLUMNS = 32
    RECEIPT_FOOTER = "Terima kasih. Belanja di koperasi, untung kembali ke anggota."
    # Largest amount of money or quantity a form accepts; guards against typos.
    MAX_AMOUNT = 1_000_000_000
    # Largest quantity on one cart line, per base unit (5 tonnes / 5,000 litres).
    MAX_QTY = {"pcs": 10_000, "gram": 5_000_000, "ml": 5_000_000}
    # Layouts of in-store labels with an embedded weight (W, grams) or price (R, Rupiah).
    BARCODE_PATTERNS = ["21PPPPPWWWWWC", "23PPPPPRRRRRC"]
    # Retry unprinted receipts every N seconds (0: off), if at least MIN_AGE and at most
    # MAX_AGE seconds old; older ones wait for a manual "Cetak ulang".
    PRINT_RETRY_SECONDS = 20
    # Print a sale's receipt on a background thread (the till never waits for paper);
    # tests turn it off to assert on the printed bytes right after the request.
    PRINT_IN_BACKGROUND = True
    PRINT_RETRY_MIN_AGE = 15
    PRINT_RETRY_MAX_AGE = 15 * 60
    # Rows shown by the live name search at the till.
    SEARCH_LIMIT = 8
    # GS1 in-store prefix (20-29) for EAN-13 codes given to goods without a barcode.
    INSTORE_PREFIX = "20"
    # GS1 in-store prefix for new member card numbers; must differ from INSTORE_PREFIX and the scale's.
    MEMBER_CARD_PREFIX = "29"
    # Cookies: tills are on a trusted LAN without TLS, so no Secure flag by default.
    # SECURE_COOKIES=true (served over HTTPS) marks every cookie the app sets Secure.
    SECURE_COOKIES = False
    # Behind a reverse proxy on this machine (kiosk/install.sh --serve tls: nginx or Caddy doing
    # TLS): trust its X-Forwarded-For and X-Forwarded-Proto, one hop. Only then: with the app
    # on the LAN directly, a till could fake its address past the login lockout.
    TRUST_PROXY = False
    # The address the server listens on: the installer's POS_HOST (127.0.0.1 unless --serve lan),
    # `make run`'s HOST. Read by Perangkat only (a LAN link to a loopback-only server); empty: unknown.
    HOST = ""
    # The address tablets and screens on the LAN open the app at, when the server is behind the
    # installer's HTTPS proxy (--serve tls writes https://<server name>): Perangkat's links name it.
    PUBLIC_URL = ""
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the idle timeout already bounds a session
    # Set by the `pos` command: no printing threads in a CLI process.
    CLI = False
    # Run a background WAL checkpointer (SQLite) so commits never pay for one.
    SQLITE_BACKGROUND_CHECKPOINT = True
    # Batches expiring within this many days are listed and warned about on the stock lists.
    EXPIRY_WARNING_DAYS = 60
    # May a manager approve a request they made themselves (an outlet with one manager)? Logged.
    SELF_APPROVAL = False
    # Kas masuk / Kas keluar above this many Rupiah needs a manager's approval at the till.
    CASH_APPROVAL_ABOVE = 500_000
    # A line removed (F4) or a cart emptied (F10) above this many Rupiah needs a manager's PIN
    # at the till (a wrong scan of a cheap item stays instant); empty or none: never.
    VOID_APPROVAL_ABOVE = 100_000
    # May a cashier open the drawer without a sale (Buka laci, Alt+L) with no manager's PIN?
    # Off: every opening needs one (a manager at the till approves their own). Logged either way.
    CASHIER_OPENS_DRAWER = False
    # The largest manual discount (line or sale) a cashier may give without a manager, in bp.
    CASHIER_MAX_DISCOUNT_BP = 500
    # Oldest prescription (days since its date) an obat keras may be sold on at the till.
    RX_MAX_AGE_DAYS = 30
    # Simpanan pokok, paid once on joining (Rupiah, per the cooperative's AD/ART).
    SIMPANAN_POKOK = 100_000
    # Simpanan wajib per month since the member's join month (Rupiah).
    SIMPANAN_WAJIB = 10_000
    # How many months of simpanan wajib a member may pay ahead of the current month.
    SIMPANAN_WAJIB_AHEAD = 12
    # Round the cash part of a sale to the nearest coin, half up (e.g. 100); 0: off. Never non-cash.
    # Only a coin: 0, 1, 50, 100, 200, 500 or 1000 (COINS).
    CASH_ROUNDING = 0
    # The outlet's static merchant QRIS (payload text); the Pengaturan screen's value wins.
    QRIS_STATIC = ""
    # The cooperative's ledger hub (``pos ledger push``): its base URL, and this outlet's
    # token and signing secret as printed by ``pos ledger-hub outlet add``. Empty URL: the
    # documents wait in the outbox until one is set.
    LEDGER_URL = ""
    LEDGER_TOKEN = ""
    LEDGER_SECRET = ""
    # The ledger hub's own database (``pos ledger-hub ...``, on the cooperative's server):
    # PostgreSQL in production; empty: SQLite at <instance>/ledger_hub.db, for a demo.
    LEDGER_DATABASE_URL = ""
    # Signs the hub operators' session cookie (``pos ledger-hub serve``); empty: generated once
    # into the instance folder (ledger_hub_secret_key).
    LEDGER_SECRET_KEY = ""
    # The chart of accounts of the day journal: overrides of the default (``pos.chart``)
    # as {"role": ["6-digit code", "name"]}, e.g. {"bank": ["112100", "Bank BRI"]}.
    LEDGER_ACCOUNTS = {}
    # Health checks (``/healthz``, ``pos doctor``, the manager's home page): warn when the disk
    # holding the database has less than DISK_WARN_BYTES or DISK_WARN_PERCENT free, and call it
    # full (an error, /healthz answers 503) below DISK_ERROR_BYTES, before SQLite refuses writes.
    DISK_WARN_BYTES = 1024 ** 3
    DISK_WARN_PERCENT = 5
    DISK_ERROR_BYTES = 100 * 1024 ** 2
    # A ledger document still waiting this many hours after it was written is a stuck queue.
    LEDGER_STUCK_HOURS = 24


# kiosk/install.sh's settings: the pos-* units (EnvironmentFile=) and ``sudo gerai-pos`` read it.
ENV_FILE = Path("/etc/gerai-pos/pos.env")


def setting_line(key: str, value, instance) -> str:
    """How to write setting ``key`` as ``value`` where it takes, for a fix: ``POS_KEY="value"``
    in the environment when that names the setting (it wins over pos.cfg; on the mini-PC the
    installer wrote it into ``ENV_FILE``), else the line of Python ``KEY = "value"`` (no ``POS_``)
    in the instance folder's own pos.cfg."""
    if f"POS_{key}" in os.environ:
        return f'POS_{key}="{value}" di ' + (str(ENV_FILE) if ENV_FILE.exists() else "lingkungan server")
    shown = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    return f"{key} = {shown} di {Path(instance) / 'pos.cfg'}"


def check_whole_numbers(config) -> None:
    """Every setting whose default is a whole number must be one, 0 or more: ``POS_SIMPANAN_WAJIB
    =10.000`` reads as the float 10.0 (Rp10 a month), ``abc`` as text. Digits in quotes (pos.cfg's
    ``CASH_ROUNDING = "100"``) are that number, as in the environment. A ``PosError`` names the
    first one wrong, and the server does not start with it (as with ``POS_TIMEZONE``)."""
    from pos.config_file import as_typed
    from pos.errors import PosError

    for key in dir(DefaultConfig):
        default = getattr(DefaultConfig, key)
        if not key.isupper() or not isinstance(default, int) or isinstance(default, bool):
            continue
        value, least = config.get(key, default), 1 if key in AT_LEAST_ONE else 0
        if key in MAY_BE_NONE and (value is None or str(value).strip().lower() in NONE_WORDS):
            config[key] = None   # POS_VOID_APPROVAL_ABOVE= (empty) or none: no limit at all
            continue
        if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,18}\s*", value):
            # pos.cfg's CASH_ROUNDING = "100": the number the environment's POS_CASH_ROUNDING="100" is
            value = config[key] = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            empty = ", atau kosong (tidak pernah)" if key in MAY_BE_NONE else ""
            raise PosError(f"POS_{key} harus angka bulat {least} atau lebih, tanpa titik atau koma "
                           f"(mis. {default}){empty}, bukan {as_typed(key, value, config)!r}.")


# How an on/off setting may be written (POS_SELF_APPROVAL=tidak was the text "tidak", which
# Python takes as true: a manager approved their own count; POS_PKP=ya read as not PKP).
SWITCH_WORDS = {"true": True, "ya": True, "yes": True, "1": True, "on": True,
                "false": False, "tidak": False, "no": False, "0": False, "off": False, "": False}


def check_switches(config) -> None:
    """Every setting whose default is true or false becomes exactly that: ``true``/``false``,
    ``ya``/``tidak``, ``yes``/``no``, ``1``/``0``, ``on``/``off`` in any case; anything else is
    a ``PosError`` naming it, and the server does not start with it."""
    from pos.config_file import as_typed
    from pos.errors import PosError

    for key in dir(DefaultConfig):
        default = getattr(DefaultConfig, key)
        if not key.isupper() or not isinstance(default, bool) or key not in config:
            continue
        value = config[key]
        if isinstance(value, bool):
            continue
        word = str(value).strip().lower() if isinstance(value, (str, int)) else None
        if word not in SWITCH_WORDS:
            raise PosError(f"POS_{key} harus ya atau tidak (true/false, 1/0), bukan "
                           f"{as_typed(key, value, config)!r}.")
        config[key] = SWITCH_WORDS[word]


# The Rupiah coins cash may be rounded to (1: every Rupiah, as 0: no rounding).
COINS = (0, 1, 50, 100, 200, 500, 1000)
# kiosk/install.sh's rule; the ledger hub's (``protocol.OUTLET_CODE``) takes every code it takes.
OUTLET_CODE_RULE = re.compile(r"[A-Z][A-Z0-9-]{1,19}")
PUBLIC_URL_RULE = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?")
# The login limits (``pos.auth.throttle``): 0 attempts a minute refused every login with an
# error, 0 wrong PINs locked a user at the first, and 0 seconds of lock locked no one.
AT_LEAST_ONE = ("LOGIN_ATTEMPTS_PER_MINUTE", "LOGIN_MAX_ATTEMPTS", "LOGIN_MAX_ATTEMPTS_PER_USER",
                "LOGIN_LOCK_SECONDS")
# Whole numbers that may also be left empty (or none, null): the rule they set is off.
MAY_BE_NONE = ("VOID_APPROVAL_ABOVE",)
NONE_WORDS = ("", "none", "null", "tidak")


def check_settings(config) -> None:
    """Every setting checked at the start (``create_app``): the whole numbers, then the ones with
    a rule of their own. A ``PosError`` names the first one wrong and what it may be; the server
    and every ``pos`` command stop with it, in one line (as with ``POS_TIMEZONE``)."""
    from pos.errors import PosError

    check_switches(config)        # on/off: exactly True or False from here on
    check_whole_numbers(config)   # the login limits at least 1 (AT_LEAST_ONE), the others 0
    if (coin := config["CASH_ROUNDING"]) not in COINS:
        raise PosError("POS_CASH_ROUNDING harus 0 (tanpa pembulatan) atau pecahan koin: "
                       f"{', '.join(map(str, COINS[1:-1]))} atau {COINS[-1]}, bukan {coin}.")
    check_database_url(config["DATABASE_URL"])
    if (public := config["PUBLIC_URL"]) and not PUBLIC_URL_RULE.fullmatch(str(public)):
        raise PosError("POS_PUBLIC_URL harus alamat http:// atau https:// tanpa jalur (mis. "
                       f"https://kasir.gerai.lan), bukan {str(public)[:60]!r}.")
    code = config["OUTLET_CODE"]
    if not isinstance(code, str) or not OUTLET_CODE_RULE.fullmatch(code):
        raise PosError("POS_OUTLET_CODE harus 2-20 huruf besar, angka atau '-', diawali huruf (mis. "
                       f"KDMP-SKP01), bukan {str(code)[:40]!r}.")


def check_database_url(url) -> None:
    """``POS_DATABASE_URL`` (empty: SQLite in the instance folder) is a kind of database this app
    can open: a ``PosError`` saying so (the URL shown without its password) instead of
    SQLAlchemy's traceback. A database that is of a known kind but cannot be reached now is no
    start's problem: ``/healthz`` and ``pos doctor`` report it, and a command says it
    (``group_cli.ExplainsDatabase``)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from pos.errors import PosError

    if not url:
        return
    try:
        make_url(url).get_dialect()
    except (ArgumentError, ImportError, ValueError):
        shown = re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", str(url))[:80]
        raise PosError(f"POS_DATABASE_URL tidak dikenal: {shown}. Contoh: postgresql+psycopg://pengguna@host/"
                       "nama, atau kosongkan untuk SQLite di folder instance.") from None
