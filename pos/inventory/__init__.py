"""Catalog, barcodes and stock: products, the stock ledger and on-hand figures."""
