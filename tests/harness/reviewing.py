"""The real `guideshot review` process for tests: started on a free port in a subprocess,
spoken to over raw HTTP as an attacker would, and a report to serve built without a browser.

The report is made from the committed screenshots of one flow: each step's raw capture
gets a text chunk (other bytes, same pixels), so approving it changes the baseline, and
every attack that fails can be seen to have changed nothing.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import selectors
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from harness.drift.verdict import (
    CheckReport,
    Difference,
    DifferenceKind,
    FlowVerdict,
    StepStatus,
    StepVerdict,
)
from harness.report.json_report import render_json
from harness.store import read_record
from harness.store.layout import flow_dir
from harness.store.staging import MANIFEST, StagedFlow, StagedStep

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
DEVICE, FLOW = "android", "register-userid"
REVIEW = [sys.executable, "-m", "harness", "review"]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (links not followed) by relative path → sha256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _with_text_chunk(png: bytes, text: bytes) -> bytes:
    """The same picture in other bytes: a tEXt chunk just before IEND (the last 12 bytes)."""
    chunk = b"tEXt" + text
    packed = struct.pack(">I", len(text)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return png[:-12] + packed + png[-12:]


@dataclass(frozen=True)
class Built:
    baseline: Path  # screenshots/ with the one flow, as approved
    report: Path  # report/ whose captures differ from it in every step


def build_report(root: Path) -> Built:
    """A check's report of FLOW on DEVICE where every step drifted, written without a run."""
    baseline, report = root / "shots", root / "report"
    approved = flow_dir(baseline, DEVICE, FLOW)
    shutil.copytree(flow_dir(SCREENSHOTS, DEVICE, FLOW), approved)
    captures = flow_dir(report / "captures", DEVICE, FLOW)
    images = flow_dir(report / "images", DEVICE, FLOW)
    captures.mkdir(parents=True)
    images.mkdir(parents=True)
    staged: list[StagedStep] = []
    verdicts: list[StepVerdict] = []
    for path in sorted(approved.glob("*.json")):
        record = read_record(path)
        assert record is not None, path
        raw = (approved / record.raw_image).read_bytes()
        files = {
            record.raw_image: _with_text_chunk(raw, b"Comment\0current capture"),
            record.image: (approved / record.image).read_bytes(),
            path.name: path.read_bytes(),
        }
        for name, data in files.items():
            (captures / name).write_bytes(data)
        staged.append(
            StagedStep(
                number=record.number,
                raw_image=record.raw_image,
                image=record.image,
                record=path.name,
                sha256={name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
                baseline_raw_sha256=hashlib.sha256(raw).hexdigest(),
            )
        )
        shown = {}
        for kind in ("approved", "current"):
            relative = f"images/{DEVICE}/{FLOW}/{record.number:02d}-{kind}.png"
            shutil.copyfile(approved / record.image, report / relative)
            shown[kind] = relative
        verdicts.append(
            StepVerdict(
                flow=FLOW,
                device=DEVICE,
                number=record.number,
                caption=record.caption,
                scenario_file=f"scenarios/{FLOW}.yaml",
                scenario_line=record.number * 5,
                status=StepStatus.DRIFT,
                differences=[
                    Difference(
                        kind=DifferenceKind.PIXELS_CHANGED,
                        sentence=f"step {record.number}: the screen changed",
                    )
                ],
                approved_image=shown["approved"],
                current_image=shown["current"],
            )
        )
    manifest = StagedFlow(
        flow=FLOW,
        device=DEVICE,
        complete=True,
        expected_steps=[step.number for step in staged],
        steps=staged,
    )
    (captures / MANIFEST).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")
    flow = FlowVerdict(
        flow=FLOW, device=DEVICE, title=FLOW, scenario_file=f"scenarios/{FLOW}.yaml", steps=verdicts
    )
    check = CheckReport(base_url="http://127.0.0.1:9/", flows=[flow])
    (report / "report.json").write_text(render_json(check), encoding="utf-8")
    return Built(baseline, report)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Reviewing:
    """A running review: its URL, the baseline it approves into, everything it answered."""

    url: str
    baseline: Path
    process: subprocess.Popen[str]
    answers: list[Answer] = field(default_factory=list)

    @property
    def port(self) -> int:
        port = urlsplit(self.url).port
        assert port is not None
        return port

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    def send(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        host: str | None = "",
    ) -> Answer:
        """One request exactly as given: `target` unnormalised, `host` "" for our own,
        None for no Host header at all."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            if host is not None:
                connection.putheader("Host", host or self.host)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            answer = Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()
        self.answers.append(answer)
        return answer

    def token(self) -> str:
        """The token the review page carries, read as the page's own script reads it."""
        page = self.send("GET", "/").text
        marker = '<meta name="guideshot-token" content="'
        start = page.index(marker) + len(marker)
        return page[start : page.index('"', start)]

    def action(
        self, action: str, payload: object, headers: Mapping[str, str], host: str | None = ""
    ) -> Answer:
        body = json.dumps(payload).encode()
        sent = {"Content-Type": "application/json", **headers}
        return self.send("POST", f"/api/{action}", sent, body, host=host)

    def stop(self, signum: int) -> tuple[int, str]:
        self.process.send_signal(signum)
        _out, stderr = self.process.communicate(timeout=30)
        return self.process.returncode, stderr


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout), "review never printed its address"
    return process.stdout.readline().strip()


@contextmanager
def review_process(report: Path, baseline: Path) -> Iterator[Reviewing]:
    """`guideshot review REPORT` from the report's parent folder, killed if still running."""
    process = subprocess.Popen(
        [*REVIEW, report.name, "--baseline", str(baseline)],
        cwd=report.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = _first_line(process, 60)
        if not url:
            process.wait(timeout=30)
            assert process.stderr is not None
            raise AssertionError(f"review exited {process.returncode}: {process.stderr.read()}")
        assert url.startswith("http://127.0.0.1:") and url.endswith("/"), url
        yield Reviewing(url, baseline, process)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()  # also closes the pipes
