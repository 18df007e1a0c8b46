"""Tests of pos.inventory: the stock ledger and lists; sub-packages mirror pos.inventory."""
