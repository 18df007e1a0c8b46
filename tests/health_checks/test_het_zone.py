"""The HET zone check: ceilings recorded per zone apply only when POS_HET_ZONE names one of
them; a typo or an empty setting is a warning with the zones there are."""
from __future__ import annotations

import json

import pytest

from pos.db import get_db
from tests.factories import make_product, set_het


def doctor(app, *args):
    return app.test_cli_runner().invoke(args=["doctor", *args])


def with_ceilings(app, zones):
    with get_db(app).transaction() as s:
        rice = make_product(s, name="Beras SPHP 5 kg", price=62_500)
        set_het(s, rice, 62_500)                      # every zone
        for n, zone in enumerate(zones):
            set_het(s, rice, 62_500 + 1_000 * n, zone=zone)


@pytest.mark.parametrize("setting,zones", [("2", ["1", "2", "3"]), ("", []), ("II", [])])
def test_a_zone_that_is_among_the_ceilings_or_no_zoned_ceiling_at_all_is_ok(healthy, setting, zones):
    app, _ = healthy(HET_ZONE=setting)
    with_ceilings(app, zones)
    body = app.test_client().get("/healthz").get_json()
    assert body["het_zone"] == {"level": "ok", "zone": setting or None, "zones": zones}


@pytest.mark.parametrize("setting,said", [("II", "POS_HET_ZONE 'II'"), ("", "POS_HET_ZONE kosong")])
def test_a_zone_no_ceiling_names_is_a_warning_with_the_zones(healthy, setting, said):
    app, _ = healthy(HET_ZONE=setting)
    with_ceilings(app, ["1", "2", "3"])
    result = doctor(app)
    assert result.exit_code == 1, result.output
    assert f"PERINGATAN  Zona HET: {'zona II' if setting else 'tanpa zona'}" in result.output
    assert (f"Masalah: HET per zona tercatat untuk zona 1, 2, 3, tetapi {said}: HET zona itu tidak "
            "berlaku di gerai ini, hanya HET untuk semua zona.") in result.output
    # pos.cfg is Python without the POS_ of the environment, in the instance folder the app reads
    assert (f'Perbaikan: Isi zona gerai ini (1, 2, 3), mis. HET_ZONE = "1" di {app.instance_path}/pos.cfg, '
            "lalu mulai ulang server.") in result.output
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "warn" and body["selling"] is True
    assert body["het_zone"] == {"level": "warn", "zone": setting or None, "zones": ["1", "2", "3"]}


def test_a_zone_set_in_the_environment_is_fixed_there(healthy, monkeypatch, tmp_path):
    """On the mini-PC the installer writes POS_HET_ZONE into /etc/gerai-pos/pos.env, and the
    environment wins over pos.cfg: a line in pos.cfg would change nothing."""
    import pos.config

    app, _ = healthy(HET_ZONE="II")
    with_ceilings(app, ["1", "2"])
    monkeypatch.setenv("POS_HET_ZONE", "II")
    monkeypatch.setattr(pos.config, "ENV_FILE", tmp_path / "pos.env")
    assert 'mis. POS_HET_ZONE="1" di lingkungan server, lalu' in doctor(app).output
    (tmp_path / "pos.env").write_text('POS_HET_ZONE="II"\n')
    fix = json.loads(doctor(app, "--json").output)["het_zone"]["fix"]
    assert fix == (f'Isi zona gerai ini (1, 2), mis. POS_HET_ZONE="1" di {tmp_path / "pos.env"}, lalu '
                   "mulai ulang server.")
