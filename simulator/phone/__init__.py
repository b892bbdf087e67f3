"""The phone itself: home screens, the browser start pages, search and its keyboard."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("phone", __name__, url_prefix="/phone")


def init_app(app: Flask) -> None:
    # Route module registers on `bp` when imported; import it before registering it.
    from simulator.phone import views  # noqa: F401

    app.register_blueprint(bp)
