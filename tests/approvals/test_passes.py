"""A pass (``approvals.passes``) stands for one approval of one request, once: the manager's
dialogs and the apoteker's alike (every view checks a PIN through ``dialog.checked``)."""
from __future__ import annotations

import pytest

from pos.approvals import passes
from pos.approvals.service import Approval, ApprovalRefused

PATH = "/shift/kas/keluar"
FIELDS = [("amount", "50000"), ("note", "Beli galon")]


def issued(store: passes.Passes, reason: str = "Galon") -> str:
    held = passes.checked(Approval(7, reason), till_id=1, staff_id=3, path=PATH,
                          pairs=[*FIELDS, ("approval_user", "manajer1"), ("approval_pin", "9999")],
                          reason=reason)
    return store.issue(held)


def redeem(store, token, *, pairs=FIELDS, reason="Galon", till_id=1, staff_id=3, path=PATH):
    return store.redeem(token, till_id=till_id, staff_id=staff_id, path=path, pairs=pairs,
                        reason=reason)


def test_a_pass_redeems_once_for_its_request_and_the_buyer_added_to_it():
    store = passes.Passes()
    token = issued(store)
    sent = [*FIELDS, ("pembeli", '{"buyer": "6472..."}'), ("approval_pass", token),
            ("approval_user", "x"), ("csrf_token", "t"), ("approval_seal", "s")]
    assert redeem(store, token, pairs=sent).approval == Approval(7, "Galon")
    with pytest.raises(ApprovalRefused, match="sudah dipakai"):
        redeem(store, token)


@pytest.mark.parametrize("other", [
    {"pairs": [("amount", "500000"), ("note", "Beli galon")]},
    {"pairs": [*FIELDS, ("member_id", "2")]},
    {"reason": "Lain"}, {"till_id": 2}, {"staff_id": 4}, {"path": "/shift/kas/masuk"}])
def test_a_pass_for_another_request_is_refused_and_spent(other):
    store = passes.Passes()
    token = issued(store)
    with pytest.raises(ApprovalRefused):
        redeem(store, token, **other)
    with pytest.raises(ApprovalRefused):   # a try with it spends it: the PIN is asked again
        redeem(store, token)


def test_a_pass_is_good_for_five_minutes_from_the_pin(monkeypatch):
    store = passes.Passes()
    renewed = store.issue(redeem(store, issued(store)))   # asked again: the PIN's time kept
    monkeypatch.setattr(passes, "MAX_AGE_S", -1)
    with pytest.raises(ApprovalRefused, match="kedaluwarsa"):
        redeem(store, renewed)
    kept = issued(store), issued(store)
    assert list(store._held) == [kept[1]]   # issuing drops the stale passes kept
