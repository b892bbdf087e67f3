"""ねんきんネット: public pages (registration, user ID, login) and member pages.

The blueprint lives here; `public` and `member` add their routes to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from simulator import sandbox
from simulator.nenkin import accounts

bp = Blueprint("nenkin", __name__, url_prefix="/nenkin")


def init_app(app: Flask) -> None:
    # Route modules register on `bp` when imported; import them before registering it.
    from simulator.nenkin import member, public  # noqa: F401

    app.register_blueprint(bp)
    sandbox.register_seeder(app, accounts.seed)
