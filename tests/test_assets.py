"""Assets are served by the app itself: htmx 2 from the pinned package, nothing from a CDN."""
from __future__ import annotations

import hashlib
import importlib.resources
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTMX = importlib.resources.files("js_lib_htmx") / "static" / "htmx"
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_references_an_external_url(template):
    text = template.read_text()
    assert not re.search(r"""(src|href|action|hx-(get|post))\s*=\s*["']?\s*(https?:)?//""", text), template
    assert "cdn" not in text.lower()


def test_static_files_reference_nothing_external():
    for path in (ROOT / "static").rglob("*"):
        if path.is_file():
            # an XML namespace (xmlns="http://www.w3.org/2000/svg") names, it is never fetched
            text = re.sub(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]*"', "", path.read_text())
            assert not re.search(r"https?://|url\(\s*['\"]?//", text), path


def test_htmx_2_is_served_locally(client):
    with client.get("/vendor/htmx/htmx.min.js") as response:
        assert response.status_code == 200
        served = response.get_data()
    shipped = (HTMX / "htmx.min.js").read_bytes()
    assert hashlib.sha256(served).hexdigest() == hashlib.sha256(shipped).hexdigest()
    version = re.search(rb'version:\s*"(\d+\.\d+\.\d+)"', served)
    assert version and version.group(1).startswith(b"2.")


def test_pages_load_htmx_from_the_app(client):
    page = client.get("/masuk").get_data(as_text=True)
    assert re.search(r'src="/vendor/htmx/htmx\.min\.js\?v=[0-9a-f]{12}"', page)
    assert re.search(r'src="/static/js/pos\.js\?v=[0-9a-f]{12}"', page)


def test_every_file_a_page_names_carries_its_digest_and_is_kept_a_year(client):
    page = client.get("/masuk").get_data(as_text=True)
    named = re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"]+)"', page)
    assert len(named) >= 3, named
    for url in named:
        path, _, digest = url.partition("?v=")
        if path.startswith("/static/"):
            body = (ROOT / "static" / path.removeprefix("/static/")).read_bytes()
        else:
            body = (HTMX / path.removeprefix("/vendor/htmx/")).read_bytes()
        assert digest == hashlib.sha256(body).hexdigest()[:12], url
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
            assert response.get_data() == body


def test_a_file_asked_for_by_another_digest_or_none_is_checked_again_every_time(client):
    for url in ("/static/js/pos.js", "/static/js/pos.js?v=000000000000", "/static/js/pos.js?v="):
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "no-cache", url
    assert client.get("/static/js/tidak-ada.js?v=000000000000").status_code == 404


def test_an_edited_file_gets_a_new_digest_and_a_missing_one_none(tmp_path):
    from pos.assets import version

    (tmp_path / "a.js").write_text("one();")
    first = version(str(tmp_path), "a.js")
    assert first == hashlib.sha256(b"one();").hexdigest()[:12]
    assert version(str(tmp_path), "a.js") == first
    (tmp_path / "a.js").write_text("two(); three();")
    assert version(str(tmp_path), "a.js") == hashlib.sha256(b"two(); three();").hexdigest()[:12]
    assert version(str(tmp_path), "b.js") is None
    assert version(str(tmp_path), "../a.js") is None  # nothing outside the folder
