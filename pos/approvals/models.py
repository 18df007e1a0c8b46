"""The override log."""
