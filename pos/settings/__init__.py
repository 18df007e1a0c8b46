"""Outlet settings a manager changes on screen (kept in the database)."""
