"""The manager's list of overrides (views)."""
from flask import Blueprint

bp = Blueprint("approvals", __name__, url_prefix="/persetujuan")
