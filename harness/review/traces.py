"""A failed flow's Playwright trace, as the review serves it.

report.json is untrusted: a flow's `trace` is served only when it is exactly where `check`
writes it, images/<device>/<flow>/trace.zip, for a device and flow that are names guideshot
gives (the folder names are built from those checked ids, never from a request). A request
only picks one of these by its exact path, and the file is opened as pictures are, without
following a link (pictures.open_inside).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from harness.drift.verdict import CheckReport
from harness.review.pictures import open_inside
from harness.store.layout import flow_dir
from harness.store.names import is_device_name, is_flow_id

TRACE_NAME = "trace.zip"


@dataclass(frozen=True)
class Trace:
    parts: tuple[str, ...]  # images, device, flow, trace.zip: inside the report folder
    command: str  # how to open it: `playwright show-trace PATH`
    download_name: str  # <flow>-<device>-trace.zip, so several downloads keep apart


def report_traces(report_dir: Path, report: CheckReport) -> dict[str, Trace]:
    """Each trace of the report that can be served, by its path in the report (the link's)."""
    traces: dict[str, Trace] = {}
    for flow in report.flows:
        if flow.trace is None or not (is_device_name(flow.device) and is_flow_id(flow.flow)):
            continue
        relative = flow_dir(Path("images"), flow.device, flow.flow) / TRACE_NAME
        if flow.trace != relative.as_posix():
            continue
        opened = open_inside(report_dir, relative.parts)  # a regular file, reached without links
        if opened is None:
            continue
        opened.close()
        command = f"playwright show-trace {shlex.quote(str(report_dir / relative))}"
        name = f"{flow.flow}-{flow.device.replace(' ', '-')}-{TRACE_NAME}"
        traces[flow.trace] = Trace(relative.parts, command, name)
    return traces
