"""マイナポータル: card login (PIN, tap, remove), menu, and 外部サイトとの連携.

The blueprint lives here; `login_views` and `portal_views` add their routes to it.
ねんきんネット uses `is_linked` and `current_myna_user`.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from simulator import sandbox
from simulator.myna import auth, cards, hub, links

bp = Blueprint("myna", __name__, url_prefix="/myna")


def init_app(app: Flask) -> None:
    # Route modules register on `bp` when imported; import them before registering it.
    from simulator.myna import login_views, portal_views  # noqa: F401

    app.register_blueprint(bp)
    hub.init_app(app)
    sandbox.register_seeder(app, cards.seed)
    sandbox.register_seeder(app, links.seed)


def is_linked(persona_key: str) -> bool:
    """Whether this persona has connected マイナポータル to ねんきんネット (current sandbox)."""
    return links.NENKIN in links.linked_sites(persona_key)


def current_myna_user() -> str | None:
    """The persona handed over from マイナポータル to ねんきんネット in this session, if any."""
    return auth.current_myna_user()
