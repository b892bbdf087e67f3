"""The guide's prose, read from the Markdown files its config names and rendered to HTML.

Prose files are plain Markdown; where each one goes is said by the config (a section's
opening `prose`, or `before: {flow-id: file}` between flows), not by the file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import markdown

from harness.guide.config import LoadedConfig, SectionConfig
from harness.guide.model import GuideError


@dataclass(frozen=True)
class SectionContent:
    label: str
    html: str | None  # printed where the section opens
    before: dict[str, str] = field(default_factory=dict)  # flow id → HTML before its steps
    flows: tuple[str, ...] = ()  # listed order; unlisted flows follow by file name


@dataclass(frozen=True)
class Chapter:
    number: str
    title: str
    html: str
    sections: tuple[SectionContent, ...]


@dataclass(frozen=True)
class GuideContent:
    title: str
    subtitle: str | None
    cover_html: str
    chapters: tuple[Chapter, ...]  # empty when the sections have no chapters
    sections: tuple[SectionContent, ...] | None  # every listed section; None: from the flows

    def section(self, label: str) -> SectionContent | None:
        return next((s for s in self.sections or () if s.label == label), None)


# Prose in a section sits under the chapter's h1 and the section's h2; a chapter's or the
# cover's prose under an h1 only.
SECTION_PROSE_TOP = 3
PAGE_PROSE_TOP = 2
_HEADING = re.compile(r"<h([1-6])>")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def render_markdown(text: str, top: int = SECTION_PROSE_TOP) -> str:
    """Markdown → HTML. A line break in the prose is kept as a line break (nl2br): Japanese
    has no spaces, so joining lines the Markdown way would put a stray space mid-sentence.

    Headings move so the file's highest one is level `top`, under the page's own headings
    (the PDF's outline and a screen reader's map skip no level); class md-hN keeps the look
    its Markdown level chose."""
    extensions = ["tables", "sane_lists", "nl2br"]
    html = markdown.markdown(text, extensions=extensions, output_format="html")
    levels = [int(level) for level in _HEADING.findall(html)]
    if not levels:
        return html
    shift = top - min(levels)

    def moved(match: re.Match[str]) -> str:
        level = int(match[2])
        new = min(level + shift, 6)
        return f"<{match[1]}h{new}" + ("" if match[1] else f' class="md-h{level}"') + ">"

    return _HEADING_TAG.sub(moved, html)


def load_content(loaded: LoadedConfig) -> GuideContent:
    """Every prose file the config names, rendered; GuideError names a file that is missing."""
    config = loaded.config

    def prose(relative: str | None, top: int = SECTION_PROSE_TOP) -> str:
        if relative is None:
            return ""
        path = loaded.file(relative)
        try:
            return render_markdown(path.read_text("utf-8"), top)
        except (OSError, UnicodeDecodeError) as error:
            raise GuideError(f"{loaded.path}: cannot read prose file {path}: {error}") from None

    def section(entry: SectionConfig) -> SectionContent:
        before = {flow: prose(file) for flow, file in entry.before.items()}
        return SectionContent(entry.label, prose(entry.prose) or None, before, tuple(entry.flows))

    chapters = tuple(
        Chapter(
            chapter.number or str(index),
            chapter.title,
            prose(chapter.prose, PAGE_PROSE_TOP),
            tuple(section(entry) for entry in chapter.sections),
        )
        for index, chapter in enumerate(config.chapters or [], start=1)
    )
    if config.chapters is not None:
        sections: tuple[SectionContent, ...] | None = tuple(
            s for chapter in chapters for s in chapter.sections
        )
    elif config.sections is not None:
        sections = tuple(section(entry) for entry in config.sections)
    else:
        sections = None
    return GuideContent(
        title=config.title,
        subtitle=config.subtitle,
        cover_html="" if config.cover is None else render_markdown(config.cover, PAGE_PROSE_TOP),
        chapters=chapters,
        sections=sections,
    )
