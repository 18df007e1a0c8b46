"""Tests of pos.inventory.catalog: products, codes, editing, import and export."""
