"""Tests of pos.fertilizer: the e-RDKK list, quotas at the till, redemptions and the report."""
