"""Phone routes: home screen, Chrome / Safari start page, search results."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from simulator import sandbox
from simulator.phone import apps, bp, search

_WEEKDAYS = "月火水木金土日"


@bp.get("/")
def home() -> str:
    device = sandbox.device()
    grid, dock = apps.home_screen(device)
    now = sandbox.now()
    return render_template(
        "phone/home.html",
        device=device,
        grid=grid,
        dock=dock,
        browser_url=url_for(apps.browser_endpoint(device)),
        date_text=f"{now.month}月{now.day}日({_WEEKDAYS[now.weekday()]})",
    )


@bp.get("/chrome")
def chrome() -> str:
    return render_template("phone/start.html", browser="chrome")


@bp.get("/safari")
def safari() -> str:
    return render_template("phone/start.html", browser="safari")


@bp.get("/search", endpoint="search")
def results() -> str | Response:
    device = sandbox.device()
    query = request.args.get("q", "")
    if not query.strip():
        return redirect(url_for(apps.browser_endpoint(device)))
    found = search.results_for(query, url_for("nenkin.top"), url_for("myna.top"))
    browser = "safari" if device == "iphone" else "chrome"
    return render_template("phone/results.html", browser=browser, query=query, results=found)
