"""AST checks for the house rules (../shared/docs/STYLE.md, section d): each ``check_*``
takes the root folder of a package tree (a path ending in ``pos``) and returns violations
like ``"pos/sales/cart.py:42: commits"``, paths relative to the folder holding ``pos/``.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache, cached_property
from pathlib import Path

# Modules that may import Flask.  A bare file name (glob allowed, e.g. "*_views.py")
# matches in every folder; an entry with a "/" is an exact path.
ENTRY_POINTS = ("views.py", "*_views.py", "cli.py", "*_cli.py", "pos/__init__.py", "pos/__main__.py",
                "pos/app.py", "pos/web.py", "pos/assets.py", "pos/db.py", "pos/health.py", "pos/home.py",
                "pos/auth/access.py", "pos/approvals/dialog.py", "pos/ledger_hub/app.py",
                "pos/ledger_hub/access.py")
DB_MODULE = "pos/db.py"                                # the only module that commits or rolls back
STOCK_MODULE = "pos/inventory/stock.py"                # the only writer of stock and batch rows
COMPOSITION_ROOT = ("pos/__init__.py", "pos/app.py", "pos/ledger_hub/app.py")   # may import views modules
HARDWARE_MAY_IMPORT = ("pos.hardware", "pos.clock", "pos.money", "pos.units", "pos.text")
# Devices count grams and seconds; the database module tunes SQLite; the demo draws
# random numbers.  None of them does Rupiah arithmetic.
NOT_MONEY_CODE = ("pos/hardware/", "pos/migrations/", "pos/db.py", "pos/wal.py", "pos/demo/")
MAX_LINES = 300
STOCK_TABLES = frozenset({"StockLevel", "Batch"})
VIEWS_MODULE = re.compile(r"(^|\.)(\w*_)?views$")   # x.views, x.catalog_views
RAW_STOCK_SQL = re.compile(r'(?i)\b(update|insert\s+into|delete\s+from)\s+"?(stock_level|batch)\b')
Graph = dict[str, dict[str, str]]   # module -> imported module -> "pos/x.py:12" (its first import)


@dataclass
class Module:
    """One parsed file: ``rel`` "pos/sales/cart.py", ``name`` "pos.sales.cart"."""
    rel: str
    name: str
    package: str   # where its relative imports start
    text: str
    tree: ast.Module

    @cached_property
    def stock_aliases(self) -> set[str]:
        """Module-level names assigned from an expression that mentions StockLevel or Batch."""
        aliases: set[str] = set()
        for stmt in self.tree.body:
            value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
            for target in (getattr(stmt, "targets", None) or [stmt.target]) if value else []:
                paired = isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) \
                    and len(target.elts) == len(value.elts)
                for t, v in zip(target.elts, value.elts, strict=True) if paired else [(target, value)]:
                    if _mentions_stock(v, aliases):
                        aliases |= {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
        return aliases

    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree in line order (walked once; most rules read it)."""
        return sorted(ast.walk(self.tree), key=lambda n: getattr(n, "lineno", 0))

    @cached_property
    def docstrings(self) -> set[int]:
        """ids of the docstring constants of the module, its classes and functions."""
        owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        return {id(o.body[0].value) for o in ast.walk(self.tree) if isinstance(o, owners) and o.body
                and isinstance(o.body[0], ast.Expr) and isinstance(o.body[0].value, ast.Constant)}


@cache
def load_modules(root: Path) -> tuple[Module, ...]:
    """Parse every ``*.py`` file below ``root``, sorted by path: once per folder and test
    process, as every rule reads the same real tree (each planted tree is a folder of its own)."""
    found = []
    for path in sorted(Path(root).rglob("*.py")):
        rel = path.relative_to(Path(root).parent).as_posix()
        name = rel[:-3].replace("/", ".").removesuffix(".__init__")
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        text = path.read_text(encoding="utf-8")
        found.append(Module(rel, name, package, text, _parse(text, rel)))
    return tuple(found)


def _parse(text: str, filename: str) -> ast.Module:
    """``ast.parse``, once more after CPython 3.11's spurious "AST constructor recursion depth
    mismatch": its AST depth counter is shared by threads, so a parse can fail while another
    thread of the test process (a server thread building an app) converts a tree
    (python/cpython#106905)."""
    try:
        return ast.parse(text, filename=filename)
    except SystemError as error:
        if "recursion depth mismatch" not in str(error):
            raise
        return ast.parse(text, filename=filename)


def imports(module: Module) -> Iterator[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) per import at any depth; names [] for ``import x``."""
    for node in module.nodes:
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = module.package.split(".")
            parts = parts[:len(parts) - node.level + 1] if node.level else []
            base = ".".join(parts + ([node.module] if node.module else []))
            yield node.lineno, base, [alias.name for alias in node.names if alias.name != "*"]


def _within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _reached(base: str, names: list[str]) -> list[str]:   # ``import base`` or each ``base.name``
    return [f"{base}.{n}" for n in names] or [base]


def _scan(root: Path, rule: Callable[[ast.AST, Module], str | None],
          skip: Callable[[str], bool]) -> list[str]:
    """``path:line: why`` for every AST node that ``rule`` explains, in modules not skipped."""
    return [f"{m.rel}:{node.lineno}: {why}" for m in load_modules(root) if not skip(m.rel)
            for node in m.nodes
            for why in [rule(node, m)] if why]


def check_commits(root: Path) -> list[str]:
    """Rule 1: ``x.commit()`` and ``x.rollback()`` are called only in pos/db.py."""
    words = {"commit": "commits", "rollback": "rolls back"}
    return _scan(root, lambda node, _: isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                 and words.get(node.func.attr), lambda rel: rel == DB_MODULE)


def is_entry_point(rel: str) -> bool:
    """True for a module (path like "pos/db.py") that may import Flask, see ENTRY_POINTS."""
    return any(rel == p if "/" in p else fnmatch(rel.rpartition("/")[2], p) for p in ENTRY_POINTS)


def check_flask_imports(root: Path) -> list[str]:
    """Rule 2: only entry points import ``flask``, ``flask.*`` or ``flask_*``, at any depth."""
    return [f"{m.rel}:{line}: imports {base} outside an entry point"
            for m in load_modules(root) if not is_entry_point(m.rel)
            for line, base, _ in imports(m) if _within(base, "flask") or base.startswith("flask_")]


def _is_path_join(left: ast.expr, right: ast.expr) -> bool:
    if isinstance(left, ast.BinOp) and isinstance(left.op, ast.Div) and _is_path_join(left.left, left.right) \
            or any(isinstance(side, ast.Constant) and isinstance(side.value, str) for side in (left, right)):
        return True
    return isinstance(left, (ast.Name, ast.Attribute, ast.Call)) \
        and re.search(r"path|instance", ast.unparse(left), re.IGNORECASE) is not None


def _money(node: ast.AST, _: Module) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("float", "round"):
        return f"calls {node.func.id}()"
    if isinstance(node, ast.Name) and node.id == "Decimal" \
            or isinstance(node, ast.Attribute) and node.attr == "Decimal":
        return "uses Decimal"
    if isinstance(node, ast.Import) and any(_within(a.name, "decimal") for a in node.names) \
            or isinstance(node, ast.ImportFrom) and not node.level and _within(node.module or "", "decimal"):
        return "imports decimal"
    if isinstance(node, ast.Constant) and isinstance(node.value, float):
        return f"float literal {node.value!r}"
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.Div):
        binop = isinstance(node, ast.BinOp)
        if not _is_path_join(*((node.left, node.right) if binop else (node.target, node.value))):
            return "true division /" if binop else "true division /="
    return None


def check_money_arithmetic(root: Path) -> list[str]:
    """Rule 3: no float, Decimal or round() in money code (pos/ but hardware and migrations).

    Flags ``float()``, ``round()``, names/attributes ``Decimal``, importing ``decimal``,
    float literals and true division ``/``, ``/=`` (use ``//``, ``divmod``, ``money.round_half_up``).
    Exempt as a pathlib join: ``/`` with a str constant on either side, a join on the left,
    or on the left a Name/Attribute/Call whose source says "path" or "instance" (any case).
    """
    return _scan(root, _money, lambda rel: rel.startswith(NOT_MONEY_CODE))


def _mentions_stock(expr: ast.AST, aliases: set[str]) -> bool:
    return any(isinstance(n, ast.Name) and n.id in STOCK_TABLES | aliases
               or isinstance(n, ast.Attribute) and n.attr in STOCK_TABLES for n in ast.walk(expr))


def _stock_write(node: ast.AST, m: Module) -> str | None:
    func = node.func if isinstance(node, ast.Call) else None
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if name in ("update", "insert", "delete"):
        if isinstance(func, ast.Name) and node.args and _mentions_stock(node.args[0], m.stock_aliases):
            return f"{name}({ast.unparse(node.args[0])}) writes stock"
        if isinstance(func, ast.Attribute) and _mentions_stock(func.value, m.stock_aliases):
            return f".{name}() on {ast.unparse(func.value)} writes stock"
    if name in STOCK_TABLES:
        return f"creates {ast.unparse(func)}(...)"
    if name == "values" and isinstance(func, ast.Attribute) and "on_hand" in [k.arg for k in node.keywords]:
        return "sets on_hand= in .values()"
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and any(
            isinstance(t, ast.Attribute) and t.attr == "on_hand"
            for tg in getattr(node, "targets", [getattr(node, "target", None)]) for t in ast.walk(tg)):
        return "assigns .on_hand"
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in m.docstrings \
            and RAW_STOCK_SQL.search(node.value):
        return "raw SQL writes stock_level or batch"
    return None


def check_stock_writes(root: Path) -> list[str]:
    """Rule 4: only pos/inventory/stock.py writes StockLevel and Batch rows or quantities.

    Flags update/insert/delete of them (or of a module-level alias), ``.update()`` etc. on such
    an expression, constructing them, assigning ``.on_hand``, ``.values(on_hand=)`` and raw SQL
    writes in str constants (docstrings are prose and skipped).  Reading them is fine.
    """
    return _scan(root, _stock_write, lambda rel: rel == STOCK_MODULE)


def check_hardware_imports(root: Path) -> list[str]:
    """Rule 5: pos/hardware imports from pos only hardware, clock, money and units, at any depth."""
    return [f"{m.rel}:{line}: hardware imports " + (f"{', '.join(bad)} from {base}" if names else base)
            for m in load_modules(root) if m.rel.startswith("pos/hardware/")
            for line, base, names in imports(m) if _within(base, "pos")
            and not _within(base, *HARDWARE_MAY_IMPORT)
            for bad in [[n for n in names if not _within(f"{base}.{n}", *HARDWARE_MAY_IMPORT)]]
            if bad or not names]


def check_views_imports(root: Path) -> list[str]:
    """Rule 6: no module but the composition root imports a views module (or from one)."""
    return [f"{m.rel}:{line}: imports views module {target}"
            for m in load_modules(root) if m.rel not in COMPOSITION_ROOT
            for line, base, names in imports(m) if _within(base, "pos")
            for target in ([base] if VIEWS_MODULE.search(base) else _reached(base, names))
            if VIEWS_MODULE.search(target)]


def import_graph(root: Path) -> Graph:
    """Module import graph: every import at any depth, relative ones resolved; ``from a.b
    import c`` points at ``a.b.c`` if that is a module of the tree, else at ``a.b``; ``import
    a.b.c`` at ``a.b.c``; no edges to parent packages or to modules outside the tree."""
    mods = load_modules(root)
    graph: Graph = {m.name: {} for m in mods}
    for m in mods:
        for line, base, names in imports(m):
            for name in {n if n in graph else base for n in _reached(base, names)} & graph.keys():
                graph[m.name].setdefault(name, f"{m.rel}:{line}")
    return graph


def _tangles(graph: Graph) -> list[tuple[list[str], list[list[str]]]]:
    """Each strongly connected component with a cycle, and shortest cycles covering it."""
    def parents(start: str) -> dict[str, str]:   # breadth-first tree of all that start reaches
        parent: dict[str, str] = {}
        todo = [start]
        while todo:
            node = todo.pop(0)
            for nxt in sorted(graph[node]):
                if nxt not in parent:
                    parent[nxt] = node
                    todo.append(nxt)
        return parent
    reached, found = {node: parents(node) for node in graph}, []
    for start in sorted(n for n in graph if n in reached[n]):
        if not any(start in comp for comp, _ in found):
            comp, cycles = sorted(n for n in reached[start] if start in reached[n]), []
            for node in (n for n in comp if not any(n in cycle for cycle in cycles)):
                chain = [reached[node][node]]
                while chain[-1] != node:
                    chain.append(reached[node][chain[-1]])
                cycles.append(chain[::-1] + [node])
            found.append((comp, cycles))
    return found


def check_import_cycles(root: Path) -> list[str]:
    """Rule 7: the module import graph of the tree has no cycle (a self-import counts)."""
    graph = import_graph(root)
    return [f"{graph[path[0]][path[1]]}: import cycle {' -> '.join(path)}"
            for _, cycles in _tangles(graph) for path in cycles]


def check_package_cycles(root: Path) -> list[str]:
    """Rule 8: no cycle between top-level units (``pos.sales.cart`` is in ``pos.sales``) but
    pos/__init__.py and pos/app.py; reported with one example import for each arrow."""
    units: dict[str, dict[str, tuple[str, str]]] = {}
    for source, edges in sorted(import_graph(root).items()):
        for target, where in sorted(edges.items()):
            a, b = (".".join(n.split(".")[:2]) for n in (source, target))
            if a != b and not {source, target} & {"pos", "pos.app"}:
                units.setdefault(b, {})
                units.setdefault(a, {}).setdefault(b, (where, f"{source} -> {target}"))
    return [f"{units[path[0]][path[1]][0]}: package cycle {' -> '.join(path)} ["
            + "; ".join(f"{a} -> {b}: {units[a][b][1]} ({units[a][b][0]})"
                        for a in comp for b in comp if b in units[a]) + "]"
            for comp, (path, *_) in _tangles(units)]


def check_file_length(root: Path) -> list[str]:
    """Rule 9: at most MAX_LINES physical lines per file; migrations are exempt."""
    return [f"{m.rel}:{MAX_LINES + 1}: {n} lines, more than {MAX_LINES}"
            for m in load_modules(root) if not m.rel.startswith("pos/migrations/")
            for n in [len(m.text.splitlines())] if n > MAX_LINES]


def check_docstrings(root: Path) -> list[str]:
    """Rule 10: every module has a docstring, except an empty __init__.py."""
    return [f"{m.rel}:1: no module docstring" for m in load_modules(root) if not ast.get_docstring(m.tree)
            and not (m.rel.endswith("/__init__.py") and not m.tree.body)]


CHECKS: dict[str, Callable[[Path], list[str]]] = {
    "commit-only-in-db": check_commits,
    "flask-only-in-entry-points": check_flask_imports,
    "no-float-decimal-round-in-money": check_money_arithmetic,
    "stock-written-only-by-stock-module": check_stock_writes,
    "hardware-imports-no-domain": check_hardware_imports,
    "nothing-imports-views": check_views_imports,
    "no-import-cycle": check_import_cycles,
    "no-package-cycle": check_package_cycles,
    "files-at-most-300-lines": check_file_length,
    "every-module-has-docstring": check_docstrings,
}
