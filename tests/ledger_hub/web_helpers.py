"""Signing an operator in to the hub's pages in tests (the books' and the SHU's)."""
from __future__ import annotations

import re

from pos.ledger_hub import operators

PASSWORD = "rahasia-koperasi"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/masuk") -> str:
    """The CSRF token of the form on ``path`` (the session's token)."""
    found = _TOKEN.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def add_operator(hub_db, name: str = "siti", password: str = PASSWORD) -> str:
    with hub_db.transaction() as session:
        return operators.add(session, name, password)[0]


def sign_in(client, hub_db, name: str = "siti") -> str:
    """Register operator ``name`` and sign in with the login form; returns a CSRF token."""
    add_operator(hub_db, name)
    token = csrf_token(client)
    answer = client.post("/masuk", data={"username": name, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return csrf_token(client, "/")
