"""The guide's prose: Markdown files with a small front matter saying where each block goes.

Every file in the content directory is read in name order (10-cover.md, 11-1a.md, …) and
starts with a front matter block:

    ---
    kind: cover | chapter | section
    title: …          # cover: the guide's title; chapter: the chapter's title
    chapter: "1"      # chapter only: its number
    section: 1-A …    # section only: the section's label, code first
    before: flow-id   # section only, optional: place this prose just before that flow
    ---

Section prose without `before` opens its section; prose with `before` sits between flows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import markdown
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from harness.guide.model import GuideError, section_code

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "guide" / "content"


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["cover", "chapter", "section"]
    title: str | None = None
    chapter: str | None = None
    section: str | None = None
    before: str | None = None


@dataclass(frozen=True)
class Cover:
    title: str
    html: str


@dataclass(frozen=True)
class Chapter:
    number: str
    title: str
    html: str


@dataclass(frozen=True)
class ProseBlock:
    source: str  # file name, for error messages
    section: str  # the full label, e.g. "1-A 「ねんきんネット」とは？"
    before: str | None  # a flow id, or None for the section's opening prose
    html: str

    @property
    def code(self) -> str:
        return section_code(self.section)


@dataclass(frozen=True)
class GuideContent:
    cover: Cover
    chapters: tuple[Chapter, ...]
    prose: tuple[ProseBlock, ...]


def render_markdown(text: str) -> str:
    """Markdown → HTML. A line break in the prose is kept as a line break (nl2br): Japanese
    has no spaces, so joining lines the Markdown way would put a stray space mid-sentence."""
    extensions = ["tables", "sane_lists", "nl2br"]
    return markdown.markdown(text, extensions=extensions, output_format="html")


def load_content(content_dir: Path = DEFAULT_CONTENT_DIR) -> GuideContent:
    files = sorted(content_dir.glob("*.md"))
    if not files:
        raise GuideError(f"{content_dir}: no guide content (*.md) found")
    covers: list[Cover] = []
    chapters: list[Chapter] = []
    prose: list[ProseBlock] = []
    for path in files:
        meta, body = _split_front_matter(path)
        html = render_markdown(body)
        if meta.kind == "cover":
            covers.append(Cover(_need(path, "title", meta.title), html))
        elif meta.kind == "chapter":
            number = _need(path, "chapter", meta.chapter)
            chapters.append(Chapter(number, _need(path, "title", meta.title), html))
        else:
            label = _need(path, "section", meta.section)
            block = ProseBlock(path.name, label, meta.before, html)
            try:
                block.code  # noqa: B018 - validates the label here, where the file is known
            except ValueError as err:
                raise GuideError(f"{path}: {err}") from None
            prose.append(block)
    if len(covers) != 1:
        raise GuideError(
            f"{content_dir}: expected exactly one 'kind: cover' file, found {len(covers)}"
        )
    return GuideContent(covers[0], tuple(chapters), tuple(prose))


def _split_front_matter(path: Path) -> tuple[_FrontMatter, str]:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.removeprefix("---\n").partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        raise GuideError(f"{path}:1: expected a front matter block between '---' lines")
    try:
        data = yaml.safe_load(head)
        return _FrontMatter.model_validate(data), body
    except yaml.YAMLError as err:
        raise GuideError(f"{path}: front matter is not valid YAML: {err}") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "front matter"
        raise GuideError(f"{path}: {where}: {first['msg']}") from None


def _need(path: Path, key: str, value: str | None) -> str:
    if not value:
        raise GuideError(f"{path}: front matter needs '{key}'")
    return value
