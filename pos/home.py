"""The start page after login: the tiles this role may open."""
from flask import Blueprint, g, redirect, url_for

from pos.web import render

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Cashiers go straight to the till; other roles see the menu of what they may open."""
    staff = g.get("staff")
    if staff is None:
        return redirect(url_for("auth.login"))
    if staff.may("sell") and not staff.may("stock"):
        return redirect(url_for("sales.till"))
    return render("home.html")
