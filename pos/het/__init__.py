"""Government ceiling prices (HET): a schedule per product and zone with effective dates."""
