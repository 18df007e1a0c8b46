"""Assets are served by the app itself: htmx 2 from the pinned package, nothing from a CDN."""
from __future__ import annotations

import hashlib
import importlib.resources
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
    shipped = (importlib.resources.files("js_lib_htmx") / "static" / "htmx" / "htmx.min.js").read_bytes()
    assert hashlib.sha256(served).hexdigest() == hashlib.sha256(shipped).hexdigest()
    version = re.search(rb'version:\s*"(\d+\.\d+\.\d+)"', served)
    assert version and version.group(1).startswith(b"2.")


def test_pages_load_htmx_from_the_app(client):
    page = client.get("/masuk").get_data(as_text=True)
    assert 'src="/vendor/htmx/htmx.min.js"' in page
    assert 'src="/static/js/pos.js"' in page
