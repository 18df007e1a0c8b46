"""The approval dialog's answer, read in the views that ask for it: the staff member acting
at the till (``till_actor``), the manager's PIN checked before any write transaction
(``dialog_approval``), and a refused name or PIN written to the log (``refusal_logged``).
Every view with a dialog (discounts and prices, Kas masuk/keluar, shift close, returns, the
prescription) goes through here, so none checks a PIN without logging its refusal."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app, g, request
from sqlalchemy.orm import Session

from pos.approvals import passes, seal
from pos.approvals.service import Actor, Approval, ApprovalRefused, asked, check_pin, refused
from pos.auth.access import login_guard
from pos.auth.service import RIGHTS
from pos.db import get_db, transaction
from pos.errors import typed


def till_actor(till_id: int | None, reason: str = "") -> Actor:
    """The signed-in staff member at ``till_id`` with their rights, the reason typed on the
    asking form, and a manager's approval when the dialog sent one (``dialog_approval``)."""
    return Actor(g.staff.id, till_id, RIGHTS[g.staff.role], reason=typed(reason, 200, "Alasan"),
                 approval=dialog_approval(till_id),
                 allow_self=bool(current_app.config["SELF_APPROVAL"]))


@contextmanager
def acting(till_id: int | None, reason: str | None, *,
           light: bool = False) -> Iterator[tuple[Session, Actor]]:
    """The write transaction of an action at ``till_id`` that may need a manager, and who acts
    (``till_actor``: the PIN checked first, outside it).  ``light``: the action may commit without
    an fsync (a cart edit: ``transaction(durable=False)``), unless an approval may be written in
    it (one was sent, or the actor approves their own): an approval is a record."""
    actor = till_actor(till_id, reason or "")
    with transaction(durable=not light or actor.approval is not None or actor.may("manage")) as session:
        yield session, actor


def dialog_approval(till_id: int | None) -> Approval | None:
    """The approval the dialog sent with the asking form, its PIN checked before any write
    transaction (the hash takes about 100 ms); None when no dialog was answered.  A refused
    name or PIN is logged (``refusal_logged``).  The PIN is read in a session of its own: the
    request's read session, opened before the write, would keep SQLite's snapshot from
    before it, and the view reads what it wrote after."""
    ask = asked(request.form)
    if ask is None:
        return None
    pairs = request.form.items(multi=True)
    seal.check(current_app.config["SECRET_KEY"], request.form.get(seal.FIELD), request.path, pairs)

    def pin() -> Approval:
        with refusal_logged(ask.username, request.form.get("approval_kind", ""), till_id), \
                get_db().reading() as session:
            return check_pin(session, ask, login_guard(), request.remote_addr or "")
    return checked(till_id, ask.reason, pin)


def checked(till_id: int | None, reason: str, pin: Callable[[], Approval]) -> Approval:
    """The approval ``pin()`` checks, or the pass (``passes``) a second question's dialog sent
    in its place, redeemed (a pass is good once, for the request it was issued for); either
    way it is kept in ``g.approval_checked``, so should the request meet a second question,
    its dialog carries a pass for it (``pass_for_request``), never the PIN."""
    token = request.form.get(passes.FIELD)
    where = dict(till_id=till_id, staff_id=g.staff.id, path=request.path,
                 pairs=list(request.form.items(multi=True)), reason=reason)
    if token:
        g.approval_checked = _passes().redeem(token, **where)
    else:
        g.approval_checked = passes.checked(pin(), **where)
    return g.approval_checked.approval


def pass_for_request() -> str | None:
    """A new pass for the approval this request was checked with (``checked``), for the dialog
    of a second question to send it again with; None when it had none."""
    held = g.get("approval_checked")
    return _passes().issue(held) if held is not None else None


def _passes() -> passes.Passes:
    return current_app.extensions.setdefault("pos_approval_passes", passes.Passes())


@contextmanager
def refusal_logged(username: str, kind: str, till_id: int | None) -> Iterator[None]:
    """A name and PIN refused inside (a wrong PIN, an unknown name, a user who may not approve,
    the right PIN during a lock: ``check_pin``'s 403) is written to the log of refused approvals
    (a transaction of its own), then goes on as the dialog's refusal; a missing field or a
    throttled till is refused without a row."""
    try:
        yield
    except ApprovalRefused as refusal:
        if refusal.status == 403:
            with transaction() as session:
                refused(session, asked_by=g.staff.id, till_id=till_id, username=username.strip(),
                        kind=kind, address=request.remote_addr or "")
        raise
