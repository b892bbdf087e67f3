"""The guide's fixed words (contents heading, edition names, page labels) and its language.

`guide.yaml` sets `language:` (the HTML `lang`, which picks line breaking and hyphenation)
and may override any word under `words:`. A word left out is the language's own: Japanese
for `ja` (the default, so an existing guide prints exactly as before), English otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field, field_validator

from harness.scenario import StrictModel

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class GuideWords:
    """Every fixed word, resolved; `{label}`, `{number}`, `{title}` are filled in."""

    contents: str
    edition: str
    edition_in_title: str
    page: str
    chapter: str
    list_marker: str
    boxed: str  # after a picture's caption in its alt text: what the red box shows

    def boxed_text(self, name: str) -> str:
        return self.boxed.replace("{name}", name)

    def edition_name(self, label: str) -> str:
        return self.edition.replace("{label}", label)

    def title_suffix(self, label: str) -> str:
        return self.edition_in_title.replace("{label}", label)

    def chapter_heading(self, number: str, title: str) -> str:
        return self.chapter.replace("{number}", number).replace("{title}", title)


JAPANESE = GuideWords(
    contents="目 次",
    edition="{label}版",
    edition_in_title="（{label}版）",
    page="P",
    chapter="{number}．{title}",
    list_marker="○ ",
    boxed="（赤枠：「{name}」）",
)
ENGLISH = GuideWords(
    contents="Contents",
    edition="{label} edition",
    edition_in_title=" ({label} edition)",
    page="p. ",
    chapter="{number}. {title}",
    list_marker="• ",
    boxed=" (“{name}” is boxed in red)",
)
# guide.css writes this marker; the page overrides it only when the words differ, so a
# Japanese guide's HTML stays exactly what it was.
CSS_LIST_MARKER = JAPANESE.list_marker


def _only(value: str | None, allowed: tuple[str, ...]) -> str | None:
    for name in _PLACEHOLDER.findall(value or ""):
        if name not in allowed:
            takes = ", ".join("{" + a + "}" for a in allowed) or "no placeholder"
            raise ValueError(f"unknown placeholder {{{name}}}; this word takes {takes}")
    return value


class WordsConfig(StrictModel):
    """Overrides of the language's words; each one left out keeps the language's own."""

    contents: str | None = Field(default=None, description="Contents heading (目 次).")
    edition: str | None = Field(
        default=None, description="Cover and footers, with {label}: '{label}版'."
    )
    edition_in_title: str | None = Field(
        default=None, description="After the title in the HTML <title>: '（{label}版）'."
    )
    page: str | None = Field(default=None, description="Before a page number in the contents: 'P'.")
    chapter: str | None = Field(
        default=None, description="A chapter in the contents, with {number} and {title}."
    )
    list_marker: str | None = Field(
        default=None, description="Before each item of a prose list: '○ '."
    )
    boxed: str | None = Field(
        default=None,
        description="After a picture's caption in its alt text, with {name}, what is boxed "
        "in red: '（赤枠：「{name}」）'.",
    )

    @field_validator("edition", "edition_in_title")
    @classmethod
    def _label_only(cls, value: str | None) -> str | None:
        return _only(value, ("label",))

    @field_validator("boxed")
    @classmethod
    def _name_only(cls, value: str | None) -> str | None:
        return _only(value, ("name",))

    @field_validator("chapter")
    @classmethod
    def _number_and_title(cls, value: str | None) -> str | None:
        return _only(value, ("number", "title"))

    @field_validator("contents", "page", "list_marker")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        return _only(value, ())


def resolve_words(language: str, words: WordsConfig) -> GuideWords:
    base = JAPANESE if language.split("-")[0] == "ja" else ENGLISH
    chosen = {k: v for k, v in words.model_dump().items() if v is not None}
    return GuideWords(**{**base.__dict__, **chosen})


def css_string(text: str) -> str:
    """`text` as a CSS string inside a <style> element: quotes, backslashes, line ends and
    `<` escaped (so no `</style>` can close the element)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<\n\r' else c for c in text)
    return f'"{escaped}"'
