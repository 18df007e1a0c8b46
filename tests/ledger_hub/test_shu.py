"""The pure SHU computation: the worked example, the largest-remainder rule, the settings."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.ledger_hub import shu
from pos.ledger_hub.shu import Member

# The worked example (README "SHU"): SHU Rp100.000.000 from a year whose revenue was 80% member
# business; AD/ART split 25/30/20/10/10/5 %; VUK Rp1.200.000.000, TMS Rp320.000.000.
SPLIT = {"reserve": 2500, "jasa_anggota": 3000, "jasa_modal": 2000, "pendidikan": 1000,
         "pengurus": 1000, "lainnya": 500}
EXAMPLE = [Member("A-001", "Andi", 6_000_000, 1_600_000),
           Member("A-002", "Baso", 594_000_000, 158_400_000),
           Member("A-003", "Cahya", 600_000_000, 160_000_000)]


def test_worked_example_reproduces():
    result = shu.distribute(100_000_000, 800_000_000, 200_000_000, shu.settings(SPLIT), EXAMPLE)
    assert (result.member_share, result.non_member_share) == (80_000_000, 20_000_000)
    assert result.parts == {"reserve": 20_000_000, "jasa_anggota": 24_000_000, "jasa_modal": 16_000_000,
                            "pendidikan": 8_000_000, "pengurus": 8_000_000, "lainnya": 4_000_000}
    assert result.reserve_total == 40_000_000   # the member part's 25% plus all non-member SHU
    assert (result.vuk, result.tms) == (1_200_000_000, 320_000_000)
    andi = result.lines[0]
    # SHU_a = 6.000.000 / 1.200.000.000 x 24.000.000 + 1.600.000 / 320.000.000 x 16.000.000
    assert (andi.jasa_anggota, andi.jasa_modal, andi.total) == (120_000, 80_000, 200_000)
    assert [x.total for x in result.lines] == [200_000, 19_800_000, 20_000_000]
    assert result.members_total == 40_000_000
    assert result.rate_per_thousand("jasa_anggota") == 20 and result.rate_per_thousand("jasa_modal") == 50


def test_non_member_business_goes_to_reserve():
    members = [Member("1", "x", 1_000, 1_000)]
    all_member = shu.distribute(1_000_000, 500, 0, shu.settings(SPLIT), members)
    half = shu.distribute(1_000_000, 500, 500, shu.settings(SPLIT), members)
    assert all_member.non_member_share == 0 and all_member.members_total == 500_000
    assert half.non_member_share == 500_000 and half.members_total == 250_000
    assert half.reserve_total == 500_000 + 125_000
    assert half.reserve_total + sum(v for k, v in half.parts.items() if k != "reserve") == 1_000_000


def test_largest_remainder_awkward_split():
    # Rp100 over three equal members: 33 each, the one Rupiah left to the lowest number.
    assert shu.allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert shu.allocate(10, [1, 2, 3, 4]) == [1, 2, 3, 4]
    assert shu.allocate(7, [0, 0]) == [0, 0]
    assert shu.allocate(5, [3, 3, 3, 1]) == [2, 2, 1, 0]   # fractions .5 .5 .5 .5: earliest first


@settings(max_examples=300, deadline=None)
@given(pool=st.integers(0, 10**13),
       member=st.integers(0, 10**12), non_member=st.integers(0, 10**12),
       cuts=st.lists(st.integers(0, 10_000), min_size=5, max_size=5),
       people=st.lists(st.tuples(st.integers(0, 10**10), st.integers(0, 10**9)), max_size=40))
def test_every_rupiah_is_accounted_for(pool, member, non_member, cuts, people):
    edges = sorted(cuts)
    bp = [b - a for a, b in zip([0, *edges], [*edges, 10_000], strict=True)]
    chosen = shu.settings(dict(zip(shu.PARTS, bp, strict=True)))
    members = [Member(f"{i:04d}", "", v, s) for i, (v, s) in enumerate(people)]
    result = shu.distribute(pool, member, non_member, chosen, members)
    assert result.member_share + result.non_member_share == pool
    assert sum(result.parts.values()) == result.member_share
    given_out = sum(x.jasa_anggota for x in result.lines), sum(x.jasa_modal for x in result.lines)
    if result.vuk:
        assert given_out[0] == result.parts["jasa_anggota"]
    if result.tms:
        assert given_out[1] == result.parts["jasa_modal"]
    others = sum(v for k, v in result.parts.items() if k not in ("reserve", "jasa_anggota", "jasa_modal"))
    assert result.reserve_total + others + result.members_total == pool   # to the Rupiah
    for x in result.lines:   # each share within one Rupiah of its exact value
        if result.vuk:
            exact = x.purchases * result.parts["jasa_anggota"]
            assert abs(x.jasa_anggota * result.vuk - exact) < result.vuk
        assert isinstance(x.total, int)


@settings(max_examples=200, deadline=None)
@given(total=st.integers(0, 10**15), weights=st.lists(st.integers(0, 10**12), min_size=1, max_size=60))
def test_allocate_sums_exactly(total, weights):
    shares = shu.allocate(total, weights)
    assert sum(shares) == (total if sum(weights) else 0)
    assert all(share >= 0 for share in shares)


@pytest.mark.parametrize("split, message", [
    ({**SPLIT, "reserve": 2400}, r"harus 100%, sekarang 99,00%"),
    ({**SPLIT, "bonus": 0}, "Bagian SHU tidak dikenal: bonus"),
    ({**SPLIT, "reserve": -1, "lainnya": 3001}, "0 atau lebih"),
])
def test_bad_settings_are_refused_in_indonesian(split, message):
    with pytest.raises(shu.ShuError, match=message):
        shu.settings(split)


def test_split_text_and_bad_input():
    assert shu.parse_split("reserve=2500, jasa_anggota=7500") == {"reserve": 2500, "jasa_anggota": 7500}
    with pytest.raises(shu.ShuError, match="dua kali"):
        shu.parse_split("reserve=1,reserve=2")
    for typed in ("reserve=²", "reserve=２５００", "reserve=٢٥", "reserve=1e2"):   # int() took some
        with pytest.raises(shu.ShuError, match="reserve: tulis persen sebagai angka"):
            shu.parse_split(typed)
    for typed in ("reserve", "reserve=25,lima", "=25"):
        with pytest.raises(shu.ShuError, match="bagian=persen"):
            shu.parse_split(typed)


def test_split_is_typed_in_percent_as_on_the_screen():
    """``--split reserve=25,jasa_anggota=30,…`` was read as basis points: "harus 100%, sekarang
    1,00%", with no word that 2500 meant 25%."""
    as_typed = {"reserve": 2500, "jasa_anggota": 3000, "jasa_modal": 2000, "pendidikan": 500,
                "pengurus": 1000, "lainnya": 1000}
    assert shu.parse_split("reserve=25,jasa_anggota=30,jasa_modal=20,pendidikan=5,pengurus=10,"
                           "lainnya=10") == as_typed
    assert shu.parse_split("reserve=25%, jasa_anggota=30 %,jasa_modal=20.0,pendidikan=5,00,pengurus=10,"
                           "lainnya=10%") == as_typed
    assert shu.parse_split("reserve=12,5,jasa_anggota=37,5;jasa_modal=50") == {
        "reserve": 1250, "jasa_anggota": 3750, "jasa_modal": 5000}
    assert shu.parse_split("reserve=100") == {"reserve": 10000}
    # the older form in basis points, as the README wrote it, still reads: whole numbers summing to 10000
    assert shu.parse_split("reserve=2500,jasa_anggota=3000,jasa_modal=2000,pendidikan=500,pengurus=1000,"
                           "lainnya=1000") == as_typed
    with pytest.raises(shu.ShuError, match=r"harus 100%, sekarang 99,50%.*persen.*reserve=25.*basis poin"):
        shu.parse_split("reserve=25,jasa_anggota=30,jasa_modal=20,pendidikan=5,pengurus=10,lainnya=9,5")
    with pytest.raises(shu.ShuError, match=r"Basis poin .* 10000.*sekarang 9900.*persen"):
        shu.parse_split("reserve=2500,jasa_anggota=3000,jasa_modal=2000,pendidikan=500,pengurus=1000,"
                        "lainnya=900")
    with pytest.raises(shu.ShuError, match="Bagian SHU tidak dikenal: bonus"):
        shu.parse_split("reserve=90,bonus=10")
    with pytest.raises(shu.ShuError, match="paling banyak 2 desimal"):
        shu.parse_split("reserve=12,345,jasa_modal=87,655")
    for typed in ("²", "２５", "2,５", "1e2", "25,123"):
        with pytest.raises(shu.ShuError, match="tulis persen sebagai angka"):
            shu.percent_bp(typed, "Cadangan")
    assert (shu.percent_bp("25", "x"), shu.percent_bp("2,5%", "x"), shu.percent_bp("12.34", "x")) == (
        2500, 250, 1234)
    with pytest.raises(shu.ShuError, match="Dasar jasa modal"):
        shu.settings(SPLIT, "emas")
    with pytest.raises(shu.ShuError, match="tahun rugi"):
        shu.distribute(-5, 1, 1, shu.settings(SPLIT), [])
