"""Tests of pos.inventory.counts: stock counts and adjustments."""
