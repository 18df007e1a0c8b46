"""What every app a test process builds can share with the ones before it.

The suite builds a new app for nearly every test (thousands per run), and two costs of
``create_app`` and its first pages are the same work every time:

* Werkzeug compiles two URL builders per route (about 190 routes) from a generated Python
  syntax tree.  The builder depends only on the rule's parsed parts and the names of its
  defaults; it reads the rule's converters through ``self`` when called.  So one compiled
  builder per distinct rule serves every app of the process.  Rules with a default for one of
  their own variables bake the converted default into the code and are compiled as usual.
* Jinja compiles each template once per app; ``TEMPLATES`` keeps the bytecode per process,
  keyed by Jinja on the template's name and a checksum of its source, so an edited template
  is compiled again.

* Hashing a PIN or password (scrypt at Werkzeug's default cost, N=32768) takes about 0.17 s of
  CPU here, and so does checking one: every login and every manager's approval by PIN. The
  tests' hashes are scrypt at N=1024 (``TEST_HASH``, about 5 ms): still a real salted hash,
  checked by the same ``check_password_hash``, which reads the cost from the hash itself. Each
  one is made once per process and reused (only users with the same PIN share the salt). A
  test that needs the production cost (a wrong-PIN flood beside the till) or asserts it takes
  ``strong_hashes``; ``tests/auth/test_auth.py`` holds production to the default.

* A PostgreSQL connection is a server process that learns the catalogue afresh: a new one per
  test spent about a quarter of a PostgreSQL test's time connecting and looking up tables
  (emptying the tables after a test took 23 ms on a new connection, 4 on a used one).  The
  engines of one process for one database URL take their connections from one free list
  (``make_engine`` below); a connection goes back to it rolled back and ``DISCARD ALL``-ed,
  so nothing a test set on it (a ``SET``, a prepared statement, a lock) reaches the next.

* SQLAlchemy compiles each statement once per engine (the cache is the engine's, keyed on its
  dialect object); every test has a new engine, so the engines of one kind share the first
  one's dialect and compiled cache (``_shared_compiled``).

Together the first two take about two thirds off building an app and rendering its first page.
Most tests no longer build one at all: ``ReusedApps`` (below) sets one back instead.
Production builds one app per process and keeps its compiled templates in its instance
folder (``pos.template_cache.keep_compiled_templates``); this lives with the tests.
"""
from __future__ import annotations

import contextlib
import copy
import functools
import threading
from typing import NamedTuple

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import event
from werkzeug.routing.rules import Rule
from werkzeug.security import generate_password_hash as _generate_password_hash

import pos.db
from pos.auth import service as auth_service
from pos.ledger_hub import operators

_compile_builder = Rule._compile_builder
_builders: dict[tuple, object] = {}


def _shared_builder(self: Rule, append_unknown: bool = True):
    defaults = self.defaults or {}
    if any(dynamic and name in defaults for dynamic, name in self._trace):
        return _compile_builder(self, append_unknown)
    key = (tuple(self._trace), tuple(sorted(defaults)), append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


class _MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = _MemoryBytecodeCache()


TEST_HASH = "scrypt:1024:8:1"


@functools.cache
def _hash_once(secret: str) -> str:
    return _generate_password_hash(secret, method=TEST_HASH)


def _shared_hash(secret: str, *args, **kwargs) -> str:
    return _hash_once(secret) if not args and not kwargs else _generate_password_hash(secret, *args, **kwargs)


@contextlib.contextmanager
def strong_hashes():
    """PINs and passwords hashed at production cost (Werkzeug's default) inside the block."""
    saved = auth_service.generate_password_hash, operators.generate_password_hash
    auth_service.generate_password_hash = operators.generate_password_hash = _generate_password_hash
    auth_service._dummy_hash.cache_clear()
    operators._dummy.cache_clear()
    try:
        yield
    finally:
        auth_service.generate_password_hash, operators.generate_password_hash = saved
        auth_service._dummy_hash.cache_clear()
        operators._dummy.cache_clear()


_make_engine = pos.db.make_engine
_free: dict[str, list] = {}          # database URL -> idle psycopg connections
_connect_args: dict[str, tuple] = {}
_free_lock = threading.Lock()


def _shared_connections_engine(url: str, **options):
    """``pos.db.make_engine``, whose PostgreSQL connections outlive the engine (see above)."""
    if not str(url).startswith("postgresql"):
        return _shared_compiled(_make_engine(url, **options))
    import psycopg
    from sqlalchemy import create_engine

    key = str(url)
    free = _free.setdefault(key, [])
    if key not in _connect_args:
        probe = create_engine(url)
        _connect_args[key] = probe.dialect.create_connect_args(probe.url)
        probe.dispose()
    args, kwargs = _connect_args[key]
    kwargs = {**kwargs, **pos.db.PG_ENGINE_OPTIONS["connect_args"]}   # the outlet's settings

    def connect():
        while True:
            with _free_lock:
                conn = free.pop() if free else None
            if conn is None:
                return psycopg.connect(*args, **kwargs)
            try:  # a restore or a test may have ended its server process meanwhile
                conn.execute("SELECT 1")
                conn.autocommit = False
                return conn
            except psycopg.Error:
                conn.close()

    def keep(conn) -> None:  # the engine closes it: reset it and keep it for the next engine
        if conn.closed:
            return
        try:
            conn.rollback()
            conn.autocommit = True
            conn.execute("DISCARD ALL")
        except Exception:  # a broken connection is closed for good
            conn.close()
            return
        with _free_lock:
            free.append(conn)

    engine = create_engine(url, creator=connect, pool_pre_ping=pos.db.PG_ENGINE_OPTIONS["pool_pre_ping"])
    engine.dialect.do_close = keep
    return _shared_compiled(engine)


_compiling: dict[tuple, tuple] = {}   # kind -> (dialect, compiled cache) of its first connected engine


def _shared_compiled(engine):
    """``engine`` compiling through the first engine of its kind in this process that connected:
    its dialect and its cache of compiled statements (SQLAlchemy keys a compiled statement on the
    dialect object and keeps the cache on the engine, so each new engine compiled every statement
    again: 15,400 compilations for 25,400 statements in tests/sales, a third of its CPU). The
    dialect is set up by its engine's first connection (the server's version, what it supports):
    until an engine of the kind has connected, each keeps its own. The engines of one kind are
    made with the same options by ``pos.db.make_engine``; a PostgreSQL dialect also closes
    connections into its database's free list (above): one kind per URL."""
    key = (engine.dialect.name, engine.dialect.driver,
           str(engine.url) if engine.dialect.name == "postgresql" else "")
    kept = _compiling.get(key)
    if kept is not None:
        engine.dialect = engine.pool._dialect = kept[0]
        engine._compiled_cache = kept[1]
        return engine

    def connected(_dbapi_conn, _record) -> None:  # after create_engine's own first_connect
        _compiling.setdefault(key, (engine.dialect, engine._compiled_cache))

    event.listen(engine.pool, "connect", connected, once=True)
    return engine


def install() -> None:
    """Share URL builders, PIN hashes and PostgreSQL connections between the apps of this
    process (call once, at start-up)."""
    pos.db.make_engine = _shared_connections_engine
    Rule._compile_builder = _shared_builder
    auth_service.generate_password_hash = _shared_hash
    operators.generate_password_hash = _shared_hash


class _Kept(NamedTuple):
    """A reused app with its settings and extensions as built, and its ``_shape``."""

    app: object
    config: dict
    extensions: dict
    shape: tuple


class ReusedApps:
    """One app per backend for the tests of this process, set back before each test.

    Building an app and collecting it afterwards was about a sixth of the CPU of the tests that
    use one (780 apps in tests/sales and tests/inventory: 11.0 of 66 CPU seconds). The first
    app a test asks for without settings of its own (the ``app`` fixture, and through it
    ``client``, ``db``, ``runner``) is this process's app for the backend, set back to how it
    was built: its settings (in place: Jinja's ``config`` is the same object), its
    ``extensions`` (what a test or a screen cached there goes), a new database engine on this
    test's file, a new login guard, the test's printer and a new device registry, the test's
    instance folder. An app a test asks for with settings, or a second one in the same test
    (two processes of one gerai), is built new as before. The app is dropped and built anew
    when a test left anything else changed that a test could change: its routes, hooks, error
    handlers, Jinja globals or filters, or its WSGI callable. ``POS_TEST_NEW_APPS=1`` builds a
    new app for every test instead. The whole parallel suite: 372 s of wall time and 452 CPU
    seconds with a new app per test, 349 and 412 with this (03-12-2026, two workers).
    """

    def __init__(self) -> None:
        self._kept: dict[str, _Kept] = {}

    def take(self, backend: str, build, instance, url: str, printer):
        kept = self._kept.get(backend)
        if kept is not None and self._shape(kept.app) != kept.shape:
            kept = None  # a test changed what is not set back: build anew
        if kept is None:
            app = build()
            self._kept[backend] = _Kept(app, copy.deepcopy(dict(app.config)), dict(app.extensions),
                                        self._shape(app))
            return app
        self._set_back(kept, instance, url, printer)
        return kept.app

    @staticmethod
    def _set_back(kept: _Kept, instance, url, printer) -> None:
        from pos.app import devices_for
        from pos.auth.throttle import LoginGuard
        from pos.db import Database
        from pos.hardware import Hardware

        app = kept.app
        app.config.clear()
        app.config.update(copy.deepcopy(kept.config))
        app.config["DATABASE_URL"] = url
        app.instance_path = str(instance)
        instance.mkdir(parents=True, exist_ok=True)
        app.extensions.clear()
        app.extensions.update(kept.extensions)
        app.extensions["pos_db"] = Database(pos.db.make_engine(
            url, background_checkpoint=app.config["SQLITE_BACKGROUND_CHECKPOINT"]))
        app.extensions["pos_login_guard"] = LoginGuard.from_config(app.config)
        app.extensions["pos_hardware"] = Hardware(printer=printer)
        app.extensions["pos_devices"] = devices_for(app)

    @staticmethod
    def _shape(app) -> tuple:
        """What a test could change on an app that ``_set_back`` does not set back."""
        hooks = [(name, key, tuple(funcs)) for name in (
            "before_request_funcs", "after_request_funcs", "teardown_request_funcs",
            "template_context_processors", "url_value_preprocessors", "url_default_functions")
            for key, funcs in getattr(app, name).items() if funcs]
        # a defaultdict that Flask fills with empty entries while it looks handlers up
        handlers = [(scope, code, tuple(found.items()))
                    for scope, codes in app.error_handler_spec.items()
                    for code, found in codes.items() if found]
        return (len(list(app.url_map.iter_rules())), tuple(sorted(app.view_functions.items())),
                repr(sorted(hooks, key=repr)), repr(sorted(handlers, key=repr)),
                tuple(app.teardown_appcontext_funcs), tuple(sorted(app.jinja_env.globals)),
                tuple(sorted(app.jinja_env.filters)), app.wsgi_app, app.url_map.converters.copy())


APPS = ReusedApps()
