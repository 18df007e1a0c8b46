"""Goods receiving: suppliers, delivery receipts (drafts, posting, corrections) and the
moving-average cost."""
