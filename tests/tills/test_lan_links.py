"""Perangkat's Cek harga and Layar pelanggan links: opened on the mini-PC's own browser
(127.0.0.1, localhost, ::1) they named the loopback address, useless on a shelf tablet or a
customer screen on the LAN; now the mini-PC's LAN address, same port and path.
SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from pos.config import DefaultConfig
from pos.devices import lan
from pos.display import tokens
from tests.factories import login, make_till, make_user


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.1:8000", True), ("127.1.2.3:8080", True), ("localhost", True),
    ("LOCALHOST:8000", True), ("[::1]:8000", True), ("::1", True),
    ("192.168.1.10:8000", False), ("gerai.local", False), ("[fe80::1]:8000", False), ("10.0.0.5", False),
])
def test_a_loopback_host_is_known(host, loopback):
    assert lan.is_loopback(host) is loopback


def test_the_link_keeps_port_path_and_query():
    assert lan.on_address("http://127.0.0.1:8000/cek-harga/abc?x=1", "192.168.1.10") \
        == "http://192.168.1.10:8000/cek-harga/abc?x=1"
    assert lan.on_address("http://localhost/layar/1/t", "10.0.0.7") == "http://10.0.0.7/layar/1/t"
    assert lan.on_address("https://[::1]:8443/layar/1/t", "10.0.0.7") == "https://10.0.0.7:8443/layar/1/t"


def test_addresses_come_from_the_routes_to_private_networks_without_loopback_or_repeats():
    routes = {"10.255.255.255": "192.168.1.10", "172.31.255.255": "192.168.1.10",
              "192.168.255.255": "127.0.0.1"}

    def probe(target):
        return routes[target]
    assert lan.lan_addresses(probe=probe, named=lambda: ["127.0.1.1", "10.8.0.2", "169.254.3.4"]) \
        == ["192.168.1.10", "10.8.0.2"]


def test_no_route_and_no_name_gives_no_address():
    def probe(target):
        raise OSError("Network is unreachable")
    assert lan.lan_addresses(probe=probe, named=lambda: []) == []


@pytest.fixture
def manager(app, db):
    with db.transaction() as s:
        till = make_till(s)
        boss = make_user(s, "manajer1", "manager", "9999")
        till_id = till.id
    client = app.test_client()
    login(client, boss.id, None, shift=False)
    client.get("/")   # the session row written; its cookie then sent to any host a test names
    name = app.config["SESSION_COOKIE_NAME"]
    sid = client.get_cookie(name).value
    for host in ("127.0.0.1", "192.168.1.10"):
        client.set_cookie(name, sid, domain=host)
    return client, till_id


def test_on_loopback_the_links_name_the_lan_address(app, manager, monkeypatch):
    client, till_id = manager
    monkeypatch.setattr(lan, "lan_addresses", lambda: ["192.168.1.10"])
    page = client.get("/perangkat", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    secret = app.config["SECRET_KEY"]
    assert f'href="http://192.168.1.10:8000/cek-harga/{tokens.price_check_token(secret)}"' in page
    screen = f"http://192.168.1.10:8000/layar/{till_id}/{tokens.screen_token(secret, till_id)}"
    assert f'href="{screen}"' in page
    assert 'href="http://127.0.0.1' not in page and "<code>http://127.0.0.1" not in page
    assert "buka alamat ini dari tablet/layar di jaringan gerai" in page


def test_on_a_lan_address_the_links_stay_as_opened(app, manager, monkeypatch):
    client, _ = manager
    monkeypatch.setattr(lan, "lan_addresses", lambda: ["10.0.0.9"])
    page = client.get("/perangkat", base_url="http://192.168.1.10:8000").get_data(as_text=True)
    assert "http://192.168.1.10:8000/cek-harga/" in page and "10.0.0.9" not in page
    assert "jaringan gerai" not in page


def test_with_no_lan_address_the_loopback_link_stays_with_a_note(app, manager, monkeypatch):
    client, _ = manager
    monkeypatch.setattr(lan, "lan_addresses", lambda: [])
    page = client.get("/perangkat", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    assert "http://127.0.0.1:8000/cek-harga/" in page
    assert "Alamat jaringan mini-PC tidak ditemukan" in page


@pytest.mark.parametrize("bound", ["127.0.0.1", "localhost", "::1"])
def test_a_server_bound_to_loopback_keeps_the_loopback_link_and_says_why(app, manager, monkeypatch, bound):
    """POS_HOST=127.0.0.1 (the installer's --serve local, make run's default): a LAN address
    would not open on a tablet, so the link stays as opened, with what to do instead."""
    client, till_id = manager
    monkeypatch.setitem(app.config, "HOST", bound)
    monkeypatch.setattr(lan, "lan_addresses", lambda: ["192.168.1.10"])
    page = client.get("/perangkat", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    secret = app.config["SECRET_KEY"]
    assert f'href="http://127.0.0.1:8000/cek-harga/{tokens.price_check_token(secret)}"' in page
    assert f'href="http://127.0.0.1:8000/layar/{till_id}/{tokens.screen_token(secret, till_id)}"' in page
    assert "192.168.1.10" not in page and "jaringan gerai" not in page
    assert (f"Server hanya melayani komputer ini ({bound}): tablet tidak bisa membuka alamat jaringan. "
            "Jalankan pemasang dengan <code>--serve lan</code>") in page


@pytest.mark.parametrize("bound", ["0.0.0.0", "192.168.1.10", ""])
def test_a_server_on_the_lan_gets_the_lan_link(app, manager, monkeypatch, bound):
    """Bound to every interface (--serve lan), to the LAN address, or unknown (no POS_HOST):
    the LAN address as before."""
    client, _ = manager
    monkeypatch.setitem(app.config, "HOST", bound)
    monkeypatch.setattr(lan, "lan_addresses", lambda: ["192.168.1.10"])
    page = client.get("/perangkat", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    assert 'href="http://192.168.1.10:8000/cek-harga/' in page
    assert "Server hanya melayani komputer ini" not in page


def test_behind_the_https_proxy_the_links_name_the_public_url(app, manager, monkeypatch):
    """--serve tls: the app on 127.0.0.1:8000 behind nginx on the LAN's 443. The LAN address
    with the app's port (http://192.168.1.10:8000) opened nothing on a tablet: the links name
    POS_PUBLIC_URL, the name the certificate carries."""
    client, till_id = manager
    for key, value in (("HOST", "127.0.0.1"), ("TRUST_PROXY", True),
                       ("PUBLIC_URL", "https://kasir.gerai.lan")):
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setattr(lan, "lan_addresses", lambda: ["192.168.1.10"])
    page = client.get("/perangkat", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    secret = app.config["SECRET_KEY"]
    assert f'href="https://kasir.gerai.lan/cek-harga/{tokens.price_check_token(secret)}"' in page
    assert f'href="https://kasir.gerai.lan/layar/{till_id}/{tokens.screen_token(secret, till_id)}"' in page
    assert "192.168.1.10" not in page and "http://127.0.0.1:8000/cek-harga" not in page
    assert "Alamat gerai untuk tablet/layar di jaringan: <code>https://kasir.gerai.lan</code>" in page


def test_behind_a_proxy_without_a_public_url_the_lan_link_is_https_without_the_apps_port(
        app, manager, monkeypatch):
    """A --serve tls install from before POS_PUBLIC_URL: nginx answers on 443, not the app's
    port, and the certificate names the server: the link and a note to run the installer again."""
    client, _ = manager
    monkeypatch.setitem(app.config, "HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "TRUST_PROXY", True)
    monkeypatch.setattr(lan, "lan_addresses", lambda: ["192.168.1.10"])
    page = client.get("/perangkat", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    assert 'href="https://192.168.1.10/cek-harga/' in page and ":8000/cek-harga" not in page
    assert "Jalankan pemasang lagi" in page


def test_opened_from_the_lan_the_links_stay_as_opened_whatever_the_public_url(app, manager, monkeypatch):
    client, _ = manager
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://kasir.gerai.lan")
    page = client.get("/perangkat", base_url="http://192.168.1.10:8000").get_data(as_text=True)
    assert "http://192.168.1.10:8000/cek-harga/" in page and "kasir.gerai.lan/cek-harga" not in page


def test_at_base_keeps_path_and_query():
    assert lan.at_base("http://127.0.0.1:8000/layar/1/t?x=1", "https://kasir.gerai.lan") \
        == "https://kasir.gerai.lan/layar/1/t?x=1"
    assert lan.at_base("http://127.0.0.1:8000/cek-harga/a", "http://10.0.0.2:8010/") \
        == "http://10.0.0.2:8010/cek-harga/a"


@pytest.mark.parametrize("value", ["kasir.gerai.lan", "https://kasir.gerai.lan/pos", "ftp://x", "https://"])
def test_a_public_url_that_is_no_base_address_stops_the_start_in_indonesian(value, tmp_path):
    from pos.config import check_settings
    from pos.errors import PosError
    config = {key: getattr(DefaultConfig, key) for key in dir(DefaultConfig) if key.isupper()}
    config.update(PUBLIC_URL=value, OUTLET_CODE="KDMP-SKP01", INSTANCE_PATH=str(tmp_path))
    with pytest.raises(PosError, match="POS_PUBLIC_URL harus alamat http:// atau https://"):
        check_settings(config)


@pytest.mark.parametrize("value", ["https://kasir.gerai.lan", "http://10.0.0.2:8010/", ""])
def test_a_base_address_or_none_is_taken(value, tmp_path):
    from pos.config import check_settings
    config = {key: getattr(DefaultConfig, key) for key in dir(DefaultConfig) if key.isupper()}
    config.update(PUBLIC_URL=value, OUTLET_CODE="KDMP-SKP01", INSTANCE_PATH=str(tmp_path))
    check_settings(config)
    assert config["PUBLIC_URL"] == value
