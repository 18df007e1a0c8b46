"""The Pengaturan screen (views)."""
from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/pengaturan")
