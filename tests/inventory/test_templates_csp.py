"""The stock screens' templates run under the app's Content-Security-Policy (scripts and
styles from files only, htmx without eval): no inline script, handler, hx-on or style."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for folder in ("receiving", "counts", "catalog", "labels", "inventory", "reports")
                   for p in (ROOT / "templates" / folder).rglob("*.html")) \
    + [ROOT / "templates" / "home.html", ROOT / "templates" / "_date.html"]
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "inline handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on": re.compile(r"\b(hx|data-hx)-on", re.IGNORECASE),
    "inline style": re.compile(r"<style|\sstyle\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_code(template):
    text = template.read_text()
    assert [name for name, pattern in FORBIDDEN.items() if pattern.search(text)] == []


def test_the_check_catches_what_it_forbids():
    planted = ['<script>alert(1)</script>', '<form onsubmit="return confirm(1)">',
               '<form hx-on::after-request="x">', '<div style="color:red">', '<a href="javascript:x">']
    for text in planted:
        assert any(pattern.search(text) for pattern in FORBIDDEN.values()), text
    assert not any(p.search('<script src="/static/js/counts.js" defer></script>') for p in FORBIDDEN.values())
