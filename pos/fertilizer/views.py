"""Subsidised fertiliser: the e-RDKK list, quotas and the redemption report (views)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("fertilizer", __name__, url_prefix="/pupuk")
