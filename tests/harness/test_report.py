"""Reports from a hand-built CheckReport: files, JSON round trip, JUnit, annotations, HTML text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from harness.drift.verdict import (
    CheckReport,
    Difference,
    DifferenceKind,
    FlowVerdict,
    StepStatus,
    StepVerdict,
    TextChange,
)
from harness.report import (
    ReportPaths,
    github_annotations,
    load_json,
    render_html,
    render_junit,
    write_reports,
)
from harness.report.common import circled

LOGIN = "scenarios/nenkin_login.yaml"
CARD = "scenarios/myna_card.yaml"


def _screen(path: Path, button_top: int, color: str = "#0969da") -> None:
    image = Image.new("RGB", (180, 360), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 160, 50), fill="#dddddd")
    draw.rectangle((30, button_top, 150, button_top + 40), fill=color)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def _diff(path: Path) -> None:
    image = Image.new("RGB", (180, 360), "#f0f0f0")
    ImageDraw.Draw(image).rectangle((30, 200, 150, 280), fill="red")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def make_images(folder: Path) -> None:
    """The PNGs the lead would copy into the report folder."""
    _screen(folder / "images/pixel_7/nenkin_login/02-approved.png", 200)
    _screen(folder / "images/pixel_7/nenkin_login/02-current.png", 240)
    _diff(folder / "images/pixel_7/nenkin_login/02-diff.png")
    _screen(folder / "images/pixel_7/nenkin_login/03 現在#1.png", 100, "#1a7f37")
    _screen(folder / "images/iphone_14/nenkin_login/02-approved.png", 200)
    _screen(folder / "images/iphone_14/nenkin_login/02-current.png", 201)
    _screen(folder / "images/iphone_14/nenkin_login/03-approved.png", 300, "#6e7781")


def _step(
    flow: str, device: str, number: int | None, status: StepStatus, **kw: object
) -> StepVerdict:
    caption = str(kw.pop("caption", f"手順{number}"))
    file = str(kw.pop("scenario_file", LOGIN))
    line = kw.pop("scenario_line", 10 * (number or 0) + 3)
    return StepVerdict.model_validate(
        {
            "flow": flow,
            "device": device,
            "number": number,
            "caption": caption,
            "scenario_file": file,
            "scenario_line": line,
            "status": status,
            **kw,
        }
    )


def sample_report() -> CheckReport:
    """Every status at least once, two devices, a flow that matches throughout."""
    login_pixel = FlowVerdict(
        flow="nenkin_login",
        device="pixel_7",
        title="ねんきんネットにログインしましょう",
        scenario_file=LOGIN,
        steps=[
            _step(
                "nenkin_login", "pixel_7", 1, StepStatus.MATCH, caption="「ねんきんネット」を開く"
            ),
            _step(
                "nenkin_login",
                "pixel_7",
                2,
                StepStatus.DRIFT,
                caption="「ログイン」をタップ",
                differences=[
                    Difference(
                        kind=DifferenceKind.LABEL_CHANGED,
                        sentence="step ②: 「ログイン」 is now labelled 「ログインする」.",
                    ),
                    Difference(
                        kind=DifferenceKind.PIXELS_CHANGED,
                        sentence="step ②: 4,800 pixels differ (7.41 %), around the button.",
                    ),
                ],
                approved_image="images/pixel_7/nenkin_login/02-approved.png",
                current_image="images/pixel_7/nenkin_login/02-current.png",
                diff_image="images/pixel_7/nenkin_login/02-diff.png",
                text_changes=[
                    TextChange(kind="removed", old="ログイン"),
                    TextChange(kind="added", new="お知らせ"),
                    TextChange(kind="changed", old="ユーザID", new="ユーザーID"),
                ],
                mismatched_pixels=4800,
                mismatch_ratio=0.0741,
            ),
            _step(
                "nenkin_login",
                "pixel_7",
                3,
                StepStatus.NEW,
                caption="パスワードを入力",
                current_image="images/pixel_7/nenkin_login/03 現在#1.png",
            ),
        ],
    )
    login_iphone = FlowVerdict(
        flow="nenkin_login",
        device="iphone_14",
        title="ねんきんネットにログインしましょう",
        scenario_file=LOGIN,
        steps=[
            _step(
                "nenkin_login", "iphone_14", 1, StepStatus.MATCH, caption="「ねんきんネット」を開く"
            ),
            _step(
                "nenkin_login",
                "iphone_14",
                2,
                StepStatus.ENVIRONMENT,
                caption="「ログイン」をタップ",
                differences=[
                    Difference(
                        kind=DifferenceKind.ENVIRONMENT_CHANGED,
                        sentence="step ②: rendered by chromium 131 instead of 130.",
                    )
                ],
                approved_image="images/iphone_14/nenkin_login/02-approved.png",
                current_image="images/iphone_14/nenkin_login/02-current.png",
                environment={
                    "browser_version": ("130.0", "131.0"),
                    "font": ("Noto Sans CJK JP", "IPAGothic"),
                },
            ),
            _step(
                "nenkin_login",
                "iphone_14",
                3,
                StepStatus.REMOVED,
                caption="「次へ」をタップ",
                differences=[
                    Difference(
                        kind=DifferenceKind.STEP_BROKEN,
                        sentence="step ③: approved, but the scenario no longer has it.",
                    )
                ],
                approved_image="images/iphone_14/nenkin_login/03-approved.png",
            ),
        ],
    )
    card = FlowVerdict(
        flow="myna_card",
        device="pixel_7",
        title="マイナンバーカードでログイン <b>&</b>",
        scenario_file=CARD,
        failure="timeout waiting for role=button name=読み取り開始",
        steps=[
            _step("myna_card", "pixel_7", 1, StepStatus.MATCH, scenario_file=CARD),
            _step(
                "myna_card",
                "pixel_7",
                2,
                StepStatus.BROKEN,
                scenario_file=CARD,
                scenario_line=27,
                caption="<script>alert(1)</script>読み取り開始",
                differences=[
                    Difference(
                        kind=DifferenceKind.STEP_BROKEN,
                        sentence="step ②: no button 「読み取り開始」, 100% gone: see log\nline two",
                    )
                ],
            ),
        ],
    )
    clean = FlowVerdict(
        flow="clean_flow",
        device="pixel_7",
        title="年金見込額を確認しましょう",
        scenario_file="scenarios/clean_flow.yaml",
        steps=[
            _step(
                "clean_flow",
                "pixel_7",
                n,
                StepStatus.MATCH,
                scenario_file="scenarios/clean_flow.yaml",
            )
            for n in (1, 2, 3)
        ],
    )
    return CheckReport(
        base_url="http://127.0.0.1:5000", flows=[login_pixel, login_iphone, card, clean]
    )


@pytest.fixture
def written(tmp_path: Path) -> ReportPaths:
    make_images(tmp_path)
    return write_reports(sample_report(), tmp_path)


def test_write_reports_creates_every_file_and_no_temporaries(written: ReportPaths, tmp_path: Path):
    assert written == ReportPaths(
        html=tmp_path / "index.html",
        junit=tmp_path / "junit.xml",
        json=tmp_path / "report.json",
        summary=tmp_path / "summary.md",
    )
    for path in (written.html, written.junit, written.json, written.summary):
        assert path.stat().st_size > 0
    assert list(tmp_path.glob(".*.tmp")) == []


def test_write_reports_names_images_missing_from_the_folder(tmp_path: Path):
    make_images(tmp_path)
    (tmp_path / "images/pixel_7/nenkin_login/02-diff.png").unlink()
    paths = write_reports(sample_report(), tmp_path)
    assert paths.missing_images == ("images/pixel_7/nenkin_login/02-diff.png",)


def test_image_paths_are_urls():
    html = render_html(sample_report())
    assert 'src="images/pixel_7/nenkin_login/03%20%E7%8F%BE%E5%9C%A8%231.png"' in html


def test_write_reports_replaces_older_files(tmp_path: Path):
    (tmp_path / "index.html").write_text("old", encoding="utf-8")
    write_reports(CheckReport(base_url="http://x"), tmp_path)
    assert "Clean" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_json_round_trips_and_carries_counts(written: ReportPaths):
    text = written.json.read_text(encoding="utf-8")
    assert load_json(text) == sample_report()
    document = json.loads(text)
    assert document["drift_found"] is True
    assert document["counts"] == {
        "match": 6,
        "noise": 0,
        "drift": 1,
        "new": 1,
        "broken": 1,
        "environment": 1,
        "removed": 1,
        "unreadable": 0,
    }
    assert {(f["flow"], f["device"]): f["status"] for f in document["flows"]} == {
        ("nenkin_login", "pixel_7"): "drift",
        ("nenkin_login", "iphone_14"): "removed",
        ("myna_card", "pixel_7"): "broken",
        ("clean_flow", "pixel_7"): "match",
    }
    assert "ねんきんネット" in text  # readable, not \u-escaped


def test_load_json_refuses_other_documents():
    with pytest.raises(ValueError, match="guideshot-check/1"):
        load_json('{"flows": []}')


def test_junit_has_one_suite_per_device_and_fails_every_non_matching_step(written: ReportPaths):
    root = ET.parse(written.junit).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("11", "5")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert list(suites) == ["pixel_7", "iphone_14"]
    assert (suites["pixel_7"].get("tests"), suites["pixel_7"].get("failures")) == ("8", "3")
    assert (suites["iphone_14"].get("tests"), suites["iphone_14"].get("failures")) == ("3", "2")
    failures = {
        (case.get("classname"), case.get("name")): case.find("failure")
        for case in root.iter("testcase")
    }
    failed = {key: node for key, node in failures.items() if node is not None}
    assert sorted(failed) == [
        ("iphone_14.nenkin_login", "02 「ログイン」をタップ"),
        ("iphone_14.nenkin_login", "03 「次へ」をタップ"),
        ("pixel_7.myna_card", "02 <script>alert(1)</script>読み取り開始"),
        ("pixel_7.nenkin_login", "02 「ログイン」をタップ"),
        ("pixel_7.nenkin_login", "03 パスワードを入力"),
    ]
    new = failed[("pixel_7.nenkin_login", "03 パスワードを入力")]
    assert (new.get("type"), new.get("message")) == ("new", "no approved screenshot")
    drift = failed[("pixel_7.nenkin_login", "02 「ログイン」をタップ")]
    assert drift.get("message") == "step ②: 「ログイン」 is now labelled 「ログインする」."
    assert drift.text == (
        "step ②: 「ログイン」 is now labelled 「ログインする」.\n"
        "step ②: 4,800 pixels differ (7.41 %), around the button.\n"
        f"{LOGIN}:23"
    )
    assert failures[("pixel_7.clean_flow", "01 手順1")] is None


def test_junit_reports_a_run_failure_that_no_step_carries():
    flow = FlowVerdict(
        flow="f", device="d", title="t", scenario_file="scenarios/f.yaml", failure="browser crashed"
    )
    root = ET.fromstring(render_junit(CheckReport(base_url="http://x", flows=[flow])))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert (case.get("classname"), case.get("name")) == ("d.f", "run")
    failure = case.find("failure")
    assert failure is not None and failure.get("message") == "browser crashed"


def test_github_annotations_escape_data_and_properties():
    assert github_annotations(sample_report()) == [
        "::error file=scenarios/nenkin_login.yaml,line=23,"
        "title=nenkin_login on pixel_7%2C step 2::"
        "step ②: 「ログイン」 is now labelled 「ログインする」.%0A"
        "step ②: 4,800 pixels differ (7.41 %25), around the button.",
        "::error file=scenarios/nenkin_login.yaml,line=33,"
        "title=nenkin_login on pixel_7%2C step 3::no approved screenshot",
        "::error file=scenarios/nenkin_login.yaml,line=23,"
        "title=nenkin_login on iphone_14%2C step 2::"
        "step ②: rendered by chromium 131 instead of 130.",
        "::error file=scenarios/nenkin_login.yaml,line=33,"
        "title=nenkin_login on iphone_14%2C step 3::"
        "step ③: approved, but the scenario no longer has it.",
        "::error file=scenarios/myna_card.yaml,line=27,"
        "title=myna_card on pixel_7%2C step 2::"
        "step ②: no button 「読み取り開始」, 100%25 gone: see log%0Aline two",
    ]


def test_github_annotations_escape_colons_in_file_and_title_and_cover_run_failures():
    flow = FlowVerdict(
        flow="a:b",
        device="d,1",
        title="t",
        scenario_file="C:\\s.yaml",
        failure="stopped\r\nearly",
    )
    assert github_annotations(CheckReport(base_url="http://x", flows=[flow])) == [
        "::error file=C%3A\\s.yaml,title=a%3Ab on d%2C1::stopped%0D%0Aearly"
    ]


def test_clean_report_has_no_annotations_and_says_clean():
    report = CheckReport(base_url="http://x", flows=[sample_report().flows[3]])
    assert github_annotations(report) == []
    html = render_html(report)
    assert "<h1>Clean" in html
    assert "<img" not in html


def test_html_escapes_scenario_text():
    html = render_html(sample_report())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;読み取り開始" in html
    assert "マイナンバーカードでログイン &lt;b&gt;&amp;&lt;/b&gt;" in html


def test_html_lists_failing_steps_before_matching_ones_and_matching_without_images():
    html = render_html(sample_report())
    section = html[
        html.index('id="nenkin_login--pixel_7"') : html.index('id="nenkin_login--iphone_14"')
    ]
    assert section.index("「ログイン」をタップ") < section.index("「ねんきんネット」を開く")
    matching = section[section.index('<details class="matching">') :]
    assert "<img" not in matching
    assert 'id="nenkin_login--pixel_7--1"' in matching


def test_html_shows_new_steps_as_not_yet_approved():
    html = render_html(sample_report())
    assert "new — not yet approved" in html
    assert "Current — not yet approved" in html


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "①"), (20, "⑳"), (21, "㉑"), (36, "㊱"), (50, "㊿"), (51, "(51)"), (None, "–")],
)
def test_circled(number: int | None, expected: str):
    assert circled(number) == expected
