"""The approval dialog's seal (``approvals.seal``): what an HTML attribute gives back is the same
seal; another path, value or field is not; the dialog's own answers are not sealed."""
from __future__ import annotations

import pytest

from pos.approvals import seal
from pos.approvals.service import ApprovalRefused

SECRET = "rahasia"
FORM = [("jumlah_tarik", "5.000"), ("member_id", "2"), ("alasan", "Diminta\r\nanggota")]


def test_line_breaks_come_back_from_the_page_as_the_same_seal():
    """A hidden input gives a CR LF, or a lone CR, back as LF."""
    made = seal.make(SECRET, "/kasir/simpanan/tarik", FORM)
    for breaks in ("Diminta\nanggota", "Diminta\ranggota"):
        back = [*FORM[:2], ("alasan", breaks)]
        seal.check(SECRET, made, "/kasir/simpanan/tarik", back)


def test_the_dialogs_own_answers_and_what_a_later_question_adds_are_not_sealed():
    made = seal.make(SECRET, "/kasir/simpanan/tarik", FORM)
    seal.check(SECRET, made, "/kasir/simpanan/tarik", [
        *reversed(FORM), ("approval_user", "manajer1"), ("approval_pin", "9999"),
        ("approval_reason", "ok"), ("approval_kind", "x"), ("csrf_token", "t"),
        ("approval_seal", made), ("approval_pass", "p"), ("pembeli", "{}")])


@pytest.mark.parametrize("path, pairs, secret", [
    ("/kasir/simpanan/batal", FORM, SECRET),                                   # another action
    ("/kasir/simpanan/tarik", [("jumlah_tarik", "12.500"), *FORM[1:]], SECRET),  # another amount
    ("/kasir/simpanan/tarik", [*FORM, ("member_id", "17")], SECRET),           # a field added
    ("/kasir/simpanan/tarik", FORM[1:], SECRET),                               # a field dropped
    ("/kasir/simpanan/tarik", FORM, "kunci lain"),                             # another outlet's key
])
def test_anything_else_is_refused(path, pairs, secret):
    made = seal.make(secret, "/kasir/simpanan/tarik", FORM)
    with pytest.raises(ApprovalRefused) as refused:
        seal.check(SECRET, made, path, pairs)
    assert refused.value.status == 409
    with pytest.raises(ApprovalRefused):
        seal.check(SECRET, None, "/kasir/simpanan/tarik", FORM)              # no seal at all
