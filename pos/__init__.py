"""Gerai POS: point of sale and inventory for the outlets of village cooperatives.

``pos.app.create_app`` is the composition root; it is named here too so that a
WSGI server can be pointed at ``pos:create_app``.  ``docs/architecture.md`` is
the map of the packages.
"""
from pos.startup import collector_paused

with collector_paused():  # Flask and SQLAlchemy import here (``pos.startup``)
    from pos.app import create_app

__all__ = ["create_app"]
