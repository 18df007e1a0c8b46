"""LPG 3 kg: the daily list per NIK and category (views)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("lpg", __name__, url_prefix="/lpg")
