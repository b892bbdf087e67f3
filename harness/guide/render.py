"""HTML for one edition: fixed-size A4 pages from the page plan, through Jinja templates."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape

from harness.guide.config import PageConfig
from harness.guide.content import GuideContent
from harness.guide.layout import plan_edition
from harness.guide.model import GuideEdition, GuideStep, StepReference, step_anchor
from harness.guide.words import CSS_LIST_MARKER, JAPANESE, GuideWords, css_string
from harness.templating import environment

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "guide"
ASSETS = ("guide.css", "paginate.js")  # copied to <edition>/assets/ beside index.html
# Paper sizes in mm, portrait (width, height).
PAPER_MM = {"A4": (210, 297), "A5": (148, 210), "B5": (182, 257), "letter": (215.9, 279.4)}


@dataclass(frozen=True)
class Look:
    """How the edition is printed: paper, steps per page, the caption icons (word → href),
    its language and fixed words."""

    page: PageConfig = field(default_factory=PageConfig)
    icons: Mapping[str, str] = field(default_factory=dict)
    language: str = "ja"
    words: GuideWords = JAPANESE

    @property
    def page_mm(self) -> tuple[float, float]:
        width, height = PAPER_MM[self.page.size]
        return (height, width) if self.page.orientation == "landscape" else (width, height)


def image_href(flow_id: str, step: GuideStep) -> str:
    """Where a step's picture lives relative to index.html, so the guide opens from disk."""
    return f"images/{flow_id}/{step.number:02d}{step.image.suffix.lower()}"


def picture_hrefs(edition: GuideEdition) -> dict[str, str]:
    """Each step's picture (by step anchor) → the href the page shows it from. Steps whose
    pictures are the same bytes (a screen two flows share) share the first one's href, so
    the browser decodes it once and the PDF carries it once."""
    first: dict[str, str] = {}
    hrefs: dict[str, str] = {}
    for flow in edition.flows:
        for step in flow.steps:
            own = image_href(flow.id, step)
            # A missing picture keeps its own href: build_guide refuses it before rendering.
            key = _digest(step.image) or own
            hrefs[step_anchor(flow.id, step.number)] = first.setdefault(key, own)
    return hrefs


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _environment() -> Environment:
    env = environment(TEMPLATE_DIR)
    env.filters["split_title"] = split_title
    env.filters["page_refs"] = page_refs
    env.globals["step_anchor"] = step_anchor
    env.filters["trusted"] = Markup  # prose HTML comes from our own Markdown files
    env.globals["image_href"] = image_href
    env.filters["with_icons"] = with_icons
    env.filters["css_string"] = lambda text: Markup(css_string(text))
    env.globals["css_list_marker"] = CSS_LIST_MARKER
    return env


def render_edition(edition: GuideEdition, content: GuideContent, look: Look | None = None) -> str:
    look = look or Look()
    pages = plan_edition(edition, content, look.page.steps_per_page)
    template = _environment().get_template("guide.html.j2")
    return template.render(
        edition=edition,
        content=content,
        pages=pages,
        look=look,
        words=look.words,
        hrefs=picture_hrefs(edition),
    )


def with_icons(text: str, icons: Mapping[str, str]) -> Markup:
    """Escape `text`, printing each icon between the empty brackets after its word:
    「Chrome「」を押す」 → Chrome「<img>」を押す, as the printed guide shows the app's icon."""
    html = str(escape(text))
    for word, href in icons.items():
        pattern = re.compile(f"({re.escape(str(escape(word)))}\\s?「)(」)")
        image = f'<img class="icon" src="{escape(href)}" alt="{escape(word)}">'
        html = pattern.sub("\\g<1>" + image.replace("\\", "\\\\") + "\\g<2>", html)
    return Markup(html)


_PAGE_NUMBER = re.compile(r"\d+")


def page_refs(text: str, references: Sequence[StepReference]) -> Markup:
    """Escape `text`, turning each reference's page number into a slot the paginator fills
    with the page the step is really on (the written number stays if it cannot)."""
    html = str(escape(text))
    for reference in references:
        written = str(escape(reference.text))
        if written not in html:
            continue
        slot = _PAGE_NUMBER.sub(
            f'<span data-toc-target="{reference.anchor}">\\g<0></span>', written, count=1
        )
        html = html.replace(written, slot)
    return Markup(html)


def split_title(title: str) -> tuple[str, str | None]:
    """'…しましょう (カードあり…)' → main heading and its parenthetical line."""
    for opener in (" (", " （", "(", "（"):
        head, sep, rest = title.partition(opener)
        if sep and head and title.endswith((")", "）")):
            return head.strip(), (sep.strip() + rest).strip()
    return title, None
