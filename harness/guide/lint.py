"""What `guide` needs, checked without building: every problem one line with file and line.

A section the config does not list, a prose or icon file that is missing, a note or a
reference to a step that does not exist, a step without its approved screenshot: `lint`
reports them all, and `guide` refuses to start while any remains.

One exception, for `lint` only: before the first `run` (no approved screenshot of any flow
on any device) the missing pictures are not findings but one notice, `not_run_yet`, so
`guideshot lint && guideshot run` works on a new project. Once any picture is approved, a
step without one is a step added since, which `guide` would refuse: a finding again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.guide.assemble import approved
from harness.guide.config import LoadedConfig
from harness.scenario import Flow
from harness.scenario.errors import KeyPath, Problem, ScenarioError, key_text
from harness.scenario.yaml_doc import YamlDoc, parse_yaml
from harness.store import flow_dir


def not_run_yet(screenshots: Path) -> str | None:
    """What `lint` says instead of every missing picture while no flow has an approved
    screenshot on any device; None once one has."""
    for folder in screenshots.glob("*/*"):
        if approved(folder):
            return None
    return (
        f"nothing run yet ({screenshots} holds no approved screenshot): take the pictures "
        "with `guideshot run --base-url URL`, then `guideshot guide`"
    )


def guide_problems(
    loaded: LoadedConfig,
    flows: Sequence[Flow] | None,
    screenshots: Path | None,
    devices: Sequence[str] = (),
) -> list[Problem]:
    """Problems between the config, the flows (None: they did not load; only the config's
    own files are checked) and, unless None, the approved screenshots of `devices` (all
    editions when empty)."""
    checks = _Checks(loaded, {flow.id: flow for flow in flows or ()})
    checks.files()
    if flows is None:
        return checks.problems
    checks.sections(flows)
    checks.steps()
    if screenshots is not None:
        checks.screenshots(flows, screenshots, devices)
    return checks.problems


class _Checks:
    def __init__(self, loaded: LoadedConfig, flows: dict[str, Flow]) -> None:
        self.loaded = loaded
        self.flows = flows
        self.problems: list[Problem] = []

    def add(self, path: KeyPath, message: str) -> None:
        line = self.loaded.line_of(path)
        self.problems.append(Problem(str(self.loaded.path), line, key_text(path), message))

    def files(self) -> None:
        config = self.loaded.config
        named: list[tuple[KeyPath, str]] = [(("icons", w), f) for w, f in config.icons.items()]
        for index, chapter in enumerate(config.chapters or []):
            if chapter.prose:
                named.append((("chapters", index, "prose"), chapter.prose))
        for path, section in self.loaded.section_paths():
            if section.prose:
                named.append(((*path, "prose"), section.prose))
            named += [((*path, "before", f), file) for f, file in section.before.items()]
        for path, relative in named:
            if not self.loaded.file(relative).is_file():
                self.add(
                    path, f"no such file: {self.loaded.file(relative)}; create it or fix the path"
                )

    def sections(self, flows: Sequence[Flow]) -> None:
        listed = self.loaded.section_paths()
        labels: dict[str, KeyPath] = {}
        for path, section in listed:
            if section.label in labels:
                self.add((*path, "label"), f"section {section.label!r} is listed twice")
            labels.setdefault(section.label, path)
            for index, flow_id in enumerate(section.flows):
                self._flow_in(section.label, flow_id, (*path, "flows", index))
            for flow_id in section.before:
                self._flow_in(section.label, flow_id, (*path, "before", flow_id))
        if self.loaded.config.chapters is None and self.loaded.config.sections is None:
            return
        known = ", ".join(repr(label) for label in labels)
        for flow in flows:
            if flow.section not in labels:
                line = _flow_doc(flow.source.file).line_of(("section",))
                message = (
                    f"section {flow.section!r} is not in {self.loaded.path} (its sections: "
                    f"{known}); add it there or use one of them"
                )
                self.problems.append(Problem(flow.source.file, line, "section", message))

    def _flow_in(self, label: str, flow_id: str, path: KeyPath) -> None:
        flow = self.flows.get(flow_id)
        if flow is None:
            self.add(path, f"no flow {flow_id!r} in the scenarios")
        elif flow.section != label:
            self.add(path, f"flow {flow_id!r} is in section {flow.section!r}, not this one")

    def steps(self) -> None:
        config = self.loaded.config
        pointers = [(("notes", i), n.flow, n.before_step) for i, n in enumerate(config.notes)]
        pointers += [(("references", i), r.flow, r.step) for i, r in enumerate(config.references)]
        for path, flow_id, number in pointers:
            flow = self.flows.get(flow_id)
            if flow is None:
                self.add((*path, "flow"), f"no flow {flow_id!r} in the scenarios")
            elif number > len(flow.numbered):
                key = "before_step" if path[0] == "notes" else "step"
                self.add((*path, key), f"flow {flow_id!r} has {len(flow.numbered)} steps")

    def screenshots(self, flows: Sequence[Flow], root: Path, devices: Sequence[str]) -> None:
        for edition in self.loaded.config.editions:
            if devices and edition.device not in devices:
                continue
            for flow in (f for f in flows if edition.device in f.devices):
                folder = flow_dir(root, edition.device, flow.id)
                records = approved(folder)
                for step in flow.numbered:
                    assert step.number is not None
                    record = records.get(step.number)
                    if record is None or not (folder / record.image).is_file():
                        message = (
                            f"no approved {edition.device} screenshot of step {step.number} in "
                            f"{folder}; run `guideshot run` (and `guideshot approve`)"
                        )
                    elif record.caption != step.caption:
                        message = (
                            f"the approved {edition.device} screenshot shows 「{record.caption}」; "
                            "run `guideshot check` and `guideshot approve`"
                        )
                    else:
                        continue
                    where = step.source
                    self.problems.append(Problem(where.file, where.line, "caption", message))


def _flow_doc(file: str) -> YamlDoc:
    try:
        return parse_yaml(Path(file).read_text("utf-8"), file)
    except (OSError, UnicodeDecodeError, ScenarioError):
        return YamlDoc(None, {})
