"""PINs anyone could guess, refused for the accounts that approve and keep the others.

A manager's or admin's PIN approves price changes, returns and kasbon and opens the Staf
screen, so one digit throughout (0000, 1111 …) or a straight run up or down (1234, 4321,
0123 …) is refused when such an account is made or given a new PIN (``service.create_user``
and ``service.set_pin``: the Staf screen and ``pos user``).  A counter account's PIN (kasir,
petugas gudang, apoteker) is not checked.  The message never says the PIN back.
"""
from __future__ import annotations

from pos.auth.models import Role

GUARDED = (Role.MANAGER, Role.ADMIN)
LOGIN_WARNING = "PIN Anda mudah ditebak; ganti di Staf → Ganti PIN."


def weakness(pin: str) -> str | None:
    """Why ``pin`` (ASCII digits) is easy to guess, in words, or None."""
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if steps == {0}:
        return "semua angkanya sama"
    if steps in ({1}, {-1}):
        return "angka berurutan"
    return None


def refusal(role: Role | str, pin: str) -> str | None:
    """What refuses a manager's or admin's ``pin`` anyone could guess, or None (``service``
    raises it as a ``UserError``)."""
    if Role(role) not in GUARDED or not pin.isascii() or not pin.isdigit():
        return None
    reason = weakness(pin)
    if reason is None:
        return None
    return (f"PIN terlalu mudah ditebak: {reason} (seperti 0000 atau 1234). "
            "Akun manajer dan admin perlu PIN lain, yang tidak mudah ditebak.")
