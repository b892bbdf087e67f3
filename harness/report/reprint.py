"""Stale pages named: each failing step's guide page per edition, and what to reprint."""

from __future__ import annotations

from pathlib import Path

from harness.drift.verdict import PASSING, CheckReport, FlowVerdict, StepVerdict
from harness.numbering import circled
from harness.report.editions import edition_label
from harness.report.guide_pages import StepAt, guide_pages


def place_steps(flow: FlowVerdict, guide_dir: Path) -> None:
    """Set `guide_page` on every step that does not match (the pages that went stale)."""
    failing = [s for s in flow.steps if s.status not in PASSING and s.number is not None]
    wanted = [
        StepAt(s.device, s.flow, flow.title, s.number, s.caption)
        for s in failing
        if s.number is not None
    ]
    placed = guide_pages(guide_dir, wanted)
    for step in failing:
        assert step.number is not None
        page = placed.get((step.device, step.flow, step.number))
        if page is not None:
            step.guide_page = {step.device: page}


def page_label(step: StepVerdict) -> str:
    """'Android p.12 ⑦' (empty when the step is not in a printed edition)."""
    mark = circled(step.number) if step.number is not None else ""
    return ", ".join(
        f"{edition_label(device)} p.{page} {mark}".rstrip()
        for device, page in sorted(step.guide_page.items())
    )


def same_step_pages(report: CheckReport) -> list[tuple[str, int, str, str]]:
    """(flow, number, caption, 'Android p.12 ⑦, iPhone p.12 ⑦') for each stale step, all
    editions of one step together, in report order."""
    grouped: dict[tuple[str, int], tuple[str, dict[str, int]]] = {}
    for step in report.steps():
        if step.guide_page and step.number is not None:
            caption, pages = grouped.setdefault((step.flow, step.number), (step.caption, {}))
            pages.update(step.guide_page)
    rows = []
    for (flow, number), (caption, pages) in grouped.items():
        label = ", ".join(
            f"{edition_label(device)} p.{page} {circled(number)}"
            for device, page in sorted(pages.items())
        )
        rows.append((flow, number, caption, label))
    return rows


def reprint(report: CheckReport) -> dict[str, list[int]]:
    """Edition (device) → the pages to reprint, in order."""
    pages: dict[str, set[int]] = {}
    for step in report.steps():
        for device, page in step.guide_page.items():
            pages.setdefault(device, set()).add(page)
    return {device: sorted(found) for device, found in sorted(pages.items())}


def reprint_lines(report: CheckReport) -> list[str]:
    return [
        f"{edition_label(device)}: " + ", ".join(f"p.{page}" for page in pages)
        for device, pages in reprint(report).items()
    ]


# The guide's walkthrough videos: <guide>/<device>/video/<flow>.mp4 (harness.guide.video;
# not imported, so reporting never loads the guide builder and its browser).
VIDEO_FOLDER = "video"


def stale_videos(report: CheckReport, guide_dir: Path) -> list[Path]:
    """The built videos that show a step which no longer matches its screen (or a flow that
    failed), one per flow × device, in report order."""
    videos = []
    for flow in report.flows:
        if flow.failure is None and all(step.status in PASSING for step in flow.steps):
            continue
        video = guide_dir / flow.device / VIDEO_FOLDER / f"{flow.flow}.mp4"
        if video.is_file():
            videos.append(video)
    return videos


def video_lines(report: CheckReport, guide_dir: Path) -> list[str]:
    """'Android: login-userid, notices' per edition whose videos a drift made stale."""
    flows: dict[str, list[str]] = {}
    for video in stale_videos(report, guide_dir):
        flows.setdefault(video.parent.parent.name, []).append(video.stem)
    return [f"{edition_label(device)}: {', '.join(ids)}" for device, ids in sorted(flows.items())]
