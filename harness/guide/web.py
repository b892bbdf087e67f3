"""The web edition: the guide for reading on a phone, beside the printed edition's HTML.

`<edition>/web/index.html` (title, contents) and one page per section (`<slug>.html`): the
section's prose, then each flow as a numbered list of its annotated pictures with captions
and, when `<edition>/video/<flow>.mp4` exists, its video. The pictures are the printed
edition's own (`../images/`), so the web edition adds only HTML and one stylesheet. One
column that reflows (no horizontal scrolling at 390 px, also with the text at 200 %),
headings in order (h1 guide, h2 section, h3 flow), a skip link, previous/next links, and
each picture's alt text its number, caption and what is boxed in red.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape
from PIL import Image

from harness.guide.content import Chapter, GuideContent
from harness.guide.files import write_atomic
from harness.guide.model import GuideEdition, GuideStep, StepReference, step_anchor
from harness.guide.render import TEMPLATE_DIR, Look, picture_hrefs, split_title, with_icons
from harness.guide.web_plan import Prose, ScreenSection, screen_sections
from harness.guide.web_words import web_words
from harness.templating import environment

WEB_DIR = "web"  # inside the edition's folder
VIDEO_DIR = "video"  # inside the edition's folder: <flow>.mp4 (harness.guide.video)
WEB_TEMPLATES = TEMPLATE_DIR / "web"
STYLESHEET = "web.css"
UP = "../"  # from web/ to the edition's folder
_HEADING_OPEN = re.compile(r"<(/?)h([1-6])\b")


@dataclass(frozen=True)
class Link:
    href: str
    label: str


@dataclass(frozen=True)
class Picture:
    href: str
    width: int
    height: int


def video_path(edition_folder: Path, flow_id: str) -> Path:
    return edition_folder / VIDEO_DIR / f"{flow_id}.mp4"


def shift_headings(html: str, by: int) -> str:
    """Every heading of rendered prose `by` levels lower (at most h6), so prose placed under
    a deeper heading never skips a level."""
    return _HEADING_OPEN.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + by, 6)}", html)


def step_links(text: str, references: Sequence[StepReference], pages: Mapping[str, str]) -> Markup:
    """Escape `text`, turning each reference to another flow's step into a link to it (the
    printed page number means nothing on a screen; the link does)."""
    html = str(escape(text))
    for reference in references:
        written = str(escape(reference.text))
        page = pages.get(reference.flow)
        if page is None or written not in html:
            continue
        html = html.replace(written, f'<a href="{page}#{reference.anchor}">{written}</a>')
    return Markup(html)


def _environment() -> Environment:
    env = environment(WEB_TEMPLATES)
    env.filters["split_title"] = split_title
    env.filters["trusted"] = Markup  # prose HTML comes from our own Markdown files
    env.filters["with_icons"] = with_icons
    env.filters["step_links"] = step_links
    env.globals["step_anchor"] = step_anchor
    env.tests["prose"] = lambda block: isinstance(block, Prose)
    return env


def _picture(step: GuideStep, href: str) -> Picture:
    with Image.open(step.image) as image:
        width, height = image.size
    return Picture(UP + href, width, height)


def render_web_edition(
    edition: GuideEdition,
    content: GuideContent,
    look: Look,
    edition_folder: Path,
) -> dict[str, str]:
    """Each web page's file name → its HTML. Videos are linked when their files exist in
    `edition_folder`; pictures from the printed edition's hrefs."""
    sections = screen_sections(edition, content)
    env = _environment()
    hrefs = picture_hrefs(edition)
    pictures = {
        step_anchor(flow.id, step.number): _picture(step, hrefs[step_anchor(flow.id, step.number)])
        for flow in edition.flows
        for step in flow.steps
    }
    videos = {
        flow.id: f"{UP}{VIDEO_DIR}/{flow.id}.mp4"
        for flow in edition.flows
        if video_path(edition_folder, flow.id).is_file()
    }
    pages = {flow.id: f"{s.slug}.html" for s in sections for flow in s.flows}
    icons = {word: UP + href for word, href in look.icons.items()}
    title = content.title + (content.subtitle or "")
    order = [Link("index.html", title)] + [Link(f"{s.slug}.html", s.label) for s in sections]
    common = {
        "edition": edition,
        "content": content,
        "look": look,
        "words": look.words,
        "web": web_words(look.language),
        "title": title,
        "stylesheet": STYLESHEET,
    }

    def neighbours(index: int) -> dict[str, Link | None]:
        previous = order[index - 1] if index > 0 else None
        following = order[index + 1] if index + 1 < len(order) else None
        return {"previous": previous, "next": following}

    html = {
        "index.html": env.get_template("index.html.j2").render(
            **common,
            chapters=_contents(sections),
            cover_html=content.cover_html,
            shift_headings=shift_headings,
            **neighbours(0),
        )
    }
    for index, section in enumerate(sections, start=1):
        html[f"{section.slug}.html"] = env.get_template("section.html.j2").render(
            **common,
            section=section,
            pictures=pictures,
            videos=videos,
            pages=pages,
            icons=icons,
            **neighbours(index),
        )
    return html


ChapterGroup = tuple[Chapter | None, list[ScreenSection]]


def _contents(sections: Sequence[ScreenSection]) -> list[ChapterGroup]:
    """Sections grouped under their chapter (None: a guide without chapters)."""
    groups: list[ChapterGroup] = []
    for section in sections:
        if not groups or groups[-1][0] is not section.chapter:
            groups.append((section.chapter, []))
        groups[-1][1].append(section)
    return groups


def write_web_edition(
    edition: GuideEdition, content: GuideContent, look: Look, edition_folder: Path
) -> Path:
    """Write `edition_folder`/web/ (after the pictures and videos are in the folder); returns
    its index.html."""
    folder = edition_folder / WEB_DIR
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(WEB_TEMPLATES / STYLESHEET, folder / STYLESHEET)
    for name, page in render_web_edition(edition, content, look, edition_folder).items():
        write_atomic(folder / name, page.encode("utf-8"))
    return folder / "index.html"
