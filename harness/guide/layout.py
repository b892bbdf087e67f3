"""The guide's page plan: which pages an edition has, in order, before any HTML exists.

Step pages are fixed here (the config's steps per page). Prose pages are planned as one page
per run of prose; the browser splits a run that overflows (paginate.js), so their final
count is measured, not guessed. Sections come from the config, or, when it lists none, from
the flows' own `section` labels in natural order (1, 2, 10; 2-A before 2-B).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from harness.guide.content import Chapter, GuideContent, SectionContent, render_markdown
from harness.guide.model import GuideEdition, GuideError, GuideFlow, GuideStep


@dataclass(frozen=True)
class Section:
    number: int  # position in the guide, for the anchor
    label: str

    @property
    def anchor(self) -> str:
        return f"sec-{self.number}"


@dataclass(frozen=True)
class CoverPage:
    title: str
    kind: str = "cover"


@dataclass(frozen=True)
class TocPage:
    chapters: tuple[tuple[Chapter | None, tuple[Section, ...]], ...]
    kind: str = "toc"


@dataclass(frozen=True)
class ChapterPage:
    chapter: Chapter
    kind: str = "chapter"


@dataclass(frozen=True)
class ProsePage:
    section: Section
    blocks: tuple[str, ...]  # HTML, one entry per prose block in the run
    anchor: str | None
    kind: str = "prose"


@dataclass(frozen=True)
class StepPage:
    section: Section
    flow: GuideFlow
    steps: tuple[GuideStep, ...]
    outcome: str | None  # only on the flow's last page
    anchor: str | None
    kind: str = "steps"


Page = CoverPage | TocPage | ChapterPage | ProsePage | StepPage


@dataclass
class _Pending:
    """Prose waiting to be placed; flushed as one page before the next flow's steps."""

    blocks: list[str] = field(default_factory=list)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """'10 x' after '2 x'; '2-A' before '2-B': digit runs compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _RUNS.findall(text))


_RUNS = re.compile(r"\d+|\D+")


class _Placed(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def section(self) -> str: ...


F = TypeVar("F", bound=_Placed)


def ordered_flows(content: GuideContent, flows: Sequence[F]) -> list[F]:
    """The flows (scenario or guide flows) in the order the guide prints them."""
    return [flow for _, section_flows in _grouped(content, flows) for flow in section_flows]


def plan_edition(
    edition: GuideEdition, content: GuideContent, steps_per_page: int = 4
) -> list[Page]:
    groups = _grouped(content, edition.flows)
    sections = {id(entry): Section(n, entry.label) for n, (entry, _) in enumerate(groups, 1)}
    by_label = {entry.label: sections[id(entry)] for entry, _ in groups}
    toc: list[tuple[Chapter | None, tuple[Section, ...]]] = []
    if content.chapters:
        for chapter in content.chapters:
            shown = tuple(by_label[s.label] for s in chapter.sections if s.label in by_label)
            toc.append((chapter, shown))
    else:
        toc.append((None, tuple(sections[id(entry)] for entry, _ in groups)))
    pages: list[Page] = [CoverPage(content.title), TocPage(tuple(toc))]
    chapter_of = {s.label: c for c in content.chapters for s in c.sections}
    opened: set[str] = set()
    for entry, section_flows in groups:
        opens = chapter_of.get(entry.label)
        if opens is not None and opens.number not in opened:
            opened.add(opens.number)
            pages.append(ChapterPage(opens))
        section = sections[id(entry)]
        pages.extend(_section_pages(section, entry, section_flows, steps_per_page))
    return pages


def _grouped(content: GuideContent, flows: Sequence[F]) -> list[tuple[SectionContent, list[F]]]:
    """Sections with something to show in this edition, each with its flows in order."""
    if content.sections is None:
        labels = sorted({flow.section for flow in flows}, key=natural_key)
        entries = [SectionContent(label, None) for label in labels]
    else:
        entries = list(content.sections)
        known = {entry.label for entry in entries}
        for flow in flows:
            if flow.section not in known:
                raise GuideError(
                    f"flow {flow.id}: section {flow.section!r} is not in the guide config; "
                    "add it to the config's sections or correct the flow's `section`"
                )
    groups = []
    for entry in entries:
        mine = sorted(
            (f for f in flows if f.section == entry.label), key=lambda f: natural_key(f.id)
        )
        rank = {flow_id: n for n, flow_id in enumerate(entry.flows)}
        mine.sort(key=lambda f: rank.get(f.id, len(rank)))
        if mine or entry.html or entry.before:
            groups.append((entry, mine))
    return groups


def _section_pages(
    section: Section, entry: SectionContent, flows: Sequence[GuideFlow], steps_per_page: int
) -> Iterator[Page]:
    present = {flow.id for flow in flows}
    # Prose placed before a flow this edition lacks (e.g. another device's search) stays
    # with the section's opening prose rather than vanishing.
    opening = [entry.html] if entry.html else []
    opening += [html for flow_id, html in entry.before.items() if flow_id not in present and html]
    pending = _Pending(opening)
    anchor: str | None = section.anchor
    for flow in flows:
        if entry.before.get(flow.id):
            pending.blocks.append(entry.before[flow.id])
        if flow.intro_md:
            pending.blocks.append(render_markdown(flow.intro_md))
        if pending.blocks:
            yield ProsePage(section, tuple(pending.blocks), anchor)
            pending, anchor = _Pending(), None
        for start in range(0, len(flow.steps), steps_per_page):
            chunk = tuple(flow.steps[start : start + steps_per_page])
            last = start + steps_per_page >= len(flow.steps)
            yield StepPage(section, flow, chunk, flow.outcome if last else None, anchor)
            anchor = None
    if pending.blocks or anchor is not None:
        yield ProsePage(section, tuple(pending.blocks), anchor)
