"""The server on a database whose schema is not this code's (``pos.migrate.Mismatch``): made by a
newer version of Gerai POS, or not upgraded yet. Every page but ``/healthz`` (and the files a
page needs) answers 503 with what to do, so nothing is sold or saved on a schema the code does
not match; the same page for htmx as the messages partial (``pos.error_views``).

The database is asked once, at the first request after the start (one query of
``alembic_version``), and again at each refused request until it matches: once ``pos db
upgrade`` ran, the next page is served, without a restart."""
from __future__ import annotations

from flask import request
from sqlalchemy.exc import DBAPIError

from pos.db import get_db
from pos.errors import PosError

# /healthz says what is wrong itself; a refusal's page needs the styles and htmx.
OPEN_BLUEPRINTS = frozenset({"health", "vendor_htmx"})
OPEN_ENDPOINTS = frozenset({"static"})


class SchemaMismatch(PosError):
    status = 503


def init_app(app) -> None:
    """Before every other hook: a refused request reads or writes nothing else."""
    app.before_request(_refuse_another_schema)


def _refuse_another_schema() -> None:
    if request.blueprint in OPEN_BLUEPRINTS or request.endpoint in OPEN_ENDPOINTS:
        return
    try:
        found = get_db().schema.refusal()
    except DBAPIError:   # the database cannot be asked: the request meets that error itself
        return
    if found is not None:
        raise SchemaMismatch(found.page)
