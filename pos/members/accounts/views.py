"""Savings and credit repayments at the till; statements and ageing for managers (views)."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)
