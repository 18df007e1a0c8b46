"""Returns against a receipt and voids before payment (views)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("returns", __name__, url_prefix="/retur")
