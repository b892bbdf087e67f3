"""`fill` types like a person, proven on two third-party applications from PyPI.

Django's admin filters its permission list on keyup; MkDocs Material's search overlay
reads its box on keyup. Flows written from the docs alone (tests/harness/thirdparty/flows/)
use `fill` there and expect the page's reaction; they run through the CLI on both phones.
Setting the value without key events (Playwright's own fill, what guideshot did before)
leaves both pages as they were: the flows fail with it (checked by hand, see the report).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cli import main
from tests.harness.thirdparty.django_admin import DjangoAdmin, django_admin
from tests.harness.thirdparty.mkdocs_site import DocsSite, mkdocs_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLOWS = Path(__file__).parent / "thirdparty" / "flows"
DEVICES = ("android", "iphone")


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DjangoAdmin]:
    with django_admin(tmp_path_factory.mktemp("django")) as started:
        yield started


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocsSite]:
    with mkdocs_site(tmp_path_factory.mktemp("mkdocs")) as started:
        yield started


def run(flows: Path, url: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.chdir(out)
    return main(["run", "--scenarios", str(flows), "--base-url", url, "--out", str(out / "shots")])


def pictured(out: Path, flow: str) -> dict[str, int]:
    return {d: len(list((out / "shots" / d / flow).glob("*.raw.png"))) for d in DEVICES}


def test_fill_narrows_djangos_permission_filter(
    admin: DjangoAdmin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(FLOWS / "django", admin.url, tmp_path, monkeypatch) == 0
    assert pictured(tmp_path, "group-permissions") == {"android": 2, "iphone": 2}


def test_fill_searches_in_mkdocs_materials_overlay_offline(
    docs: DocsSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(FLOWS / "mkdocs", docs.url, tmp_path, monkeypatch) == 0
    assert pictured(tmp_path, "docs-search") == {"android": 2, "iphone": 2}
    # the search worker and its index came from the built site, not from a CDN
    assert "/search/search_index.json" in docs.requests
    assert any(
        re.fullmatch(r"/assets/javascripts/workers/search\.\w+\.min\.js", p) for p in docs.requests
    )
    pages = [p.read_text("utf-8") for p in docs.folder.rglob("*.html")]
    loaded = [src for page in pages for src in re.findall(r'(?:src|href)="(https?://[^"]+)"', page)]
    assert {u for u in loaded if not u.startswith("https://squidfunk.github.io/")} == set()


def test_a_page_that_does_not_react_to_a_fill_is_named_in_the_failure(
    admin: DjangoAdmin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    written = (FLOWS / "django" / "group-permissions.yaml").read_text("utf-8")
    # the filter does react, but never with what this step expects
    wrong = written.replace(
        "{text: Can view group, absent_text: Can add group}", "{absent_text: Can view group}"
    )
    (flows / "group-permissions.yaml").write_text(wrong.replace("[android, iphone]", "[android]"))
    assert run(flows, admin.url, tmp_path, monkeypatch) == 1
    captured = capsys.readouterr()
    said = " ".join((captured.out + captured.err).split())
    # the page's own words may come between (another part of the message): asked apart
    assert "expected absent_text 「Can view group」 after the step, but the screen" in said
    assert (
        "; placeholder=「Filter」 exact nth=0 was filled and holds 「view」,"
        " but the page did not react as expected"
    ) in said, said
