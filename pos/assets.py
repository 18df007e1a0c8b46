"""Scripts, styles and images kept by the browser until they change.

Every page names its files through ``url_for('static', ...)`` (or a blueprint's ``.static``);
this adds ``?v=`` and the first 12 hex digits of the file's SHA-256 to that URL, and a
request carrying the file's current ``v`` is answered with ``Cache-Control: public,
max-age=31536000, immutable``. A till then loads the till page with one request instead of
twenty (Flask's default, ``no-cache``, made the browser ask again for each of its nineteen
files on every page, each a round trip through the app on the mini-PC), and an updated file
has a new URL, so no till ever runs yesterday's script against today's page. A URL with
another ``v`` (a page from before an update) or none gets the file under Flask's default.

The digest is kept per file with the file's size and modification time, so a file edited
while the server runs (development) gets a new ``v`` at the next page.
"""
from __future__ import annotations

import hashlib
import os

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
_digests: dict[str, tuple[int, int, str]] = {}  # path -> (mtime_ns, size, digest)


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)
    app.after_request(_keep_versioned)


def _folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    if endpoint.endswith(".static"):
        blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0])
        return blueprint.static_folder if blueprint else None
    return None


def version(folder: str, filename: str) -> str | None:
    """The file's digest, or None when there is no such file."""
    path = safe_join(folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    known = _digests.get(path)
    if known and known[0] == stat.st_mtime_ns and known[1] == stat.st_size:
        return known[2]
    with open(path, "rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()[:12]
    _digests[path] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def _add_version(endpoint: str, values: dict) -> None:
    if "filename" in values and "v" not in values:
        folder = _folder(current_app, endpoint)
        if folder is not None and (digest := version(folder, values["filename"])):
            values["v"] = digest


def _keep_versioned(response: Response) -> Response:
    if not request.query_string:  # not a versioned file (and no query string parsed to see it)
        return response
    asked = request.args.get("v")
    if asked and response.status_code in (200, 304):
        folder = _folder(current_app, request.endpoint or "")
        if folder is not None and asked == version(folder, request.view_args.get("filename", "")):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
    return response
