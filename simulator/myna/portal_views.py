"""マイナポータル after login: home, menu, and 外部サイトとの連携 (terms, done, hand-over)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simulator import sandbox
from simulator.myna import auth, bp, links
from simulator.personas import Persona

AGREE_MESSAGE = "利用規約に同意する場合は「同意する」にチェックを入れてください。"


def _user() -> Persona:
    user = auth.portal_user()
    assert user is not None  # login_required ran first
    return user


def _site_or_404(site_key: str) -> links.Site:
    site = links.site(site_key)
    if site is None:
        abort(404)
    return site


def _link_blocker(site: links.Site) -> str | None:
    """The page to show instead of the terms, when a first link cannot be made now."""
    if not site.available:
        return render_template("myna/site_unavailable.html", site=site)
    if not links.window_open(sandbox.now()):
        return render_template("myna/link_closed.html", site=site, note=links.WINDOW_NOTE)
    return None


@bp.get("/home")
@auth.login_required
def home() -> str:
    return render_template("myna/home.html", user=_user())


# Endpoint "myna.links": the function has another name so the `links` module stays usable.
@bp.get("/links", endpoint="links")
@auth.login_required
def links_page() -> str:
    linked = links.linked_sites(_user().key)
    return render_template(
        "myna/links.html",
        sites=links.SITES,
        linked=[site for site in links.SITES if site.key in linked],
        linked_keys=linked,
        note=links.WINDOW_NOTE,
    )


@bp.route("/links/<site_key>/terms", methods=["GET", "POST"])
@auth.login_required
def link_terms(site_key: str) -> str | Response:
    site = _site_or_404(site_key)
    if site.key in links.linked_sites(_user().key):
        return redirect(url_for("myna.links"))
    blocked = _link_blocker(site)
    if blocked is not None:
        return blocked
    error = None
    if request.method == "POST":
        if request.form.get("agree") == "1":
            links.link(_user().key, site.key)
            return redirect(url_for("myna.link_done", site_key=site.key))
        error = AGREE_MESSAGE
    return render_template("myna/terms.html", site=site, error=error)


@bp.get("/links/<site_key>/done")
@auth.login_required
def link_done(site_key: str) -> str | Response:
    site = _site_or_404(site_key)
    if site.key not in links.linked_sites(_user().key):
        return redirect(url_for("myna.links"))
    return render_template("myna/link_done.html", site=site)


@bp.get("/links/<site_key>/open")
@auth.login_required
def open_site(site_key: str) -> str | Response:
    """つながっているウェブサイト → the site, which learns who came from the session."""
    site = _site_or_404(site_key)
    if site.key not in links.linked_sites(_user().key):
        return redirect(url_for("myna.links"))
    if site.key != links.NENKIN:
        return render_template("myna/site_unavailable.html", site=site)
    auth.hand_over(_user().key)
    return redirect(links.NENKIN_ENTRY)


@bp.post("/logout")
def logout() -> Response:
    auth.log_out()
    return redirect(url_for("myna.top"))
