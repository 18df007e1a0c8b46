"""URL rules that build their URL-building functions on first use.

Werkzeug compiles two small Python functions for every rule when the rule is added (to
build its URL with and without extra query arguments): for the app's ~190 routes that was
about 60 ms of each server start, most of it for pages a till never links to. A rule here
compiles them the first time ``url_for`` needs them, then keeps them. It overrides
werkzeug's ``Rule._compile_builder`` (not public API): ``tests/test_routing.py`` checks that
every kind of rule still builds the URLs werkzeug's own rules build, and that nothing is
compiled before it is used.
"""
from __future__ import annotations

from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    def _compile_builder(self, append_unknown: bool = True):
        compile_now = super()._compile_builder
        built = []

        def build(rule, *args, **kwargs):
            if not built:   # two threads may both compile once: the same function either way
                built.append(compile_now(append_unknown).__get__(rule, None))
            return built[0](*args, **kwargs)

        return build
