"""POS_TRUST_PROXY (kiosk/install.sh --serve tls): behind nginx the app takes the client's
address and https from X-Forwarded-For / X-Forwarded-Proto, so the login lockout counts per
till and cookies can be Secure; without it (the app itself on the LAN) those headers are
ignored, so no till can fake its address."""
from __future__ import annotations

from flask import request

from pos import create_app
from pos.hardware import Hardware
from pos.hardware.fakes import RecordingPrinter

FORWARDED = {"X-Forwarded-For": "192.168.1.23", "X-Forwarded-Proto": "https"}


def probe(tmp_path, **config):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'pos.db'}",
                      "SECRET_KEY": "test-secret", "TESTING": True, "SQLITE_BACKGROUND_CHECKPOINT": False,
                      "PRINT_IN_BACKGROUND": False, **config}, hardware=Hardware(printer=RecordingPrinter()))
    app.add_url_rule("/probe", "probe", lambda: f"{request.scheme} {request.remote_addr}")
    return app.test_client()


def test_behind_the_proxy_the_forwarded_client_and_scheme_count(tmp_path):
    client = probe(tmp_path, TRUST_PROXY=True)
    assert client.get("/probe", headers=FORWARDED).text == "https 192.168.1.23"
    # one hop only: an address the till itself put in front of nginx's is not believed
    chained = {**FORWARDED, "X-Forwarded-For": "10.9.9.9, 192.168.1.23"}
    assert client.get("/probe", headers=chained).text == "https 192.168.1.23"


def test_served_directly_the_headers_are_ignored(tmp_path):
    client = probe(tmp_path)
    assert client.get("/probe", headers=FORWARDED).text == "http 127.0.0.1"
