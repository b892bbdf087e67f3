"""Fixtures for simulator tests: a fresh app and database per test, and a form helper."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from simulator import SimulatorConfig, create_app

ANDROID_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Mobile Safari/537.36"
IPHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1"
)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return create_app(SimulatorConfig(database=tmp_path / "sim.sqlite3", testing=True))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient, url: str) -> str:
    """The form token a browser would get by opening `url` first."""
    page = client.get(url)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no csrf_token on {url}"
    return match.group(1)


def submit(
    client: FlaskClient,
    form_url: str,
    data: Mapping[str, str | list[str]],
    action: str | None = None,
) -> TestResponse:
    """Open the form page, then post `data` with its CSRF token, as a browser would."""
    token = csrf_token(client, form_url)
    return client.post(action or form_url, data={**data, "csrf_token": token})


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)
