"""Loading scenario files into runnable flows: parse, validate, splice in fragments, number.

Every problem found is collected (not only the first) and raised together as one
ScenarioError, each problem one line with file, line and key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast, get_args

from pydantic import BaseModel, ValidationError

from harness.scenario.devices import unknown_device
from harness.scenario.errors import KeyPath, Problem, ScenarioError, key_text
from harness.scenario.file import ActionStep, FlowFile, FragmentFile, IncludeStep
from harness.scenario.messages import problems_from
from harness.scenario.model import Action, Capture, Flow, Source, Step, Target, target_of
from harness.scenario.placeholders import strings_using
from harness.scenario.yaml_doc import YamlDoc, parse_yaml

__all__ = ["Problem", "ScenarioError", "check", "load_all", "load_flow"]

M = TypeVar("M", FlowFile, FragmentFile)

_ACTION_CLASSES: tuple[type[BaseModel], ...] = get_args(get_args(Action)[0])
_CAPTURE_BEFORE = ("tap", "press", "hook")  # the guide shows the finger about to press
_SHOWN = ("表示される", "表示")  # 「…が表示される」 steps show a screen, nothing to box
# What only a pictured step has: a setup or cleanup step is silent.
_PICTURE_FIELDS = ("caption", "highlight", "mask", "ignore", "ignore_text", "capture", "tolerance")


def load_flow(path: Path, *, fragments_dir: Path | None = None) -> Flow:
    """Load one scenario file; fragments default to the sibling fragments/ folder."""
    flows, problems = check([path], fragments_dir or path.parent / "fragments")
    if problems:
        raise ScenarioError(problems)
    return flows[0]


def load_all(folder: Path) -> list[Flow]:
    """Load every folder/*.yaml (fragments from folder/fragments), sorted by file name."""
    flows, problems = check(sorted(folder.glob("*.yaml")), folder / "fragments")
    if problems:
        raise ScenarioError(problems)
    return flows


def check(
    flow_paths: Sequence[Path], fragments_dir: Path, fragment_paths: Sequence[Path] = ()
) -> tuple[list[Flow], list[Problem]]:
    """Load what loads and collect every problem; `fragment_paths` are checked even unused."""
    loader = _Loader(fragments_dir)
    flows = [flow for path in flow_paths if (flow := loader.flow(path)) is not None]
    for path in fragment_paths:
        loader.fragment_file(path)
    return flows, ordered([*loader.problems, *duplicate_ids(flows)])


def duplicate_ids(flows: Iterable[Flow]) -> list[Problem]:
    seen: dict[str, Source] = {}
    problems = []
    for flow in flows:
        if flow.id in seen:
            message = f"duplicate flow id '{flow.id}' (also in {seen[flow.id].file})"
            problems.append(Problem(flow.source.file, flow.source.line, "id", message))
        seen.setdefault(flow.id, flow.source)
    return problems


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Unique problems by file and line: a fragment used twice is reported once."""
    return sorted(dict.fromkeys(problems), key=lambda p: (p.file, p.line or 0))


@dataclass(frozen=True)
class _File(Generic[M]):
    file: str
    doc: YamlDoc
    model: M

    def source(self, path: KeyPath) -> Source:
        return Source(file=self.file, line=self.doc.line_of(path))


class _Loader:
    def __init__(self, fragments_dir: Path) -> None:
        self.fragments_dir = fragments_dir
        self.problems: list[Problem] = []
        self._fragments: dict[str, _File[FragmentFile] | None] = {}  # None: broken, reported

    def flow(self, path: Path) -> Flow | None:
        parsed = self._read(path, FlowFile)
        if parsed is None:
            return None
        for i, name in enumerate(parsed.model.devices):
            problem = unknown_device(name)
            if problem is not None:
                self._add(parsed.source(("devices", i)), key_text(("devices", i)), problem)
        steps = self._expand(parsed, (), ())
        if steps is None:
            return None
        steps = [_with_flow_settings(s, parsed.model) for s in steps]
        if not any(s.caption for s in steps):
            message = "no step has a caption, so the guide would show nothing; caption one"
            self._add(parsed.source(("steps",)), "steps", message)
        numbers = iter(range(1, len(steps) + 1))
        model = parsed.model
        head = model.model_dump(
            exclude={
                "steps", "devices", "tolerance", "mask", "ignore", "ignore_text", "setup",
                "cleanup",
            }
        )  # fmt: skip
        return Flow(
            **head,
            devices=tuple(model.devices),
            tolerance=model.tolerance,
            mask=tuple(model.mask),
            ignore=tuple(model.ignore),
            ignore_text=tuple(model.ignore_text),
            steps=tuple(
                s.model_copy(update={"number": next(numbers)}) if s.caption else s for s in steps
            ),
            setup=self._silent(parsed, "setup"),
            cleanup=self._silent(parsed, "cleanup"),
            source=parsed.source(()),
        )

    def _silent(self, parsed: _File[FlowFile], key: str) -> tuple[Step, ...]:
        """The flow's setup or cleanup: silent steps, each at its own line."""
        entries: list[ActionStep] = getattr(parsed.model, key)
        for i, entry in enumerate(entries):
            for field in _PICTURE_FIELDS:
                if getattr(entry, field):
                    path = (key, i, field)
                    message = f"{key} steps are silent, never pictured; remove '{field}'"
                    self._add(parsed.source(path), key_text(path), message)
        if key == "setup" and entries and entries[0].action != "goto":
            path = ("setup", 0, "action")
            message = "setup runs before the flow opens its start page: begin it with a goto"
            self._add(parsed.source(path), key_text(path), message)
        return tuple(_step(e, parsed.source((key, i)), ()) for i, e in enumerate(entries))

    def fragment_file(self, path: Path) -> _File[FragmentFile] | None:
        if path.stem not in self._fragments:
            self._fragments[path.stem] = self._read(path, FragmentFile)
        return self._fragments[path.stem]

    def _add(self, where: Source, key: str, message: str) -> None:
        self.problems.append(Problem(where.file, where.line, key, message))

    def _read(self, path: Path, model: type[M]) -> _File[M] | None:
        file = str(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            self.problems.append(Problem(file, None, "", f"cannot read: {error.strerror}"))
            return None
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            message = f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8"
            self.problems.append(Problem(file, line, "", message))
            return None
        try:
            doc = parse_yaml(text, file)
        except ScenarioError as error:
            self.problems.extend(error.problems)
            return None
        if not isinstance(doc.data, dict):
            message = f"the top level must be a mapping (id: …, steps: …), got {_kind(doc.data)}"
            self.problems.append(Problem(file, doc.line_of(()), "", message))
            return None
        try:
            parsed = _File(file, doc, model.model_validate(doc.data))
        except ValidationError as error:
            self.problems.extend(problems_from(error, model, doc, file))
            return None
        if parsed.model.id != path.stem:
            message = f"'{parsed.model.id}' must equal the file name '{path.stem}'"
            self._add(parsed.source(("id",)), "id", message)
        self._check_steps(parsed)
        return parsed

    def _check_steps(self, parsed: _File[Any]) -> None:
        for i, entry in enumerate(parsed.model.steps):
            if isinstance(entry, IncludeStep):
                continue
            where, key = parsed.source(("steps", i, "capture")), key_text(("steps", i, "capture"))
            if entry.caption and entry.capture == "none":
                self._add(where, key, "a step with a caption is captured: use before or after")
            if not entry.caption and entry.capture in ("before", "after"):
                self._add(where, key, "a step without a caption is never captured; remove it")
            for field in ("mask", "ignore", "ignore_text"):
                if not entry.caption and getattr(entry, field):
                    path = ("steps", i, field)
                    message = "a step without a caption is never compared; remove it"
                    self._add(parsed.source(path), key_text(path), message)
            if entry.caption and strings_using(entry, "run"):
                where = parsed.source(("steps", i))
                message = (
                    "'{run}' changes every run, so this pictured step would drift on every "
                    "check; use '{device}' with a cleanup, or move it to setup, cleanup or a "
                    "silent step"
                )
                self._add(where, key_text(("steps", i)), message)
            if entry.highlight == "target" and target_of(entry) is None:
                message = f"'target', but the {entry.action} action has no target; use 'none'"
                path = ("steps", i, "highlight")
                self._add(parsed.source(path), key_text(path), message)

    def _expand(
        self, parsed: _File[Any], stack: tuple[str, ...], sites: tuple[Source, ...]
    ) -> list[Step] | None:
        """The file's steps with includes spliced in; None if any include failed."""
        steps: list[Step] = []
        ok = True
        for i, entry in enumerate(parsed.model.steps):
            if not isinstance(entry, IncludeStep):
                steps.append(_step(entry, parsed.source(("steps", i)), sites))
                continue
            site, key = parsed.source(("steps", i, "include")), key_text(("steps", i, "include"))
            inner = self._include(entry.include, site, key, stack, sites)
            ok = ok and inner is not None
            steps.extend(inner or [])
        return steps if ok else None

    def _include(
        self, name: str, site: Source, key: str, stack: tuple[str, ...], sites: tuple[Source, ...]
    ) -> list[Step] | None:
        if name in stack:
            cycle = " → ".join((*stack[stack.index(name) :], name))
            self._add(site, key, f"include cycle: {cycle}")
            return None
        path = self.fragments_dir / f"{name}.yaml"
        if not path.is_file():
            known = ", ".join(sorted(p.stem for p in self.fragments_dir.glob("*.yaml"))) or "none"
            self._add(site, key, f"no fragment '{name}' in {self.fragments_dir} (known: {known})")
            return None
        fragment = self.fragment_file(path)
        return None if fragment is None else self._expand(fragment, (*stack, name), (*sites, site))


def _step(entry: ActionStep, source: Source, sites: tuple[Source, ...]) -> Step:
    action_class = next(c for c in type(entry).__mro__ if c in _ACTION_CLASSES)
    fields = {k: getattr(entry, k) for k in action_class.model_fields}
    action = cast(Action, action_class.model_validate(fields))
    return Step(
        number=None,
        caption=entry.caption,
        action=action,
        before=tuple(entry.before),
        highlight=_highlight(entry),
        mask=tuple(entry.mask),
        ignore=tuple(entry.ignore),
        ignore_text=tuple(entry.ignore_text),
        expect=entry.expect,
        capture=_capture(entry),
        tolerance=entry.tolerance,
        source=source,
        included_from=sites,
    )


def _with_flow_settings(step: Step, flow: FlowFile) -> Step:
    """The flow's mask, ignore and ignore_text apply to every step, before the step's own."""
    if not step.caption:
        return step  # never pictured, never compared
    return step.model_copy(
        update={
            "flow_mask": tuple(flow.mask),
            "ignore": (*flow.ignore, *step.ignore),
            "ignore_text": (*flow.ignore_text, *step.ignore_text),
        }
    )


def _capture(entry: ActionStep) -> Capture:
    if not entry.caption:
        return "none"
    if entry.capture is not None:
        return entry.capture
    return "before" if entry.action in _CAPTURE_BEFORE else "after"


def _highlight(entry: ActionStep) -> tuple[Target, ...]:
    target = target_of(entry)
    if not entry.caption or entry.highlight == "none":
        return ()
    if isinstance(entry.highlight, Target):
        return (entry.highlight,)
    if isinstance(entry.highlight, list):
        return tuple(entry.highlight)
    shown = entry.action == "expect" or entry.caption.endswith(_SHOWN)
    if entry.highlight is None and shown:
        return ()
    return (target,) if target is not None else ()


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"'{value}'"
