"""The latest captures of each flow × device, waiting for `approve`.

A flow's staged folder appears whole or not at all: it is written aside, with a manifest of
what it holds (every file's hash, the steps the scenario expects, the approved raw image
each capture was taken against), and renamed into place. A failed run stages a manifest
with its failure and no pictures, so an older run's captures can never be approved for it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

from harness.capture.results import FlowResult
from harness.files import write_bytes_atomic, write_text_atomic
from harness.store.captures import record_json
from harness.store.layout import flow_dir
from harness.store.manifest import MANIFEST, StagedFlow, StagedStep, StagingProblem
from harness.store.staged_read import read_staged, staged_folders

# Reading lives in staged_read.py (untrusted input), the manifest in manifest.py.
__all__ = [
    "MANIFEST",
    "StagedFlow",
    "StagedStep",
    "StagingProblem",
    "read_staged",
    "sha256_of",
    "stage_flow",
    "staged_folders",
]


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _swap_in(root: Path, incoming: Path, device: str, flow: str) -> Path:
    target = flow_dir(root, device, flow)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        outgoing = root / ".outgoing" / uuid.uuid4().hex
        outgoing.parent.mkdir(parents=True, exist_ok=True)
        os.replace(target, outgoing)
        shutil.rmtree(outgoing, ignore_errors=True)
    os.replace(incoming, target)
    return target


def _incoming(root: Path) -> Path:
    folder = root / ".incoming" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    return folder


def stage_flow(
    root: Path,
    result: FlowResult,
    annotated: Sequence[bytes],
    approved_dir: Path,
    expected_steps: Sequence[int],
) -> Path:
    """Replace the staged captures of this flow × device with this run's, as a whole."""
    incoming = _incoming(root)
    try:
        steps = []
        for capture, png in zip(result.captures, annotated, strict=True):
            record = capture.record
            files = {
                record.raw_image: capture.raw_png,
                record.image: png,
                f"{Path(record.image).stem}.json": record_json(record).encode("utf-8"),
            }
            for name, data in files.items():
                write_bytes_atomic(incoming / name, data)
            steps.append(
                StagedStep(
                    number=record.number,
                    raw_image=record.raw_image,
                    image=record.image,
                    record=f"{Path(record.image).stem}.json",
                    sha256={name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
                    baseline_raw_sha256=sha256_of(approved_dir / record.raw_image),
                )
            )
        manifest = StagedFlow(
            flow=result.flow,
            device=result.device,
            complete=result.ok and {s.number for s in steps} >= set(expected_steps),
            failure=result.failure.describe() if result.failure else None,
            expected_steps=list(expected_steps),
            steps=steps,
        )
        write_text_atomic(incoming / MANIFEST, manifest.model_dump_json(indent=2) + "\n")
        return _swap_in(root, incoming, result.device, result.flow)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
