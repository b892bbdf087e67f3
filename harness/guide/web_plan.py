"""An edition as pages for reading on screen: an index, then one page per section holding its
prose and its flows whole, in the printed guide's order.

Built from the print page plan (harness.guide.layout) with every flow on one page, so the
web edition and the Markdown export place prose and flows exactly where the PDF does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harness.guide.content import Chapter, GuideContent
from harness.guide.layout import ChapterPage, ProsePage, StepPage, plan_edition
from harness.guide.model import GuideEdition, GuideFlow, GuideStep

_ASCII_WORDS = re.compile(r"[0-9a-z]+")
SLUG_WORDS = 6  # enough to tell sections apart, short enough for a URL


@dataclass(frozen=True)
class Prose:
    html: str  # rendered by harness.guide.content, headings from level 3


@dataclass(frozen=True)
class FlowBlock:
    flow: GuideFlow
    steps: tuple[GuideStep, ...]


Block = Prose | FlowBlock


@dataclass
class ScreenSection:
    number: int  # position in the guide
    label: str
    chapter: Chapter | None
    slug: str = ""  # the page's file name without its suffix
    blocks: list[Block] = field(default_factory=list)

    @property
    def flows(self) -> list[GuideFlow]:
        return [block.flow for block in self.blocks if isinstance(block, FlowBlock)]


def slug_for(label: str, number: int, taken: set[str]) -> str:
    """'1-A 「ねんきんネット」とは？' → '1-a'; 'Getting started' → 'getting-started'; a label
    without a Latin letter or digit → 'section-N'. Never one already taken."""
    words = _ASCII_WORDS.findall(label.casefold())[:SLUG_WORDS]
    slug = "-".join(words) or f"section-{number}"
    if slug == "index" or slug in taken:
        slug = f"{slug}-{number}"
    taken.add(slug)
    return slug


def screen_sections(edition: GuideEdition, content: GuideContent) -> list[ScreenSection]:
    """The edition's sections, each with its prose and whole flows, in guide order."""
    longest = max((len(flow.steps) for flow in edition.flows), default=1)
    sections: dict[int, ScreenSection] = {}
    chapter: Chapter | None = None
    taken: set[str] = set()
    for page in plan_edition(edition, content, steps_per_page=longest):
        if isinstance(page, ChapterPage):
            chapter = page.chapter
            continue
        if not isinstance(page, ProsePage | StepPage):
            continue
        number = page.section.number
        if number not in sections:
            label = page.section.label
            slug = slug_for(label, number, taken)
            sections[number] = ScreenSection(number, label, chapter, slug)
        section = sections[number]
        if isinstance(page, ProsePage):
            section.blocks += [Prose(html) for html in page.blocks if html]
        else:
            section.blocks.append(FlowBlock(page.flow, page.steps))
    return list(sections.values())
