"""The scenario model: what one documented flow does, step by step, once loaded.

`Flow` and `Step` are what the runner consumes: includes are spliced in, numbers given,
defaults for capture and highlight resolved, every step tied to its file and line.
The shapes written in the YAML files (include entries, optional fields) live in
`harness.scenario.file`; loading lives in `harness.scenario.load`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from harness.scenario.placeholders import check_placeholders

# Lowercase words joined by hyphens: flow ids, fragment names, file stems.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

STRATEGIES = ("role", "label", "text", "placeholder", "alt", "title", "css")

# The ARIA roles Playwright's get_by_role accepts; a typo here would only fail at run time.
AriaRole = Literal[
    "alert", "alertdialog", "application", "article", "banner", "blockquote", "button",
    "caption", "cell", "checkbox", "code", "columnheader", "combobox", "complementary",
    "contentinfo", "definition", "deletion", "dialog", "directory", "document", "emphasis",
    "feed", "figure", "form", "generic", "grid", "gridcell", "group", "heading", "img",
    "insertion", "link", "list", "listbox", "listitem", "log", "main", "marquee", "math",
    "menu", "menubar", "menuitem", "menuitemcheckbox", "menuitemradio", "meter", "navigation",
    "none", "note", "option", "paragraph", "presentation", "progressbar", "radio",
    "radiogroup", "region", "row", "rowgroup", "rowheader", "scrollbar", "search",
    "searchbox", "separator", "slider", "spinbutton", "status", "strong", "subscript",
    "superscript", "switch", "tab", "table", "tablist", "tabpanel", "term", "textbox", "time",
    "timer", "toolbar", "tooltip", "tree", "treegrid", "treeitem",
]  # fmt: skip

Capture = Literal["before", "after", "none"]
HookName = Literal["card_tap", "card_remove", "persona", "clock", "reset"]


class StrictModel(BaseModel):
    # strict: YAML's 1234 must not silently become the string "1234" (or 0120 become 120).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def check_pattern(value: str) -> str:
    """An `ignore_text` entry must be a regular expression Python understands."""
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"not a regular expression: {error} (in '{value}')") from None
    return value


# A regular expression: the part of a screen-text line it matches is not compared.
TextPattern = Annotated[str, AfterValidator(check_pattern)]


# Text that may hold `{device}` and `{run}` (filled in when the flow runs; `{{` is a brace).
Templated = Annotated[str, AfterValidator(check_placeholders)]


def check_path(value: str) -> str:
    """A path relative to the base URL, so the same scenario runs against any address."""
    if not value.startswith("/"):
        raise ValueError(f"must be a path starting with '/', got '{value}'")
    return value


class Target(StrictModel):
    """An element located the way a user sees it: exactly one strategy, optionally refined."""

    role: AriaRole | None = Field(
        default=None, description="ARIA role, e.g. button, link, textbox."
    )
    name: Templated | None = Field(
        default=None, description="Accessible name; only together with role."
    )
    label: Templated | None = Field(default=None, description="The form field's label text.")
    text: Templated | None = Field(default=None, description="Visible text of the element.")
    placeholder: Templated | None = Field(default=None, description="Placeholder text of an input.")
    alt: Templated | None = Field(default=None, description="Alternative text of an image.")
    title: Templated | None = Field(default=None, description="The element's title attribute.")
    css: Templated | None = Field(
        default=None, description="CSS selector: a last resort, users cannot see it."
    )
    exact: bool = Field(
        default=False, description="Match name/text exactly instead of as a substring."
    )
    nth: int | None = Field(default=None, ge=0, description="Pick the n-th match (0 = first).")
    within: Target | None = Field(default=None, description="Look only inside this container.")

    @model_validator(mode="after")
    def _one_strategy(self) -> Self:
        used = [s for s in STRATEGIES if getattr(self, s) is not None]
        if len(used) != 1:
            got = f" (got {' and '.join(used)})" if used else ""
            raise ValueError(f"a target needs exactly one of: {', '.join(STRATEGIES)}{got}")
        if self.name is not None and self.role is None:
            raise ValueError("'name' goes only with 'role' (use 'text' to find visible words)")
        return self

    @property
    def strategy(self) -> str:
        return next(s for s in STRATEGIES if getattr(self, s) is not None)

    @property
    def value(self) -> str:
        return str(getattr(self, self.strategy))

    def describe(self) -> str:
        """One line for messages and capture records, e.g. 'role=button name=「ログイン」'."""
        if self.role is not None:
            text = f"role={self.role}" + (f" name=「{self.name}」" if self.name is not None else "")
        elif self.css is not None:
            text = f"css={self.css}"
        else:
            text = f"{self.strategy}=「{self.value}」"
        if self.exact:
            text += " exact"
        if self.nth is not None:
            text += f" nth={self.nth}"
        if self.within is not None:
            text += f" within({self.within.describe()})"
        return text


class TapAction(StrictModel):
    """Tap the target with a finger."""

    action: Literal["tap"]
    target: Target


class FillAction(StrictModel):
    """Replace what the field holds with `value`: select all, then type (inputs and editors)."""

    action: Literal["fill"]
    target: Target
    value: Templated = Field(
        description="The text the field holds afterwards; quote digits: '1234'."
    )


class TypeAction(StrictModel):
    """Type `value` after what the field already holds, as a person adding to it."""

    action: Literal["type"]
    target: Target
    value: Templated = Field(description="The text to add at the end; quote digits: '1234'.")


class SelectAction(StrictModel):
    """Choose an option of a select box by its visible label."""

    action: Literal["select"]
    target: Target
    value: Templated = Field(description="The option's label as shown.")


class CheckAction(StrictModel):
    """Tick a checkbox or choose a radio button."""

    action: Literal["check"]
    target: Target


class ScrollAction(StrictModel):
    """Scroll until a target is visible, or by a distance."""

    action: Literal["scroll"]
    to: Target | None = Field(default=None, description="Scroll until this element is visible.")
    by: int | None = Field(default=None, ge=1, description="Scroll by this many CSS pixels.")
    direction: Literal["up", "down"] = Field(
        default="up",
        description="Finger movement: up (as in 「上にスクロールする」) shows what is below.",
    )

    @model_validator(mode="after")
    def _to_or_by(self) -> Self:
        if (self.to is None) == (self.by is None):
            raise ValueError("a scroll needs exactly one of: to (a target), by (CSS pixels)")
        return self


class PressAction(StrictModel):
    """Press a key, e.g. Enter (the keyboard's →/開く key)."""

    action: Literal["press"]
    key: str = Field(description="Playwright key name, e.g. Enter.")


class WaitForAction(StrictModel):
    """Wait until the target is visible."""

    action: Literal["wait_for"]
    target: Target


class ExpectAction(StrictModel):
    """Do nothing; only the step's expect is checked (「…が表示される」 steps)."""

    action: Literal["expect"]


class GotoAction(StrictModel):
    """Open a path of the site directly."""

    action: Literal["goto"]
    url: str = Field(description="Path relative to the base URL, starting with '/'.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_path(value)


class HookAction(StrictModel):
    """Ask the simulator to do what a person does off-screen (tap the card, wait a day …)."""

    action: Literal["hook"]
    name: HookName
    params: dict[str, str] = Field(default_factory=dict, description="Hook parameters.")


Action = Annotated[
    TapAction
    | FillAction
    | TypeAction
    | SelectAction
    | CheckAction
    | ScrollAction
    | PressAction
    | WaitForAction
    | ExpectAction
    | GotoAction
    | HookAction,
    Field(discriminator="action"),
]

ACTIONS = (
    "tap",
    "fill",
    "type",
    "select",
    "check",
    "scroll",
    "press",
    "wait_for",
    "expect",
    "goto",
    "hook",
)


def target_of(action: Action) -> Target | None:
    """The element the action touches; scroll's `to` is a destination, not a touch."""
    return getattr(action, "target", None)


class Expectation(StrictModel):
    """What must be true on the screen after the step's action."""

    heading: Templated | None = Field(
        default=None, description="A heading with this text is visible."
    )
    text: Templated | None = Field(default=None, description="This text is visible.")
    url: str | None = Field(default=None, description="The path; a trailing * matches any rest.")
    absent_text: Templated | None = Field(default=None, description="This text is not visible.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and "*" in value.rstrip("*"):
            raise ValueError(f"'*' is allowed only at the end, got '{value}'")
        return value if value is None else check_path(value)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not any(v is not None for v in (self.heading, self.text, self.url, self.absent_text)):
            raise ValueError("an expect needs at least one of: heading, text, url, absent_text")
        return self


Ratio = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]


class Tolerance(StrictModel):
    """How much a capture may differ from its baseline before it counts as drift."""

    pixel_threshold: Ratio | None = Field(
        default=None, description="Per-pixel YIQ threshold (0..1)."
    )
    max_diff_pixels: Count | None = Field(default=None, description="Differing pixels allowed.")
    max_diff_ratio: Ratio | None = Field(
        default=None, description="Share of differing pixels allowed."
    )
    target_pixel_threshold: Ratio | None = Field(
        default=None, description="Threshold inside the target."
    )
    target_max_diff_pixels: Count | None = Field(
        default=None, description="Pixels inside the target."
    )
    geometry_px: float | None = Field(
        default=None, ge=0, description="Allowed target box movement."
    )

    def over(self, base: Tolerance | None) -> Tolerance:
        """These settings, falling back to `base` for the ones not set here."""
        if base is None:
            return self
        return base.model_copy(update=self.model_dump(exclude_none=True))


class Source(StrictModel):
    """Where something was written: file as given to the loader, 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Step(StrictModel):
    """One step of a loaded flow; numbered (①②…) when it has a caption, silent otherwise."""

    number: int | None
    caption: str | None
    action: Action
    before: tuple[Action, ...] = ()
    highlight: tuple[Target, ...] = ()  # red boxes; empty for 「…が表示される」 steps
    # Left out of the comparison. A step's own mask must be on its screen (it hides personal
    # data, and a mask that finds nothing would publish it); the flow's mask and every
    # ignore apply wherever they are found. ignore and ignore_text: the flow's, then the step's.
    mask: tuple[Target, ...] = ()  # hidden in the picture, compared neither as pixels nor text
    flow_mask: tuple[Target, ...] = ()  # the flow's mask: hidden wherever it is on the screen
    ignore: tuple[Target, ...] = ()  # shown in the picture, compared neither as pixels nor text
    ignore_text: tuple[TextPattern, ...] = ()  # matched parts of text lines are not compared
    expect: Expectation | None = None
    capture: Capture
    tolerance: Tolerance | None = None
    source: Source
    included_from: tuple[Source, ...] = ()  # include sites, outermost first


class Flow(StrictModel):
    """A documented flow, ready to run: includes expanded, steps numbered."""

    id: str
    section: str
    title: str
    devices: tuple[str, ...]
    persona: str | None = None
    start: str
    outcome: str | None = None
    tolerance: Tolerance | None = None
    # As written at flow level; each step's own fields already include them.
    mask: tuple[Target, ...] = ()
    ignore: tuple[Target, ...] = ()
    ignore_text: tuple[TextPattern, ...] = ()
    steps: tuple[Step, ...]
    # Silent steps done before the flow opens `start` (same browser context, so a setup can
    # sign in) and after its last step, also after a failure.
    setup: tuple[Step, ...] = ()
    cleanup: tuple[Step, ...] = ()
    source: Source

    @property
    def numbered(self) -> tuple[Step, ...]:
        """The steps the guide prints, in order."""
        return tuple(s for s in self.steps if s.number is not None)

    def tolerance_for(self, step: Step) -> Tolerance:
        """The step's tolerance over the flow's; unset fields are left to the comparer."""
        base = self.tolerance or Tolerance()
        return step.tolerance.over(base) if step.tolerance else base
