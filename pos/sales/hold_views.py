"""Parked sales (Tahan): park the cart with a note, resume it by key (views)."""
from flask import Blueprint

bp = Blueprint("holds", __name__, url_prefix="/kasir/tahan")
