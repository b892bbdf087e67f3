"""`guideshot guide --format markdown DIR` (a subprocess) from a copy of the approved
screenshots, after `guideshot guide`: pages, pictures and videos laid out so
`mkdocs build --strict` (MkDocs from PyPI, in .venv) builds it without edits; a DIR that is
a file, a link or someone else's folder is one line, exit 2, and left as it was."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow  # end-to-end runs through the CLI

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
DEVICE = "android"
FLOW = "login-userid"
USAGE_ERROR = 2


def guide(tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(BIN / "guideshot"), "guide", "--config", str(ROOT / "guide.yaml"),
        "--scenarios", str(ROOT / "scenarios"), "--screenshots", str(tmp / "shots"),
        "--out", str(tmp / "out"), "--device", DEVICE, *extra,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The android edition built (with its videos), then exported: the export takes the
    built videos as they are."""
    tmp = tmp_path_factory.mktemp("markdown")
    shutil.copytree(ROOT / "screenshots" / DEVICE, tmp / "shots" / DEVICE)
    done = guide(tmp, "--no-pdf")
    assert done.returncode == 0, done.stderr
    done = guide(tmp, "--format", "markdown", str(tmp / "site-src"))
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp / 'site-src' / 'mkdocs.yml'}" in done.stderr
    return tmp / "site-src"


def test_mkdocs_builds_the_export_in_strict_mode(export: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-d", str(site)],
        cwd=export, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    page = (site / DEVICE / "2-b.html").read_text("utf-8")
    assert 'alt="①「ログイン」を押す（赤枠：「ログイン」）"' in page
    assert f'src="images/{FLOW}/01.jpg"' in page
    assert f'<video controls preload="metadata" playsinline src="video/{FLOW}.mp4"' in page
    built = export.parent / "out" / DEVICE / "video" / f"{FLOW}.mp4"
    assert (site / DEVICE / "video" / f"{FLOW}.mp4").read_bytes() == built.read_bytes()
    assert (site / DEVICE / "images" / FLOW / "01.jpg").is_file()
    assert (export / "docs" / "conf.py").is_file() and not (site / "conf.py").exists()


def test_every_link_and_picture_is_relative_and_present(export: Path) -> None:
    docs = export / "docs"
    config = yaml.safe_load((export / "mkdocs.yml").read_text("utf-8"))
    assert config["docs_dir"] == "docs"
    pages = [
        file for entry in config["nav"][1:] for item in next(iter(entry.values()))
        for file in item.values()
    ]  # fmt: skip
    assert pages[0] == f"{DEVICE}/index.md" and len(pages) >= 5
    assert {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} == {"index.md", *pages}
    assert "myst_parser" in (docs / "conf.py").read_text("utf-8")
    links = 0
    for page in pages:
        text = (docs / page).read_text("utf-8")
        assert text.startswith("# ")
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            assert not target.startswith(("/", "http")), (page, target)
            assert ((docs / page).parent / target).is_file(), (page, target)
            links += 1
    assert links > 50
    # Prose keeps its line breaks: each line inside a paragraph ends in a hard break.
    assert "パソコンもしくはスマートフォンからマイナポータルにログイン  \n" in (
        docs / DEVICE / "2-a.md"
    ).read_text("utf-8")


def test_a_second_export_replaces_the_first_and_gives_the_same_bytes(
    export: Path, tmp_path: Path
) -> None:
    before = {p.relative_to(export): p.read_bytes() for p in export.rglob("*") if p.is_file()}
    done = guide(export.parent, "--format", "markdown", str(export))
    assert done.returncode == 0, done.stderr
    after = {p.relative_to(export): p.read_bytes() for p in export.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("kind", ["file", "link", "foreign", "under-a-file", "no-dir"])
def test_a_bad_dir_is_one_line_and_exit_2(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "dest"
    if kind == "file":
        target.write_text("mine\n", encoding="utf-8")
    elif kind == "link":
        (tmp_path / "real").mkdir()
        target.symlink_to(tmp_path / "real")
    elif kind == "foreign":
        target.mkdir()
        (target / "notes.md").write_text("mine\n", encoding="utf-8")
    elif kind == "under-a-file":
        (tmp_path / "afile").write_text("mine\n", encoding="utf-8")
        target = tmp_path / "afile" / "dest"
    before = sorted((p.as_posix(), p.is_symlink()) for p in tmp_path.rglob("*"))
    extra = ["--format", "markdown"] + ([] if kind == "no-dir" else [str(target)])
    done = guide(tmp_path, *extra)
    assert done.returncode == USAGE_ERROR
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    expected = {
        "file": "is a file; choose a folder",
        "link": "is a symbolic link; give the folder itself",
        "foreign": "not a guideshot Markdown export",
        "under-a-file": "is not a folder",
        "no-dir": "give a DIR with --format markdown",
    }[kind]
    assert expected in lines[0] and lines[0].startswith("error: ")
    assert sorted((p.as_posix(), p.is_symlink()) for p in tmp_path.rglob("*")) == before
    if kind == "link":
        assert os.listdir(tmp_path / "real") == []
