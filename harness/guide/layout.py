"""The guide's page plan: which pages an edition has, in order, before any HTML exists.

Step pages are fixed here (four steps a page). Prose pages are planned as one page per
run of prose; the browser splits a run that overflows (paginate.js), so their final count
is measured, not guessed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from harness.guide.content import Chapter, GuideContent, ProseBlock, render_markdown
from harness.guide.model import GuideEdition, GuideError, GuideFlow, GuideStep, section_code

STEPS_PER_PAGE = 4


@dataclass(frozen=True)
class Section:
    code: str
    label: str

    @property
    def anchor(self) -> str:
        return f"sec-{self.code}"


@dataclass(frozen=True)
class CoverPage:
    title: str
    kind: str = "cover"


@dataclass(frozen=True)
class TocPage:
    chapters: tuple[tuple[Chapter, tuple[Section, ...]], ...]
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


def plan_edition(edition: GuideEdition, content: GuideContent) -> list[Page]:
    sections = _sections(edition, content)
    chapters = _chapters(sections, content)
    pages: list[Page] = [CoverPage(content.cover.title), TocPage(chapters)]
    for chapter, chapter_sections in chapters:
        pages.append(ChapterPage(chapter))
        for section in chapter_sections:
            pages.extend(_section_pages(section, edition.flows, content.prose))
    return pages


def _section_pages(
    section: Section, flows: Sequence[GuideFlow], prose: Sequence[ProseBlock]
) -> Iterator[Page]:
    mine = [block for block in prose if block.code == section.code]
    own_flows = [flow for flow in flows if flow.section_code == section.code]
    present = {flow.id for flow in own_flows}
    # Prose anchored to a flow this edition lacks (e.g. another device's search) stays
    # with the section's opening prose rather than vanishing.
    pending = _Pending([b.html for b in mine if b.before is None or b.before not in present])
    anchor: str | None = section.anchor
    for flow in own_flows:
        pending.blocks += [b.html for b in mine if b.before == flow.id]
        if flow.intro_md:
            pending.blocks.append(render_markdown(flow.intro_md))
        if pending.blocks:
            yield ProsePage(section, tuple(pending.blocks), anchor)
            pending, anchor = _Pending(), None
        for start in range(0, len(flow.steps), STEPS_PER_PAGE):
            chunk = tuple(flow.steps[start : start + STEPS_PER_PAGE])
            last = start + STEPS_PER_PAGE >= len(flow.steps)
            yield StepPage(section, flow, chunk, flow.outcome if last else None, anchor)
            anchor = None
    if pending.blocks or anchor is not None:
        yield ProsePage(section, tuple(pending.blocks), anchor)


def _sections(edition: GuideEdition, content: GuideContent) -> list[Section]:
    labels: dict[str, str] = {}
    origins: dict[str, str] = {}
    named = [(b.section, b.source) for b in content.prose]
    named += [(f.section, f"flow {f.id}") for f in edition.flows]
    for label, origin in named:
        code = section_code(label)
        if labels.setdefault(code, label) != label:
            raise GuideError(
                f"section {code} is labelled {labels[code]!r} in {origins[code]} "
                f"but {label!r} in {origin}; use one label"
            )
        origins.setdefault(code, origin)
    return [Section(code, labels[code]) for code in sorted(labels, key=_code_key)]


def _chapters(
    sections: Sequence[Section], content: GuideContent
) -> tuple[tuple[Chapter, tuple[Section, ...]], ...]:
    by_number = {chapter.number: chapter for chapter in content.chapters}
    for section in sections:
        number = section.code.split("-")[0]
        if number not in by_number:
            raise GuideError(
                f"section {section.code}: no content file with 'chapter: \"{number}\"'"
            )
    ordered = sorted(by_number.values(), key=lambda c: int(c.number))
    return tuple(
        (c, tuple(s for s in sections if s.code.split("-")[0] == c.number)) for c in ordered
    )


def _code_key(code: str) -> tuple[int, str]:
    number, _, letter = code.partition("-")
    return int(number), letter
