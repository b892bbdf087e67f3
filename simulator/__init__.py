"""A faithful local simulator of the screens the guide shows (the harness's default target)."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path

from flask import Flask, render_template
from flask_wtf.csrf import CSRFProtect

from simulator import db, sandbox
from simulator.config import SimulatorConfig

__all__ = ["SimulatorConfig", "create_app"]

csrf = CSRFProtect()


def create_app(config: SimulatorConfig | None = None) -> Flask:
    """Application factory: one instance, its own database, secret key and clock."""
    config = config or SimulatorConfig()
    app = Flask(__name__)
    database = config.database
    if database is None:
        folder = Path(tempfile.mkdtemp(prefix="guideshot-sim-"))
        database = folder / "simulator.sqlite3"
        # Gone with the app, or at the latest when the process exits (a run passes its own
        # database and removes it itself, also after Ctrl-C or SIGTERM).
        weakref.finalize(app, shutil.rmtree, folder, ignore_errors=True)
    app.config.update(
        SECRET_KEY=config.secret_key,
        DATABASE=str(database),
        SIM_CLOCK=config.clock,
        SIM_HOOKS=config.hooks,
        TESTING=config.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a token per session, not per hour: runs stay repeatable
        WTF_CSRF_SSL_STRICT=False,
        JSON_AS_ASCII=False,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    db.init_app(app)
    sandbox.init_app(app)
    csrf.init_app(app)

    from simulator import myna, nenkin, phone, sim

    phone.init_app(app)
    nenkin.init_app(app)
    myna.init_app(app)
    if config.hooks:
        sim.init_app(app)
        csrf.exempt(sim.bp)

    @app.get("/")
    def index() -> str:
        """Links to each site's start page, so every screen without a form is reachable."""
        return render_template("index.html")

    @app.after_request
    def no_store(response):  # type: ignore[no-untyped-def]
        # Screens depend on session state; never let a cache show a stale one.
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app
