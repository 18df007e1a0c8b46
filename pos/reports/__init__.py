"""Read-only summaries of committed sales (day totals; later shift and SHU reports)."""
