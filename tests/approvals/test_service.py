"""The approval service: a manager's PIN at the till, the approver rule, and the log."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from pos.approvals.models import Override
from pos.approvals.service import (
    REFUSED,
    Actor,
    Approval,
    ApprovalRefused,
    Asked,
    NeedsApproval,
    approve,
    asked,
    authorize,
    carried,
    check_pin,
    listed,
)
from pos.auth.models import Role, User
from pos.auth.service import RIGHTS
from pos.auth.throttle import LoginGuard

CASHIER_RIGHTS = RIGHTS[Role.CASHIER]
MANAGER_RIGHTS = RIGHTS[Role.MANAGER]
VALUES = dict(kind="price_override", what="Ubah harga Gula", before="Rp10.000", after="Rp9.000")


def overrides(db) -> list[Override]:
    with db.reading() as s:
        return list(s.scalars(select(Override).order_by(Override.id)))


def test_a_managers_right_pin_approves_and_the_row_says_who_why_before_and_after(db, shop, guard):
    with db.reading() as s:
        approval = check_pin(s, Asked("Manajer1 ", "9999", "harga pesaing"), guard, "10.0.0.5")
    assert approval.approver_id == shop["manager"]
    actor = Actor(shop["cashier"], shop["till"], CASHIER_RIGHTS, reason="", approval=approval)
    with db.transaction() as s:
        authorize(s, actor, cart_id=7, **VALUES)
    [row] = overrides(db)
    assert (row.kind, row.asked_by, row.approved_by, row.reason) == \
        ("price_override", shop["cashier"], shop["manager"], "harga pesaing")
    assert (row.before, row.after, row.till_id, row.cart_id, row.self_approved) == \
        ("Rp10.000", "Rp9.000", shop["till"], 7, False)
    assert row.description == "Ubah harga Gula" and row.created_at is not None


def test_a_wrong_pin_is_refused_in_indonesian_and_nothing_is_logged(db, shop, guard):
    with db.reading() as s, pytest.raises(ApprovalRefused) as refused:
        check_pin(s, Asked("manajer1", "1234", "alasan"), guard, "10.0.0.5")
    assert refused.value.message == REFUSED and "PIN" in REFUSED
    assert overrides(db) == []


def test_five_wrong_pins_lock_the_manager_like_a_login(db, shop, guard):
    for _ in range(5):
        with db.reading() as s, pytest.raises(ApprovalRefused):
            check_pin(s, Asked("manajer1", "0000", "alasan"), guard, "10.0.0.5")
    with db.reading() as s, pytest.raises(ApprovalRefused):
        check_pin(s, Asked("manajer1", "9999", "alasan"), guard, "10.0.0.5")  # right, but locked
    with db.reading() as s:  # another till is not locked out
        assert check_pin(s, Asked("manajer1", "9999", "alasan"), guard, "10.0.0.6").approver_id \
            == shop["manager"]


def test_a_cashiers_right_pin_is_refused_as_a_wrong_one_and_counts_towards_the_lock(db, shop, guard):
    """kasir3's right PIN said "pengguna ini tidak berhak" where a wrong one said "PIN salah": a
    cashier at the dialog learnt a colleague's PIN. A user who may not approve is refused in the
    words of a wrong PIN, and the attempt counts towards the lock as a wrong PIN does."""
    for pin in ("1111", "1234"):               # kasir1's right PIN, and a wrong one
        with db.reading() as s, pytest.raises(ApprovalRefused) as refused:
            check_pin(s, Asked("kasir1", pin, "alasan"), guard, "10.0.0.5")
        assert (refused.value.message, refused.value.status) == (REFUSED, 403)
    for _ in range(3):
        with db.reading() as s, pytest.raises(ApprovalRefused):
            check_pin(s, Asked("kasir1", "1111", "alasan"), guard, "10.0.0.5")
    assert guard.locked(shop["cashier"], "10.0.0.5")        # five tries, as with wrong PINs
    assert not guard.locked(shop["cashier"], "10.0.0.6")
    assert overrides(db) == []


def test_a_managers_right_pin_is_wrong_where_an_apoteker_must_approve(db, shop, guard):
    with db.reading() as s, pytest.raises(ApprovalRefused) as refused:
        check_pin(s, Asked("manajer1", "9999", "alasan"), guard, "10.0.0.5", right="dispense")
    assert refused.value.message == REFUSED
    with db.reading() as s:                  # the manager's own right: approved
        assert check_pin(s, Asked("manajer1", "9999", "alasan"), guard, "10.0.0.5").approver_id \
            == shop["manager"]


def test_an_approval_of_a_user_without_the_right_is_refused_as_a_wrong_pin(db, shop):
    """A checked approval (a pass) whose approver may not approve: the words of a wrong PIN."""
    actor = Actor(shop["cashier"], shop["till"], CASHIER_RIGHTS,
                  approval=Approval(shop["cashier"], "alasan"))
    with db.transaction() as s, pytest.raises(ApprovalRefused) as refused:
        authorize(s, actor, **VALUES)
    assert refused.value.message == REFUSED
    assert overrides(db) == []


def test_right_manager_pins_never_use_up_the_tills_minute_but_wrong_ones_do(db, shop):
    """A busy day: a dozen approvals within a minute from tills sharing 127.0.0.1 all go
    through; guesses still meet the per-minute throttle (and then the lock, as before)."""
    guard = LoginGuard(per_minute=10, max_attempts=5, per_user=20, lock_seconds=300)
    with db.reading() as s:
        for _ in range(12):
            assert check_pin(s, Asked("manajer1", "9999", "alasan"), guard, "127.0.0.1").approver_id \
                == shop["manager"]
        for n in range(10):
            with pytest.raises(ApprovalRefused, match="salah"):
                check_pin(s, Asked(f"tebak{n}", "0000", "alasan"), guard, "127.0.0.1")
        with pytest.raises(ApprovalRefused, match="Terlalu banyak percobaan PIN") as refusal:
            check_pin(s, Asked("manajer1", "9999", "alasan"), guard, "127.0.0.1")
    assert refusal.value.status == 429


def test_a_deactivated_manager_cannot_approve(db, shop, guard):
    with db.transaction() as s:
        s.get(User, shop["manager"]).active = False
    with db.reading() as s, pytest.raises(ApprovalRefused):
        check_pin(s, Asked("manajer1", "9999", "alasan"), guard, "10.0.0.5")


def test_missing_pin_is_refused_before_any_hash_and_a_missing_reason_by_the_approval(db, shop, guard):
    """The reason is the action's to ask for: a shift closed with nothing off is "Tanpa selisih"
    (``authorize``'s ``suggested``), so ``check_pin`` no longer refuses it; ``approve`` does when
    the action has none either."""
    with db.reading() as s:
        with pytest.raises(ApprovalRefused, match="PIN"):
            check_pin(s, Asked("manajer1", "", "alasan"), guard, "a")
    assert guard.sizes()[0] == 0  # nothing counted against the address
    with db.reading() as s:
        approval = check_pin(s, Asked("manajer1", "9999", ""), guard, "a")
    with db.transaction() as s, pytest.raises(ApprovalRefused, match="Tulis alasan persetujuan"):
        approve(s, right="manage", asked_by=shop["cashier"], till_id=shop["till"], reason="",
                before="a", after="b", kind="sale_void", approval=approval)
    assert overrides(db) == []


def test_self_approval_follows_pos_self_approval(db, shop, guard):
    with db.reading() as s:
        approval = check_pin(s, Asked("manajer1", "9999", "satu manajer"), guard, "a")
    with db.transaction() as s, pytest.raises(ApprovalRefused, match="orang lain"):
        approve(s, right="manage", asked_by=shop["manager"], till_id=shop["till"],
                reason="satu manajer", before="a", after="b", kind="sale_void", approval=approval)
    with db.transaction() as s:
        approve(s, right="manage", asked_by=shop["manager"], till_id=shop["till"],
                reason="satu manajer", before="a", after="b", kind="sale_void", approval=approval,
                allow_self=True)
    [row] = overrides(db)
    assert row.self_approved and row.approved_by == row.asked_by == shop["manager"]


def test_approve_can_check_the_pin_itself(db, shop, guard):
    with db.transaction() as s:
        approve(s, right="manage", kind="kasbon_limit", asked_by=shop["cashier"],
                till_id=shop["till"], reason="langganan lama", before="Rp0", after="Rp50.000",
                username="manajer2", pin="8888", guard=guard, address="a")
        with pytest.raises(ApprovalRefused):
            approve(s, right="manage", kind="kasbon_limit", asked_by=shop["cashier"],
                    till_id=shop["till"], reason="x", before="a", after="b",
                    username="manajer2", pin="1111", guard=guard, address="a")
    assert [(r.kind, r.approved_by) for r in overrides(db)] == [("kasbon_limit", shop["second"])]


def test_a_cashier_is_asked_and_a_manager_acts_alone_but_logged(db, shop):
    cashier = Actor(shop["cashier"], shop["till"], CASHIER_RIGHTS, reason="rusak")
    with db.transaction() as s, pytest.raises(NeedsApproval) as needed:
        authorize(s, cashier, **VALUES)
    assert (needed.value.what, needed.value.before, needed.value.after) == \
        ("Ubah harga Gula", "Rp10.000", "Rp9.000")
    assert needed.value.kind == "price_override" and "persetujuan manajer" in needed.value.message
    assert overrides(db) == []
    manager = Actor(shop["manager"], shop["till"], MANAGER_RIGHTS, reason="promo")
    with db.transaction() as s:
        authorize(s, manager, **VALUES)
    [row] = overrides(db)
    assert row.asked_by == row.approved_by == shop["manager"] and row.reason == "promo"
    assert not row.self_approved


def test_the_dialog_fields_are_read_and_the_rest_rides_along():
    form = {"discount": "20%", "reason": "rusak", "csrf_token": "t", "approval_user": " manajer1 ",
            "approval_pin": "9999", "approval_reason": ""}
    assert asked(form) == Asked("manajer1", "9999", "rusak")   # the cashier's reason stands in
    assert asked({"discount": "1"}) is None
    assert carried(form) == [("discount", "20%"), ("reason", "rusak")]


def test_the_list_goes_by_the_outlets_date(db, shop):
    def add(moment: datetime, kind: str):
        with db.transaction() as s:
            s.add(Override(kind=kind, description="x", asked_by=shop["cashier"],
                           approved_by=shop["manager"], reason="r", before="a", after="b",
                           till_id=shop["till"], created_at=moment))

    add(datetime(2026, 11, 29, 15, 59), "late_29th")     # 23:59 WITA on the 29th
    add(datetime(2026, 11, 29, 16, 30), "early_30th")    # 00:30 WITA on the 30th
    with db.reading() as s:
        day = listed(s, date(2026, 11, 30), date(2026, 11, 30), "Asia/Makassar")
        both = listed(s, date(2026, 11, 29), date(2026, 11, 30), "Asia/Makassar")
        count = s.scalar(select(func.count()).select_from(Override))
    assert [r.kind for r in day] == ["early_30th"]
    assert [r.kind for r in both] == ["early_30th", "late_29th"] and count == 2
    assert day[0].asked_by == "Kasir1" and day[0].approved_by == "Manajer1" and day[0].till == "Kasir-1"
