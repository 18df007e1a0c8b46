"""QRIS payloads (EMVCo merchant-presented QR): parse, check, and make a dynamic one.

A payload is a string of TLV fields: a two-digit tag, a two-digit length, the
value.  Tag 00 (version "01") comes first and tag 63 (the CRC-16/CCITT-FALSE of
everything before its value, "6304" included) last; tags 26-51 (merchant
accounts) and 62 (additional data) hold TLV fields of their own.  The outlet's
printed static QRIS has no amount; ``dynamic`` adds one for a sale (tag 01
"12", tag 54 before tag 58, a new CRC), without any tip or convenience fee:
surcharging QRIS is forbidden.  Pure: no database, no Flask.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pos.errors import PosError
from pos.money import format_rupiah, round_half_up

MAX_AMOUNT = 9_999_999_999  # tag 54 holds at most 13 characters; whole Rupiah stay below that
TEMPLATES = frozenset({f"{n:02d}" for n in range(26, 52)} | {"62"})
NO_SURCHARGE = frozenset({"54", "55", "56", "57"})  # removed before the sale's own amount goes in
_DECIMAL_AMOUNT = re.compile(r"([0-9]{1,13})(?:\.([0-9]{1,2}))?")


class QrisError(PosError):
    """A payload that is not a valid QRIS, or an amount it cannot carry."""


@dataclass(frozen=True)
class Field:
    """One TLV field; a template (26-51, 62) also has its own fields as ``children``."""

    tag: str
    value: str
    children: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Qris:
    """A parsed, valid payload: its top-level fields in their order (63 last)."""

    fields: tuple[Field, ...]

    def get(self, tag: str) -> str | None:
        return next((f.value for f in self.fields if f.tag == tag), None)

    def sub(self, tag: str, child: str) -> str | None:
        """A value inside a template, e.g. ``sub("62", "07")`` (the terminal label)."""
        parent = next((f for f in self.fields if f.tag == tag), None)
        return next((c.value for c in parent.children if c.tag == child), None) if parent else None

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(f.tag, f.value) for f in self.fields]

    @property
    def is_dynamic(self) -> bool:
        return self.get("01") == "12"

    @property
    def merchant_name(self) -> str | None:
        return self.get("59")

    @property
    def city(self) -> str | None:
        return self.get("60")

    @property
    def amount(self) -> int | None:
        raw = self.get("54")
        return None if raw is None else _amount(raw)


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection) as 4 uppercase hex digits."""
    crc = 0xFFFF
    for byte in data.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def tlv(data: str, where: str = "") -> list[tuple[str, str]]:
    """``data`` split into (tag, value) pairs; a ``QrisError`` when it is not TLV."""
    pairs, at = [], 0
    while at < len(data):
        head = data[at:at + 4]
        if len(head) < 4 or not head.isdigit():
            raise QrisError(f"Bukan QRIS: data{where} tidak berbentuk TLV (tag dan panjang dua angka) "
                            f"pada posisi {at + 1}.")
        tag, length = head[:2], int(head[2:])
        value = data[at + 4:at + 4 + length]
        if length == 0 or len(value) < length:
            raise QrisError(f"Panjang tag {tag}{where} salah: tertulis {length}, "
                            f"sisa data {len(data) - at - 4} karakter.")
        pairs.append((tag, value))
        at += 4 + length
    return pairs


def encode(pairs: Iterable[tuple[str, str]]) -> str:
    """TLV text of ``pairs`` (no CRC added)."""
    out = []
    for tag, value in pairs:
        if not (len(tag) == 2 and tag.isdigit()) or not 1 <= len(value) <= 99:
            raise QrisError(f"Tag {tag} tidak dapat ditulis: panjang nilai harus 1 sampai 99.")
        out.append(f"{tag}{len(value):02d}{value}")
    return "".join(out)


def build(pairs: Sequence[tuple[str, str]]) -> str:
    """A payload of ``pairs`` (tag 63 left out) followed by tag 63 and its CRC."""
    body = encode(pairs) + "6304"
    return body + crc16(body)


def parse(payload: str) -> Qris:
    """A valid payload parsed, or a ``QrisError`` saying in Indonesian what is wrong."""
    if not payload:
        raise QrisError("QRIS kosong.")
    for index, char in enumerate(payload):
        if not " " <= char <= "~":
            raise QrisError(f"QRIS hanya boleh berisi huruf, angka dan tanda baca ASCII; karakter "
                            f"{char!r} pada posisi {index + 1} tidak boleh.")
    pairs = tlv(payload)
    if pairs[0] != ("00", "01"):
        raise QrisError("Tag 00 (versi) harus yang pertama dan bernilai 01.")
    tags = [tag for tag, _ in pairs]
    if "63" not in tags:
        raise QrisError("Tag 63 (CRC) tidak ada.")
    if tags[-1] != "63":
        raise QrisError("Tag 63 (CRC) harus tag terakhir.")
    twice = next((tag for index, tag in enumerate(tags) if tag in tags[:index]), None)
    if twice:
        raise QrisError(f"Tag {twice} muncul lebih dari sekali.")
    stated = pairs[-1][1]
    if not re.fullmatch(r"[0-9A-Fa-f]{4}", stated):
        raise QrisError("Tag 63 (CRC) harus 4 digit heksadesimal.")
    expected = crc16(payload[:-4])
    if stated.upper() != expected:
        raise QrisError(f"CRC salah: seharusnya {expected}, tertulis {stated}.")
    parsed = Qris(tuple(_field(tag, value) for tag, value in pairs))
    if parsed.get("54") is not None:
        _amount(parsed.get("54"))  # an amount that is not a number is refused here, not at the till
    return parsed


def _field(tag: str, value: str) -> Field:
    if tag not in TEMPLATES:
        return Field(tag, value)
    return Field(tag, value, tuple(Field(t, v) for t, v in tlv(value, f" dalam tag {tag}")))


def dynamic(static_payload: str, amount: int) -> str:
    """The payload for one sale of ``amount`` Rupiah: method 12, tag 54 before 58, new CRC."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_AMOUNT:
        raise QrisError(f"Nominal QRIS harus Rp1 sampai {format_rupiah(MAX_AMOUNT)}.")
    pairs = [(t, v) for t, v in parse(static_payload).pairs if t not in NO_SURCHARGE and t != "63"]
    if any(tag == "01" for tag, _ in pairs):
        pairs = [(t, "12" if t == "01" else v) for t, v in pairs]
    else:
        pairs.insert(1, ("01", "12"))
    at = next((i for i, (t, _) in enumerate(pairs) if t == "58"), None)
    if at is None:  # no country code: keep the tags in number order around the amount
        at = next((i for i, (t, _) in enumerate(pairs) if t > "54"), len(pairs))
    pairs.insert(at, ("54", str(amount)))
    return build(pairs)


def _amount(raw: str) -> int:
    """Tag 54 in whole Rupiah; some providers write decimals ("80001.00")."""
    match = _DECIMAL_AMOUNT.fullmatch(raw)
    if not match:
        raise QrisError(f"Nominal (tag 54) bukan angka: {raw!r}.")
    whole, fraction = match.group(1), match.group(2) or ""
    scale = 10 ** len(fraction)
    return round_half_up(int(whole) * scale + int(fraction or "0"), scale)


def amount_of(payload: str) -> int | None:
    """The amount of a valid payload in whole Rupiah, or None for a static one."""
    return parse(payload).amount


def merchant_name(payload: str) -> str | None:
    return parse(payload).merchant_name


NAMES = {
    "00": "Versi", "01": "Metode (11 statis / 12 dinamis)", "52": "Kategori (MCC)",
    "53": "Mata uang (360 = IDR)", "54": "Nominal", "55": "Indikator tip", "56": "Biaya tetap",
    "57": "Biaya persen", "58": "Negara", "59": "Nama merchant", "60": "Kota", "61": "Kode pos",
    "62": "Data tambahan", "63": "CRC", "64": "Bahasa lain",
}
MERCHANT_NAMES = {"00": "Domain (GUI)", "01": "PAN merchant", "02": "ID merchant",
                  "03": "Kriteria merchant"}
ADDITIONAL_NAMES = {
    "01": "Nomor tagihan", "02": "Nomor HP", "03": "Label toko", "04": "Kode loyalitas",
    "05": "Referensi", "06": "Label pelanggan", "07": "Label terminal", "08": "Tujuan transaksi",
    "09": "Data tambahan pelanggan",
}


def name_of(tag: str) -> str:
    if tag in NAMES:
        return NAMES[tag]
    if "02" <= tag <= "51":
        return "Info merchant"
    return "Lainnya"


def explain(payload: str) -> list[tuple[str, str, str]]:
    """(tag, Indonesian name, value) of every field of a valid payload; template fields indented."""
    rows = []
    for field in parse(payload).fields:
        rows.append((field.tag, name_of(field.tag), field.value if not field.children else ""))
        names = ADDITIONAL_NAMES if field.tag == "62" else MERCHANT_NAMES
        rows.extend((f"  {c.tag}", f"  {names.get(c.tag, 'Lainnya')}", c.value) for c in field.children)
    return rows
