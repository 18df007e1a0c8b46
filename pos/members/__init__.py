"""Cooperative members: identity, card and (later) discounts, credit and SHU."""
