"""The Anggota screens: the member register, cards, import and export (views)."""
from flask import Blueprint

bp = Blueprint("members", __name__, url_prefix="/anggota")
