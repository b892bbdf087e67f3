"""Who is logged in to マイナポータル, and who was handed over to ねんきんネット.

Two session keys: "myna_login" is the マイナポータル login (set once the card is removed);
"myna_user" is set only when the user opens ねんきんネット from つながっているウェブサイト,
which is what ねんきんネット trusts.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import redirect, session, url_for
from werkzeug.wrappers import Response

from simulator.personas import Persona, load_personas

P = ParamSpec("P")
R = TypeVar("R")

PORTAL_KEY = "myna_login"
HANDOVER_KEY = "myna_user"


def log_in(persona_key: str) -> None:
    session[PORTAL_KEY] = persona_key


def log_out() -> None:
    session.pop(PORTAL_KEY, None)
    session.pop(HANDOVER_KEY, None)


def portal_user() -> Persona | None:
    key = session.get(PORTAL_KEY)
    return None if key is None else load_personas().get(key)


def hand_over(persona_key: str) -> None:
    session[HANDOVER_KEY] = persona_key


def current_myna_user() -> str | None:
    key = session.get(HANDOVER_KEY)
    return key if isinstance(key, str) else None


def login_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Portal pages send a visitor who has not logged in with the card to the top page."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if portal_user() is None:
            return redirect(url_for("myna.top"))
        return view(*args, **kwargs)

    return wrapped
