"""`guideshot record --from FILE`: Playwright's codegen output (Python, sync API) as draft steps.

The file is parsed with `ast`, never run. Locators become targets as written (get_by_role,
get_by_label, get_by_text, get_by_placeholder, get_by_alt_text, get_by_title, locator("css"),
.first, .nth(n), chained locators as `within:`); actions become steps; `expect(...)` lines
become expectations. Codegen's boilerplate is passed over; any other line is left out with
one warning naming FILE:LINE, so nothing is silently lost.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from harness.capture.recorder import NO_NAME, relative
from harness.scenario import Target
from harness.scenario.draft import DraftStep, Sensitivity

_GETTERS = {
    "get_by_label": "label",
    "get_by_text": "text",
    "get_by_placeholder": "placeholder",
    "get_by_alt_text": "alt",
    "get_by_title": "title",
}
# Lines codegen writes around the recorded actions: launching, the context, closing.
_BOILERPLATE = {"launch", "new_context", "new_page", "close", "run", "sync_playwright"}
_SECRET = re.compile(r"pass|token|secret|\bpin\b|暗証|パスワード", re.IGNORECASE)
_PERSONAL = re.compile(r"e-?mail|phone|\btel\b|birth|メール|電話|生年月日", re.IGNORECASE)
VALUE_NOTE = "codegen gave the option's value; a scenario chooses by the label shown"


class CodegenError(ValueError):
    """The file cannot be read as Python or holds no page.goto: one line naming it."""


@dataclass(frozen=True)
class Imported:
    start: str
    origin: str  # the address codegen recorded
    steps: list[DraftStep]


class _Unknown(Exception):
    """This expression is not one guideshot has a step for."""


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise _Unknown from None


def _call(node: ast.expr) -> tuple[ast.expr, str, list[Any], dict[str, Any]]:
    """`receiver.method(args…)` with literal arguments."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        raise _Unknown
    kwargs = {k.arg: _literal(k.value) for k in node.keywords if k.arg is not None}
    return node.func.value, node.func.attr, [_literal(a) for a in node.args], kwargs


def _is_page(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and re.fullmatch(r"page\d*", node.id) is not None


def _target(node: ast.expr) -> Target:
    """A codegen locator expression as a scenario target."""
    if isinstance(node, ast.Attribute) and node.attr == "first":
        return _target(node.value).model_copy(update={"nth": 0})
    receiver, method, args, kwargs = _call(node)
    if method == "nth" and len(args) == 1 and isinstance(args[0], int):
        return _target(receiver).model_copy(update={"nth": args[0]})
    within = None if _is_page(receiver) else _target(receiver)
    fields: dict[str, Any] = {"exact": bool(kwargs.pop("exact", False)), "within": within}
    if method == "get_by_role" and len(args) == 1:
        fields |= {"role": args[0], "name": kwargs.pop("name", None)}
    elif method in _GETTERS and len(args) == 1:
        fields[_GETTERS[method]] = args[0]
    elif method == "locator" and len(args) == 1 and isinstance(args[0], str):
        css = args[0].removeprefix("css=")
        if re.match(r"(xpath=|//|internal:|text=)", css) or ">>" in css:
            raise _Unknown
        fields["css"] = css
    else:
        raise _Unknown
    if kwargs:  # e.g. has_text=, checked=: filters a scenario target does not have
        raise _Unknown
    try:
        return Target.model_validate({k: v for k, v in fields.items() if v not in (None, False)})
    except ValidationError:
        raise _Unknown from None


def _sensitivity(target: Target) -> Sensitivity:
    words = target.value
    if _SECRET.search(words):
        return "password"
    return "personal" if _PERSONAL.search(words) else ""


def _expected(target: Target) -> dict[str, str]:
    if target.role == "heading" and target.name:
        return {"heading": target.name}
    if target.name or (target.css is None and target.role is None):
        return {"text": target.name or target.value}
    raise _Unknown


class _Reader:
    def __init__(self, source: str) -> None:
        self.steps: list[DraftStep] = []
        self.start = ""
        self.origin = ""
        self.source = source

    def statement(self, node: ast.expr) -> None:
        receiver, method, args, _ = _call(node)
        if method == "goto" and _is_page(receiver) and len(args) == 1:
            self._goto(str(args[0]))
        elif isinstance(receiver, ast.Call) and _name(receiver.func) == "expect":
            self._expect(receiver, method, args)
        elif method in ("click", "tap") and not args:
            self._add(DraftStep("tap", target=_target(receiver)))
        elif method in ("fill", "type", "press_sequentially") and len(args) == 1:
            target = _target(receiver)
            self._drop_focus_tap(target)
            step = DraftStep("fill", target=target, value=str(args[0]))
            step.sensitive = _sensitivity(target)
            self._add(step)
        elif method == "select_option" and len(args) == 1 and isinstance(args[0], str):
            target = _target(receiver)
            self._drop_focus_tap(target)
            self._add(DraftStep("select", target=target, value=args[0], notes=[VALUE_NOTE]))
        elif method == "check" and not args:
            self._add(DraftStep("check", target=_target(receiver)))
        elif method == "press" and len(args) == 1:
            _target(receiver)  # the field it was pressed in: a press step needs none
            self._add(DraftStep("press", key=str(args[0])))
        else:
            raise _Unknown

    def _goto(self, url: str) -> None:
        if not self.start:
            parts = urlsplit(url)
            self.start, self.origin = relative(url), f"{parts.scheme}://{parts.netloc}"
        elif url.startswith(self.origin):
            self._add(DraftStep("goto", url=relative(url)))
        else:
            raise _Unknown

    def _expect(self, call: ast.Call, method: str, args: list[Any]) -> None:
        if len(call.args) != 1:
            raise _Unknown
        subject = call.args[0]
        if _is_page(subject):
            if method != "to_have_url" or len(args) != 1 or not isinstance(args[0], str):
                raise _Unknown
            if not self.steps or not args[0].startswith(self.origin):
                raise _Unknown
            self.steps[-1].expect["url"] = relative(args[0])
            return
        target = _target(subject)
        if method == "to_be_visible" and not args:
            expected = _expected(target)
        elif method in ("to_contain_text", "to_have_text") and len(args) == 1:
            expected = {"text": str(args[0])}
        else:
            raise _Unknown
        self._add(DraftStep("expect", expect=expected))

    def _drop_focus_tap(self, target: Target) -> None:
        """Codegen clicks into a field before filling it; the entry is the step."""
        last = self.steps[-1] if self.steps else None
        if last is not None and last.action == "tap" and last.target == target:
            self.steps.pop()

    def _add(self, step: DraftStep) -> None:
        if step.target is not None and step.target.css is not None:
            step.notes.append(NO_NAME)
        self.steps.append(step)


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else ""


def _boilerplate(node: ast.stmt) -> bool:
    if isinstance(node, ast.Import | ast.ImportFrom | ast.Pass):
        return True
    value = node.value if isinstance(node, ast.Expr | ast.Assign) else None
    if isinstance(value, ast.Constant):  # a docstring
        return True
    if isinstance(value, ast.Call):
        func = value.func
        called = func.attr if isinstance(func, ast.Attribute) else _name(func)
        return called in _BOILERPLATE
    return False


def _opens_playwright(item: ast.withitem) -> bool:
    call = item.context_expr
    return isinstance(call, ast.Call) and _name(call.func) == "sync_playwright"


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement in order, inside `def run(...)` and `with sync_playwright()` too."""
    for node in body:
        if isinstance(node, ast.FunctionDef) or (
            isinstance(node, ast.With) and all(_opens_playwright(i) for i in node.items)
        ):
            yield from _statements(node.body)
        else:
            yield node


def import_codegen(path: Path, warn: Callable[[str], None]) -> Imported:
    try:
        source = path.read_text("utf-8")
        tree = ast.parse(source, filename=str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise CodegenError(f"{path}: cannot read: {error}") from None
    except SyntaxError as error:
        raise CodegenError(f"{path}:{error.lineno}: not Python: {error.msg}") from None
    reader = _Reader(source)
    for node in _statements(tree.body):
        if _boilerplate(node):
            continue
        try:
            if not isinstance(node, ast.Expr):
                raise _Unknown
            reader.statement(node.value)
        except _Unknown:
            line = (ast.get_source_segment(source, node) or "").splitlines()[0:1]
            warn(f"{path}:{node.lineno}: left out, no scenario step does this: {''.join(line)}")
    if not reader.start:
        raise CodegenError(f"{path}: no page.goto(URL): nothing says where the flow starts")
    return Imported(reader.start, reader.origin, reader.steps)
