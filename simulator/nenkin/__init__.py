"""Blueprint skeleton for the nenkin site (filled in by its owner)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("nenkin", __name__, url_prefix="/nenkin")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
