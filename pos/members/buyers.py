"""The buyer of regulated goods, as the till knows them, and the question the till asks.

SPHP rice, subsidised fertiliser and LPG 3 kg are sold to a person, not a basket: a NIK typed
or scanned from the KTP, or a member (by their registered NIK).  A farmer may send a proxy
(family member or farmer-group officer), recorded with name, NIK and relation.  The packages
that rule on these goods (``pos.limits``, ``pos.fertilizer``, ``pos.lpg``) take a ``Buyer`` and
raise ``NeedsBuyer`` when the till must ask for one first.
"""
from __future__ import annotations

from dataclasses import dataclass

from pos.errors import PosError

# What ``NeedsBuyer.needs`` may hold: the fields the till's buyer dialog asks for.
NIK = "nik"            # a NIK or a member number/card ("NIK / Nomor anggota")
MEMBER = "member"      # a member only
FARMER = "farmer"      # a farmer on the e-RDKK list: NIK or Kartu Tani number, a proxy allowed
CATEGORY = "category"  # the LPG 3 kg buyer category

# LPG 3 kg buyer categories (Kepmen ESDM 37.K/MG.01/MEM.M/2023).
CATEGORIES = {"rumah_tangga": "Rumah tangga", "usaha_mikro": "Usaha mikro", "nelayan": "Nelayan",
              "petani": "Petani"}


@dataclass(frozen=True)
class Buyer:
    """The buyer of a cart's regulated goods: a NIK typed or scanned from a KTP, or the member
    on the sale (``member_nik`` when registered, ``member_name`` to name them when a rule asks
    for someone else), the LPG category, and a farmer's proxy."""

    nik: str | None = None
    name: str | None = None
    category: str | None = None
    member_id: int | None = None
    member_nik: str | None = None
    proxy_name: str | None = None
    proxy_nik: str | None = None
    proxy_relation: str | None = None
    member_name: str | None = None

    @property
    def key_nik(self) -> str | None:
        """The NIK the buyer is known by: the one typed, else the member's registered one."""
        return self.nik or self.member_nik


class NeedsBuyer(PosError):
    """The till must ask who buys before ``product`` can go on the sale: ``needs`` names the
    dialog's fields (``NIK``, ``MEMBER``, ``FARMER``, ``CATEGORY``)."""

    status = 428

    def __init__(self, message: str, needs: frozenset[str], product: str = ""):
        super().__init__(message)
        self.needs, self.product = needs, product
