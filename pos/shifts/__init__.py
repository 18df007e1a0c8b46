"""Shifts and the cash drawer: opening float, cash in and out, expected vs counted, X and Z."""
