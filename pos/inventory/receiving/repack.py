"""A receipt line moved to another pack: its counts follow the pack, as its cost does.

The counts (received, ordered, damaged) were counted in the old pack, so a new pack keeps
the amounts: 100 kg of loose rice moved to *karung 50 kg* is 2 karung, 2 karung moved back
to kg is 100 kg.  Counts that are no whole number of the new pack (2 kg is 0,04 karung; a
line just scanned holds 1 kg) stay as they were, now counting the new pack, and the screen
says at once what they mean (2 karung 50 kg = 100 kg), so nothing changes unseen.  Counts
changed in the same edit are the clerk's and stay as typed.  So do counts left as they were
when the cost was typed for the new pack (``keep``: the karung's price typed while the line
said kg, the count likely the karung's too), but the screen says what they mean now and what
they were (100 karung 50 kg = 5.000 kg; before 100 kg, that is 2 karung): two sacks scanned
as 100 kg were kept as 100 sacks without a word.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from pos.inventory.catalog.packs import Pack


@dataclass(frozen=True)
class Repacked:
    """What a change of pack did to a line's counts, for the screen to say."""

    old: Pack             # the pack the counts were in
    old_qty_packs: int    # the received count in it
    converted: bool       # True: the same amounts in the new pack; False: the same numbers
    kept_with_cost: bool = False   # the same numbers because the cost was typed for the new pack
    as_new: int | None = None      # then: the received count's amount in the new pack, if whole


def counts_follow_pack(line, values, pack: Pack, most: int, keep: bool = False):
    """(values with the counts in ``pack``, ``Repacked``) for a line moved from its pack to
    ``pack``; (values, None) when the pack stays or the counts were typed in the same edit."""
    if pack.name == line.pack_name:
        return values, None
    sent = (values.qty_packs, values.ordered_packs, values.damaged_packs)
    if sent != (line.qty_packs, line.ordered_packs, line.damaged_packs):
        return values, None
    old = Pack(line.pack_name, line.pack_qty)
    counts = [_in_pack(n, old.qty, pack.qty, most) for n in sent]
    if keep:
        received = counts[0]
        return values, Repacked(old, line.qty_packs, converted=False, kept_with_cost=True,
                                as_new=None if received is False else received)
    if any(n is False for n in counts):
        return values, Repacked(old, line.qty_packs, converted=False)
    received, ordered, damaged = counts
    return (replace(values, qty_packs=received, ordered_packs=ordered, damaged_packs=damaged),
            Repacked(old, line.qty_packs, converted=True))


def _in_pack(count: int | None, from_qty: int, to_qty: int, most: int) -> int | None | bool:
    """``count`` packs of ``from_qty`` as packs of ``to_qty``; False when not a whole number
    of them (or more than ``most``); None stays None (nothing ordered)."""
    if count is None:
        return None
    whole, rest = divmod(count * from_qty, to_qty)
    return False if rest or whole > most else whole
