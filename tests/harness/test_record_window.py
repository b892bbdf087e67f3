"""`guideshot record` in its window: a person's walk, on a real X display.

Xvfb gives the display, `guideshot record URL` opens the phone's window there (no --script),
and xdotool is the person: real X mouse clicks and key presses on the window, at the screen
places of the elements. The site is a sign-in on loopback whose pages report where their
elements are (a person sees them; the test has to be told) and wear a magenta corner mark,
so the test can find where the phone's screen starts in the window.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import ImageGrab

from harness.scenario import load_flow
from simulator.server import start_server

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="the recorder's window needs Xvfb and xdotool (scripts/bootstrap.sh installs them)",
)

WAIT_S = 60.0  # for a window, a page or the recorder to answer, on a loaded 2-core machine
TAP_AGAIN_S = 10.0  # a tap with no answer by then was lost: the person taps again
MARK = (255, 0, 255)
PASSWORD = "tulip-bed-7"
# Each page: 6 px magenta marks at the viewport's corners, and a report of its elements'
# boxes (CSS px in the viewport) on load, after each scroll and on each press (with the
# pointer's type: mouse or touch), with the document's referrer (a tab the site opened has
# one; the recorder's own navigation has none). keepalive: a press that leaves the page
# still reports.
HEAD = """<!doctype html><html lang=en><meta charset=utf-8>
<meta name=viewport content='width=device-width'><title>{title}</title>
<body style='font-family:sans-serif;margin:16px'>
<div style='position:fixed;left:0;top:0;width:6px;height:6px;background:#f0f'></div>
<div style='position:fixed;right:0;bottom:0;width:6px;height:6px;background:#f0f'></div>
<script>
const report = (kind, pointer) => {{
  const boxes = {{}};
  for (const el of document.querySelectorAll('[data-box]')) {{
    const r = el.getBoundingClientRect();
    boxes[el.dataset.box] = [r.x, r.y, r.width, r.height];
  }}
  fetch('/boxes', {{method: 'POST', keepalive: true, body: JSON.stringify({{
    kind, pointer, path: location.pathname, referrer: document.referrer, scrollY, boxes,
    arrival: performance.getEntriesByType('navigation')[0].type,
    viewport: [innerWidth, innerHeight]}})}});
}};
addEventListener('DOMContentLoaded', () => report('ready'));
addEventListener('load', () => document.fonts.ready.then(() => report('load')));
addEventListener('scrollend', () => report('scroll'));
addEventListener('pointerdown', (event) => report('press', event.pointerType), true);
</script>
"""
PAGES = {
    "/signin": (
        "Sign in",
        """<h1>Garden club</h1><form method=post action=/signin>
<p><label for=user>Username</label><br><input id=user name=user data-box=user></p>
<p><label for=pass>Password</label><br>
<input id=pass name=pass type=password data-box=pass></p>
<button type=submit data-box=signin>Sign in</button></form>""",
    ),
    "/garden": (
        "Your garden",
        """<h1>Your garden</h1><p>Three beds, watered on Tuesdays.
<a href=/seeds data-box=seeds>Seeds</a></p>
<div style='height:900px;background:#eef'>(the beds)</div>
<p><a href=/help target=_blank data-box=help>Help</a></p>
<div style='height:900px'></div>""",
    ),
    # its picture comes when the test lets it: the page is still loading when it closes
    "/help": ("Help", "<h1>Help</h1><p>Ask at the shed.</p><img src=/shed.png alt=''>"),
    "/seeds": ("Seeds", "<h1>Seeds</h1><p>Sold out.</p>"),
}


@dataclass
class Site:
    """The sign-in site, and what its pages reported, awaited by path."""

    url: str = ""
    reports: list[dict[str, Any]] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    picture: threading.Event = field(default_factory=threading.Event)  # /shed.png may come

    def report(self, wanted: Callable[[dict[str, Any]], bool], since: int = 0) -> dict[str, Any]:
        """The latest report `wanted` accepts (of those from the `since`th on), waiting for
        it to come."""
        found = self.came(wanted, since, WAIT_S)
        assert found is not None, f"no such report from the page; got {self._seen()}"
        return found

    def came(
        self, wanted: Callable[[dict[str, Any]], bool], since: int, within: float
    ) -> dict[str, Any] | None:
        with self.changed:
            found = self.changed.wait_for(
                lambda: next((r for r in reversed(self.reports[since:]) if wanted(r)), None),
                within,
            )
        return dict(found) if found is not None else None

    def tap(
        self, person: Person, box: list[float], wanted: Callable[[dict[str, Any]], bool]
    ) -> None:
        """The person taps until the page answers as `wanted` says: a tap in a new page's
        first moments can be lost (it shows before Chromium gives it input), and a person
        whose tap did nothing taps again."""
        for _ in range(3):
            since = len(self.reports)
            person.tap(box)
            if self.came(wanted, since, TAP_AGAIN_S) is not None:
                return
        raise AssertionError(f"three taps at {box} and no answer; got {self._seen()}")

    def _seen(self) -> list[tuple[str, ...]]:
        return [
            (r["kind"], r["path"], r.get("pointer") or "", r["arrival"], str(r["scrollY"]))
            for r in self.reports
        ]

    def presses(self, count: int) -> list[str]:
        """The pointer types of the presses reported, once at least `count` came."""
        with self.changed:
            came = self.changed.wait_for(
                lambda: [r["pointer"] for r in self.reports if r["kind"] == "press"][count - 1 :],
                WAIT_S,
            )
            assert came, f"fewer than {count} presses reached the pages: {self._seen()}"
            return [r["pointer"] for r in self.reports if r["kind"] == "press"]

    def traversed(self, path: str, since: int) -> None:
        """The page at `path` brought by Back or Forward, reported after the `since`th."""
        self.report(lambda r: r["path"] == path and r["arrival"] == "back_forward", since)

    def boxes(self, path: str, referrer: str | None = None) -> dict[str, list[float]]:
        def wanted(report: dict[str, Any]) -> bool:
            if report["path"] != path or report["kind"] == "ready":  # fonts may not be in yet
                return False
            return referrer is None or report["referrer"] == referrer

        return dict(self.report(wanted)["boxes"])

    def app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        if method == "POST" and path == "/boxes":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            with self.changed:
                self.reports.append(json.loads(environ["wsgi.input"].read(size)))
                self.changed.notify_all()
            start_response("204 No Content", [])
            return [b""]
        if path == "/shed.png":
            self.picture.wait(WAIT_S)
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no picture"]
        if method == "POST" and path == "/signin":  # any account: the flow is what matters
            start_response("303 See Other", [("Location", "/garden")])
            return [b""]
        if path not in PAGES:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        title, body = PAGES[path]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [(HEAD.format(title=title) + body).encode()]


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    server = start_server(site.app)
    site.url = server.url
    try:
        yield site
    finally:
        site.picture.set()
        server.close()


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A fresh X display (its number as Xvfb chose it), stopped after the module."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as told:
            number = told.readline().strip()  # written once the server accepts clients
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=20)


@dataclass
class Person:
    """Hands on the display: xdotool's real X input, and eyes on the screen."""

    display: str
    window: str = ""
    origin: tuple[int, int] = (0, 0)  # where the phone's screen starts, in screen pixels

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            env={**os.environ, "DISPLAY": self.display},
            capture_output=True,
            text=True,
            timeout=WAIT_S,
        )
        assert done.returncode == 0, f"xdotool {' '.join(args)}: {done.stderr}"
        return done.stdout

    def find_window(self, title: str) -> tuple[int, int]:
        """The recorder's window once it shows `title`, focused; the size of the phone's
        screen as the window shows it, corner mark to corner mark."""
        self.window = self._search(title)
        self.xdotool("windowfocus", "--sync", self.window)
        marks = self._marks()
        self.origin = marks[0]
        return marks[-1][0] - marks[0][0] + 1, marks[-1][1] - marks[0][1] + 1

    def _search(self, title: str) -> str:
        """The window whose title starts with `title`: xdotool's --sync waits for it, but
        gives up (exit 1) when another window goes away while it looks, so look again."""
        command = ["xdotool", "search", "--sync", "--onlyvisible", "--name", f"^{title} "]
        for _ in range(10):
            done = subprocess.run(
                command,
                env={**os.environ, "DISPLAY": self.display},
                capture_output=True,
                text=True,
                timeout=WAIT_S,
            )
            if done.returncode == 0:
                return done.stdout.split()[0]
        raise AssertionError(f"no window titled {title!r}: {done.stderr}")

    def _marks(self) -> list[tuple[int, int]]:
        """The screen's magenta pixels inside the window, top to bottom. The window's title
        may show before the page is painted, and no event says it is: look a few times."""
        for _ in range(100):
            found = self._magenta()
            if found:
                return found
        raise AssertionError("the page's corner marks are not on the screen")

    def _magenta(self) -> list[tuple[int, int]]:
        geometry = dict(
            line.strip().split("=", 1)
            for line in self.xdotool("getwindowgeometry", "--shell", self.window).split()
        )
        left, top = int(geometry["X"]), int(geometry["Y"])
        width, height = int(geometry["WIDTH"]), int(geometry["HEIGHT"])
        screen = ImageGrab.grab(
            bbox=(left, top, left + width, top + height), xdisplay=self.display
        ).convert("RGB")
        pixels = screen.load()
        assert pixels is not None
        return [
            (left + x, top + y)
            for y in range(screen.height)
            for x in range(screen.width)
            if pixels[x, y] == MARK
        ]

    def tap(self, box: list[float]) -> None:
        """A mouse click at the box's middle: the phone's window makes it a touch."""
        x = self.origin[0] + round(box[0] + box[2] / 2)
        y = self.origin[1] + round(box[1] + box[3] / 2)
        self.xdotool("mousemove", "--sync", str(x), str(y), "click", "1")

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "30", text)

    def key(self, *keys: str) -> None:
        self.xdotool("key", "--delay", "30", *keys)

    def wheel_down(self, turns: int) -> None:
        self.xdotool("click", "--repeat", str(turns), "--delay", "50", "5")

    def swipe_up(self, at: tuple[int, int], by: int) -> None:
        """A finger's drag: pressed, moved up in small steps, held still, let go (a finger
        lifted while moving flings the page on, by an amount of its own)."""
        x, y = self.origin[0] + at[0], self.origin[1] + at[1]
        self.xdotool("mousemove", "--sync", str(x), str(y), "mousedown", "1")
        for moved in range(10, by + 1, 10):
            self.xdotool("mousemove", "--sync", str(x), str(y - moved))
        self.xdotool("sleep", "0.3", "mouseup", "1")


def recording(display: str, url: str, out: Path, *extra: str) -> subprocess.Popen[str]:
    """`guideshot record URL --out OUT` as a person starts it in a terminal: its own
    process group, as a shell's job, so Ctrl-C can be sent to the whole job."""
    guideshot = Path(sys.executable).with_name("guideshot")
    return subprocess.Popen(
        [str(guideshot), "record", url, "--out", str(out), *extra],
        env={**os.environ, "DISPLAY": display},
        cwd=out.parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def finished(process: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, said = process.communicate(timeout=WAIT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        _, said = process.communicate()
        raise AssertionError(f"record did not end when the window closed: {said}") from None
    return process.returncode, said


def guideshot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("guideshot")), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def signed_in(person: Person, site: Site) -> tuple[int, int]:
    """Username by a tap and typing, Password by Tab, then a tap on Sign in; the phone's
    screen size as the window showed it."""
    boxes = site.boxes("/signin")
    shown = person.find_window("Sign in")
    site.tap(person, boxes["user"], lambda r: r["kind"] == "press")
    person.type("hanako")
    person.key("Tab")
    person.type(PASSWORD)
    site.tap(person, boxes["signin"], lambda r: r["path"] == "/garden")
    return shown


@pytest.mark.browser
@pytest.mark.slow
def test_a_person_signs_in_goes_back_scrolls_and_opens_help_and_the_file_runs(
    display: str, site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "scenarios" / "sign-in.yaml"
    out.parent.mkdir()
    process = recording(display, site.url + "/signin", out, "--device", "android", "--lang", "en")
    person = Person(display)
    shown = signed_in(person, site)
    # the window shows the whole phone (Pixel 7: 412 x 839 CSS px), at one pixel each
    assert shown == tuple(site.report(lambda r: r["path"] == "/signin")["viewport"]) == (412, 839)
    # a wrong turn, and the browser's Back: the recorder undoes the tap
    site.tap(person, site.boxes("/garden")["seeds"], lambda r: r["path"] == "/seeds")
    before = len(site.reports)
    person.key("alt+Left")
    site.traversed("/garden", before)
    person.wheel_down(3)
    wheeled = site.report(lambda r: r["path"] == "/garden" and r["scrollY"] > 0)["scrollY"]
    person.swipe_up((200, 400), 100)  # a little more by a finger
    swiped = site.report(lambda r: r["path"] == "/garden" and r["scrollY"] > wheeled)
    site.tap(person, swiped["boxes"]["help"], lambda r: r["path"] == "/help")
    # Help opens in a new tab; the recorder brings it into the phone's own one, and the
    # person closes it before it has loaded
    site.report(lambda r: r["path"] == "/help" and r["kind"] == "ready" and not r["referrer"])
    # every mouse click reached the pages as a finger's touch: Username's, the swipe's and
    # Help's at least (a press that leaves the page at once may not get its report out)
    assert set(site.presses(3)) == {"touch"}
    person.key("ctrl+w")
    status, said = finished(process)
    site.picture.set()
    assert status == 0, said
    lines = said.splitlines()
    assert lines[0] == (
        f"recording on the android window: tap (click), type and scroll as a reader would, "
        f"then close the window (Ctrl+W) to write {out}; Ctrl-C here gives up"
    )
    assert lines[1:] == [
        "warning: back to /garden: the 1 step(s) taken since it was shown are undone",
        "warning: a new tab opened /help: a scenario stays in one tab, so it opens in this "
        "one, as a goto step",
        f"wrote {out}: 6 steps, 1 field(s) masked",
    ]
    flow = load_flow(out)
    assert [step.caption for step in flow.steps] == [
        'Enter "hanako" in "Username"',
        'Enter your password in "Password"',
        'Tap "Sign in"',
        "Scroll up",  # the wheel's and the swipe's, one step
        'Tap "Help"',
        "Open /help",
    ]
    text = out.read_text("utf-8")
    assert "    target: {label: Username}\n    value: hanako\n" in text
    assert (
        "    target: {label: Password}\n"
        "    # a password, written as typed; the field is masked in every picture\n"
        f"    value: {PASSWORD}\n"
    ) in text
    assert "    target: {role: button, name: Sign in}\n    expect: {url: /garden}\n" in text
    assert "    target: {role: link, name: Help}\n" in text
    assert "  - {label: Password}  # a password field\n" in text
    assert [t.describe() for t in flow.mask] == ["label=「Password」"]
    assert flow.start == "/signin" and flow.devices == ("android",)
    # the file as written: lint, then a run on the same site
    linted = guideshot("lint", "scenarios", cwd=tmp_path)
    assert linted.returncode == 0, linted.stderr
    ran = guideshot(
        "run", "--scenarios", "scenarios", "--base-url", site.url, "--out", "shots", cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert out.read_text("utf-8") == text


@pytest.mark.browser
@pytest.mark.slow
def test_back_forward_and_closing_the_whole_window_write_what_was_walked(
    display: str, site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "scenarios" / "sign-in.yaml"
    out.parent.mkdir()
    process = recording(display, site.url + "/signin", out)
    person = Person(display)
    signed_in(person, site)
    # a wrong turn, Back, and Forward to it again: the tap stays undone, and Sign in still
    # expects the page it opened, not the one Forward showed
    site.tap(person, site.boxes("/garden")["seeds"], lambda r: r["path"] == "/seeds")
    before = len(site.reports)
    person.key("alt+Left")
    site.traversed("/garden", before)
    before = len(site.reports)
    person.key("alt+Right")
    site.traversed("/seeds", before)
    person.key("ctrl+shift+w")  # the window, with every tab in it: the browser ends
    status, said = finished(process)
    assert status == 0, said
    assert said.splitlines()[1:] == [
        "warning: back to /garden: the 1 step(s) taken since it was shown are undone",
        "warning: the browser's Back or Forward went to /seeds, which a scenario cannot do: "
        "the steps after it may not run as recorded",
        f"wrote {out}: 3 steps, 1 field(s) masked",
    ]
    steps = load_flow(out).steps
    assert [step.action.action for step in steps] == ["fill", "fill", "tap"]
    assert steps[2].expect is not None and steps[2].expect.url == "/garden"


@pytest.mark.browser
@pytest.mark.slow
def test_ctrl_c_gives_the_recording_up_in_one_line_and_writes_nothing(
    display: str, site: Site, tmp_path: Path
) -> None:
    out = tmp_path / "scenarios" / "sign-in.yaml"
    out.parent.mkdir()
    process = recording(display, site.url + "/signin", out, "--device", "iphone")
    person = Person(display)
    boxes = site.boxes("/signin")
    person.find_window("Sign in")
    site.tap(person, boxes["user"], lambda r: r["kind"] == "press")
    person.type("hanako")
    os.killpg(process.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the whole job
    status, said = finished(process)
    assert status == 130, said
    assert said.splitlines()[1:] == [
        f"error: interrupted: {out} not written (close the window to write a recording)"
    ]
    assert not out.exists()
    # the window went with it
    gone = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Sign in "],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        timeout=WAIT_S,
    )
    assert gone.returncode == 1
