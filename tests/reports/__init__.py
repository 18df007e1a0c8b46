"""Tests of pos.reports: the day report."""
