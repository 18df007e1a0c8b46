"""A nonaktif member cannot take kasbon (the till refuses it), so no screen or command shows
them a kasbon allowance left ("Sisa batas"): they are said to have none, and why."""
from __future__ import annotations

import json
import re

import pytest

from pos.members import register
from pos.members.accounts import credit
from tests.factories import login

HX = {"HX-Request": "true"}
NONE_LEFT = "tidak dapat kasbon (nonaktif)"


@pytest.fixture
def manager(client, shop, db):
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 120_760, shop["manager"])
        register.set_active(s, shop["member"], False)
    login(client, shop["manager"], shop["till"])
    return client


def _left(page: str) -> str:
    return re.search(r"<dt>Sisa batas</dt><dd[^>]*>([^<]*)</dd>", page).group(1)


@pytest.mark.parametrize("path", ["/kasir/simpanan/anggota/{id}", "/kasir/simpanan/anggota/{id}/kartu",
                                  "/kasbon/anggota/{id}", "/kasbon/anggota/{id}/ringkas"])
def test_a_nonaktif_member_has_no_kasbon_allowance_on_any_screen(manager, shop, path):
    page = manager.get(path.format(id=shop["member"]), headers=HX).get_data(as_text=True)
    assert _left(page) == NONE_LEFT and "Rp120.760" not in _left(page)


def test_an_active_member_still_sees_the_allowance(client, shop, db):
    with db.transaction() as s:
        credit.set_limit(s, shop["member"], 120_760, shop["manager"])
    login(client, shop["manager"], shop["till"])
    page = client.get(f"/kasir/simpanan/anggota/{shop['member']}", headers=HX).get_data(as_text=True)
    assert _left(page) == "Rp120.760"


def test_pos_members_balance_says_a_nonaktif_member_cannot_take_kasbon(manager, shop, runner):
    found = json.loads(runner.invoke(args=["members", "balance", shop["member_no"], "--json"]).output)
    assert (found["status"], found["credit_limit"], found["available"], found["can_take_kasbon"]) == (
        "nonaktif", 120_760, 0, False)
    text = runner.invoke(args=["members", "balance", shop["member_no"]]).output
    assert f"kasbon Rp0, sisa batas {NONE_LEFT}" in text


NO_LIMIT = "tidak dapat kasbon (belum punya batas kasbon)"


def test_pos_members_balance_says_a_member_without_a_limit_cannot_take_kasbon(shop, runner):
    """An active member with limit 0 was "can_take_kasbon": true, while the till refuses them
    ("belum punya batas kasbon")."""
    found = json.loads(runner.invoke(args=["members", "balance", shop["member_no"], "--json"]).output)
    assert (found["status"], found["credit_limit"], found["available"], found["can_take_kasbon"]) == (
        "aktif", 0, 0, False)
    text = runner.invoke(args=["members", "balance", shop["member_no"]]).output
    assert f"kasbon Rp0, sisa batas {NO_LIMIT}" in text


@pytest.mark.parametrize("path", ["/kasir/simpanan/anggota/{id}", "/kasir/simpanan/anggota/{id}/kartu",
                                  "/kasbon/anggota/{id}", "/kasbon/anggota/{id}/ringkas"])
def test_a_member_without_a_limit_is_said_to_have_no_kasbon_on_any_screen(client, shop, path):
    login(client, shop["manager"], shop["till"])
    page = client.get(path.format(id=shop["member"]), headers=HX).get_data(as_text=True)
    assert _left(page) == NO_LIMIT
