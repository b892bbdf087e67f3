"""A second guide, end to end as a new user makes it: `init`, flows for a tiny library site
served on 127.0.0.1, `lint`, `run --base-url`, `guide`; HTML and PDF for both phones.

Nothing of the ねんきんネット guide may leak into it: not its title, sections or hosts.
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
from harness.numbering import circled

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STYLE = (
    "<style>body{font-family:'Noto Sans CJK JP';margin:16px;font-size:18px}"
    "a,button,input{display:block;margin:20px 0;padding:10px;font-size:18px}</style>"
)
PAGES = {
    "index.html": "<h1>練習の図書館</h1><p>本をさがしたり、借りたりできます。</p>"
    '<a href="search.html">本をさがす</a><a href="login.html">ログイン</a>'
    '<a href="faq.html">よくある質問</a>',
    "search.html": '<h1>本をさがす</h1><form action="results.html">'
    '<label for="q">本の名前</label><input id="q" name="q"><button>検索</button></form>',
    "results.html": "<h1>検索結果</h1><p>3件見つかりました。</p><ul><li>やさしい料理</li></ul>",
    "login.html": '<h1>ログイン</h1><form action="welcome.html"><label for="u">利用者番号</label>'
    '<input id="u" name="u"><label for="p">パスワード</label><input id="p" type="password">'
    "<button>ログインする</button></form>",
    "welcome.html": "<h1>ようこそ</h1><p>借りている本はありません。</p>",
    "faq.html": "<h1>よくある質問</h1><p>問1．何冊まで借りられますか。</p><p>回答．10冊です。</p>",
}
FLOWS = {
    "find-book": """\
id: find-book
section: 1 本をさがす
title: 本をさがしましょう
devices: [android, iphone]
start: /index.html
steps:
  - caption: 「本をさがす」を押す
    action: tap
    target: {role: link, name: 本をさがす}
  - caption: 本の名前を入れて「検索」を押す
    before:
      - {action: fill, target: {label: 本の名前}, value: 料理}
    action: tap
    target: {role: button, name: 検索}
    expect: {text: 検索結果}
  - caption: 検索結果が表示される
    action: expect
    expect: {text: 3件見つかりました}
""",
    "login": """\
id: login
section: 2 ログインする
title: ログインしましょう
devices: [android, iphone]
start: /index.html
outcome: これでログインできました
steps:
  - caption: 「ログイン」を押す
    action: tap
    target: {role: link, name: ログイン}
  - caption: 利用者番号とパスワードを入れて「ログインする」を押す
    before:
      - {action: fill, target: {label: 利用者番号}, value: "0001"}
      - {action: fill, target: {label: パスワード}, value: renshu}
    action: tap
    target: {role: button, name: ログインする}
    highlight:
      - {label: 利用者番号}
      - {label: パスワード}
      - {role: button, name: ログインする}
    mask: [{label: 利用者番号}]
    expect: {text: ようこそ}
""",
    "faq": """\
id: faq
section: 10 こまったときは
title: よくある質問を見ましょう
devices: [android, iphone]
start: /index.html
steps:
  - caption: 「よくある質問」を押す
    action: tap
    target: {role: link, name: よくある質問}
""",
}
# Sections in natural order (1, 2, 10), then the example flow `init` wrote ("1 はじめに"
# sorts before "1 本をさがす"), each flow's captions in order.
ORDER = ["example", "find-book", "login", "faq"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The library site on a free port of 127.0.0.1; `/` serves a page the example flow
    `init` writes can run on (a ログイン link to a page asking for a パスワード)."""
    root = tmp_path_factory.mktemp("site")
    for name, body in {**PAGES, "index.html": PAGES["index.html"]}.items():
        page = f'<!doctype html><html lang="ja"><head><meta charset="utf-8">{STYLE}'
        page += f"<title>{name}</title></head><body>{body}</body></html>"
        (root / name).write_text(page, encoding="utf-8")
    handler = partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
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


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, site: str) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("library-guide")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(["init", "--title", "図書館の使い方"]) == 0
        for flow_id, text in FLOWS.items():
            (folder / "scenarios" / f"{flow_id}.yaml").write_text(text, encoding="utf-8")
        assert main(["lint"]) == 0  # nothing run yet: one notice, not a finding per picture
        assert main(["run", "--base-url", site, "-j", "2"]) == 0
        assert main(["lint"]) == 0
        assert main(["guide"]) == 0
        yield folder


def pdftotext(pdf: Path) -> str:
    run = ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(run, capture_output=True, text=True, check=True).stdout


def numbered_captions() -> list[str]:
    """「①caption」 of every step in guide order, numbered from ① in each flow."""
    example = ["「ログイン」を押す", "ログイン画面が表示される"]
    written = {flow_id: re.findall(r"caption: (.+)", text) for flow_id, text in FLOWS.items()}
    return [
        circled(number) + caption
        for flow_id in ORDER
        for number, caption in enumerate(example if flow_id == "example" else written[flow_id], 1)
    ]


@pytest.mark.parametrize("device", ["android", "iphone"])
def test_both_editions_print_every_caption_in_order(project: Path, device: str) -> None:
    pdf = project / "guide" / f"guide-{device}.pdf"
    assert (project / "guide" / device / "index.html").is_file()
    text = re.sub(r"\s+", "", pdftotext(pdf))
    assert "図書館の使い方" in text and ("Android版" if device == "android" else "iPhone版") in text
    position = 0
    for number_caption in numbered_captions():
        found = text.find(number_caption, position)
        assert found >= 0, f"{number_caption} missing or out of order in {pdf.name}"
        position = found + len(number_caption)
    for section in ("1はじめに", "1本をさがす", "2ログインする", "10こまったときは"):
        assert section in text
    assert text.index("2ログインする") < text.index("10こまったときは")


def test_nothing_of_the_nenkin_guide_leaks_in(project: Path) -> None:
    for device in ("android", "iphone"):
        text = pdftotext(project / "guide" / f"guide-{device}.pdf")
        html = (project / "guide" / device / "index.html").read_text("utf-8")
        for word in ("ねんきんネット", "年金", "マイナポータル", "nenkin", "スマホで"):
            assert word not in text and word not in html, (device, word)


def test_the_pdf_embeds_real_text(project: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(project / "guide" / "guide-iphone.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = listing.splitlines()[2:]
    assert rows and all("CID TrueType" in row for row in rows), listing


def test_a_rebuild_gives_the_same_pdf(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (project / "guide" / "guide-android.pdf").read_bytes()
    monkeypatch.chdir(project)
    assert main(["guide", "--device", "android", "--out", "again"]) == 0
    assert (project / "again" / "guide-android.pdf").read_bytes() == before
