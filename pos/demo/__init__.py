"""A demo gerai for a fresh install or a test: staff, tills, a catalog with stock, members.

``seed.seed_demo`` adds it; ``goods``, ``sembako`` and ``people`` are its tables.
"""
