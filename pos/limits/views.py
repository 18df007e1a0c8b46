"""Limit rules per buyer: the managers' screen (views)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("limits", __name__, url_prefix="/batas")
