"""Test hooks under /_sim/ (skeleton; filled in by its owner)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("sim", __name__, url_prefix="/_sim")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
