"""Every file the app hands out (its CSV, XLSX and PDF exports) goes through
``pos.web.download``: saved by the browser under a plain name, of the type the name says, never
kept in the browser's cache (the outlet's figures and members' NIKs, on a computer the staff
share), and a CSV starts with UTF-8's byte-order mark so a spreadsheet program shows its
accents and dashes. The routes come from the URL map: a new export is checked the day it is
added, and one this test cannot reach fails it."""
from __future__ import annotations

import codecs
import re
import shutil

import pytest
from sqlalchemy import select

from pos.auth.models import User
from pos.db import get_db
from pos.reports import registry
from pos.sales.models import Sale
from pos.shifts.models import Shift
from pos.web import DOWNLOAD_TYPES, download
from tests.conftest import build_app
from tests.factories import login

FILE = re.compile(r"\.(csv|xlsx|pdf)$|\.<kind>$")
KINDS = tuple(DOWNLOAD_TYPES)
# pages that hand out their figures as a file when asked with ?unduh=<kind>
BY_ARGUMENT = {"reports.show": ("csv", "xlsx"), "closing.summary": KINDS}
MAGIC = {"xlsx": b"PK\x03\x04", "pdf": b"%PDF-"}


@pytest.fixture
def manager(tmp_path, printer, demo_history_template):
    """A manager's client on the demo gerai with its fourteen closed days."""
    shutil.copyfile(demo_history_template, tmp_path / "pos.db")
    app = build_app(tmp_path, f"sqlite:///{tmp_path / 'pos.db'}", printer)
    client = app.test_client()
    with get_db(app).reading() as s:
        user_id = s.scalar(select(User.id).where(User.username == "manajer1"))
        shift_id = s.scalar(select(Shift.id).where(Shift.closed_at.is_not(None)).order_by(Shift.id))
        day = s.scalar(select(Sale.business_date).order_by(Sale.business_date))
    login(client, user_id, shift=False)
    yield app, client, shift_id, day
    get_db(app).engine.dispose()


def _urls(app, shift_id: int, day) -> dict[str, list[str]]:
    """Each export's URLs, by endpoint: every file route of the URL map and every page that
    answers ?unduh= with a file."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, list[str]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not FILE.search(rule.rule):
            continue
        kinds = KINDS if "kind" in rule.arguments else (None,)
        values = {"shift_id": shift_id}
        found[rule.endpoint] = [adapter.build(rule.endpoint, {**values, "kind": kind} if kind else values)
                                for kind in kinds]
    window = f"dari={day:%d-%m-%Y}&sampai={day:%d-%m-%Y}"
    product = "&barang=SBK-0001"  # the stock card is of one product
    found["reports.show"] = [f"/laporan/{entry.slug}?{window}&unduh={kind}"
                             f"{product if entry.slug == 'kartu-stok' else ''}"
                             for entry in registry.ENTRIES for kind in BY_ARGUMENT["reports.show"]]
    found["closing.summary"] = [f"/tutup-hari/{day.isoformat()}?unduh={kind}" for kind in KINDS]
    return found


def test_every_export_is_a_private_download_of_its_type(manager):
    app, client, shift_id, day = manager
    urls = _urls(app, shift_id, day)
    assert {"catalog.export_csv", "members.export_xlsx", "shift_exports.download", "lpg.day_csv",
            "accounts.ageing_csv", "pharmacy.export_csv", "fertilizer.redemptions_xlsx"} <= set(urls)
    problems = []
    for _endpoint, paths in sorted(urls.items()):
        for path in paths:
            response = client.get(path)
            disposition = response.headers.get("Content-Disposition", "")
            name = re.fullmatch(r'attachment; filename="([A-Za-z0-9_.-]+)\.(csv|xlsx|pdf)"', disposition)
            if response.status_code != 200 or name is None:
                problems.append(f"{path}: {response.status_code} {disposition!r}")
                continue
            kind, body = name.group(2), response.data
            if response.headers.get("Content-Type") != DOWNLOAD_TYPES[kind]:   # one charset, once
                problems.append(f"{path}: {response.headers.get('Content-Type')!r} for a .{kind}")
            if response.headers.get("Cache-Control") != "no-store":
                problems.append(f"{path}: Cache-Control {response.headers.get('Cache-Control')!r}")
            if not body.startswith(MAGIC.get(kind, codecs.BOM_UTF8)):
                problems.append(f"{path}: a .{kind} starting {body[:8]!r}")
    assert not problems, "\n".join(problems)


def test_a_cashier_gets_no_export(manager):
    app, client, shift_id, day = manager
    with get_db(app).reading() as s:
        cashier = s.scalar(select(User.id).where(User.username == "kasir1"))
    login(client, cashier, shift=False)
    for endpoint, paths in _urls(app, shift_id, day).items():
        assert client.get(paths[0]).status_code in (302, 303, 403), endpoint


@pytest.mark.parametrize("name", ["laporan.txt", "a b.csv", 'x".csv', "rekap.csv\r\nSet-Cookie: x=1",
                                  "../x.csv", "laporan", "ringkas-é.pdf"])
def test_a_name_that_is_not_a_plain_file_name_is_a_programming_error(app, name):
    with app.test_request_context(), pytest.raises(ValueError, match="not a download name"):
        download(b"", name)


def test_text_is_encoded_once_with_a_mark_only_for_csv(app):
    with app.test_request_context():
        assert download("Kopi – gula", "x.csv").data == codecs.BOM_UTF8 + "Kopi – gula".encode()
        assert download(codecs.BOM_UTF8 + b"a", "x.csv").data == codecs.BOM_UTF8 + b"a"
        assert download(b"%PDF-1.4", "x.pdf").data == b"%PDF-1.4"
