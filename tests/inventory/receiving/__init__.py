"""Tests of pos.inventory.receiving: goods receipts and costs."""
