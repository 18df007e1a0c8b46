"""QRIS payloads: the CRC, parsing published payloads, refusing broken ones, dynamic ones.

Pure: no database.  The published payloads are in ``tests/payments/vectors.py``.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.errors import PosError
from pos.payments import qris
from pos.payments.qris import QrisError
from tests.payments.vectors import BAZNAS, SAMPLE1, SAMPLE3, SAMPLE7, VALID


def tags(payload: str) -> list[str]:
    return [tag for tag, _ in qris.parse(payload).pairs]


def with_crc(body: str) -> str:
    """``body`` (ending before tag 63) with a correct tag 63."""
    return body + "6304" + qris.crc16(body + "6304")


def refused(payload: str) -> str:
    with pytest.raises(QrisError) as caught:
        qris.parse(payload)
    assert isinstance(caught.value, PosError) and caught.value.status == 422
    return caught.value.message


def test_crc16_ccitt_false_check_value():
    assert qris.crc16("123456789") == "29B1"
    assert qris.crc16("") == "FFFF"
    assert qris.crc16(BAZNAS[:-4]) == "A402"  # nsNeruno/qris test/crc_test.dart


@pytest.mark.parametrize("payload", list(VALID))
def test_published_payloads_parse_and_rebuild_exactly(payload):
    crc, name, city = VALID[payload]
    parsed = qris.parse(payload)
    assert parsed.get("63") == crc and qris.crc16(payload[:-4]) == crc
    assert parsed.merchant_name == qris.merchant_name(payload) == name and parsed.city == city
    assert parsed.fields[0] == qris.Field("00", "01") and parsed.fields[-1].tag == "63"
    assert qris.build(parsed.pairs[:-1]) == payload  # field by field, the same string again


def test_templates_are_parsed_into_their_own_fields():
    parsed = qris.parse(SAMPLE1)
    gojek = parsed.fields[2]
    assert gojek.tag == "26" and [c.tag for c in gojek.children] == ["00", "01", "02", "03"]
    assert parsed.sub("26", "00") == "COM.GO-JEK.WWW" and parsed.sub("51", "02") == "ID1019000002328"
    assert parsed.sub("62", "07") == "A01" and parsed.sub("99", "00") is None
    assert qris.parse(SAMPLE1).fields[-2].children == (qris.Field("07", "A01"),)


def test_amounts_whole_and_with_decimals():
    assert qris.amount_of(SAMPLE1) is None and qris.amount_of(SAMPLE7) == 34_000
    body = SAMPLE1[:-8].replace("5802ID", "540880001.005802ID")
    assert qris.amount_of(with_crc(body)) == 80_001  # some providers write "80001.00"
    assert qris.amount_of(with_crc(SAMPLE1[:-8].replace("5802ID", "54071500.505802ID"))) == 1_501
    assert "bukan angka" in refused(with_crc(SAMPLE1[:-8].replace("5802ID", "5403abc5802ID")))


def test_sample3_is_a_bad_vector_and_is_refused():
    assert refused(SAMPLE3) == "CRC salah: seharusnya 4AD5, tertulis 5C1C."


@pytest.mark.parametrize("position", [-1, -4, 10, 60])
def test_a_corrupted_payload_fails_its_crc(position):
    chars = list(SAMPLE1)
    chars[position] = "0" if chars[position] != "0" else "1"
    message = refused("".join(chars))
    assert message.startswith("CRC salah: seharusnya ")


def test_broken_payloads_are_refused_with_the_reason():
    assert "Panjang tag 59 salah" in refused(SAMPLE1.replace("5916Kantin", "5999Kantin"))
    assert "tidak berbentuk TLV" in refused(SAMPLE1 + "6")
    assert "tidak berbentuk TLV" in refused("https://example.com/bayar")
    assert "dalam tag 26" in refused(with_crc("000201010211" "2605AB.CD" "5802ID"))
    assert refused(with_crc("000201010211" "5802ID")[:-8]) == "Tag 63 (CRC) tidak ada."
    assert refused("000201" + "6304" + qris.crc16("0002016304") + "5802ID") == \
        "Tag 63 (CRC) harus tag terakhir."
    version = "Tag 00 (versi) harus yang pertama dan bernilai 01."
    assert refused(with_crc("010211000201" "5802ID")) == version
    assert refused(with_crc("000202" "010211" "5802ID")) == version
    assert refused(with_crc("000201" "5802ID" "5802ID")) == "Tag 58 muncul lebih dari sekali."
    assert "heksadesimal" in refused("000201" "6304XYZW")
    assert "ASCII" in refused(SAMPLE1.replace("Kantin", "Kantén"))
    assert "ASCII" in refused(SAMPLE1.replace("Kantin", "Kan\ntin"))
    assert refused("") == "QRIS kosong."


def test_a_lowercase_crc_is_accepted():
    assert qris.parse(SAMPLE1[:-4] + SAMPLE1[-4:].lower()).get("63") == "4c6b"


def test_dynamic_for_a_published_static_payload():
    payload = qris.dynamic(SAMPLE1, 25_000)
    assert payload == (SAMPLE1[:6] + "010212" + SAMPLE1[12:SAMPLE1.index("5802ID")] + "540525000"
                       + SAMPLE1[SAMPLE1.index("5802ID"):-4] + qris.crc16(payload[:-4]))
    assert qris.amount_of(payload) == 25_000 and qris.parse(payload).is_dynamic


def test_dynamic_drops_tips_and_fees_and_adds_01_when_missing():
    body = "000201" "2605" "0001X" "5303360" "550203" "570505.00" "5802ID" "5906Warung" "6004Kota"
    payload = qris.dynamic(with_crc(body), 7_500)
    assert tags(payload) == ["00", "01", "26", "53", "54", "58", "59", "60", "63"]
    no_country = with_crc("000201010211" "5303360" "5906Warung")
    assert tags(qris.dynamic(no_country, 1)) == ["00", "01", "53", "54", "59", "63"]


@pytest.mark.parametrize("amount", [0, -5, 10_000_000_000, True, 12.5, "1000"])
def test_dynamic_refuses_impossible_amounts(amount):
    with pytest.raises(QrisError, match="Nominal QRIS harus Rp1 sampai Rp9.999.999.999"):
        qris.dynamic(SAMPLE1, amount)


def test_dynamic_refuses_a_broken_static_payload():
    with pytest.raises(QrisError, match="CRC salah"):
        qris.dynamic(SAMPLE3, 1_000)


def test_explain_names_every_field_in_indonesian():
    rows = qris.explain(qris.dynamic(BAZNAS, 80_001))
    named = {tag: (name, value) for tag, name, value in rows if not tag.startswith(" ")}
    assert named["00"] == ("Versi", "01") and named["01"] == ("Metode (11 statis / 12 dinamis)", "12")
    assert named["52"] == ("Kategori (MCC)", "8398") and named["53"] == ("Mata uang (360 = IDR)", "360")
    assert named["54"] == ("Nominal", "80001") and named["58"] == ("Negara", "ID")
    assert named["59"] == ("Nama merchant", "Baznas") and named["60"] == ("Kota", "Jakarta Pusat")
    assert named["61"] == ("Kode pos", "10340") and named["62"] == ("Data tambahan", "")
    assert named["26"] == ("Info merchant", "") and named["63"][0] == "CRC"
    assert ("  00", "  Domain (GUI)", "ID.CO.SHOPEE.WWW") in rows
    assert ("  07", "  Label terminal", "A01") in rows


# --- Properties --------------------------------------------------------------------------------

amounts = st.integers(min_value=1, max_value=qris.MAX_AMOUNT)


@given(static=st.sampled_from(list(VALID)), amount=amounts, again=amounts)
def test_dynamic_payloads_are_valid_and_carry_exactly_the_amount(static, amount, again):
    payload = qris.dynamic(static, amount)
    parsed = qris.parse(payload)  # CRC checked here
    found = tags(payload)
    assert parsed.get("01") == "12" and parsed.get("54") == str(amount) and parsed.amount == amount
    assert found.index("54") < found.index("58") and not {"55", "56", "57"} & set(found)
    assert found.count("54") == 1 and found[-1] == "63" and payload[-8:-4] == "6304"
    unchanged = [p for p in qris.parse(static).pairs if p[0] not in {"01", "54", "63"}]
    assert [p for p in parsed.pairs if p[0] not in {"01", "54", "63"}] == unchanged
    twice = qris.dynamic(payload, again)
    assert qris.amount_of(twice) == again and tags(twice) == found
    assert twice == qris.dynamic(static, again)


text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=30)
PRIMITIVE = [*range(2, 26), 52, 53, *range(55, 62), *range(64, 100)]  # not 54: its value is an amount
primitive_tags = st.sampled_from([f"{n:02d}" for n in PRIMITIVE])


@st.composite
def field_lists(draw):
    """Top-level fields 00 first, unique tags, templates (26-51, 62) holding TLV fields."""
    tags_ = draw(st.lists(st.one_of(primitive_tags, st.sampled_from(sorted(qris.TEMPLATES))),
                          unique=True, max_size=8))
    pairs = [("00", "01")]
    for tag in tags_:
        if tag in qris.TEMPLATES:
            inner = draw(st.lists(st.tuples(st.sampled_from(["00", "01", "02", "03", "07"]), text),
                                  min_size=1, max_size=3, unique_by=lambda p: p[0]))
            pairs.append((tag, qris.encode(inner)))
        else:
            pairs.append((tag, draw(text)))
    return pairs


@given(field_lists())
def test_parse_of_build_gives_the_fields_back(pairs):
    parsed = qris.parse(qris.build(pairs))
    assert parsed.pairs[:-1] == pairs and parsed.pairs[-1][0] == "63"
    for field in parsed.fields:
        assert qris.encode((c.tag, c.value) for c in field.children) == (field.value if field.children
                                                                           else "")
