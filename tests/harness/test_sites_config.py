"""The sites in guide.yaml: what the phone frame's address bar shows for each, and each
mistake in them as one `lint` line naming the file, line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.guide.assemble import display_host
from harness.guide.config import load_config

ROOT = Path(__file__).resolve().parents[2]


def test_each_sites_pages_show_its_real_host() -> None:
    config = load_config(ROOT / "guide.yaml").config
    assert config.site_prefixes == {"nenkin": "/nenkin/", "myna": "/myna/"}
    hosts = config.address_hosts
    assert display_host("/nenkin/home", hosts) == "www3.idpass-net.nenkin.go.jp"
    assert display_host("/myna/login/card", hosts) == "myna.go.jp"
    assert display_host("/phone/home", hosts) is None  # the phone's own screens: no bar


def test_the_older_hosts_key_still_shows_its_hosts(tmp_path: Path) -> None:
    guide = tmp_path / "guide.yaml"
    guide.write_text("title: x\nhosts: {/shop/: shop.example, /shop/admin/: admin.example}\n")
    hosts = load_config(guide).config.address_hosts
    assert display_host("/shop/cart", hosts) == "shop.example"
    assert display_host("/shop/admin/users", hosts) == "admin.example"  # the longer prefix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "title: x\nsites:\n  Bad Name: {path: /b/}\n",
            "guide.yaml:2: sites: site name 'Bad Name': lowercase letters, digits, - and _",
        ),
        (
            "title: x\nsites:\n  shop: {path: shop/}\n",
            "guide.yaml:3: sites.shop.path: 'shop/': a path prefix starts with /, e.g. /shop/",
        ),
        (
            "title: x\nsites:\n  shop: {host: shop.example}\n",
            "guide.yaml:3: sites.shop.path: required key missing",
        ),
        (
            "title: x\nsites:\n  shop: {path: /shop/}\nhosts: {/shop/: shop.example}\n",
            "guide.yaml:1: use `sites` only: move each `hosts` entry into it as "
            "NAME: {path: PREFIX, host: HOST}",
        ),
    ],
)
def test_a_mistake_in_sites_is_one_lint_line(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "guide.yaml").write_text(text, "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "harness", "lint"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert expected in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr
