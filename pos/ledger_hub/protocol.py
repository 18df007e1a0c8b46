"""Wire protocol v1 between an outlet (``pos ledger push``) and the ledger hub; pure.

Both sides import this module: the outlet to hash and sign what it sends, the hub to check
what it receives.  ``docs/ledger-api.md`` is the prose version of everything here.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import date, datetime

SCHEMA = "gerai-pos.ledger-document"
VERSION = 1
PATH = "/api/v1/documents"
CURRENCY = "IDR"
KINDS = ("day", "correction")
WINDOW_SECONDS = 300            # a timestamp further than this from the hub's clock is stale
MAX_ID_LENGTH = 80
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_AMOUNT = 10**15             # any single amount or total; fits a 64-bit column many times over
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 16                  # a document nests 4 deep; 4 MB of "[" would exhaust the stack

HEADER_OUTLET = "X-Gerai-Outlet"
HEADER_TIMESTAMP = "X-Gerai-Timestamp"
HEADER_SIGNATURE = "X-Gerai-Signature"
HEADER_IDEMPOTENCY = "Idempotency-Key"

DOCUMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$")
OUTLET_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
SUMMARY_AMOUNTS = ("sale_count", "gross", "discount", "tax", "total", "rounding")
LINE_KEYS = ("account", "name", "debit", "credit")


class Invalid(ValueError):
    """A document that breaks the schema; ``problems`` lists every reason (Indonesian)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def canonical(obj) -> bytes:
    """The one byte form a document is hashed (and sent) in."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(document: dict) -> str:
    """sha256 hex of the canonical JSON of ``document`` without its "hash" key."""
    return hashlib.sha256(canonical({k: v for k, v in document.items() if k != "hash"})).hexdigest()


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def sign(secret: str | bytes, timestamp: str | int, body: str | bytes) -> str:
    """hex HMAC-SHA256(secret, timestamp + "." + raw body bytes)."""
    message = str(timestamp).encode("ascii") + b"." + _bytes(body)
    return hmac.new(_bytes(secret), message, hashlib.sha256).hexdigest()


def verify(secret: str | bytes, timestamp: str | int, body: str | bytes, signature: str) -> bool:
    """True when ``signature`` is ``sign(secret, timestamp, body)`` (constant-time compare)."""
    if not isinstance(signature, str) or not signature.isascii():
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature.lower())


def is_fresh(timestamp: str, now: int, window: int = WINDOW_SECONDS) -> bool | None:
    """None when ``timestamp`` is not whole unix seconds; else whether it is within ``window``."""
    if not isinstance(timestamp, str) or not timestamp.isascii() or not timestamp.isdigit() \
            or len(timestamp) > 12:
        return None
    return abs(int(timestamp) - now) <= window


def _reject_constant(name: str):
    raise ValueError(f"{name} bukan angka JSON yang sah")


def parse(body: bytes) -> dict:
    """The JSON object in ``body``; raises ``Invalid`` when it is not UTF-8 JSON of an object."""
    too_deep = Invalid([f"JSON bersarang lebih dari {MAX_DEPTH} tingkat"])
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        raise Invalid(["bukan JSON UTF-8 yang sah (isi dokumen rusak atau bukan JSON)"]) from None
    except RecursionError:
        raise too_deep from None
    if _deeper_than(document, MAX_DEPTH):
        raise too_deep
    if not isinstance(document, dict):
        raise Invalid(["dokumen harus berupa objek JSON"])
    if _holds_nul(document):  # PostgreSQL text cannot store it: a 422 now, not a 5xx forever
        raise Invalid(["teks dalam dokumen memuat karakter NUL (\\u0000)"])
    return document


def _holds_nul(value) -> bool:
    """Whether any key or string in ``value`` (already known to be shallow) holds U+0000."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _deeper_than(value, limit: int) -> bool:
    """Whether ``value`` nests lists and objects more than ``limit`` deep (no recursion: the
    hashing and checks after this recurse, so they get only what is shallow)."""
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [child for item in level if isinstance(item, dict | list)
                 for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, dict | list)]
    return False


def is_amount(value) -> bool:
    """A whole number of Rupiah (JSON integer; no float, no bool) within MAX_AMOUNT."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_AMOUNT


def _text(value, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _head(doc: dict) -> list[str]:
    problems = []
    if doc.get("schema") != SCHEMA:
        problems.append(f'schema harus "{SCHEMA}"')
    version = doc.get("version")
    if not is_amount(version) or version != VERSION:
        problems.append(f"versi dokumen tidak dikenal: {version!r} (hub ini menerima versi {VERSION})")
        return problems  # the rest of a different version cannot be judged
    if not isinstance(doc.get("document_id"), str) or not DOCUMENT_ID.match(doc["document_id"]):
        problems.append(f"document_id harus 1-{MAX_ID_LENGTH} huruf, angka, '.', '_', ':' atau '-'")
    if not isinstance(doc.get("outlet_code"), str) or not OUTLET_CODE.match(doc["outlet_code"]):
        problems.append("outlet_code tidak sah")
    if doc.get("kind") not in KINDS:
        problems.append('kind harus "day" atau "correction"')
    if not _is_date(doc.get("business_date")):
        problems.append("business_date harus tanggal YYYY-MM-DD")
    if not problems and not _names_its_day(doc):
        problems.append(f'document_id harus "{doc["outlet_code"]}-{doc["business_date"]}-day" untuk '
                        f'dokumen hari, atau diawali "{doc["outlet_code"]}-{doc["business_date"]}-" '
                        "untuk koreksi: satu dokumen hari per gerai per tanggal")
    if not _is_utc(doc.get("created_at")):
        problems.append("created_at harus waktu ISO-8601 dalam UTC (akhiran Z atau +00:00)")
    if doc.get("currency") != CURRENCY:
        problems.append(f'currency harus "{CURRENCY}"')
    digest = doc.get("hash")
    if not isinstance(digest, str) or not HEX64.match(digest):
        problems.append("hash harus sha256 heksadesimal (64 huruf kecil)")
    elif digest != content_hash(doc):
        problems.append("hash tidak cocok dengan isi dokumen (dokumen berubah di jalan?)")
    return problems


def _names_its_day(doc: dict) -> bool:
    """The id is the outlet's and the day's: ``GERAI01-2026-12-05-day`` for the day (so a day is
    booked once, and no outlet can take another's id), ``GERAI01-2026-12-05-…`` for a correction."""
    own = f"{doc['outlet_code']}-{doc['business_date']}-"
    day = own + "day"
    return doc["document_id"] == day if doc["kind"] == "day" else \
        doc["document_id"].startswith(own) and doc["document_id"] != day


def _is_date(value) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    if not _DATE.fullmatch(value):  # fromisoformat also takes 2026-W49-4
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_utc(value) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return False
    return moment.utcoffset() is not None and not moment.utcoffset()


def _journal(journal) -> list[str]:
    if not isinstance(journal, list):
        return ["journal harus berupa daftar baris"]
    problems, debit, credit = [], 0, 0
    for number, line in enumerate(journal, start=1):
        where = f"baris jurnal {number}"
        if not isinstance(line, dict):
            problems.append(f"{where} harus berupa objek")
            continue
        missing = [key for key in LINE_KEYS if key not in line]
        if missing:
            problems.append(f"{where}: tidak ada {', '.join(missing)}")
            continue
        if not isinstance(line["account"], str) or not 1 <= len(line["account"]) <= 20:
            problems.append(f"{where}: account harus kode akun (teks, 1-20 huruf)")
        if not _text(line["name"], 120):
            problems.append(f"{where}: name harus teks (paling panjang 120)")
        if not _text(line.get("memo", ""), 300):
            problems.append(f"{where}: memo harus teks (paling panjang 300)")
        if line.get("unit") is not None and not _text(line["unit"], 40):
            problems.append(f"{where}: unit harus teks atau null")
        if line.get("member") is not None and not isinstance(line["member"], bool):
            problems.append(f"{where}: member harus true, false atau null")
        amounts = (line["debit"], line["credit"])
        if not all(is_amount(a) for a in amounts):
            problems.append(f"{where}: debit dan credit harus bilangan bulat Rupiah (bukan pecahan)")
        elif min(amounts) < 0:
            problems.append(f"{where}: debit atau credit negatif")
        elif min(amounts) > 0:
            problems.append(f"{where}: debit dan credit terisi bersamaan")
        else:
            debit, credit = debit + amounts[0], credit + amounts[1]
    if not problems and debit != credit:
        problems.append(f"jurnal tidak seimbang: debit {debit} != kredit {credit}")
    return problems


def _summary(summary) -> list[str]:
    if not isinstance(summary, dict):
        return ["summary harus berupa objek"]
    problems = [f"summary.{key} harus bilangan bulat" for key in SUMMARY_AMOUNTS
                if not is_amount(summary.get(key))]
    payments = summary.get("payments")
    if not isinstance(payments, dict) or not all(
            isinstance(row, dict) and is_amount(row.get("count")) and is_amount(row.get("amount"))
            for row in payments.values()):
        problems.append("summary.payments harus {metode: {count, amount}} dengan bilangan bulat")
    units = summary.get("business_units")
    if not isinstance(units, dict) or not all(isinstance(row, dict) for row in units.values()):
        problems.append("summary.business_units harus {unit: {...}}")
    return problems


def problems(document) -> list[str]:
    """Every reason ``document`` (parsed JSON) is not a valid version-1 document; [] if valid."""
    if not isinstance(document, dict):
        return ["dokumen harus berupa objek JSON"]
    found = _head(document)
    if document.get("version") != VERSION or isinstance(document.get("version"), bool):
        return found
    summary = document.get("summary")
    if document.get("kind") == "correction":   # a correction's summary is free-form
        return found + _journal(document.get("journal")) + ([] if isinstance(summary, dict)
                                                            else ["summary harus berupa objek"])
    return found + _journal(document.get("journal")) + _summary(summary)


def validate(document) -> dict:
    """``document`` itself when valid; raises ``Invalid`` with every problem otherwise."""
    found = problems(document)
    if found:
        raise Invalid(found)
    return document
