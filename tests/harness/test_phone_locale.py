"""The phones ask sites for the guide's language: guide.yaml's `locale:`, else its
`language:`'s (ja-JP for ja, en-US for en), else the Japanese phones. A site that
translates itself (Trac, Django with LocaleMiddleware) then answers an English guide in
English. Through the CLI, in real Chromium, on a server on 127.0.0.1."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.cli.main import main
from harness.serving import start_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLOW = """id: greeting
section: Start
title: The greeting
devices: [android, iphone]
start: /
steps:
  - caption: Read the greeting
    action: expect
    expect: {text: "asked:"}
"""


def negotiating(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Says which language the phone asked for first, as the page and the script see it."""
    asked = environ.get("HTTP_ACCEPT_LANGUAGE", "").split(",")[0]
    body = (
        '<!doctype html><meta name="viewport" content="width=device-width">'
        f"<p>asked: {html.escape(asked)}</p><p id=js></p>"
        "<script>document.getElementById('js').textContent = "
        "'script: ' + navigator.language</script>"
    )
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body.encode()]


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with start_server(lambda _url: negotiating) as server:
        yield server.url


def run(project: Path, site: str, guide: str | None) -> tuple[int, str]:
    (project / "scenarios").mkdir(parents=True)
    (project / "scenarios" / "greeting.yaml").write_text(FLOW, "utf-8")
    if guide is not None:
        (project / "guide.yaml").write_text(guide, "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        status = main(["run", "-j", "2", "--base-url", site, "--out", "shots"])
    return status, ""


def seen(project: Path, device: str) -> str:
    record = project / "shots" / device / "greeting" / "01-Read-the-greeting.json"
    return str(json.loads(record.read_text("utf-8"))["visible_text"])


@pytest.mark.parametrize(
    ("guide", "asked"),
    [
        (None, "ja-JP"),
        ('title: "Garden club handbook"\nlanguage: en\n', "en-US"),
        ('title: "Garden club handbook"\nlanguage: en\nlocale: en-GB\n', "en-GB"),
        ('title: "ねんきんネット"\n', "ja-JP"),
    ],
    ids=["no-guide", "english", "english-british", "japanese"],
)
def test_the_phones_ask_for_the_guides_language(
    tmp_path: Path, site: str, guide: str | None, asked: str
) -> None:
    status, _ = run(tmp_path, site, guide)
    assert status == 0
    for device in ("android", "iphone"):
        assert seen(tmp_path, device) == f"asked: {asked}\nscript: {asked}"


def test_a_locale_that_is_no_language_tag_is_one_line(
    tmp_path: Path, site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = run(tmp_path, site, 'title: "Garden"\nlocale: "en_GB; drop"\n')
    assert status == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "locale" in lines[0] and "guide.yaml" in lines[0], err
    assert not (tmp_path / "shots").exists()


def test_locate_and_record_ask_as_run_does(
    tmp_path: Path, site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("guide.yaml").write_text('title: "Garden club handbook"\nlanguage: en\n', "utf-8")
    assert main(["locate", f"{site}/", "asked: en-US"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("{text: ")
    Path("walk.yaml").write_text('- tap: "script: en-US"\n', "utf-8")
    recorded = ["record", f"{site}/", "--out", "scenarios/a.yaml", "--script", "walk.yaml"]
    assert main(recorded) == 0, capsys.readouterr().err
    assert "script: en-US" in Path("scenarios/a.yaml").read_text("utf-8")
