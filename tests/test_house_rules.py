"""The house rules that a machine can check (see ../shared/docs/STYLE.md, section d).

Every check in tests/house_rules.py must hold on the real pos/ tree and must be able to
fail: on a fixture tree in tmp_path it reports nothing while the tree is clean and exactly
the planted violation once one is planted (a planted line ends in ``# !<message>``).
"""
from __future__ import annotations

import functools
import textwrap
from pathlib import Path

import pytest

from tests.house_rules import CHECKS

PACKAGE = Path(__file__).resolve().parent.parent / "pos"
FILLER = "# filler\n"

# A clean tree with a near miss for every rule: entry points and the composition root
# import Flask and views, hardware measures in floats, stock.py writes stock, reads and
# dict.update() elsewhere, path joins with "/", a 300-line file, a long migration.
CLEAN = {
    "pos/__init__.py": '''
        """Composition root: builds the app and registers every blueprint."""
        from flask import Flask

        from pos.inventory import views as inventory_views
        from pos.sales.views import bp

        def create_app() -> Flask:
            return Flask(__name__, blueprints=[bp, inventory_views.bp])
        ''',
    "pos/app.py": '''
        """WSGI entry point."""
        import pos.sales.views
        from pos import create_app

        wsgi = create_app()
        ''',
    "pos/db.py": '''
        """Sessions; the one module that commits or rolls back."""
        from pathlib import Path

        from flask import current_app

        def url() -> str:
            return f"sqlite:///{Path(current_app.instance_path) / 'pos.db'}"

        def finish(session, ok: bool) -> None:
            session.commit() if ok else session.rollback()
        ''',
    "pos/web.py": '''
        """Shared view helpers."""
        from importlib.resources import files

        from flask import views as flask_views

        HTMX = files("js_lib_htmx") / "static" / "htmx"

        def backup(instance, base_path, name: str):
            return instance / name, base_path / name, "backups" / name, flask_views
        ''',
    "pos/money.py": '''
        """Whole Rupiah arithmetic."""

        def round_half_up(numerator: int, denominator: int) -> int:
            """numerator / denominator rounded, halves (0.5) away from zero; no Decimal."""
            quotient, remainder = divmod(numerator, denominator)
            return quotient + (2 * remainder >= denominator)

        def share(total: int, parts: int) -> int:
            total //= parts
            return total
        ''',
    "pos/clock.py": '''
        """Business time."""
        import time

        def now() -> int:
            return int(time.time())
        ''',
    "pos/hardware/__init__.py": "# Printers, scales and displays.\n",
    "pos/hardware/printer.py": '''
        """Receipt printer; hardware may measure in floats."""
        from pos import clock, money, units
        from pos.hardware import scale

        from . import scale as same_scale

        DOTS_PER_MM = 7.5

        def dots(mm: float) -> int:
            return round(mm * DOTS_PER_MM / 2) + money.share(clock.now(), units.ONE) + same_scale.ZERO
        ''',
    "pos/hardware/scale.py": '"""Scale protocol."""\nZERO = 0\n',
    "pos/inventory/__init__.py": '"""Catalog and stock."""\nfrom pos.inventory.lists import low\n',
    "pos/inventory/models.py": '''
        """Catalog and stock rows."""

        class Product:
            __table__ = None

        class StockLevel:
            on_hand: int = 0

        class Batch:
            on_hand: int = 0
        ''',
    "pos/inventory/stock.py": '''
        """The one writer of stock levels and batches."""
        from sqlalchemy import insert, text, update

        from pos.inventory.models import Batch, StockLevel

        _level_t, _batch_t = StockLevel.__table__, Batch.__table__

        def receive(session, level: StockLevel, qty: int) -> None:
            level.on_hand += qty
            session.add(Batch(on_hand=qty))
            session.execute(update(StockLevel).values(on_hand=StockLevel.on_hand + qty))
            session.execute(insert(Batch.__table__), [{"on_hand": qty}])
            session.execute(_batch_t.delete())
            session.execute(text("UPDATE stock_level SET on_hand = 0"))
        ''',
    "pos/inventory/lists.py": '''
        """Stock lists, read only: update batch and insert into stock_level happen elsewhere."""
        from sqlalchemy import select

        from pos.inventory.models import Batch, Product, StockLevel

        level_t, product_t = StockLevel.__table__, Product.__table__
        TITLE = "Update batches"

        def low(session, seen: dict, limit: float = 10) -> list:
            """Docstrings are prose: delete from stock_level."""
            seen.update(count=1)
            session.execute(product_t.insert())
            rows = session.execute(select(StockLevel.on_hand, level_t.c.on_hand).where(Batch.on_hand > 0))
            return [row for row in rows if isinstance(row.on_hand, float) and row.on_hand // 2 < limit]
        ''',
    "pos/inventory/views.py": '''
        """Stock screens."""
        from flask import Blueprint

        from pos.inventory import stock

        bp = Blueprint("inventory", __name__, static_folder=stock.__name__)
        ''',
    "pos/inventory/cli.py": '"""Stock commands."""\nimport flask.cli\nfrom pos import create_app\n',
    "pos/inventory/big.py": '"""Exactly at the limit."""\n' + FILLER * 299,
    "pos/sales/__init__.py": "",
    "pos/sales/reviews.py": '"""Customer reviews (not a views module)."""\nSTARS = 5\n',
    "pos/sales/cart.py": '''
        """The cart: whole Rupiah only."""
        from pos import money
        from pos.inventory import lists, models
        from pos.sales import reviews

        def line_total(price: int, qty_milli: int) -> int:
            # session.commit(), float(x) and Decimal in a comment are not code,
            note = "nor float(x) / Decimal / 0.5 in a string"
            return money.round_half_up(price * qty_milli, 1000) + len(note) * reviews.STARS * 0
        ''',
    "pos/sales/views.py": '''
        """Till screens."""
        from flask import Blueprint
        from flask_wtf import FlaskForm

        from pos.sales import cart

        bp = Blueprint("sales", __name__, static_folder=cart.__name__ + FlaskForm.__name__)
        ''',
    "pos/sales/cli.py": '"""Till commands."""\nfrom pos.app import wsgi\n',
    "pos/migrations/versions/0001_initial.py": '"""Initial schema."""\nRATIO = 0.5 / 2\n' + FILLER * 320,
}

COMMIT, FLASK, MONEY, STOCK = ("commit-only-in-db", "flask-only-in-entry-points",
                               "no-float-decimal-round-in-money", "stock-written-only-by-stock-module")
HW, VIEWS, CYCLE, PACKAGES = ("hardware-imports-no-domain", "nothing-imports-views", "no-import-cycle",
                              "no-package-cycle")
LENGTH, DOCS = "files-at-most-300-lines", "every-module-has-docstring"
SALES, DISPLAY = "pos/sales/checkout.py", "pos/hardware/display.py"


def marked(files: dict[str, str]) -> list[str]:
    """The violations that the ``# !message`` markers in ``files`` announce."""
    return [f"{rel}:{n}: {line.partition('  # !')[2]}" for rel, source in files.items()
            for n, line in enumerate(textwrap.dedent(source).lstrip("\n").splitlines(), 1) if "  # !" in line]


def plant(rule: str, name: str, files: str | dict[str, str], *expected: str) -> object:
    """One planted-violation case; a bare source goes to pos/hardware/display.py for the
    hardware rule and to pos/sales/checkout.py for every other rule."""
    files = files if isinstance(files, dict) else {DISPLAY if rule == HW else SALES: files}
    return pytest.param(rule, files, marked(files) + list(expected), id=f"{rule}/{name}")


PLANTS = [
    plant(COMMIT, "commit", "session.commit()  # !commits\n"),
    plant(COMMIT, "rollback-in-migration",
          {"pos/migrations/versions/0002_fix.py": "db.rollback()  # !rolls back\n"}),
    plant(FLASK, "import-inside-function",
          "def f():\n    from flask import g  # !imports flask outside an entry point\n"),
    plant(FLASK, "entry-point-path-elsewhere",
          {"pos/sales/web.py": "import flask  # !imports flask outside an entry point\n"}),
    plant(FLASK, "extension", "import flask_htmx  # !imports flask_htmx outside an entry point\n"),
    plant(FLASK, "submodule-in-hardware",
          {DISPLAY: "import flask.json  # !imports flask.json outside an entry point\n"}),
    plant(MONEY, "float-call", "int(float(amount))  # !calls float()\n"),
    plant(MONEY, "round-call", "round(amount * 11 // 100)  # !calls round()\n"),
    plant(MONEY, "decimal", "import decimal  # !imports decimal\ndecimal.Decimal(amount)  # !uses Decimal\n"),
    plant(MONEY, "decimal-name", "price = Decimal(amount)  # !uses Decimal\n"),
    plant(MONEY, "from-decimal", "from decimal import ROUND_HALF_UP  # !imports decimal\n"),
    plant(MONEY, "float-literal", "PPN = 0.11  # !float literal 0.11\n"),
    plant(MONEY, "true-division", "len(items) / 2  # !true division /\n"),
    plant(MONEY, "true-division-assign", "total /= 3  # !true division /=\n"),
    plant(STOCK, "update-function", "update(StockLevel).where(x)  # !update(StockLevel) writes stock\n"),
    plant(STOCK, "insert-table", "insert(Batch.__table__)  # !insert(Batch.__table__) writes stock\n"),
    plant(STOCK, "table-method",
          "StockLevel.__table__.delete()  # !.delete() on StockLevel.__table__ writes stock\n"),
    plant(STOCK, "module-level-alias", "level_t, product_t = StockLevel.__table__, Product.__table__\n"
          "product_t.delete()\ndef clear():\n    level_t.update()  # !.update() on level_t writes stock\n"),
    plant(STOCK, "constructor", "session.add(Batch(product_id=1))  # !creates Batch(...)\n"),
    plant(STOCK, "assign-on-hand", "level.on_hand = 0  # !assigns .on_hand\n"),
    plant(STOCK, "aug-assign-on-hand", "batch.on_hand -= qty  # !assigns .on_hand\n"),
    plant(STOCK, "values-on-hand", "table.update().values(on_hand=0)  # !sets on_hand= in .values()\n"),
    plant(STOCK, "raw-sql", "text('delete from \"batch\"')  # !raw SQL writes stock_level or batch\n"),
    plant(STOCK, "raw-sql-f-string",
          "text(f'INSERT INTO stock_level VALUES ({q})')  # !raw SQL writes stock_level or batch\n"),
    plant(HW, "absolute", "from pos.sales.cart import tax  # !hardware imports tax from pos.sales.cart\n"),
    plant(HW, "dotted-in-function",
          "def f():\n    import pos.inventory.models  # !hardware imports pos.inventory.models\n"),
    plant(HW, "relative", "from ..inventory import lists  # !hardware imports lists from pos.inventory\n"),
    plant(HW, "from-pos", "from pos import clock, db  # !hardware imports db from pos\n"),
    plant(VIEWS, "from-package", "from pos.sales import views  # !imports views module pos.sales.views\n"),
    plant(VIEWS, "from-views-module",
          "from pos.sales.views import bp  # !imports views module pos.sales.views\n"),
    plant(VIEWS, "dotted", "import pos.sales.views  # !imports views module pos.sales.views\n"),
    plant(VIEWS, "suffix",
          "from pos.inventory import catalog_views  # !imports views module pos.inventory.catalog_views\n"),
    plant(VIEWS, "relative-in-views",
          {"pos/inventory/views.py": "from ..sales import views  # !imports views module pos.sales.views\n"}),
    plant(CYCLE, "self-import", {"pos/sales/receipt.py": "import pos.sales.receipt\n"},
          "pos/sales/receipt.py:1: import cycle pos.sales.receipt -> pos.sales.receipt"),
    plant(CYCLE, "through-package-init",
          {"pos/inventory/lists.py": "def low():\n    from pos.inventory import Product\n"},
          "pos/inventory/__init__.py:2: import cycle pos.inventory -> pos.inventory.lists -> pos.inventory"),
    plant(CYCLE, "relative-type-checking-tangle",
          {"pos/hardware/bell.py": "from . import printer, scale\n",
           "pos/hardware/scale.py": "if TYPE_CHECKING:\n    from . import bell\n"},
          "pos/hardware/bell.py:1: import cycle pos.hardware.bell -> pos.hardware.scale -> pos.hardware.bell",
          "pos/hardware/printer.py:3: import cycle pos.hardware.printer -> pos.hardware.scale -> "
          "pos.hardware.bell -> pos.hardware.printer"),
    plant(PACKAGES, "two-packages", {"pos/inventory/catalog.py": "from pos.sales.cart import line_total\n"},
          "pos/inventory/catalog.py:1: package cycle pos.inventory -> pos.sales -> pos.inventory ["
          "pos.inventory -> pos.sales: pos.inventory.catalog -> pos.sales.cart (pos/inventory/catalog.py:1); "
          "pos.sales -> pos.inventory: pos.sales.cart -> pos.inventory.lists (pos/sales/cart.py:3)]"),
    plant(PACKAGES, "top-level-module", {"pos/clock.py": "from pos.hardware import scale\n"},
          "pos/clock.py:1: package cycle pos.clock -> pos.hardware -> pos.clock ["
          "pos.clock -> pos.hardware: pos.clock -> pos.hardware.scale (pos/clock.py:1); "
          "pos.hardware -> pos.clock: pos.hardware.printer -> pos.clock (pos/hardware/printer.py:2)]"),
    plant(LENGTH, "301-lines", FILLER * 300 + "x = 1  # !301 lines, more than 300\n"),
    plant(DOCS, "none", "RATE = 11  # !no module docstring\n"),
    plant(DOCS, "comment-is-not-one", "# Pricing.  # !no module docstring\nRATE = 11\n"),
    plant(DOCS, "init-with-code",
          {"pos/sales/__init__.py": "import pos.sales.cart  # !no module docstring\n"}),
]


def write_tree(folder: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (path -> source) under ``folder``; return the ``pos`` root."""
    for rel, source in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip("\n"))
    return folder / "pos"


@functools.cache
def real_violations(rule: str) -> tuple[str, ...]:
    """The rule's violations in the real tree, found once per run."""
    return tuple(CHECKS[rule](PACKAGE))


REAL_FILES = sorted(str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("rel", REAL_FILES)
@pytest.mark.parametrize("rule", CHECKS)
def test_real_module_keeps_rule(rule: str, rel: str) -> None:
    mine = [v for v in real_violations(rule) if v.startswith(f"{rel}:")]
    assert not mine, f"{len(mine)} violation(s) of {rule}:\n" + "\n".join(mine)


@pytest.mark.parametrize("rule", CHECKS)
def test_real_tree_keeps_rule(rule: str) -> None:
    violations = real_violations(rule)
    assert not violations, f"{len(violations)} violation(s) of {rule}:\n" + "\n".join(violations)


@pytest.mark.parametrize("rule", CHECKS)
def test_clean_fixture_tree_passes(rule: str, tmp_path: Path) -> None:
    assert CHECKS[rule](write_tree(tmp_path, CLEAN)) == []


@pytest.mark.parametrize(("rule", "files", "expected"), PLANTS)
def test_planted_violation_is_reported(rule: str, files: dict[str, str], expected: list[str],
                                       tmp_path: Path) -> None:
    assert expected, "a plant must say what it plants"
    assert sorted(CHECKS[rule](write_tree(tmp_path, {**CLEAN, **files}))) == sorted(expected)


def test_every_rule_has_a_plant() -> None:
    assert sorted({p.values[0] for p in PLANTS}) == sorted(CHECKS)
