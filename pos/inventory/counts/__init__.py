"""Stock counts (stock opname), and manual adjustments and write-offs approved by a manager."""
