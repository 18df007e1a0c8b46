"""Obat keras at the till (views): the prescription and the pharmacist's approval."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rx", __name__, url_prefix="/kasir/resep")
