"""Which editions need building: an edition is up to date when everything it is made of
(the config, its prose and icons, the scenarios, that device's approved pictures, the
guide's templates, the code that writes the web edition and the harness version) hashes as
it did when it was last built.

The hash is kept beside the edition's HTML (`<out>/<device>/.inputs.sha256`), so `guide`
after an approve rebuilds only the editions whose pictures changed, or says nothing did.
The videos' settings are part of it, and an edition whose videos are not all there is stale;
inside a rebuilt edition each video is re-encoded only if its own digest changed
(harness.guide.video).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from harness import __version__
from harness.guide.config import LoadedConfig
from harness.guide.video import VIDEO_DIR, settings_fingerprint
from harness.scenario import Flow

STAMP = ".inputs.sha256"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "guide"
WEB_CODE = Path(__file__).resolve().parent / "web*.py"  # the web pages change with it


def _files(
    loaded: LoadedConfig, flows: Sequence[Flow], screenshots: Path, device: str
) -> list[Path]:
    config = loaded.config
    files = [loaded.path]
    files += [loaded.file(s.prose) for _key, s in loaded.section_paths() if s.prose]
    files += [loaded.file(path) for path in config.icons.values()]
    files += sorted(TEMPLATES.rglob("*")) if TEMPLATES.is_dir() else []
    files += sorted(WEB_CODE.parent.glob(WEB_CODE.name))
    sources = {Path(flow.source.file) for flow in flows}
    for source in sorted(sources):
        files.append(source)
        fragments = source.parent / "fragments"
        files += sorted(fragments.glob("*.yaml")) if fragments.is_dir() else []
    folder = screenshots / device
    # The published pictures and their records; the raw captures are not printed.
    files += sorted(p for p in folder.rglob("*") if p.suffix in (".png", ".json"))
    return [p for p in files if p.is_file() and not p.name.endswith(".raw.png")]


def inputs_digest(
    loaded: LoadedConfig,
    flows: Sequence[Flow],
    screenshots: Path,
    device: str,
    options: Iterable[str],
) -> str:
    digest = hashlib.sha256(f"{__version__}|{'|'.join(options)}".encode())
    # How the videos are drawn and encoded: a new setting re-encodes them with the edition.
    digest.update(settings_fingerprint().encode())
    for path in dict.fromkeys(_files(loaded, flows, screenshots, device)):
        digest.update(str(path).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def stamp_path(out: Path, device: str) -> Path:
    return out / device / STAMP


def is_fresh(out: Path, device: str, digest: str, outputs: Sequence[Path]) -> bool:
    stamp = stamp_path(out, device)
    try:
        recorded = stamp.read_text("utf-8").strip()
    except OSError:
        return False
    return (
        recorded == digest
        and all(path.is_file() for path in outputs)
        and videos_complete(out / device / VIDEO_DIR)
    )


def videos_complete(folder: Path) -> bool:
    """The edition's videos are all there: each video has its stamp and each stamp its
    video (a deleted video or video folder makes the edition stale)."""
    if not folder.is_dir():
        return False
    videos = {path.stem for path in folder.glob("*.mp4")}
    stamped = {path.name[1 : -len(".inputs.sha256")] for path in folder.glob(".*.inputs.sha256")}
    return videos == stamped


def record(out: Path, device: str, digest: str) -> None:
    stamp = stamp_path(out, device)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n", "utf-8")
