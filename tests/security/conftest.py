"""Fixtures of the security suite, borrowed from the suites they extend: the auth tests' till
and cashier (kasir1, PIN 1111) and the ledger hub's app, client and outlet credentials (a
module here names its own ``hub_url``)."""
from __future__ import annotations

from tests.auth.conftest import shop  # noqa: F401 - the login guard's tests use it
from tests.ledger_hub.conftest import creds, hub_app, hub_client, hub_db, other  # noqa: F401
