"""Members' money with the cooperative: credit (kasbon) and savings (simpanan)."""
