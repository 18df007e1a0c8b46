"""Compiled templates kept on disk (``pos.template_cache``): a disk that takes no file, read-only
after a fault or full, keeps nothing and every page is still drawn; the error page that says
the database cannot be written among them (waitress's English "Internal Server Error" had
stood in for it)."""
from __future__ import annotations

import errno

from flask import Flask, render_template
from jinja2 import FileSystemBytecodeCache

from pos import template_cache


def small_app(tmp_path) -> Flask:
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "page.html").write_text("Halo {{ name }}", encoding="utf-8")
    app = Flask("kept", root_path=str(tmp_path), instance_path=str(tmp_path / "instance"))
    template_cache.keep_compiled_templates(app)
    return app


def test_a_cache_that_cannot_be_written_still_draws_the_page(tmp_path, monkeypatch):
    def read_only(self, bucket):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(FileSystemBytecodeCache, "dump_bytecode", read_only)
    app = small_app(tmp_path)
    with app.app_context():
        assert render_template("page.html", name="kasir") == "Halo kasir"
    assert list((tmp_path / "instance" / "cache" / "jinja").iterdir()) == []


def test_a_written_cache_is_read_back(tmp_path):
    with small_app(tmp_path).app_context():
        assert render_template("page.html", name="a") == "Halo a"
    assert len(list((tmp_path / "instance" / "cache" / "jinja").iterdir())) == 1
    with small_app(tmp_path).app_context():   # another process after a restart
        assert render_template("page.html", name="b") == "Halo b"


def test_no_cache_folder_no_cache_and_no_failure(tmp_path, monkeypatch):
    from pathlib import Path

    small_app(tmp_path)   # the templates, before no folder can be made
    made = Path.mkdir

    def refused(self, *args, **kwargs):
        if self.name == "jinja":
            raise OSError(errno.EROFS, "Read-only file system")
        return made(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refused)
    app = small_app(tmp_path)
    assert "bytecode_cache" not in app.jinja_options
    with app.app_context():
        assert render_template("page.html", name="c") == "Halo c"
