"""A new English guide from `init` to PDF, as an author makes it: `init --title "Garden club
handbook"`, `lint` before anything ran (one line, exit 0), `run` of the example flow `init`
wrote against a small site on 127.0.0.1, `guide`; not one Japanese character in either PDF.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from harness.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Kana, kanji, CJK punctuation (「」、。) and full-width forms (（）．).
CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
STYLE = "<style>body{margin:16px;font-size:18px}a,input{display:block;margin:20px 0}</style>"
# What the example flow expects: a "Sign in" link to a page asking for a password.
PAGES = {
    "index.html": '<h1>Garden club</h1><p>Plots, seeds and work days.</p><a href="sign-in.html">'
    "Sign in</a>",
    "sign-in.html": '<h1>Sign in</h1><label for="p">Password</label><input id="p" type="password">',
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("garden-site")
    for name, body in PAGES.items():
        page = f'<!doctype html><html lang="en"><head><meta charset="utf-8">{STYLE}'
        page += f"<title>{name}</title></head><body>{body}</body></html>"
        (root / name).write_text(page, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_an_english_guide_from_init_to_pdf_has_no_japanese_word(
    tmp_path: Path,
    site: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--title", "Garden club handbook"]) == 0
    capsys.readouterr()

    assert main(["lint"]) == 0  # `lint && run` works before anything ran
    assert capsys.readouterr().err.splitlines() == [
        "scenarios and guide ok; nothing run yet (screenshots holds no approved screenshot): "
        "take the pictures with `guideshot run --base-url URL`, then `guideshot guide`"
    ]
    assert main(["run", "--base-url", site, "-j", "2"]) == 0
    assert main(["lint"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "scenarios and guide ok"
    assert main(["guide"]) == 0

    for device, label in (("android", "Android"), ("iphone", "iPhone")):
        pdf = tmp_path / "guide" / f"guide-{device}.pdf"
        run = ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"]
        text = subprocess.run(run, capture_output=True, text=True, check=True).stdout
        assert not CJK.search(text), (device, sorted(set(CJK.findall(text))))
        squeezed = re.sub(r"\s+", " ", text)
        for words in ("Garden club handbook", f"{label} edition", "Contents", "1 Getting started"):
            assert words in squeezed, (device, words)
        assert re.search(r'①\s*Tap "Sign in".*②\s*The sign-in page opens', squeezed), squeezed
        html = (tmp_path / "guide" / device / "index.html").read_text("utf-8")
        assert html.startswith('<!DOCTYPE html>\n<html lang="en" ')
        assert not CJK.search(html), (device, sorted(set(CJK.findall(html))))
