"""The one owner of the SQLite connection: connect per request, close on teardown, init."""

from __future__ import annotations

import sqlite3
from importlib import resources

from flask import Flask, current_app, g

# Each site keeps its tables next to its code; they are created in this order.
SCHEMA_FILES = ("schema.sql", "nenkin/schema.sql", "myna/schema.sql")


def connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def get_db() -> sqlite3.Connection:
    """The request's connection, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    conn: sqlite3.Connection = g.db
    return conn


def close_db(_exc: BaseException | None = None) -> None:
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


def init_db(path: str) -> None:
    conn = connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        package = resources.files("simulator")
        for name in SCHEMA_FILES:
            schema = package.joinpath(name)
            if schema.is_file():
                conn.executescript(schema.read_text(encoding="utf-8"))
    finally:
        conn.close()


def init_app(app: Flask) -> None:
    init_db(app.config["DATABASE"])
    app.teardown_appcontext(close_db)
