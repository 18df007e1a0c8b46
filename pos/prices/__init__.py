"""Price rules: member discounts, member prices and quantity tiers (harga grosir)."""
