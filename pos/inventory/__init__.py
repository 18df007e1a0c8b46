"""Inventory: the stock ledger (``stock``, the only writer) and the stock lists; the catalog,
receiving, counts and labels are its sub-packages."""
