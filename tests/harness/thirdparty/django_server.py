"""A tiny Django project with its admin, served by waitress on a free loopback port.

Run as `python django_server.py FOLDER [PORT]`: settings in code, SQLite in FOLDER,
`migrate`, a superuser (USERNAME / PASSWORD), then the admin and its static files served on
127.0.0.1 (on PORT, or a free port); the port is the first line printed. It stops by itself
when its stdin closes, so a test process that dies never leaves it behind.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

USERNAME = "admin"
# The admin's header: the tests rename it to make a change that shows on every screen.
HEADER_VARIABLE = "GARDEN_ADMIN_HEADER"
PASSWORD = "garden-club-2026"
APPS = ["admin", "auth", "contenttypes", "sessions", "messages", "staticfiles"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
CONTEXT = ["request", "auth", "messages"]


def configure(folder: Path) -> None:
    from django.conf import settings

    processors = {
        "request": "django.template.context_processors.request",
        "auth": "django.contrib.auth.context_processors.auth",
        "messages": "django.contrib.messages.context_processors.messages",
    }
    settings.configure(
        DEBUG=False,
        SECRET_KEY="guideshot-tests-only",
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[f"django.contrib.{app}" for app in APPS],
        MIDDLEWARE=MIDDLEWARE,
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": [processors[name] for name in CONTEXT]},
            }
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": folder / "db.sqlite3",
                # Both phones write at once (-j 2): a deferred transaction that must upgrade
                # to a write lock fails at once with "database is locked" (a 500 on delete,
                # CI-found); immediate ones wait for the lock instead, up to the timeout.
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            }
        },
        STATIC_URL="/static/",
        USE_TZ=True,
        LANGUAGE_CODE="en-us",
    )


urlpatterns: list[object] = []  # ROOT_URLCONF is this module; filled once Django is set up


def add_urls() -> None:
    from django.contrib import admin
    from django.urls import path

    urlpatterns.append(path("admin/", admin.site.urls))


def _stop_when_orphaned() -> None:
    sys.stdin.read()  # returns when the test process closes the pipe or dies
    os._exit(0)


def main(folder: Path, port: int) -> None:
    configure(folder)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from waitress.server import BaseWSGIServer, create_server

    add_urls()
    from django.contrib import admin

    admin.site.site_header = os.environ.get(HEADER_VARIABLE, admin.site.site_header)
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username=USERNAME).exists():  # a restart keeps its database
        User.objects.create_superuser(USERNAME, "", PASSWORD)
    # DEBUG is off (no debug pages), so the admin's CSS and JS come from this handler.
    app = StaticFilesHandler(get_wsgi_application())
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    # one host and port: one listening socket, whose port the test reads
    assert isinstance(server, BaseWSGIServer) and server.socket is not None
    print(server.socket.getsockname()[1], flush=True)
    threading.Thread(target=_stop_when_orphaned, daemon=True).start()
    server.run()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0)
