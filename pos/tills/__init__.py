"""Tills: the counters (browsers) staff sign in at and sell from."""
