"""Blueprint skeleton for the phone site (filled in by its owner)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("phone", __name__, url_prefix="/phone")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.get("/")
def home() -> str:
    return "phone home"
