"""The buyer of regulated goods at the till (views): the dialog that asks for a NIK or member
number, a farmer's proxy and the LPG category."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("buyer", __name__, url_prefix="/kasir/pembeli")
