"""The apotek desa: prescriptions sold and the pharmacists (views)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pharmacy", __name__, url_prefix="/apotek")
