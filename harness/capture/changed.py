"""`check --changed`: only the flow × device jobs whose scenario or fragments changed since
their screenshots were approved.

"Approved" is what git says: the last commit that touched `<baseline>/<device>/<flow>/`.
A job is changed when any file its steps come from (the scenario, every fragment it
includes) differs between that commit and the working tree, uncommitted edits included.
Screenshots approved but not yet committed are compared by modification time instead.
Jobs with no approved screenshots are always changed. Git is asked once per job, with no
cache to go stale; outside a git work tree `--changed` is a usage error.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from harness.capture.pipeline import Job
from harness.capture.selection import SelectionError
from harness.scenario import Flow


def source_files(flow: Flow) -> list[str]:
    """Every file the flow's steps were written in, the flow's own first."""
    files = [flow.source.file]
    for step in flow.steps:
        files.append(step.source.file)
        files.extend(site.file for site in step.included_from)
    return list(dict.fromkeys(files))


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def require_git() -> None:
    try:
        inside = _git("rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        raise SelectionError("--changed: needs git, which is not installed") from None
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise SelectionError(
            "--changed: needs a git work tree to know when screenshots were approved; "
            "run without --changed"
        )


def _newest_mtime(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.iterdir() if p.is_file()), default=0.0)


def job_changed(job: Job, baseline: Path) -> bool:
    folder = baseline / job.device.name / job.flow.id
    if not folder.is_dir() or not any(folder.glob("*.json")):
        return True
    sources = source_files(job.flow)
    if _git("status", "--porcelain", "--", str(folder)).stdout.strip():
        newest = _newest_mtime(folder)  # approved locally, not committed yet
        return any(Path(f).stat().st_mtime > newest for f in sources if Path(f).is_file())
    approving = _git("log", "-1", "--format=%H", "--", str(folder)).stdout.strip()
    if not approving:
        return True
    diff = _git("diff", "--quiet", approving, "--", *sources)
    untracked = _git("ls-files", "--others", "--exclude-standard", "--", *sources)
    return diff.returncode != 0 or bool(untracked.stdout.strip())


def changed_jobs(jobs: Sequence[Job], baseline: Path) -> list[Job]:
    require_git()
    return [job for job in jobs if job_changed(job, baseline)]
