"""Outlet settings kept in the database."""
