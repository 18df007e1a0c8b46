"""The wire protocol's pure functions: canonical form, hash, signature, validation."""
from __future__ import annotations

import hashlib
import hmac

import pytest

from pos.ledger_hub import protocol
from tests.ledger_hub.helpers import document


def test_canonical_sorts_keys_without_spaces_and_keeps_unicode():
    expected = '{"a":{"c":"é","d":"Rp"},"b":1}'.encode()
    assert protocol.canonical({"b": 1, "a": {"d": "Rp", "c": "é"}}) == expected


def test_content_hash_ignores_the_hash_key_and_sees_any_change():
    doc = document()
    assert doc["hash"] == hashlib.sha256(protocol.canonical({k: v for k, v in doc.items()
                                                             if k != "hash"})).hexdigest()
    assert protocol.content_hash({**doc, "hash": "x"}) == doc["hash"]
    assert protocol.content_hash({**doc, "created_at": "2026-11-30T15:05:01Z"}) != doc["hash"]


def test_sign_is_hmac_sha256_over_timestamp_dot_body_and_verify_checks_it():
    body = b'{"a":1}'
    expected = hmac.new(b"rahasia", b"1764514800." + body, hashlib.sha256).hexdigest()
    assert protocol.sign("rahasia", 1764514800, body) == expected
    assert protocol.sign("rahasia", "1764514800", body.decode()) == expected
    assert protocol.verify("rahasia", "1764514800", body, expected)
    assert protocol.verify("rahasia", "1764514800", body, expected.upper())
    assert not protocol.verify("rahasia", "1764514801", body, expected)
    assert not protocol.verify("rahasia", "1764514800", b'{"a":2}', expected)
    assert not protocol.verify("lain", "1764514800", body, expected)
    assert not protocol.verify("rahasia", "1764514800", body, "")
    assert not protocol.verify("rahasia", "1764514800", body, "ü" * 64)


def test_the_documented_worked_example_reproduces():
    """docs/ledger-api.md shows this document, its hash and its signature."""
    doc = {"schema": "gerai-pos.ledger-document", "version": 1, "document_id": "KDMP01-2026-11-30-day",
           "outlet_code": "KDMP01", "kind": "day", "business_date": "2026-11-30",
           "created_at": "2026-11-30T15:05:00Z", "currency": "IDR",
           "journal": [{"account": "111000", "name": "Kas", "debit": 100000, "credit": 0, "memo": "tunai",
                        "unit": None, "member": None},
                       {"account": "411100", "name": "Penjualan Sembako Anggota", "debit": 0,
                        "credit": 60000, "memo": "", "unit": "sembako", "member": True},
                       {"account": "411200", "name": "Penjualan Sembako Non-Anggota", "debit": 0,
                        "credit": 40000, "memo": "", "unit": "sembako", "member": False}],
           "summary": {"sale_count": 2, "gross": 100000, "discount": 0, "tax": 0, "total": 100000,
                       "rounding": 0, "payments": {"cash": {"count": 2, "amount": 100000}},
                       "business_units": {"sembako": {"lines": 3, "amount": 100000, "tax": 0}}}}
    doc["hash"] = protocol.content_hash(doc)
    assert protocol.problems(doc) == []
    assert doc["hash"] == WORKED_HASH
    assert protocol.sign("contoh-rahasia", "1796051100", protocol.canonical(doc)) == WORKED_SIGNATURE


WORKED_HASH = "0d390c2c7a2546106d38af7db3a6c0478b43e3bac5fa83422e9487af5d971b7a"
WORKED_SIGNATURE = "640aee0d88e5c00a70ee8ef2581b6787b78897b9261bfde9a124a928571a4090"


def test_a_valid_document_has_no_problems():
    doc = document()
    assert protocol.problems(doc) == []
    assert protocol.validate(doc) is doc


def rehashed(doc: dict) -> dict:
    doc["hash"] = protocol.content_hash(doc)
    return doc


def with_line(index: int, **changes) -> dict:
    doc = document()
    doc["journal"][index].update(changes)
    return rehashed(doc)


@pytest.mark.parametrize(("doc", "expected"), [
    (with_line(0, debit=100_001), "tidak seimbang"),
    (with_line(0, debit=100_000.0), "bilangan bulat"),
    (with_line(2, credit=True), "bilangan bulat"),
    (with_line(2, credit="85000"), "bilangan bulat"),
    (with_line(1, credit=25_000), "bersamaan"),
    (with_line(0, debit=-100_000), "negatif"),
    (with_line(0, member="ya"), "member"),
    (rehashed({**document(), "version": 2}), "versi dokumen tidak dikenal"),
    (rehashed({**document(), "version": True}), "versi dokumen tidak dikenal"),
    (rehashed({**document(), "kind": "week"}), "kind"),
    (rehashed({**document(), "currency": "USD"}), "currency"),
    (rehashed({**document(), "business_date": "30-11-2026"}), "business_date"),
    (rehashed({**document(), "created_at": "2026-11-30T23:05:00+08:00"}), "created_at"),
    (rehashed({**document(), "document_id": "x" * 81}), "document_id"),
    (rehashed({**document(), "document_id": "KDMP01 hari"}), "document_id"),
    ({**document(), "total": 1}, "hash tidak cocok"),
    ({**document(), "hash": "ABC"}, "hash harus"),
    (rehashed({**document(), "summary": {**document()["summary"], "gross": 1.5}}), "summary.gross"),
    (rehashed({**document(), "summary": {"sale_count": 1}}), "summary.gross"),
    (rehashed({**document(), "summary": {**document()["summary"], "payments": {"cash": {"count": 1}}}}),
     "summary.payments"),
    (rehashed({**document(), "journal": {"account": "111000"}}), "daftar"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_invalid_documents_are_named(doc, expected):
    found = protocol.problems(doc)
    assert any(expected in problem for problem in found), found
    with pytest.raises(protocol.Invalid) as raised:
        protocol.validate(doc)
    assert expected in str(raised.value)


@pytest.mark.parametrize("missing", ["schema", "document_id", "outlet_code", "kind", "business_date",
                                     "created_at", "currency", "journal", "summary", "hash"])
def test_a_missing_key_is_a_problem(missing):
    doc = {k: v for k, v in document().items() if k != missing}
    assert protocol.problems(rehashed(doc) if missing != "hash" else doc)


@pytest.mark.parametrize("missing", ["account", "name", "debit", "credit"])
def test_a_journal_line_without_a_required_key_is_a_problem(missing):
    doc = document()
    del doc["journal"][0][missing]
    assert f"tidak ada {missing}" in "; ".join(protocol.problems(rehashed(doc)))


def test_parse_accepts_only_utf8_json_objects():
    assert protocol.parse(b'{"a": 1}') == {"a": 1}
    for bad in (b"[1, 2]", b"{", b'{"a": NaN}', b'{"a": Infinity}', b"\xff\xfe"):
        with pytest.raises(protocol.Invalid):
            protocol.parse(bad)


def test_timestamps_are_whole_seconds_within_the_window():
    assert protocol.is_fresh("1000", 1300) is True
    assert protocol.is_fresh("1000", 1301) is False
    assert protocol.is_fresh("1601", 1300) is False
    assert protocol.is_fresh("1000.5", 1000) is None
    assert protocol.is_fresh("-1", 1000) is None
    assert protocol.is_fresh("", 1000) is None


def test_a_correction_carries_a_free_form_summary_but_a_day_needs_the_figures():
    fix = rehashed({**document(kind="correction", n=1), "summary": {"returns": 1}})
    assert protocol.problems(fix) == []
    assert protocol.problems(rehashed({**fix, "summary": []})) == ["summary harus berupa objek"]
    day = rehashed({**document(), "summary": {"returns": 1}})
    assert any("summary.sale_count" in p for p in protocol.problems(day))


def test_the_worked_example_in_the_docs_is_the_one_tested_here():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "ledger-api.md").read_text(encoding="utf-8")
    body = next(line for line in docs.splitlines() if line.startswith('{"business_date"')).encode()
    doc = protocol.validate(protocol.parse(body))
    assert protocol.canonical(doc) == body and doc["hash"] == WORKED_HASH
    assert protocol.sign("contoh-rahasia", "1796051100", body) == WORKED_SIGNATURE
    assert WORKED_HASH in docs and WORKED_SIGNATURE in docs
