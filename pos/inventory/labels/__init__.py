"""Labels: in-store codes for goods without a barcode, and shelf labels to print."""
