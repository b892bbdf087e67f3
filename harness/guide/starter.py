"""`guideshot init`: the files a new guide project starts from, written only where none exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from harness.guide.config import CONFIG_NAME, SCHEMA_NAME, json_schema
from harness.guide.model import GuideError
from harness.scenario.file import json_schema as scenario_schema

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "init"
LANGUAGES = ("ja", "en")  # each a folder of templates/init/
# Kana, kanji (CJK ideographs and their extension A and compatibility forms), half-width
# katakana: a title with any of them is a Japanese guide.
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


def title_language(title: str) -> str:
    """The language `init` writes in when not told: Japanese for a title with any kana or
    kanji, else English."""
    return "ja" if _JAPANESE.search(title) else "en"


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# What a run leaves that is not the guide: the cleanups a killed run still owes (this
# machine's own), and check's drift report (CI uploads it).
_GITIGNORE = ".guideshot/\nreport/\n"


def starter_files(title: str, language: str | None = None) -> dict[str, str]:
    """Relative path → text of every file `init` writes, in `language` (default: the
    title's)."""
    language = language or title_language(title)
    # Plain text, not HTML: nothing is escaped; the title enters YAML as a JSON string.
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined)
    env.filters["quoted"] = lambda text: json.dumps(text, ensure_ascii=False)

    def render(name: str) -> str:
        return env.get_template(name).render(title=title).rstrip("\n") + "\n"

    return {
        CONFIG_NAME: render(f"{language}/guide.yaml.j2"),
        SCHEMA_NAME: _json(json_schema()),
        "scenarios/example.yaml": render(f"{language}/example.yaml.j2"),
        "scenarios/scenario.schema.json": _json(scenario_schema()),
        "screenshots/.gitkeep": "",
        ".github/workflows/guide-check.yml": render("guide-check.yml.j2"),
        "README.md": render(f"{language}/README.md.j2"),
        ".gitignore": _GITIGNORE,
    }


def init_project(folder: Path, title: str, language: str | None = None) -> list[Path]:
    """Write the starter files into `folder`; refuses (GuideError) before writing anything
    if any of them exists already, or if a symbolic link stands where a file or folder of
    the project goes (a dangling one too): nothing is ever written through a link."""
    files = starter_files(title, language)
    for name in files:
        problem = _taken(folder, name)
        if problem is not None:
            raise GuideError(problem)
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # "x": create only (O_EXCL), so a link made since the check is not followed either.
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written


def _taken(folder: Path, name: str) -> str | None:
    """Why `folder/name` cannot be written: a link on its way (inside `folder`), or a file."""
    path = folder
    for part in Path(name).parts:
        path = path / part
        if path.is_symlink():
            return (
                f"{path} is a symbolic link; `guideshot init` writes only inside {folder}, "
                "never through a link: remove the link or choose another folder"
            )
    if path.exists():
        return (
            f"{path} exists already; `guideshot init` never overwrites: choose an empty "
            "folder or move the file away"
        )
    return None
