"""Acceptance tests of `guideshot check` and `approve`: controlled changes to real screens.

The simulator runs once per module behind a rewriting proxy (tests/harness/drift_proxy.py).
Baselines are captured through the unmodified proxy; each test then serves the same site
with one change (a relabelled, removed or moved button, a new field, changed text or
colours, a reordered menu) and asserts what `check` reports: exit status, the step, the
kind of difference and the sentence a guide author reads, plus the report files.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import shutil
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.capture import Box
from harness.cli import main
from harness.drift.verdict import CheckReport, DifferenceKind, StepStatus, StepVerdict
from harness.report import load_json
from harness.store import read_record
from simulator import create_app
from simulator.server import start_server
from tests.harness.drift_proxy import RunningProxy, rewriting_proxy

pytestmark = pytest.mark.slow  # end-to-end runs through the CLI

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
DEVICE = "android"
REGISTER = "register-userid"
LOGIN = "login-userid"
RECORDS = "pension-records"

# The pieces of the simulator's HTML the changes act on (asserted to apply via `hits`).
TOP_REGISTER_LINK = '<a class="nk-bigbutton" href="/nenkin/register">新規登録</a>'
REGISTER_BUTTON_CSS = 'a.nk-bigbutton[href="/nenkin/register"]'
NO_ACCESS_KEY_LINK = (
    '<a class="nk-bigbutton" href="/nenkin/userid/terms?key=no">アクセスキーをお持ちでない方</a>'
)

LOGIN_BUTTON = '<button class="nk-bigbutton" type="submit">ログイン</button>'
USERID_HEADING = '<h2 id="userid-heading">ユーザIDの取得</h2>'
TOP_SENTENCE = "ご自身の年金の情報を手軽に確認できるサービスです。"
RECORDS_MENU_LINK = '<a class="nk-m-button" href="/nenkin/records">年金記録を確認する</a>'
NOTICES_MENU_LINK = '<a class="nk-m-button" href="/nenkin/notices">通知書を確認する</a>'


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def simulator_url() -> Iterator[str]:
    with start_server(create_app()) as server:
        yield server.url


@pytest.fixture(scope="module")
def approved(simulator_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Approved screenshots of the three flows, captured through an unmodified proxy."""
    root = tmp_path_factory.mktemp("approved")
    shots = root / "shots"
    flows = [arg for flow in (REGISTER, LOGIN, RECORDS) for arg in ("--flow", flow)]
    with rewriting_proxy(simulator_url) as proxy, pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        status = main(
            [
                "run",
                *flows,
                "--device",
                DEVICE,
                "--base-url",
                proxy.url,
                "--out",
                str(shots),
                "--scenarios",
                str(SCENARIOS),
            ]
        )
    assert status == 0
    for flow in (REGISTER, LOGIN, RECORDS):
        assert len(list((shots / DEVICE / flow).glob("*.raw.png"))) == 4, flow
    return shots


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's own working directory, (staging goes beside each baseline)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def own_baseline(approved: Path, workdir: Path) -> Path:
    """A copy of the approved screenshots that approve may change."""
    copy = workdir / "shots"
    shutil.copytree(approved, copy)
    return copy


def tree_digest(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: relative path → (sha256, mtime in ns)."""
    return {
        path.relative_to(folder).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@dataclass(frozen=True)
class CheckRun:
    status: int
    report: CheckReport
    output: str  # what check printed (stderr)

    def steps(self) -> list[StepVerdict]:
        return self.report.steps()

    def step(self, number: int) -> StepVerdict:
        (found,) = [s for s in self.steps() if s.number == number]
        return found

    def kinds(self, number: int) -> set[DifferenceKind]:
        return {d.kind for d in self.step(number).differences}

    def sentences(self, number: int) -> list[str]:
        return [d.sentence for d in self.step(number).differences]

    def not_matching(self) -> list[int]:
        return [s.number or 0 for s in self.steps() if s.status is not StepStatus.MATCH]


def run_check(
    flow: str,
    site: RunningProxy,
    baseline: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> CheckRun:
    """`guideshot check` one flow on Android; asserts what holds for every check."""
    before = tree_digest(baseline)
    report_dir = workdir / "report"
    capsys.readouterr()
    status = main(
        [
            "check",
            "--flow",
            flow,
            "--device",
            DEVICE,
            "--base-url",
            site.url,
            "--baseline",
            str(baseline),
            "--report",
            str(report_dir),
            "--scenarios",
            str(SCENARIOS),
        ]
    )
    output = capsys.readouterr().err
    assert tree_digest(baseline) == before, "check wrote to the baseline folder"
    for name in ("index.html", "junit.xml", "report.json"):
        assert (report_dir / name).is_file(), name
    report = load_json((report_dir / "report.json").read_text(encoding="utf-8"))
    assert [(f.flow, f.device) for f in report.flows] == [(flow, DEVICE)]
    assert report.base_url == site.url
    failing = [s for s in report.steps() if s.status is not StepStatus.MATCH]
    junit = ET.parse(report_dir / "junit.xml").getroot()
    assert junit.get("failures") == str(len(failing))
    assert len(junit.findall(".//failure")) == len(failing)
    assert junit.get("tests") == str(len(report.steps()))
    assert status == (1 if failing else 0)
    return CheckRun(status=status, report=report, output=output)


@contextmanager
def mutated(
    simulator_url: str,
    substitutions: Sequence[tuple[str, str]] = (),
    style: str | None = None,
) -> Iterator[RunningProxy]:
    """A proxy with a change, which must apply to at least one page the flow shows."""
    with rewriting_proxy(simulator_url, substitutions, style) as proxy:
        yield proxy
    for old, _new in substitutions:
        assert proxy.hits[old] > 0, f"the change never applied: {old}"
    if style is not None:
        assert proxy.hits["<style>"] > 0


def only_drift(run: CheckRun, expected: Sequence[int]) -> None:
    assert run.status == 1
    assert run.report.drift_found
    assert run.not_matching() == list(expected)
    for number in expected:
        assert run.step(number).status is StepStatus.DRIFT
    assert "drift found" in run.output


def approved_box(approved: Path, flow: str, number: int) -> Box:
    """The target box of an approved step, from its record."""
    (path,) = (approved / DEVICE / flow).glob(f"{number:02d}-*.json")
    record = read_record(path)
    assert record is not None and record.target_box is not None
    return record.target_box


# ---------------------------------------------------------------- the proxy itself


def _echo_upstream(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """What the proxy forwarded, as a page; /go redirects to an absolute upstream address."""
    host = environ["HTTP_HOST"]
    if environ["PATH_INFO"] == "/go":
        start_response("302 Found", [("Location", f"http://{host}/landed?x=1")])
        return [b""]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"] + "?" + environ["QUERY_STRING"],
        "cookie": environ.get("HTTP_COOKIE", ""),
        "body": environ["wsgi.input"].read(length).decode("utf-8"),
        "link": f"http://{host}/next",
    }
    page = f"<html><head></head><body>old words {json.dumps(seen)}</body></html>"
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Set-Cookie", "a=1; Path=/"),
            ("Set-Cookie", "b=2; Path=/"),
        ],
    )
    return [page.encode("utf-8")]


def test_proxy_forwards_requests_and_rewrites_pages() -> None:
    with (
        start_server(_echo_upstream) as upstream,
        rewriting_proxy(upstream.url, [("old words", "new words")], "p{}") as proxy,
    ):
        request = urllib.request.Request(
            f"{proxy.url}/form/%E5%B9%B4?q=%E9%87%91",
            data=b"name=%E5%B9%B4",
            headers={"Cookie": "session=s1"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            page = response.read().decode("utf-8")
            cookies = response.headers.get_all("Set-Cookie")
        connection = http.client.HTTPConnection(proxy.url.removeprefix("http://"), timeout=10)
        connection.request("GET", "/go")
        redirect = connection.getresponse()
        redirect.read()
        connection.close()
    assert "new words" in page and "old words" not in page
    assert "<style>p{}</style></head>" in page
    seen = json.loads(page[page.index("new words ") + 10 : page.index("</body>")])
    assert seen["method"] == "POST"
    assert seen["path"] == "/form/年?q=%E9%87%91".encode().decode("latin-1")
    assert seen["cookie"] == "session=s1"
    assert seen["body"] == "name=%E5%B9%B4"
    assert seen["link"] == f"{proxy.url}/next"  # absolute upstream links stay on the proxy
    assert cookies == ["a=1; Path=/", "b=2; Path=/"]
    assert redirect.status == 302
    assert redirect.getheader("Location") == f"{proxy.url}/landed?x=1"
    assert proxy.hits == {"old words": 1, "<style>": 1}


# ---------------------------------------------------------------- j. nothing changed


@pytest.mark.browser
def test_same_site_behind_another_address_is_not_drift(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The baselines came through one proxy; five checks through another all match."""
    with rewriting_proxy(simulator_url) as proxy:
        for _ in range(5):
            run = run_check(REGISTER, proxy, approved, workdir, capsys)
            assert run.status == 0
            assert not run.report.drift_found
            assert [s.status for s in run.steps()] == [StepStatus.MATCH] * 4
            assert all(s.differences == [] and s.mismatched_pixels == 0 for s in run.steps())
            assert run.report.counts()["match"] == 4
            assert "no drift" in run.output


# ---------------------------------------------------------------- a–c. the boxed button


@pytest.mark.browser
def test_relabelled_button_is_a_label_change(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change = [(TOP_REGISTER_LINK, TOP_REGISTER_LINK.replace("新規登録", "新規ユーザー登録"))]
    with mutated(simulator_url, change) as site:
        run = run_check(REGISTER, site, approved, workdir, capsys)
    assert run.status == 1
    assert run.not_matching() == [1, 2, 3, 4]
    assert all(s.status is StepStatus.BROKEN for s in run.steps())
    # The step looked for the old label; the closest name on the screen is the new one.
    failure = run.report.flows[0].failure
    assert failure is not None
    assert "looked for:" in failure and "新規登録" in failure
    lines = failure.splitlines()
    closest = lines[lines.index("  on the page:") + 1]
    assert closest.startswith("    link 「新規ユーザー登録」 (name from ")
    assert run.kinds(1) == {DifferenceKind.LABEL_CHANGED}
    (sentence,) = run.sentences(1)
    assert sentence.startswith("step ①")
    assert "「新規登録」" in sentence and "「新規ユーザー登録」" in sentence
    for number in (2, 3, 4):
        assert run.kinds(number) == {DifferenceKind.STEP_BROKEN}
        assert "not reached" in run.sentences(number)[0]
    assert sentence in run.output


@pytest.mark.browser
def test_removed_button_breaks_the_step_that_highlights_it(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with mutated(simulator_url, [(NO_ACCESS_KEY_LINK, "")]) as site:
        run = run_check(REGISTER, site, approved, workdir, capsys)
    assert run.status == 1
    assert run.not_matching() == [3, 4]
    # ③ scrolls to the heading and shows both buttons: one of them is gone.
    assert run.step(3).status is StepStatus.DRIFT
    assert DifferenceKind.TEXT_CHANGED in run.kinds(3)
    removed = [c.old for c in run.step(3).text_changes if c.kind == "removed"]
    assert removed == ["アクセスキーをお持ちでない方"]
    # ④ highlights the missing button, so it cannot be performed.
    step = run.step(4)
    assert step.status is StepStatus.BROKEN
    assert step.current_image is None and step.approved_image is not None
    failure = run.report.flows[0].failure
    assert failure is not None and "アクセスキーをお持ちでない方" in failure
    (sentence,) = run.sentences(4)
    assert sentence.startswith("step ④")
    if run.kinds(4) == {DifferenceKind.LABEL_CHANGED}:
        # Known product bug (judge_flow.broken_difference): the closest candidate is the
        # *other* button, which was already on the approved screen, yet it is taken for
        # a relabel ("is now labelled 「アクセスキーをお持ちの方」"). Remove when fixed.
        pytest.xfail(f"removed button reported as a relabel: {sentence}")
    assert run.kinds(4) == {DifferenceKind.STEP_BROKEN}
    assert sentence.startswith("step ④ can no longer be performed")
    assert "アクセスキーをお持ちでない方" in sentence


@pytest.mark.browser
def test_moved_button_is_reported_with_its_geometry(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    style = f"{REGISTER_BUTTON_CSS} {{ margin-top: 48px; }}"
    with mutated(simulator_url, style=style) as site:
        run = run_check(REGISTER, site, approved, workdir, capsys)
    only_drift(run, [1])
    assert DifferenceKind.ELEMENT_MOVED in run.kinds(1)
    assert DifferenceKind.TEXT_CHANGED not in run.kinds(1)
    assert DifferenceKind.LABEL_CHANGED not in run.kinds(1)
    box = approved_box(approved, REGISTER, 1)
    (moved,) = [d.sentence for d in run.step(1).differences if d.kind == "element moved"]
    assert moved == (
        f"step ①: 「新規登録」 moved from ({box.x:.0f}, {box.y:.0f}) {box.width:.0f}×"
        f"{box.height:.0f} to ({box.x:.0f}, {box.y + 48:.0f}) {box.width:.0f}×{box.height:.0f} "
        "CSS px"
    )
    assert moved in run.output


# ---------------------------------------------------------------- d, e, h. text on the screen


@pytest.mark.browser
def test_new_required_field_on_the_login_form(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    field = (
        '<div class="nk-field"><label for="birthday">生年月日 <span>必須</span></label>'
        '<input id="birthday" name="birthday" type="text" required></div>'
    )
    with mutated(simulator_url, [(LOGIN_BUTTON, field + LOGIN_BUTTON)]) as site:
        run = run_check(LOGIN, site, approved, workdir, capsys)
    only_drift(run, [3, 4])  # the screens that show the login form
    for number in (3, 4):
        assert run.kinds(number) == {DifferenceKind.TEXT_CHANGED, DifferenceKind.PIXELS_CHANGED}
        added = [c.new for c in run.step(number).text_changes if c.kind == "added"]
        assert added == ["生年月日 必須"]  # the space the page shows between label and badge
        for sentence in run.sentences(number):
            assert sentence.startswith(f"step {'③④'[number - 3]}: ")
    # The same new line on both screens is one change, said once naming both steps.
    assert "new line 「生年月日 必須」 on 2 steps: Android login-userid ③–④" in run.output
    # The form is framed as before (the boxed ログイン button stays put within 2 px).
    assert DifferenceKind.ELEMENT_MOVED not in run.kinds(4)


@pytest.mark.browser
def test_changed_heading_is_a_text_change(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change = [(USERID_HEADING, USERID_HEADING.replace("の取得<", "の取得手続き<"))]
    with mutated(simulator_url, change) as site:
        run = run_check(REGISTER, site, approved, workdir, capsys)
    assert run.status == 1
    assert run.step(1).status is StepStatus.MATCH
    for number in (3, 4):  # the screens scrolled to the heading
        assert run.step(number).status is StepStatus.DRIFT
        assert run.kinds(number) == {DifferenceKind.TEXT_CHANGED, DifferenceKind.PIXELS_CHANGED}
        changes = [(c.kind, c.old, c.new) for c in run.step(number).text_changes]
        assert changes == [("changed", "ユーザIDの取得", "ユーザIDの取得手続き")]
        (text,) = [d.sentence for d in run.step(number).differences if d.kind == "text changed"]
        assert text.startswith(f"step {'③④'[number - 3]}: ")
        assert "「ユーザIDの取得」 is now 「ユーザIDの取得手続き」" in text
    # ② is captured with the band still closed: the heading is not on that screen.
    step = run.step(2)
    assert step.mismatched_pixels == 0
    if step.status is StepStatus.DRIFT and run.kinds(2) == {DifferenceKind.TEXT_CHANGED}:
        # Known product bug (harness/js/visible_text.js): text inside a closed <details>
        # has client rects, so it counts as on the screen. Remove when fixed.
        pytest.xfail(f"hidden text reported as on the screen: {run.sentences(2)[0]}")
    assert step.status is StepStatus.MATCH


@pytest.mark.browser
def test_changed_paragraph_is_a_text_change(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_sentence = TOP_SENTENCE.replace("手軽に", "簡単に")
    with mutated(simulator_url, [(TOP_SENTENCE, new_sentence)]) as site:
        run = run_check(REGISTER, site, approved, workdir, capsys)
    only_drift(run, [1])
    assert run.kinds(1) <= {DifferenceKind.TEXT_CHANGED, DifferenceKind.PIXELS_CHANGED}
    assert DifferenceKind.TEXT_CHANGED in run.kinds(1)
    (change,) = run.step(1).text_changes
    assert change.kind == "changed"
    assert change.old is not None and change.old.endswith(TOP_SENTENCE)
    assert change.new is not None and change.new.endswith(new_sentence)
    (text,) = [d.sentence for d in run.step(1).differences if d.kind == "text changed"]
    assert text.startswith("step ①")
    assert "手軽に" in text and "簡単に" in text


# ---------------------------------------------------------------- f, g. colours


@pytest.mark.browser
def test_colour_inside_the_target_counts_pixels_in_the_box(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    style = f"{REGISTER_BUTTON_CSS} {{ background: #b3261e !important; }}"
    with mutated(simulator_url, style=style) as site:
        run = run_check(REGISTER, site, approved, workdir, capsys)
    only_drift(run, [1])
    assert run.kinds(1) == {DifferenceKind.PIXELS_CHANGED}
    step = run.step(1)
    assert step.mismatched_pixels is not None and step.mismatched_pixels > 0
    (sentence,) = run.sentences(1)
    assert sentence.startswith("step ①")
    assert "inside 「新規登録」" in sentence
    assert step.diff_image is not None and step.approved_image is not None


@pytest.mark.browser
def test_colour_outside_the_target_is_not_attributed_to_it(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    style = ".nk-footer { background: #ffd0a0 !important; }"
    with mutated(simulator_url, style=style) as site:
        run = run_check(REGISTER, site, approved, workdir, capsys)
    only_drift(run, [1, 2, 3, 4])  # the footer shows at the bottom of every screen
    for number in (1, 2, 3, 4):
        assert run.kinds(number) == {DifferenceKind.PIXELS_CHANGED}
        step = run.step(number)
        assert step.mismatched_pixels is not None and step.mismatched_pixels > 0
        (sentence,) = run.sentences(number)
        assert sentence.startswith(f"step {'①②③④'[number - 1]}: ")
        assert "inside" not in sentence


# ---------------------------------------------------------------- i. a reordered menu


@pytest.mark.browser
def test_reordered_menu(
    simulator_url: str, approved: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change = [
        (RECORDS_MENU_LINK, ""),
        (NOTICES_MENU_LINK, NOTICES_MENU_LINK + RECORDS_MENU_LINK),
    ]
    with mutated(simulator_url, change) as site:
        run = run_check(RECORDS, site, approved, workdir, capsys)
    only_drift(run, [1, 2])  # the member top page; the records pages are unchanged
    for number in (1, 2):
        assert {DifferenceKind.TEXT_CHANGED, DifferenceKind.PIXELS_CHANGED} <= run.kinds(number)
        changes = [(c.kind, c.old or c.new) for c in run.step(number).text_changes]
        assert changes == [("removed", "年金記録を確認する"), ("added", "年金記録を確認する")]
    assert run.kinds(1) == {DifferenceKind.TEXT_CHANGED, DifferenceKind.PIXELS_CHANGED}
    # ② boxes 「年金記録を確認する」, now one button further down.
    assert DifferenceKind.ELEMENT_MOVED in run.kinds(2)
    box = approved_box(approved, RECORDS, 2)
    (moved,) = [d.sentence for d in run.step(2).differences if d.kind == "element moved"]
    assert moved.startswith(f"step ②: 「年金記録を確認する」 moved from ({box.x:.0f}, {box.y:.0f})")


# ---------------------------------------------------------------- approve


@pytest.mark.browser
def test_approve_replaces_only_the_changed_steps(
    simulator_url: str, own_baseline: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change = [(TOP_SENTENCE, TOP_SENTENCE.replace("手軽に", "簡単に"))]
    flow_dir = own_baseline / DEVICE / REGISTER
    (step_one,) = flow_dir.glob("01-*.json")
    with mutated(simulator_url, change) as site:
        assert run_check(REGISTER, site, own_baseline, workdir, capsys).not_matching() == [1]
        before = tree_digest(own_baseline)
        status = main(
            ["approve", "--flow", REGISTER, "--device", DEVICE, "--baseline", str(own_baseline)]
        )
        output = capsys.readouterr().err
        assert status == 0
        after = tree_digest(own_baseline)
        assert after.keys() == before.keys()
        changed = sorted(name for name in after if after[name] != before[name])
        stem = f"{DEVICE}/{REGISTER}/{step_one.stem}"
        assert changed == [f"{stem}.json", f"{stem}.png", f"{stem}.raw.png"]
        assert [line for line in output.splitlines() if line.startswith(("replaced", "added"))] == [
            f"replaced {stem}.png"
        ]
        assert "approved: 0 added, 1 replaced, 0 removed" in output
        assert "簡単に" in step_one.read_text(encoding="utf-8")
        rerun = run_check(REGISTER, site, own_baseline, workdir, capsys)
    assert rerun.status == 0
    assert [s.status for s in rerun.steps()] == [StepStatus.MATCH] * 4
    assert "no drift" in rerun.output


@pytest.mark.browser
def test_approve_one_step_touches_only_that_step(
    simulator_url: str, own_baseline: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    style = ".nk-footer { background: #ffd0a0 !important; }"
    flow_dir = own_baseline / DEVICE / REGISTER
    with mutated(simulator_url, style=style) as site:
        first = run_check(REGISTER, site, own_baseline, workdir, capsys)
        assert first.not_matching() == [1, 2, 3, 4]
        before = tree_digest(own_baseline)
        status = main(
            [
                "approve",
                "--flow",
                REGISTER,
                "--device",
                DEVICE,
                "--step",
                "3",
                "--baseline",
                str(own_baseline),
            ]
        )
        output = capsys.readouterr().err
        assert status == 0
        after = tree_digest(own_baseline)
        changed = sorted(name for name in after if after[name] != before[name])
        assert after.keys() == before.keys()
        assert [Path(name).name[:2] for name in changed] == ["03", "03", "03"]
        assert all(name.startswith(f"{DEVICE}/{REGISTER}/") for name in changed)
        assert [line for line in output.splitlines() if line.startswith("replaced")] == [
            f"replaced {DEVICE}/{REGISTER}/{next(flow_dir.glob('03-*.json')).stem}.png"
        ]
        rerun = run_check(REGISTER, site, own_baseline, workdir, capsys)
    assert rerun.not_matching() == [1, 2, 4]
    assert rerun.step(3).status is StepStatus.MATCH


@pytest.mark.browser
def test_approve_with_nothing_staged_is_a_usage_error(
    own_baseline: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    approved = own_baseline  # staging lives beside it: nothing there yet
    before = tree_digest(approved)
    capsys.readouterr()
    status = main(["approve", "--flow", REGISTER, "--device", DEVICE, "--baseline", str(approved)])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: nothing to approve for --flow {REGISTER} --device {DEVICE}")
    assert "guideshot check" in lines[0]
    assert tree_digest(approved) == before
    assert not (approved.parent / ".guideshot").exists()
