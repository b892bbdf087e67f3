"""`guideshot guide --format markdown DIR`: the guide as Markdown for a documentation site.

DIR/mkdocs.yml (site name, nav) and DIR/docs/: index.md naming the editions, a conf.py for
Sphinx, and per edition <device>/index.md (title, contents) and one <slug>.md per section:
its prose, each flow's steps as a numbered list of pictures with captions and alt text, and
its video (the one `guideshot guide` built when it is current, else made now). Pictures go
under <device>/images/ and videos under <device>/video/, linked relatively. Plain CommonMark
plus pipe tables and raw <video>, so MkDocs builds it as it is and Sphinx with MyST reads
the same files. Prose keeps its line breaks as hard breaks (two trailing spaces), as the
printed guide does.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from harness.guide.assemble import chosen_editions, edition_for
from harness.guide.config import LoadedConfig
from harness.guide.content import (
    PAGE_PROSE_TOP,
    SECTION_PROSE_TOP,
    GuideContent,
    load_content,
    render_markdown,
)
from harness.guide.files import write_atomic
from harness.guide.markdown_folder import new_export
from harness.guide.model import GuideEdition, GuideError, StepReference, step_anchor
from harness.guide.render import Look, split_title
from harness.guide.video import write_videos
from harness.guide.web import VIDEO_DIR, video_path
from harness.guide.web_plan import FlowBlock, Prose, ScreenSection, screen_sections
from harness.guide.web_words import web_words
from harness.scenario import Flow

DOCS = "docs"
SPHINX_CONF = "conf.py"  # in docs/: `sphinx-build docs OUT` with myst-parser installed


def sphinx_conf(title: str, language: str) -> str:
    """The least Sphinx needs to read the same pages with MyST."""
    return (
        "# Written by `guideshot guide --format markdown`: Sphinx reads these pages with MyST.\n"
        f"project = {title!r}\n"
        f"language = {language.replace('-', '_')!r}\n"
        'extensions = ["myst_parser"]\n'
        'root_doc = "index"\n'
    )


_ATX = re.compile(r"^(#{1,6})(?=\s|$)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SPECIAL = re.compile(r"([\\`*_\[\]])")


def escape_md(text: str) -> str:
    """Text shown as written, never read as Markdown markup or HTML."""
    return _SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def prose_markdown(text: str, top: int) -> str:
    """A prose file for a page whose own headings sit above level `top`: its headings moved
    so the highest is `top`, and each line break inside a paragraph made a hard break (the
    guide's prose is written line by line, like the printed page)."""
    lines = text.replace("\r\n", "\n").strip("\n").split("\n")
    levels = [len(m[1]) for line in lines if (m := _ATX.match(line))]
    shift = top - min(levels) if levels else 0
    fenced = False
    out: list[str] = []
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (heading := _ATX.match(line)):
            line = "#" * min(len(heading[1]) + shift, 6) + line[heading.end() :]
        elif not fenced and line.strip() and not line.endswith("  "):
            line += "  "
        out.append(line)
    return "\n".join(out)


def prose_sources(loaded: LoadedConfig) -> dict[str, str]:
    """Rendered prose HTML (as the page plan carries it) → its Markdown source."""
    sources: dict[str, str] = {}
    paths = [s.prose for _k, s in loaded.section_paths() if s.prose]
    paths += [path for _k, s in loaded.section_paths() for path in s.before.values()]
    for relative in paths:
        try:
            text = loaded.file(relative).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise GuideError(f"{loaded.path}: cannot read prose file {relative}: {error}") from None
        sources[render_markdown(text, SECTION_PROSE_TOP)] = text
    return sources


def _with_icons(text: str, icons: Mapping[str, str]) -> str:
    """Escaped `text` with each icon between the empty brackets after its word."""
    markdown = escape_md(text)
    for word, href in icons.items():
        pattern = re.compile(f"({re.escape(escape_md(word))}\\s?「)(」)")
        image = f"![{escape_md(word)}]({href})"
        markdown = pattern.sub("\\g<1>" + image.replace("\\", "\\\\") + "\\g<2>", markdown)
    return markdown


def _with_links(
    markdown: str, references: Sequence[StepReference], pages: Mapping[str, str]
) -> str:
    for reference in references:
        written = escape_md(reference.text)
        page = pages.get(reference.flow)
        if page is not None and written in markdown:
            markdown = markdown.replace(written, f"[{written}]({page}#{reference.anchor})")
    return markdown


def _section_page(
    section: ScreenSection,
    edition: GuideEdition,
    look: Look,
    sources: Mapping[str, str],
    icons: Mapping[str, str],
    pages: Mapping[str, str],
    videos: set[str],
) -> str:
    words = web_words(look.language)
    parts = [f"# {escape_md(section.label)}"]
    if section.chapter is not None:
        parts.append(
            escape_md(look.words.chapter_heading(section.chapter.number, section.chapter.title))
        )
    for block in section.blocks:
        if isinstance(block, Prose):
            source = sources.get(block.html)
            parts.append(prose_markdown(source, 2) if source is not None else block.html)
            continue
        parts += _flow_parts(
            block, edition, words.video, words.video_fallback, icons, pages, videos
        )
    return "\n\n".join(parts) + "\n"


def _flow_parts(
    block: FlowBlock,
    edition: GuideEdition,
    video_label: str,
    video_fallback: str,
    icons: Mapping[str, str],
    pages: Mapping[str, str],
    videos: set[str],
) -> list[str]:
    flow = block.flow
    heading, subheading = split_title(flow.title)
    title = escape_md(heading) + (f" {escape_md(subheading)}" if subheading else "")
    parts = [f"## {_with_links(title, edition.references, pages)}"]
    if flow.id in videos:
        src = f"{VIDEO_DIR}/{flow.id}.mp4"
        parts.append(
            f'<video controls preload="metadata" playsinline src="{src}" '
            f'style="max-width:100%;height:auto">{escape_md(video_fallback)}</video>'
        )
        parts.append(f"[{escape_md(video_label)}]({src})")
    items = []
    for step in block.steps:
        anchor = f'<span id="{step_anchor(flow.id, step.number)}"></span>'  # for references
        lines = [f"{step.number}. {anchor}{_with_icons(step.caption, icons)}"]
        if step.note:
            note = _with_links(escape_md(step.note), edition.references, pages)
            lines = [
                f"{step.number}. {anchor}{note}",
                "",
                f"    {_with_icons(step.caption, icons)}",
            ]
        image = f"images/{flow.id}/{step.number:02d}{step.image.suffix.lower()}"
        lines += ["", f"    ![{escape_md(step.alt)}]({image})"]
        items.append("\n".join(lines))
    parts.append("\n\n".join(items))
    if flow.outcome:
        parts.append(f"**{escape_md(flow.outcome)}**")
    return parts


def _index_page(
    sections: Sequence[ScreenSection], content: GuideContent, look: Look, label: str
) -> str:
    title = content.title + (content.subtitle or "")
    parts = [f"# {escape_md(title)}", escape_md(look.words.edition_name(label))]
    opened: list[object] = []  # the chapter whose heading was written last
    for section in sections:
        if not opened or opened[-1] is not section.chapter:
            opened.append(section.chapter)
            chapter = section.chapter
            heading = (
                look.words.contents
                if chapter is None
                else look.words.chapter_heading(chapter.number, chapter.title)
            )
            parts.append(f"## {escape_md(heading)}")
        link = f"- [{escape_md(section.label)}]({section.slug}.md)"
        if parts[-1].startswith("- "):
            parts[-1] += "\n" + link  # one tight list per chapter
        else:
            parts.append(link)
    return "\n\n".join(parts) + "\n"


def write_markdown_edition(
    edition: GuideEdition,
    content: GuideContent,
    look: Look,
    folder: Path,
    *,
    sources: Mapping[str, str],
    icon_files: Mapping[str, Path],
    built: Path | None,
) -> list[tuple[str, str]]:
    """Write one edition's pages, pictures and videos (those in `built`/video/) into
    `folder`; returns its nav: (title, file) in order."""
    sections = screen_sections(edition, content)
    for flow in edition.flows:
        for step in flow.steps:
            name = f"{step.number:02d}{step.image.suffix.lower()}"
            target = folder / "images" / flow.id / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(step.image, target)
    icons: dict[str, str] = {}
    for word, path in icon_files.items():
        (folder / "images" / "icons").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / "images" / "icons" / path.name)
        icons[word] = f"images/icons/{path.name}"
    videos: set[str] = set()
    for flow in edition.flows:
        if built is not None and video_path(built, flow.id).is_file():
            (folder / VIDEO_DIR).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(video_path(built, flow.id), video_path(folder, flow.id))
            videos.add(flow.id)
    pages = {flow.id: f"{s.slug}.md" for s in sections for flow in s.flows}
    write_atomic(
        folder / "index.md",
        _index_page(sections, content, look, edition.device_label).encode("utf-8"),
    )
    nav = [(look.words.contents, "index.md")]
    for section in sections:
        page = _section_page(section, edition, look, sources, icons, pages, videos)
        write_atomic(folder / f"{section.slug}.md", page.encode("utf-8"))
        nav.append((section.label, f"{section.slug}.md"))
    return nav


def export_markdown(
    loaded: LoadedConfig,
    flows: Sequence[Flow],
    *,
    screenshots: Path,
    dest: Path,
    built: Path | None,
    devices: Sequence[str] = (),
    with_frame: bool = True,
) -> list[Path]:
    """Export the chosen editions into `dest` (check markdown_folder.refusal first), with a
    video per flow: the one in `built` (the `guideshot guide` output) when it is current,
    else encoded now. Returns the files a site builder starts from."""
    config = loaded.config
    icons = {word: loaded.file(path) for word, path in config.icons.items()}
    look = Look(
        page=config.page,
        language=config.language,
        words=config.fixed_words,
        icons={word: f"images/icons/{path.name}" for word, path in icons.items()},
    )
    content = load_content(loaded)
    sources = prose_sources(loaded)
    editions = chosen_editions(loaded, devices)
    if not with_frame:
        editions = [e.model_copy(update={"frame": "none"}) for e in editions]
    title = content.title + (content.subtitle or "")
    nav: list[object] = [{title: "index.md"}]
    home = [f"# {escape_md(title)}"]
    if content.cover_html and config.cover:
        home.append(prose_markdown(config.cover, PAGE_PROSE_TOP))
    with tempfile.TemporaryDirectory(prefix="guideshot-md-") as scratch, new_export(dest) as out:
        for edition_config in editions:
            edition = edition_for(edition_config, loaded, flows, screenshots, Path(scratch), look)
            device = edition.device
            # The guide's videos when they show these pictures and captions, else made now.
            videos = Path(scratch) / "videos" / device
            last = None if built is None else built / device / VIDEO_DIR
            write_videos(edition, videos / VIDEO_DIR, built=last, look=look)
            pages = write_markdown_edition(
                edition,
                content,
                look,
                out / DOCS / device,
                sources=sources,
                icon_files=icons,
                built=videos,
            )
            name = look.words.edition_name(edition.device_label)
            nav.append({name: [{label: f"{device}/{file}"} for label, file in pages]})
            home.append(f"- [{escape_md(name)}]({device}/index.md)")
        home = [*home[: len(home) - len(editions)], "\n".join(home[len(home) - len(editions) :])]
        write_atomic(out / DOCS / "index.md", ("\n\n".join(home) + "\n").encode("utf-8"))
        site = {
            "site_name": title,
            "docs_dir": DOCS,
            "use_directory_urls": False,  # raw <video> sources stay relative to their page
            "theme": {"name": "mkdocs", "locale": config.language.split("-")[0]},
            "markdown_extensions": ["tables", "sane_lists"],
            "exclude_docs": SPHINX_CONF,  # Sphinx's, not a page of the site
            "nav": nav,
        }
        text = yaml.safe_dump(site, allow_unicode=True, sort_keys=False, width=1000)
        write_atomic(out / "mkdocs.yml", text.encode("utf-8"))
        write_atomic(out / DOCS / SPHINX_CONF, sphinx_conf(title, config.language).encode())
    return [dest / "mkdocs.yml", dest / DOCS / "index.md"]
