"""The house rules that a machine can check (see ../shared/docs/STYLE.md, section d)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pos"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)
# Entry points (views, CLI, workers) may use Flask; everything else is a service or model.
ENTRY_POINTS = {"cli.py", "__init__.py", "web.py", "errors.py", "db.py", "health.py", "home.py"}
SERVICES = [p for p in SOURCES if p.name not in ENTRY_POINTS and not p.name.endswith("views.py")
            and "hardware" not in p.parts]


def rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", SOURCES, ids=rel)
def test_only_db_module_commits_or_rolls_back(path):
    if path.name == "db.py":
        return
    text = path.read_text()
    assert not re.search(r"\.(commit|rollback)\(", text), f"{rel(path)} commits or rolls back"


@pytest.mark.parametrize("path", SERVICES, ids=rel)
def test_services_never_import_flask(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        assert not any(n == "flask" or n.startswith("flask") for n in names), rel(path)


@pytest.mark.parametrize("path", SOURCES, ids=rel)
def test_no_floats_for_money(path):
    text = path.read_text()
    assert "float(" not in text and "Decimal" not in text, rel(path)


@pytest.mark.parametrize("path", SOURCES, ids=rel)
def test_every_module_says_what_it_owns(path):
    tree = ast.parse(path.read_text())
    if path.name == "__init__.py" and not tree.body:
        return
    assert ast.get_docstring(tree), f"{rel(path)} has no module docstring"


def test_hardware_imports_no_domain_package():
    for path in (PACKAGE / "hardware").rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"from pos\.(sales|inventory|members|auth|reports)", text), rel(path)


def test_stock_levels_change_only_in_the_stock_module():
    for path in SOURCES:
        if path.name == "stock.py":
            continue
        text = path.read_text()
        assert not re.search(r"update\(StockLevel\)|StockLevel\.on_hand\s*[+-]?=", text), rel(path)
