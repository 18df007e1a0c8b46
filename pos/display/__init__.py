"""Screens beyond the till: the customer screen (Layar pelanggan) that follows a till, and the
shelf price check (Cek harga).  Both are read-only and opened by a token link, never a login."""
