"""Ways to pay besides cash: QRIS payloads and their QR codes."""
