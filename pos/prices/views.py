"""The Harga anggota and grosir screens (views)."""
from flask import Blueprint

bp = Blueprint("prices", __name__, url_prefix="/harga")
