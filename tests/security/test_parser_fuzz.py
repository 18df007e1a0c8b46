"""Every parser of outside input, fuzzed (hypothesis): Rupiah, quantities, dates typed day
first, ``3*code``, tender forms, QRIS payloads, member forms, CSV and XLSX import files
(catalog, members, HET, e-RDKK) and ledger documents.  Each gives a valid result or its
module's own clear error, never another exception.  (Barcodes, weighed-label patterns and
scale frames are fuzzed beside their code: tests/inventory/catalog, tests/hardware.)"""
from __future__ import annotations

import csv
import io
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from pos import dates, money
from pos.errors import PosError
from pos.fertilizer.rdkk import RdkkFile
from pos.het import transfer as het_transfer
from pos.inventory.catalog import spreadsheets
from pos.inventory.catalog import transfer as catalog_transfer
from pos.ledger_hub import protocol
from pos.members import transfer as member_transfer
from pos.members.fields import FieldErrors, clean_all
from pos.payments import qris
from pos.sales import tenders
from pos.sales.scanning import QuantityError, split_times
from pos.units import BaseUnit
from tests.payments.vectors import BAZNAS, SAMPLE1

FAST = settings(max_examples=150, deadline=None)
WITH_DB = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture])
TYPED = st.text(alphabet=string.digits + ".,-+ Rpr*xX/\t", max_size=24)  # near what is typed
ANY = st.one_of(st.text(max_size=40), TYPED)


@pytest.fixture
def backend():
    return "sqlite"


def message_of(error: Exception) -> str:
    text = error.message if isinstance(error, PosError) else str(error)
    assert text.strip(), f"{type(error).__name__} without a message"
    return text


@FAST
@given(ANY, st.integers(0, 10**12))
def test_rupiah(text, maximum):
    try:
        value = money.parse_rupiah(text, maximum)
    except money.MoneyError as error:
        message_of(error)
    else:
        assert isinstance(value, int) and 0 <= value <= maximum


@FAST
@given(ANY, st.sampled_from(list(BaseUnit)))
def test_quantity(text, unit):
    try:
        qty = unit.parse_input(text)
    except ValueError as error:
        assert "Jumlah" in message_of(error)
    else:
        assert isinstance(qty, int) and 0 <= qty < 10**13


@FAST
@given(st.one_of(st.text(max_size=20), st.text(alphabet=string.digits + "-/. ", max_size=12)))
def test_date_typed_day_first(text):
    try:
        day = dates.parse_day_first(text)
    except ValueError as error:
        message_of(error)
    else:
        assert date(dates.FIRST_YEAR, 1, 1) <= day <= date(dates.LAST_YEAR, 12, 31)


@FAST
@given(st.one_of(st.text(max_size=30), st.builds(lambda a, b: f"{a}*{b}", ANY, ANY)))
def test_times_code(text):
    try:
        count, code = split_times(text)
    except QuantityError as error:
        message_of(error)
    else:
        assert isinstance(count, int) and 0 <= count <= 10_000 and isinstance(code, str)


TENDER_KEYS = ["tender_method", "tender_amount", "tender_reference", "tender_confirmed", "tendered",
               "tender_cart", "tender_member"]


@FAST
@given(st.lists(st.tuples(st.sampled_from(TENDER_KEYS),
                          st.one_of(ANY, st.sampled_from(["transfer", "qris", "kasbon", "card",
                                                          "1", "0", "50000", "REF123"]))),
                max_size=10),
       st.integers(1, 10**9))
def test_tender_form(pairs, maximum):
    try:
        found = tenders.from_form(MultiDict(pairs), maximum)
    except tenders.TenderError as error:
        message_of(error)
    else:
        # nothing at all (no tender, no cash typed) is no tender: settle says what remains
        assert found or not (MultiDict(pairs).get("tendered") or "").strip()
        assert all(0 <= t.tendered <= maximum for t in found)


def with_crc(body: str) -> str:
    return body + "6304" + qris.crc16(body + "6304")


PRINTABLE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)


@st.composite
def qris_like(draw):
    """A published payload cut, spliced and given a right CRC again, or plain text."""
    base = draw(st.sampled_from([SAMPLE1, BAZNAS]))[:-8]
    start = draw(st.integers(0, len(base)))
    end = draw(st.integers(start, len(base)))
    body = base[:start] + draw(PRINTABLE) + base[end:]
    return draw(st.sampled_from([with_crc(body), body, with_crc(draw(PRINTABLE))]))


@FAST
@given(st.one_of(qris_like(), st.text(max_size=80)), st.integers(-5, 10**10))
def test_qris_payload(payload, amount):
    try:
        parsed = qris.parse(payload)
        rows = qris.explain(payload)
        made = qris.dynamic(payload, amount)
    except qris.QrisError as error:
        message_of(error)
        return
    assert parsed.pairs and all(isinstance(value, str) for _, _, value in rows)
    assert qris.amount_of(made) == amount


MEMBER_FIELDS = ["number", "name", "nik", "phone", "card_barcode", "joined_on", "address"]


@FAST
@given(st.dictionaries(st.sampled_from(MEMBER_FIELDS),
                       st.one_of(ANY, st.sampled_from(["AGT-1", "6471011705850001", "081234567890",
                                                       "+62 812-3456-7890", "15-11-2026"]))))
def test_member_form(form):
    try:
        values = clean_all(form, date(2026, 11, 30))
    except FieldErrors as error:
        assert error.errors and all(message.strip() for message in dict(error.errors).values())
    else:
        assert set(values) <= set(MEMBER_FIELDS) | {"active"}


CELLS = st.one_of(
    st.text(max_size=25),
    st.sampled_from(["", "sembako", "pcs", "gram", "kg", "ml", "ya", "tidak", "ppn", "bebas",
                     "block", "obat_keras", "urea", "padi", "Zona 1", "8998866200301",
                     "6471011705850001", "1234567890", "15-11-2026", "31-02-2026", "12,5", "-3",
                     "1e9", "99999999999999999999", "=cmd|' /C calc'!A0", "'=1+1", "aktif"]))


@st.composite
def import_file(draw, columns: list[str]):
    """CSV bytes: the header (maybe with a stray or missing column) and up to 6 rows."""
    header = draw(st.lists(st.sampled_from([*columns, "lain", ""]), min_size=1, max_size=10))
    if draw(st.booleans()):
        header = list(columns)
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 1), max_size=6))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


RULES = {"catalog": catalog_transfer, "members": member_transfer, "het": het_transfer,
         "rdkk": RdkkFile("MT 2026 I", date(2026, 1, 1), date(2026, 6, 30))}


@pytest.mark.parametrize("kind", list(RULES))
def test_import_files(db, kind):
    rules = RULES[kind]

    @WITH_DB
    @given(import_file(list(rules.IMPORT_COLUMNS)))
    def check(data):
        try:
            rows = spreadsheets.read_csv(data, list(rules.IMPORT_COLUMNS), rules.KEY)
        except spreadsheets.ImportErrors as error:
            assert error.errors and all(isinstance(e, str) and e for e in error.errors)
            return
        with db.reading() as session:
            problems = rules.validate(session, rows)
        assert all(isinstance(p, str) and p.strip() for p in problems)

    check()


@FAST
@given(st.binary(max_size=300))
def test_xlsx_upload_of_any_bytes(data):
    try:
        spreadsheets.read_xlsx(data, spreadsheets.COLUMNS)
    except spreadsheets.ImportErrors as error:
        assert error.errors


JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                              st.text(max_size=12)),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                    max_leaves=30)
DOCUMENT_KEYS = ["schema", "version", "kind", "document_id", "outlet_code", "business_date",
                 "created_at", "currency", "journal", "summary", "hash", "corrects"]


@FAST
@given(st.dictionaries(st.sampled_from(DOCUMENT_KEYS), JSON, max_size=12))
def test_ledger_document_shapes(document):
    body = protocol.canonical(document)
    try:
        protocol.validate(protocol.parse(body))
    except protocol.Invalid as error:
        assert error.problems and all(isinstance(p, str) and p for p in error.problems)


@FAST
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                 st.integers(1, 200_000).map(lambda n: b"[" * n),
                 st.integers(1, 200_000).map(lambda n: b'{"a":' * n + b"1")))
@example(b"[" * 100_000)   # deeper than Python's stack: was a RecursionError, a 500 at the hub
@example(b"[" * 17 + b"]" * 17)
def test_ledger_body_bytes(body):
    try:
        protocol.validate(protocol.parse(body))
    except protocol.Invalid as error:
        assert error.problems
