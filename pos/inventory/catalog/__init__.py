"""The catalog: products, barcodes, packs, prices, and import and export as CSV or XLSX."""
