"""`guideshot record`'s browser side: what the person (or a script) does on the page becomes
draft steps, each target verified against the page before the action takes effect.

recorder.js reports real DOM events through an exposed binding, one at a time, with the
element marked; a click is held until its report is answered. Targets come from
`proposals.best_proposal`, the same search `locate` and failure messages use, so a written
target is one that matched exactly that one visible element at recording time.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any, Literal
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from harness.capture.candidates import Candidate, read_candidates
from harness.capture.proposals import best_proposal
from harness.scenario import Target
from harness.scenario.draft import DraftStep, Sensitivity
from harness.scripts import read_script

RECORDER_JS = read_script("recorder.js")
BINDING = "__guideshotRecord"
MARKED = "[data-guideshot-recording]"
PRESSED = "[data-guideshot-pressed]"
SENT_JS = "() => Number(sessionStorage.getItem('guideshot-recorder-reports') || 0)"
POPUP_TIMEOUT_MS = 10_000
NO_NAME = "it has no accessible name: only CSS finds it"
_SENSITIVITY: dict[str, Sensitivity] = {"password": "password", "personal": "personal"}


def relative(url: str) -> str:
    """The path (and query) a scenario writes for a URL of the recorded site."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class Recorder:
    def __init__(self, page: Page, warn: Callable[[str], None]) -> None:
        self.page = page
        self.steps: list[DraftStep] = []
        self._warn = warn
        self._field: int | None = None  # the field being typed into (recorder.js's serial)
        self._filling: DraftStep | None = None  # its step; None when it could not be written
        self._url = ""
        # Each page shown in the recorded tab, with how many steps there were when it was:
        # where the browser's Back returns to.
        self._shown: list[tuple[str, int]] = []
        # The step the last navigation was put down to, with what it expected before.
        self._led: tuple[DraftStep, dict[str, str]] | None = None

    def attach(self) -> None:
        """Before the first page opens: every document gets the listeners."""
        self.page.expose_binding(BINDING, self._report)
        self.page.add_init_script(script=RECORDER_JS)
        self.page.on("framenavigated", self._navigated)
        self.page.on("popup", self._popup)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self._url = relative(self.page.url)

    def _report(self, source: dict[str, Any], report: dict[str, Any]) -> None:
        if source.get("frame") != self.page.main_frame:
            return  # frames are not followed: a scenario's targets are in the page
        kind = str(report["kind"])
        if kind == "fill" and self._field == report["serial"]:
            if self._filling is not None:  # each key typed: the step holds the latest value
                self._filling.value = str(report["value"])
            return
        self._field, self._filling = None, None
        if kind == "traverse":
            self._went_back(str(report["url"]))
        elif kind == "scroll":
            self._scrolled(int(report["to"]) - int(report["from"]))
        elif kind == "press":
            self.steps.append(DraftStep("press", key=str(report["key"])))
        elif kind in ("tap", "check"):
            self._touched(kind, str(report.get("words", "")))
        elif kind in ("fill", "select"):
            self._entered(kind, report)

    def _touched(self, kind: str, words: str) -> None:
        found = self._target(words, "role")
        if found is not None:
            target, notes, said = found
            action: Literal["check", "tap"] = "check" if kind == "check" else "tap"
            self.steps.append(DraftStep(action, target=target, notes=notes, words=said))

    def _entered(self, kind: str, report: dict[str, Any]) -> None:
        found = self._target("", "label")
        value = str(report["value"])
        if kind == "select":
            if found is not None:
                target, notes, said = found
                self.steps.append(
                    DraftStep("select", target=target, value=value, notes=notes, words=said)
                )
            return
        self._field = int(report["serial"])  # its later keys are this step's, or are passed over
        if found is not None:
            target, notes, said = found
            sensitive = _SENSITIVITY.get(str(report.get("sensitive")), "")
            step = DraftStep(
                "fill", target=target, value=value, sensitive=sensitive, notes=notes, words=said
            )
            self.steps.append(step)
            self._filling = step

    def _target(self, words: str, strategy: str) -> tuple[Target, list[str], str] | None:
        """The most natural target that finds exactly the marked element, visible; the
        notes for its YAML, and the words a caption names an unnamed element by."""
        candidates = read_candidates(self.page.locator(MARKED))
        marked = next((c for c in candidates if c.match == 0), None)
        if marked is None:
            self._warn("a step was left out: its element was gone before it could be read")
            return None
        wanted = words or _spoken(marked.label or marked.placeholder or marked.name)
        inner: list[Candidate] = []
        if words:  # what the finger was on, inside the link or button
            pressed = read_candidates(self.page.locator(PRESSED))
            inner = [c for c in pressed if c.match == 0 and c.visible]
        # A target that finds the element alone, before one that counts it among alike (nth).
        target = None
        for alike in (False, True):
            target = best_proposal(
                self.page, marked, wanted, _strategy(marked, strategy), alike=alike
            )
            if target is None and inner:
                target = best_proposal(self.page, inner[0], words, "role", alike=alike)
            if target is not None:
                break
        if target is None:
            self._warn(
                f"a step was left out: no target finds only the {marked.describe()}; "
                "write it by hand (guideshot locate helps)"
            )
            return None
        if target.css is not None:
            # Only CSS finds it; a caption still names it by the words before it, if any.
            return target, [NO_NAME], marked.before
        return target, [], ""

    def _scrolled(self, delta: int) -> None:
        # the finger's way: up shows what is below
        direction: Literal["up", "down"] = "up" if delta > 0 else "down"
        last = self.steps[-1] if self.steps else None
        if last is not None and last.action == "scroll" and last.direction == direction:
            last.by = (last.by or 0) + abs(delta)
        else:
            self.steps.append(DraftStep("scroll", by=abs(delta), direction=direction))

    def _popup(self, popup: Page) -> None:
        """A scenario follows one tab: a page the site opened in a new one (a link's
        target=_blank, window.open) is opened in the recorded tab instead, as a goto step,
        so the walk goes on where the recorder sees it and `run` can follow it."""
        with suppress(PlaywrightError):  # a tab that closed itself or never loaded
            popup.wait_for_load_state("domcontentloaded", timeout=POPUP_TIMEOUT_MS)
        url = popup.url
        with suppress(PlaywrightError):
            popup.close()
        here = urlsplit(self.page.url)
        there = urlsplit(url)
        if (there.scheme, there.netloc) != (here.scheme, here.netloc):
            self._warn(f"a new tab opened {url}, another site: it was closed and not recorded")
            return
        self._warn(
            f"a new tab opened {relative(url)}: a scenario stays in one tab, so it opens "
            "in this one, as a goto step"
        )
        self.steps.append(DraftStep("goto", url=relative(url)))
        self._field, self._filling = None, None
        # Not to its load: the person may close the window first (the step is written), and
        # a page that does not load is the person's to see there.
        with suppress(PlaywrightError):
            self.page.goto(url, wait_until="commit")

    def _navigated(self, frame: Frame) -> None:
        if frame != self.page.main_frame or frame.url.startswith("about:"):
            return
        url = relative(frame.url)
        last = self.steps[-1] if self.steps else None
        # What the step led to: a tap or Enter that opened another page expects that page.
        led = last is not None and last.action in ("tap", "press") and url != self._url
        self._led = None
        if last is not None and led and "*" not in url:  # a * would be a wildcard there
            self._led = (last, last.expect)
            last.expect = {"url": url}
        self._url = url
        self._shown.append((url, len(self.steps)))

    def _went_back(self, url: str) -> None:
        """Back (or Forward) to a page shown before: the steps taken since it was shown are
        undone, as the person meant; a page the recording never showed leaves them."""
        if self._led is not None:  # that arrival was the browser's doing, not the step's
            step, expect = self._led
            step.expect, self._led = expect, None
        if url.startswith("about:"):
            return  # back past the first page: nothing there to record
        here = relative(url)
        arrived = bool(self._shown) and self._shown[-1][0] == here  # this very arrival
        shown = self._shown[:-1] if arrived else self._shown
        earlier = [n for n, (seen, _) in enumerate(shown) if seen == here]
        if not earlier:
            self._warn(
                f"the browser's Back or Forward went to {here}, which a scenario cannot do: "
                "the steps after it may not run as recorded"
            )
            return
        count = self._shown[earlier[-1]][1]
        undone = len(self.steps) - count
        del self.steps[count:]
        del self._shown[earlier[-1] + 1 :]
        if undone:
            self._warn(f"back to {here}: the {undone} step(s) taken since it was shown are undone")


def _spoken(words: str) -> str:
    """A label as read aloud: without the colon forms put after it ("Username:")."""
    return words.rstrip(":：").strip()


def _strategy(candidate: Candidate, wanted: str) -> str:
    """Fields are found by their label first, then their placeholder, as a person reads."""
    if wanted == "label" and not candidate.label:
        return "placeholder" if candidate.placeholder else "role"
    return wanted
