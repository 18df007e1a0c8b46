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

Together they take about two thirds off building an app and rendering its first page.
Production builds one app per process and keeps its compiled templates in its instance
folder (``pos.web.keep_compiled_templates``); this lives with the tests.
"""
from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing.rules import Rule

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


def install() -> None:
    """Share URL builders between the apps of this process (call once, at start-up)."""
    Rule._compile_builder = _shared_builder
