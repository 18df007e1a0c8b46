"""Closing the business day: every shift closed, then the day locked with its summary."""
