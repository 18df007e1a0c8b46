"""Tests of pos.closing: closing the business day, its summary, the lock and the screen."""
