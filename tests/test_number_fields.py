"""Every numeric form field and query parameter takes ASCII digits only, within bounds, and
no text at all makes the app answer with a 5xx.

Python's ``\\d``, ``str.isdigit`` and ``int()`` accept Unicode digits (``８``, ``٣``, ``²``)
and ``int()`` refuses 4,300 digits and more; each parser must turn all of that into a
message.  The routes come from the URL map and the table ``NUMERIC`` names the numeric
fields each one reads (a test keeps the table in step with the URL map); hypothesis posts
random text to them, logged in as an admin with a till, on a seeded demo gerai.
"""
from __future__ import annotations

import shutil
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.auth.models import User
from pos.db import get_db
from pos.hardware import HardwareError
from pos.hardware.fakes import RecordingPrinter
from pos.tills.models import Till
from tests.conftest import build_app
from tests.factories import login
from tests.payments.vectors import SAMPLE1

# endpoint -> the numeric fields it reads (form for POST, query string for GET)
NUMERIC: dict[str, tuple[str, ...]] = {
    "auth.login_post": ("till_id", "pin"),
    "catalog.index": ("hal",),
    "catalog.create": ("price", "cost", "reorder_point", "plu", "barcodes"),
    "catalog.edit": ("price", "cost", "reorder_point", "plu"),
    "catalog.add_barcode": ("qty", "code"),
    "catalog.add_pack": ("qty",),
    "counts.open_count": ("category_id",),
    "counts.pick": ("product_id",),
    "counts.record": ("product_id", "batch_id", "pack_id", "packs", "counted"),
    "counts.adjust_pick": ("product_id",),
    "counts.request_adjustment": ("product_id", "batch_id", "qty"),
    "devices.open_drawer": ("till_id",),
    "devices.pattern_test": ("kode",),
    "inventory.stock_lists": ("hari",),
    "labels.assign_codes": ("product_id",),
    "labels.print_labels": ("product_id", "copies"),
    "receiving.create": ("supplier_id",),
    "receiving.lines": ("baris",),
    "receiving.update_line": ("qty_packs", "ordered_packs", "damaged_packs", "cost_per_pack", "expiry"),
    "receiving.add_pack": ("product_id", "qty"),
    "reports.day": ("tanggal",),
    "sales.scan": ("code",),
    "sales.weigh": ("tare",),
    "sales.weigh_manual": ("weight",),
    "sales.set_qty": ("qty",),
    "sales.pay": ("tender_amount", "tendered", "expected_total"),
    "sales.attach_member": ("member",),
    "pay.qris_code": ("jumlah",),
    "pay.qris_bill": ("jumlah",),
    "receiving.scan": ("code",),
    "receiving.add_supplier": ("phone",),
    "receipts.history_page": ("q",),
    "members.index": ("hal",),
    "members.create": ("number", "nik", "phone", "card_barcode", "joined_on"),
    "members.show": ("number", "nik", "phone", "card_barcode", "joined_on"),
    "members.print_cards": ("member_id", "copies"),
    "members.till_search": ("q",),
    "accounts.find_member": ("q",),
    "accounts.pay": ("member_id", "wajib", "sukarela", "angsuran", "diterima"),
    "accounts.set_limit": ("batas",),
    "prices.index": ("q",),
    "prices.discounts": ("unit_sembako", "cat_1"),
    "prices.member_price": ("member_price",),
    "prices.add_tier": ("min_qty", "tier_price"),
    "settings.save_qris": ("qris_static",),
    "approvals.index": ("dari", "sampai"),
    "adjust.line_discount": ("discount",),
    "adjust.sale_discount": ("discount", "approval_pin"),
    "adjust.override_price": ("price",),
    "het.add": ("price", "from"),
    "limits.save": ("max_qty",),
    "limits.attach": ("product_id",),
    "lpg.day_page": ("tanggal",),
    "lpg.day_csv": ("tanggal",),
    "lpg.day_xlsx": ("tanggal",),
    "buyer.save": ("buyer", "proxy_nik"),
}
# Other fields a route needs before it reads its numbers; a callable is called for each request
# (a fresh idempotency key, so that no example is answered with an earlier one's result).
FIXED = {"counts.open_count": {"scope": "category"}, "counts.request_adjustment": {"kind": "adjustment",
         "reason": "uji"}, "labels.print_labels": {"format": "thermal"},
         "sales.pay": {"idempotency_key": lambda: str(uuid.uuid4()),
                       "tender_method": "member_credit", "tender_reference": "", "tender_confirmed": ""},
         "catalog.add_pack": {"name": "karton uji"}, "prices.add_tier": {"below_cost_ok": "1"},
         # the product page's values as loaded: without them a save is refused before it is read
         "catalog.edit": {"asal_price": "1", "asal_cost": "0", "asal_reorder_point": "0", "asal_plu": ""},
         "catalog.create": {"sku": "UJI-1", "name": "Uji", "business_unit": "sembako", "base_unit": "pcs",
                            "tax_class": "ppn"},
         "receiving.add_supplier": {"name": "Pemasok Angka", "kind": "lainnya"},
         "receipts.history_page": {"buka": "1"}, "members.create": {"name": "Anggota Uji"},
         "members.print_cards": {"format": "a4"},
         "accounts.pay": {"idempotency_key": lambda: str(uuid.uuid4()), "cara": "cash"},
         "het.add": {"sku": "UJI-HET", "zone": "", "note": ""},
         "adjust.line_discount": {"reason": "uji"}, "adjust.override_price": {"reason": "uji"},
         "adjust.sale_discount": {"reason": "uji", "approval_user": "admin", "approval_reason": "uji"}}

UNICODE_DIGITS = "８٣²①𝟘੩߃०¹½Ⅻ"
ODD = ["", " ", "0", "-0", "+1", "-1", "1e3", "0x10", "1_000", "²", "٣", "８", "١٢", "１２３", "NaN", "∞",
       "3.5", "3,5", "50.000", "Rp50.000", "100%", "12,5%", "999%", "2026-13", "9999-12", "31-12-9999",
       "00-00-0000", "9" * 13, "9" * 19, "9" * 4_301, "1" * 10_000, "٣" * 5_000]
# A plain value for the fields not under attack, so that each field's own parser is reached.
PLAIN = {"tanggal": "2026-11-30", "expiry": "", "code": "8998866200301", "barcodes": "", "pin": "0000",
         "approval_pin": "0000", "member": "AGT-0001", "q": "AGT-0001", "number": "AGT-0001", "nik": "",
         "phone": "", "card_barcode": "", "joined_on": "", "wajib": "2027-01", "jumlah": "1000",
         "dari": "", "sampai": "", "qris_static": ""}
numbers = st.one_of(
    st.sampled_from(ODD),
    st.text(alphabet="0123456789" + UNICODE_DIGITS, min_size=1, max_size=6),  # digits to str.isdigit()
    st.integers(-10**25, 10**25).map(str),
    st.text(alphabet="0123456789+-.,: \t\nxX*Rp|" + UNICODE_DIGITS, max_size=24),
    st.builds(lambda digit, n: digit * n, st.sampled_from("9١８"), st.integers(4_000, 6_000)),
    st.text(max_size=12),
)
scan_codes = st.one_of(numbers, st.builds(lambda n, code: f"{n}*{code}", numbers,
                                          st.sampled_from(["8998866200301", "2000000000015", "x"])))


def _routes() -> list[tuple[str, str, str]]:
    app = build_app(_routes.tmp, "sqlite://", RecordingPrinter(columns=32))
    adapter = app.url_map.bind("localhost")
    found = [(rule.endpoint, method, adapter.build(rule.endpoint, {a: 1 for a in rule.arguments}))
             for rule in app.url_map.iter_rules() if rule.endpoint in NUMERIC
             for method in sorted(rule.methods & {"GET", "POST"})
             if not (rule.endpoint in ("catalog.edit", "members.show") and method == "GET")]
    get_db(app).engine.dispose()
    return found


_routes.tmp = __import__("pathlib").Path(__import__("tempfile").mkdtemp())
ROUTES = _routes()


def test_the_table_names_only_routes_that_exist():
    assert {endpoint for endpoint, _, _ in ROUTES} == set(NUMERIC)


class _Scale:
    """A settled 750 g on the scale (less the tare), so that the till reads the typed tare."""

    def read_stable_grams(self, tare_grams: int = 0) -> int:
        if tare_grams >= 750:
            raise HardwareError("Berat bersih nol atau kurang.")
        return 750 - tare_grams

    def status(self) -> str:
        return "uji"


@pytest.fixture(scope="module")
def shop(tmp_path_factory, demo_history_template):
    """A demo gerai (a copy of the process's seeded one, closed days included, so that receipt,
    shift and return 1 exist) with a static QRIS, a draft receipt, an open count and a cart
    line with a member (kasbon limit Rp500.000) on it, an admin at a till with a scale that may
    also type weights."""
    tmp = tmp_path_factory.mktemp("numbers")
    shutil.copyfile(demo_history_template, tmp / "pos.db")
    app = build_app(tmp, f"sqlite:///{tmp / 'pos.db'}", RecordingPrinter(columns=32), QRIS_STATIC=SAMPLE1)
    database = get_db(app)
    with database.transaction() as s:
        admin = s.query(User).filter_by(username="admin").one().id
        till = s.query(Till).order_by(Till.id).first().id
    app.extensions["pos_hardware"].scale = _Scale()
    # The login form's numbers are fuzzed with wrong PINs: the tarpit (a second per refusal,
    # tested in tests/security) would only add 25 seconds here.
    app.extensions["pos_login_guard"].tarpit_seconds = 0
    client = app.test_client()
    login(client, admin, till)
    hx = {"HX-Request": "true"}
    setup = [("/penerimaan/pemasok", {"name": "Pemasok Uji", "kind": "lainnya"}),
             ("/penerimaan", {"supplier_id": "1", "delivery_note": "SJ-1"}), ("/penerimaan/1/tambah/1", {}),
             ("/opname", {"scope": "all"}), (f"/perangkat/kasir/{till}", {"manual_weight": "1"}),
             ("/kasir/tambah/1", {}), ("/kasir/anggota", {"member": "AGT-0001"})]
    for url, data in setup:  # each route's parser is reached only if these worked
        assert client.post(url, data=data, headers=hx).status_code < 400, url
    yield client
    database.engine.dispose()


@pytest.mark.parametrize("endpoint, method, url", ROUTES, ids=[f"{e}-{m}" for e, m, _ in ROUTES])
def test_no_text_in_a_number_field_gives_a_server_error(shop, endpoint, method, url):
    fields = NUMERIC[endpoint]
    values = st.fixed_dictionaries({f: st.one_of(st.just(PLAIN.get(f, "1")),
                                                 scan_codes if f in ("code", "kode") else numbers)
                                    for f in fields})

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(values)
    def check(data):
        fixed = FIXED.get(endpoint, {})
        data = {**{name: value() if callable(value) else value for name, value in fixed.items()}, **data}
        if method == "GET":
            response = shop.get(url, query_string=data, headers={"HX-Request": "true"})
        else:
            response = shop.post(url, data=data, headers={"HX-Request": "true"})
        assert response.status_code < 500, (endpoint, data, response.get_data(as_text=True)[:300])

    check()


def _id_routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every route with an id in its path, ids filled with a marker."""
    app = build_app(_routes.tmp, "sqlite://", RecordingPrinter(columns=32))
    adapter = app.url_map.bind("localhost")
    found = [(rule.endpoint, method, adapter.build(rule.endpoint, {a: 424242 for a in rule.arguments}))
             for rule in app.url_map.iter_rules()
             if "<int:" in rule.rule
             for method in sorted(rule.methods & {"GET", "POST"})]
    get_db(app).engine.dispose()
    return found


ID_ROUTES = _id_routes()


@pytest.mark.parametrize("odd_id", ["9" * 25, "9" * 4_400, "٣", "８", "²"])
def test_an_odd_id_in_a_path_is_not_found_never_a_server_error(shop, odd_id):
    assert len(ID_ROUTES) > 20
    for endpoint, method, url in ID_ROUTES:
        response = shop.open(url.replace("424242", odd_id), method=method, headers={"HX-Request": "true"})
        assert response.status_code == 404, (endpoint, method, response.status_code)
