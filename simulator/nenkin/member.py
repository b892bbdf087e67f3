"""ねんきんネット member pages: the arrival from マイナポータル, the top page and its お知らせ.

The other member screens live in their own modules, imported at the bottom so their
routes register on `bp` together with these.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simulator.nenkin import accounts, bp
from simulator.nenkin.era import wareki_year
from simulator.nenkin.jadate import wareki_iso
from simulator.personas import Persona


@bp.context_processor
def member_links() -> dict[str, object]:
    # The logout route belongs to the public pages; show the button once it exists.
    has_logout = "nenkin.logout" in current_app.view_functions
    return {"logout_url": url_for("nenkin.logout") if has_logout else None}


def _persona() -> Persona:
    persona = accounts.current_user()
    assert persona is not None  # login_required ran first
    return persona


@bp.get("/myna-entry")
def myna_entry() -> Response | tuple[str, int]:
    """つながっているウェブサイト → ねんきんネット: log in as the マイナポータル user."""
    # Lazily: the myna site is set up after this one, and may be absent in a trimmed app.
    from simulator.myna import current_myna_user, is_linked

    key = current_myna_user()
    if key is None or accounts.account_row(key) is None or not is_linked(key):
        return render_template("nenkin/member/myna_refused.html"), 403
    accounts.login_user(key, "myna")
    row = accounts.account_row(key)
    if row is None or not row["email"]:
        # A first arrival registers its e-mail address before anything else.
        return redirect(url_for("nenkin.mail_settings"))
    return redirect(url_for("nenkin.home"))


def birth_text(persona: Persona) -> str:
    birth = persona.birth
    return f"{birth.era}{wareki_year(birth.year)}年{birth.month}月{birth.day}日"


@bp.get("/home")
@accounts.login_required
def home() -> str:
    persona = _persona()
    row = accounts.account_row(persona.key)
    assert row is not None
    return render_template(
        "nenkin/member/home.html",
        persona=persona,
        last_login=wareki_iso(row["last_login"]),
        show_notice=not row["notice_read"],
        show_details=request.args.get("show") == "1",
        birth=birth_text(persona),
    )


@bp.post("/home/notice/close")
@accounts.login_required
def close_notice() -> Response:
    """「閉じる」 on the お知らせ dialog: it stays closed for this account from now on."""
    accounts.update_account(_persona().key, notice_read=1)
    return redirect(url_for("nenkin.home"))


# Route modules of the other member screens; importing them registers their routes.
from simulator.nenkin import eapply, mail_settings, notices, records  # noqa: E402, F401
