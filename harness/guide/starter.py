"""`guideshot init`: the files a new guide project starts from, written only where none exist."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from harness.guide.config import CONFIG_NAME, SCHEMA_NAME, json_schema
from harness.guide.model import GuideError
from harness.scenario.file import json_schema as scenario_schema

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "init"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def starter_files(title: str) -> dict[str, str]:
    """Relative path → text of every file `init` writes."""
    # Plain text, not HTML: nothing is escaped; the title enters YAML as a JSON string.
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined)
    env.filters["quoted"] = lambda text: json.dumps(text, ensure_ascii=False)

    def render(name: str) -> str:
        return env.get_template(name).render(title=title).rstrip("\n") + "\n"

    return {
        CONFIG_NAME: render("guide.yaml.j2"),
        SCHEMA_NAME: _json(json_schema()),
        "scenarios/example.yaml": render("example.yaml.j2"),
        "scenarios/scenario.schema.json": _json(scenario_schema()),
        "screenshots/.gitkeep": "",
        ".github/workflows/guide-check.yml": render("guide-check.yml.j2"),
        "README.md": render("README.md.j2"),
    }


def init_project(folder: Path, title: str) -> list[Path]:
    """Write the starter files into `folder`; refuses (GuideError) before writing anything
    if any of them exists already."""
    files = starter_files(title)
    taken = [folder / name for name in files if (folder / name).exists()]
    if taken:
        raise GuideError(
            f"{taken[0]} exists already; `guideshot init` never overwrites: choose an empty "
            "folder or move the file away"
        )
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
