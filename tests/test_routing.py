"""``pos.routing.LazyBuildRule``: URLs built exactly as werkzeug's own rules build them, the
building functions compiled on first use, not at start."""
from __future__ import annotations

import pytest
from werkzeug.routing import Map, Rule

from pos.routing import LazyBuildRule

RULES = [("/", {}), ("/kasir", {}), ("/struk/<int:sale_id>", {"sale_id": 42}),
         ("/buku-besar/<document_id>", {"document_id": "GRI-0001/2026 ü"}),
         ("/laporan/<path:name>", {"name": "a/b c"}),
         ("/hari", {"tanggal": "01-12-2026", "q": ["a", "b"]})]


def built(rule_class, path: str, values: dict, append_unknown: bool):
    urls = Map([rule_class(path, endpoint="e", defaults={"halaman": 1} if path == "/kasir" else None)])
    return urls.bind("gerai.local").build("e", values, append_unknown=append_unknown)


@pytest.mark.parametrize("path,values", RULES)
@pytest.mark.parametrize("append_unknown", [True, False])
def test_the_same_urls_as_werkzeug(path, values, append_unknown):
    assert built(LazyBuildRule, path, values, append_unknown) == built(Rule, path, values, append_unknown)


def test_builders_are_compiled_on_first_use_only(app, monkeypatch):
    compiled = []
    real = Rule._compile_builder

    def counting(self, append_unknown=True):
        compiled.append(self.rule)
        return real(self, append_unknown)

    monkeypatch.setattr(Rule, "_compile_builder", counting)
    rules = Map([LazyBuildRule("/a/<int:n>", endpoint="a"), LazyBuildRule("/b", endpoint="b")])
    urls = rules.bind("gerai.local")
    assert compiled == []
    assert urls.build("a", {"n": 7}) == "/a/7" and urls.build("a", {"n": 8, "x": 1}) == "/a/8?x=1"
    assert compiled == ["/a/<int:n>"]            # once, for the URL with extra arguments
    assert urls.build("a", {"n": 9, "y": 2}) == "/a/9?y=2" and compiled == ["/a/<int:n>"]
    assert all(type(r) is LazyBuildRule for r in app.url_map.iter_rules() if r.endpoint != "static")
