"""届書を電子申請する: only for sessions that came through マイナポータル.

The guide only walks to the first (入力) screen of 公的年金等の受給者の扶養親族等申告書;
nothing here is submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response

from simulator import sandbox
from simulator.nenkin import accounts, bp
from simulator.nenkin.era import wareki_year

P = ParamSpec("P")
R = TypeVar("R")

FUYOU = "公的年金等の受給者の扶養親族等申告書"


def myna_only(view: Callable[P, R]) -> Callable[P, R | Response]:
    """A user-ID session is sent back to the page that explains why it cannot apply."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if accounts.current_via() != "myna":
            return redirect(url_for("nenkin.eapply"))
        return view(*args, **kwargs)

    return wrapped


@bp.get("/e-apply")
@accounts.login_required
def eapply() -> str:
    return render_template("nenkin/member/eapply.html", via_myna=accounts.current_via() == "myna")


@bp.get("/e-apply/forms")
@accounts.login_required
@myna_only
def eapply_forms() -> str:
    return render_template("nenkin/member/eapply_forms.html", fuyou=FUYOU)


@bp.get("/e-apply/forms/fuyou")
@accounts.login_required
@myna_only
def eapply_fuyou() -> str:
    persona = accounts.current_user()
    assert persona is not None
    # The 申告書 filed in autumn is for the following calendar year (令和 year = AD - 2018).
    year = sandbox.now().year + 1 - 2018
    return render_template(
        "nenkin/member/eapply_fuyou.html",
        persona=persona,
        fuyou=FUYOU,
        year_label=f"令和{wareki_year(year)}年分",
    )
