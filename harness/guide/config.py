"""The guide config file (`guide.yaml`): everything one guide's editions need besides flows.

Title, language and fixed words, cover, editions (one PDF per device), the chapters and
sections in order with their prose files, notes, cross-references, inline icons, the sites
(each its path prefix and the frame's address-bar host), page size and steps per page.
Paths are relative to the config file. Loaded with the scenarios' YAML reader, so every
problem names the file, line and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from harness.guide.words import GuideWords, WordsConfig, resolve_words
from harness.scenario import SLUG, StrictModel
from harness.scenario.errors import KeyPath, Problem, ScenarioError
from harness.scenario.messages import problems_from
from harness.scenario.sites import SITE_NAME, BaseUrlError, SiteConfig
from harness.scenario.yaml_doc import YamlDoc, parse_yaml

CONFIG_NAME = "guide.yaml"
# The time on the committed screens (the embedded simulator's fixed clock), so the frame's
# status bar agrees with the page under it; the guide reads it here, not from the simulator.
FRAME_CLOCK = "10:31"
SCHEMA_NAME = "guide.schema.json"


class SectionConfig(StrictModel):
    label: str = Field(
        min_length=1,
        description="Free text, printed in the band and the contents; flows name it as "
        "their `section`.",
    )
    prose: str | None = Field(
        default=None, description="Markdown file printed where the section opens."
    )
    flows: list[str] = Field(
        default_factory=list,
        description="The section's flows in this order; flows not listed follow by file name.",
    )
    before: dict[str, str] = Field(
        default_factory=dict,
        description="flow id → Markdown file printed just before that flow's steps.",
    )


class ChapterConfig(StrictModel):
    title: str = Field(min_length=1, description="Printed on the chapter's divider page.")
    number: str | None = Field(
        default=None, description="Printed before the title; defaults to its position (1, 2…)."
    )
    prose: str | None = Field(default=None, description="Markdown under the chapter title.")
    sections: list[SectionConfig] = Field(min_length=1)


class EditionConfig(StrictModel):
    device: str = Field(min_length=1, description="A device the flows run on (android, iphone, …).")
    label: str = Field(min_length=1, description="Printed on the cover and every footer.")
    frame: Literal["android", "iphone", "none"] | None = Field(
        default=None,
        description="The phone drawn around each picture; default from the device's name.",
    )

    @property
    def frame_kind(self) -> Literal["android", "iphone", "none"]:
        if self.frame is not None:
            return self.frame
        return "iphone" if "iphone" in self.device.casefold() else "android"


class PageConfig(StrictModel):
    size: Literal["A4", "A5", "B5", "letter"] = "A4"
    orientation: Literal["landscape", "portrait"] = "landscape"
    steps_per_page: int = Field(default=4, ge=1, le=6)


class NoteConfig(StrictModel):
    flow: str
    before_step: int = Field(ge=1)
    text: str = Field(min_length=1)


class ReferenceConfig(StrictModel):
    text: str = Field(min_length=1, description="As written in a heading, e.g. 18ページ④.")
    flow: str
    step: int = Field(ge=1)


DEFAULT_EDITIONS = (
    EditionConfig(device="android", label="Android"),
    EditionConfig(device="iphone", label="iPhone"),
)


# A language alone names no region; the phones of a guide in it are set to the usual one.
_LANGUAGE_LOCALES = {"ja": "ja-JP", "en": "en-US"}


class GuideConfig(StrictModel):
    title: str = Field(min_length=1)
    subtitle: str | None = None
    name: str = Field(
        default="guide", description="PDF file names: <name>-<device>.pdf, e.g. guide-android.pdf."
    )
    cover: str | None = Field(default=None, description="Markdown printed under the title.")
    editions: list[EditionConfig] = Field(default_factory=lambda: list(DEFAULT_EDITIONS))
    page: PageConfig = Field(default_factory=PageConfig)
    status_time: str = Field(
        default=FRAME_CLOCK,
        pattern=r"^([01]?\d|2[0-3]):[0-5]\d$",
        description="The clock (HH:MM) in the phone frame's status bar, the only time the "
        "frame shows; default the time the pictures were taken at (the embedded simulator's "
        "fixed clock).",
    )
    sites: dict[str, SiteConfig] = Field(
        default_factory=dict,
        description="The sites the guide spans, by name (`--base-url NAME=URL` sends one to "
        "its own server): each its path prefix in the scenarios and the real host the phone "
        "frame's address bar shows, e.g. {shop: {path: /shop/, host: example.jp}}.",
    )
    hosts: dict[str, str] = Field(
        default_factory=dict,
        description="Older form of `sites` (prefix → address-bar host, no names): still read; "
        "write each entry as NAME: {path: PREFIX, host: HOST} under `sites`.",
    )
    icons: dict[str, str] = Field(
        default_factory=dict,
        description="A caption's 「」 after this word prints this image: {Chrome: icons/c.svg}.",
    )
    chapters: list[ChapterConfig] | None = Field(
        default=None, description="Chapters, each a divider page and its sections."
    )
    sections: list[SectionConfig] | None = Field(
        default=None,
        description="Sections without chapters. With neither, the flows' own `section` labels "
        "in natural order.",
    )
    notes: list[NoteConfig] = Field(default_factory=list)
    references: list[ReferenceConfig] = Field(default_factory=list)
    language: str = Field(
        default="ja",
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        description="The guide's language (the HTML lang: line breaking, hyphenation): "
        "ja, en, … Its fixed words are Japanese for ja, English otherwise.",
    )
    locale: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        description="What the phones ask sites for (Accept-Language, navigator.language, "
        "dates): a BCP 47 tag such as en-GB. Default from `language`: ja-JP for ja, en-US "
        "for en, else the language itself.",
    )
    words: WordsConfig = Field(
        default_factory=WordsConfig,
        description="Fixed words that differ from the language's own: contents, edition, "
        "edition_in_title, page, chapter, list_marker.",
    )

    @field_validator("name")
    @classmethod
    def _name_is_slug(cls, value: str) -> str:
        if not SLUG.fullmatch(value):
            raise ValueError(f"must be lowercase words joined by hyphens: '{value}'")
        return value

    @field_validator("sites")
    @classmethod
    def _site_names(cls, value: dict[str, SiteConfig]) -> dict[str, SiteConfig]:
        for name in value:
            if not SITE_NAME.fullmatch(name):
                raise ValueError(f"site name '{name}': lowercase letters, digits, - and _")
        return value

    @model_validator(mode="after")
    def _one_outline(self) -> GuideConfig:
        if self.sites and self.hosts:
            raise ValueError(
                "use `sites` only: move each `hosts` entry into it as "
                "NAME: {path: PREFIX, host: HOST}"
            )
        if self.chapters is not None and self.sections is not None:
            raise ValueError("use either 'chapters' or 'sections', not both")
        devices = [edition.device for edition in self.editions]
        if len(set(devices)) != len(devices):
            raise ValueError(f"one edition per device, got {devices}")
        return self

    @property
    def frame_clock(self) -> time:
        hour, minute = (int(part) for part in self.status_time.split(":"))
        return time(hour, minute)

    @property
    def address_hosts(self) -> dict[str, str]:
        """Path prefix → the host the phone frame's address bar shows."""
        named = {site.path: site.host for site in self.sites.values() if site.host}
        return {**self.hosts, **named}

    @property
    def site_prefixes(self) -> dict[str, str]:
        """Site name → its path prefix, in the file's order."""
        return {name: site.path for name, site in self.sites.items()}

    @property
    def phone_locale(self) -> str:
        """The locale the phones ask sites for: `locale`, else the guide's language's."""
        return self.locale or language_locale(self.language)

    def pdf_name(self, device: str) -> str:
        return f"{self.name}-{device}.pdf"

    @property
    def fixed_words(self) -> GuideWords:
        return resolve_words(self.language, self.words)


@dataclass(frozen=True)
class LoadedConfig:
    """The config, where it lives (paths are relative to it) and the line of every key."""

    config: GuideConfig
    path: Path
    doc: YamlDoc

    @property
    def folder(self) -> Path:
        return self.path.parent

    def line_of(self, path: KeyPath) -> int:
        return self.doc.line_of(path)

    def file(self, relative: str) -> Path:
        return self.folder / relative

    def section_paths(self) -> list[tuple[KeyPath, SectionConfig]]:
        """Every listed section with its key path in the file, in order."""
        config = self.config
        if config.chapters is not None:
            return [
                (("chapters", c, "sections", s), section)
                for c, chapter in enumerate(config.chapters)
                for s, section in enumerate(chapter.sections)
            ]
        return [(("sections", s), section) for s, section in enumerate(config.sections or [])]


def load_config(path: Path) -> LoadedConfig:
    """Read and validate `path`; raises ScenarioError with one Problem per mistake."""
    file = str(path)
    try:
        text = path.read_text("utf-8").removeprefix("\ufeff")
    except FileNotFoundError:
        message = "no guide config here; run `guideshot init` or pass --config FILE"
        raise ScenarioError([Problem(file, None, "", message)]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError([Problem(file, None, "", f"cannot read: {error}")]) from None
    doc = parse_yaml(text, file)
    if not isinstance(doc.data, dict):
        message = "the top level must be a mapping (title: …, sections: …)"
        raise ScenarioError([Problem(file, 1, "", message)])
    try:
        config = GuideConfig.model_validate(doc.data)
    except ValidationError as error:
        raise ScenarioError(problems_from(error, GuideConfig, doc, file)) from None
    return LoadedConfig(config, path, doc)


def guide_sites(path: Path) -> dict[str, str]:
    """The guide's sites (name → path prefix) for `--base-url NAME=URL`, or BaseUrlError
    saying in one line why there are none to name."""
    try:
        config = load_config(path).config
    except ScenarioError as error:
        first = error.problems[0]
        raise BaseUrlError(f"--base-url NAME=URL needs the guide's sites: {first}") from None
    if not config.sites and config.hosts:
        raise BaseUrlError(
            f"--base-url NAME=URL: {path} has the older `hosts:`; name its sites instead: "
            "sites: {NAME: {path: PREFIX, host: HOST}}"
        )
    return config.site_prefixes


def language_locale(language: str) -> str:
    """The locale of phones set to `language`: its usual region, or the language itself."""
    return _LANGUAGE_LOCALES.get(language, language)


def phone_locale(path: Path) -> str | None:
    """The locale guide.yaml at `path` gives the phones; None without a guide.yaml (the
    phones keep their own default). A guide.yaml that does not load raises ScenarioError."""
    if not path.exists():
        return None
    return load_config(path).config.phone_locale


def json_schema() -> dict[str, Any]:
    """JSON Schema of guide.yaml, for editors' YAML language servers."""
    schema = GuideConfig.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
