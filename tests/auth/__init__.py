"""Tests of pos.auth: login, lockout and the role matrix."""
