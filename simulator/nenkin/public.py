"""ねんきんネット public pages (owner: fills in registration, user ID and login)."""

from __future__ import annotations

from flask import render_template

from simulator.nenkin import bp


@bp.get("/")
def top() -> str:
    return render_template("nenkin/layout.html")


@bp.get("/login")
def login() -> str:
    return render_template("nenkin/layout.html")
