"""The HET page: ceiling prices per product and zone, their schedule and import (views)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("het", __name__, url_prefix="/het")
