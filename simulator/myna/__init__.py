"""Blueprint skeleton for the myna site (filled in by its owner)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("myna", __name__, url_prefix="/myna")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.get("/")
def top() -> str:
    return "myna top"
