"""A live server on a demo database and a headless Chromium driven by Playwright.

Chromium is Debian's (/usr/bin/chromium); Playwright's own browser download is
never used.  Under CI=true a missing browser fails the run instead of skipping.
"""
from __future__ import annotations

import os
import threading

import pytest

import pos.models
from pos.db import get_db
from pos.demo import seed_demo
from tests.conftest import build_app, unavailable

CHROMIUM = os.environ.get("POS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live(tmp_path, printer):
    """(base_url, app) of a waitress server on a random port, seeded with the demo gerai."""
    from waitress.server import create_server

    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", printer,
                    WTF_CSRF_ENABLED=True, SQLITE_BACKGROUND_CHECKPOINT=True)
    database = get_db(app)
    pos.models.metadata.create_all(database.engine)
    with database.transaction() as session:
        seed_demo(session)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", app
    server.close()
    database.engine.dispose()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
