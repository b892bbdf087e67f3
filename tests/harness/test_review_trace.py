"""`guideshot review` links a failed flow's Playwright trace as the report does (a download
and the `playwright show-trace` command) and serves its bytes, but only the trace where
`check` writes it, images/<device>/<flow>/trace.zip, read without following a link: a
trace that is a link out of the report, a report.json naming another path, or a request for
any other path is refused. The real CLI on a free port, raw HTTP, as test_review_guard.py.
"""

from __future__ import annotations

import html
import io
import re
import secrets
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from harness.drift.verdict import FlowVerdict
from harness.report.json_report import load_json, render_json
from tests.harness.reviewing import (
    DEVICE,
    FLOW,
    Built,
    Reviewing,
    build_report,
    review_process,
    tree_digest,
)

pytestmark = pytest.mark.slow

TRACE = f"images/{DEVICE}/{FLOW}/trace.zip"
FAILURE = "step 3 could not be performed: no button named Sign in"
LINK = re.compile(r'<p class="trace"><a href="([^"]+)" download="([^"]+)">')


def _zip(text: str) -> bytes:
    """A zip as Playwright's trace.zip is one (the review serves bytes; it never opens it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("trace.trace", text)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_report(tmp_path_factory.mktemp("trace"))


def _set_flows(report: Path, *extra: FlowVerdict, trace: str | None = TRACE) -> None:
    """The built flow failed and has `trace`; `extra` flows are added to report.json."""
    path = report / "report.json"
    check = load_json(path.read_text("utf-8"))
    check.flows[0].failure, check.flows[0].trace = FAILURE, trace
    check.flows.extend(extra)
    path.write_text(render_json(check), "utf-8")


@dataclass
class Scene:
    report: Path
    baseline: Path
    decoy: Path  # beside the report: where a link or a traversal would lead
    trace: bytes  # the genuine trace.zip
    secret: bytes  # the decoy's trace, which no answer may carry


@pytest.fixture
def scene(built: Built, tmp_path: Path) -> Scene:
    report, baseline, decoy = tmp_path / "report", tmp_path / "shots", tmp_path / "decoy"
    shutil.copytree(built.report, report)
    shutil.copytree(built.baseline, baseline)
    decoy.mkdir()
    secret = _zip("decoy secret " + secrets.token_hex(16))
    (decoy / "trace.zip").write_bytes(secret)
    trace = _zip('{"type":"context-options"}\n')
    (report / TRACE).write_bytes(trace)
    return Scene(report, baseline, decoy, trace, secret)


@contextmanager
def reviewing(scene: Scene) -> Iterator[Reviewing]:
    """The review of the scene's report; afterwards the baseline and the decoy unchanged and
    no answer carrying the decoy's bytes."""
    before = (tree_digest(scene.baseline), tree_digest(scene.decoy))
    with review_process(scene.report, scene.baseline) as review:
        yield review
        assert not any(scene.secret in answer.body for answer in review.answers)
    assert (tree_digest(scene.baseline), tree_digest(scene.decoy)) == before


def _links(review: Reviewing) -> list[tuple[str, str]]:
    """Each trace link of the review page: its href and the name it downloads as."""
    page = review.send("GET", "/")
    assert page.status == 200
    return [(html.unescape(href), name) for href, name in LINK.findall(page.text)]


def test_the_review_links_a_failed_flows_trace_and_serves_its_bytes(scene: Scene) -> None:
    _set_flows(scene.report)
    with reviewing(scene) as review:
        assert _links(review) == [(f"report/{TRACE}", f"{FLOW}-{DEVICE}-trace.zip")]
        page = review.send("GET", "/").text
        # review was started in the report's parent as `guideshot review report`
        assert f"<code>playwright show-trace report/{TRACE}</code>" in page
        assert FAILURE in page
        served = review.send("GET", f"/report/{TRACE}")
        assert served.status == 200, served
        assert served.body == scene.trace
        assert served.headers["Content-Type"] == "application/zip"
        disposition = f"attachment; filename={FLOW}-{DEVICE}-trace.zip"
        assert served.headers["Content-Disposition"] == disposition
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert zipfile.ZipFile(io.BytesIO(served.body)).namelist() == ["trace.trace"]
        head = review.send("HEAD", f"/report/{TRACE}")
        assert head.status == 200 and head.body == b""


def test_a_trace_that_is_a_link_out_of_the_report_is_neither_linked_nor_served(
    scene: Scene,
) -> None:
    _set_flows(scene.report)
    (scene.report / TRACE).unlink()
    (scene.report / TRACE).symlink_to(scene.decoy / "trace.zip")
    with reviewing(scene) as review:
        assert _links(review) == []
        answer = review.send("GET", f"/report/{TRACE}")
        assert (answer.status, answer.text) == (404, "not found\n")


def test_a_trace_swapped_for_a_link_while_served_is_refused(scene: Scene) -> None:
    """Swapped in after the page was made, so no check at start-up can catch it: the file
    itself, or a folder on its way."""
    _set_flows(scene.report)
    with reviewing(scene) as review:
        assert len(_links(review)) == 1
        (scene.report / TRACE).unlink()
        (scene.report / TRACE).symlink_to(scene.decoy / "trace.zip")
        answer = review.send("GET", f"/report/{TRACE}")
        assert (answer.status, answer.text) == (404, "not found\n")
        images = scene.report / "images"
        images.rename(scene.report / "moved")
        outside = scene.decoy / "images" / DEVICE / FLOW
        outside.mkdir(parents=True)
        shutil.copyfile(scene.decoy / "trace.zip", outside / "trace.zip")
        images.symlink_to(scene.decoy / "images")
        answer = review.send("GET", f"/report/{TRACE}")
        assert (answer.status, answer.text) == (404, "not found\n")
        shutil.rmtree(scene.decoy / "images")  # the decoy as it was, for the final check


@pytest.mark.parametrize(
    "named",
    [
        "../decoy/trace.zip",  # report.json pointing out of the report
        f"images/{DEVICE}/{FLOW}/../../../../decoy/trace.zip",
        str(Path("/").joinpath("etc", "passwd")),
        f"captures/{DEVICE}/{FLOW}/trace.zip",  # inside, but not where check writes traces
        "report.json",  # in the report, but not a trace
        f"images/{DEVICE}/other-flow/trace.zip",  # another flow's folder
    ],
)
def test_a_report_naming_another_path_for_its_trace_is_not_served(scene: Scene, named: str) -> None:
    _set_flows(scene.report, trace=named)
    with reviewing(scene) as review:
        assert _links(review) == []
        for target in (named, TRACE):  # neither what it names nor check's own place
            answer = review.send("GET", "/report/" + quote(target))
            assert answer.status == 404, target
            assert scene.trace not in answer.body, target


def test_a_flow_whose_names_are_not_ids_has_no_trace_served(scene: Scene) -> None:
    """report.json's device and flow are untrusted: a folder is never named by anything
    that is not a name guideshot gives."""
    odd = FlowVerdict(
        flow="..",
        device=DEVICE,
        title="odd",
        scenario_file="x.yaml",
        failure="x",
        trace=f"images/{DEVICE}/../trace.zip",
    )
    (scene.report / "images" / "trace.zip").write_bytes(scene.secret)
    _set_flows(scene.report, odd)
    with reviewing(scene) as review:
        assert [href for href, _ in _links(review)] == [f"report/{TRACE}"]
        for target in (f"images/{DEVICE}/../trace.zip", "images/trace.zip"):
            assert review.send("GET", "/report/" + target).status == 404, target
    (scene.report / "images" / "trace.zip").unlink()


def test_requests_for_other_paths_are_refused(scene: Scene) -> None:
    _set_flows(scene.report)
    with reviewing(scene) as review:
        for target in [
            f"/report/images/{DEVICE}/other-flow/trace.zip",
            f"/report/images/{DEVICE}/{FLOW}/trace.zip/",
            f"/report/images/{DEVICE}/{FLOW}/./trace.zip",
            f"/report/images/{DEVICE}/{FLOW}/../{FLOW}/trace.zip",
            f"/report/images/{DEVICE}/{FLOW}/trace.zip%00",
            f"/report/images/{DEVICE}/{FLOW}/TRACE.ZIP",
            f"/report/images//{DEVICE}/{FLOW}/trace.zip",
            f"/report/images/{DEVICE}/{FLOW}/..%2f..%2f..%2f..%2fdecoy%2ftrace.zip",
            "/report/../decoy/trace.zip",
            "/report/%2e%2e/decoy/trace.zip",
            f"/report/{(scene.decoy / 'trace.zip').as_posix()}",
            f"/{TRACE}",
        ]:
            answer = review.send("GET", target)
            assert answer.status in (400, 404), target
            assert scene.trace not in answer.body, target
        assert review.send("GET", f"/report/{TRACE}").status == 200
