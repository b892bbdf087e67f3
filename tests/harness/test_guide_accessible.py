"""The committed editions are accessible PDFs: tagged, in the guide's language, with an
outline of chapters, sections and flows, alt text on every picture in the steps' order, and
no larger than a documented cap. Read from guide/*.pdf as committed (pypdf, poppler)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from harness.guide.assemble import alt_text, approved
from harness.guide.config import load_config
from harness.guide.content import load_content
from harness.guide.layout import ordered_flows
from harness.guide.render import split_title
from harness.scenario.load import load_all
from harness.store import flow_dir

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load_config(ROOT / "guide.yaml")
# Each edition was 13.2-14.5 MB before its pictures were shared and progressive; 10 MB would
# need lossier JPEGs than the 88-quality ones printed today (measured in the README).
SIZE_CAP_BYTES = 13_500_000
DEVICES = [edition.device for edition in CONFIG.config.editions]


def pdf_of(device: str) -> Path:
    return ROOT / "guide" / CONFIG.config.pdf_name(device)


def catalog(device: str) -> DictionaryObject:
    root = PdfReader(pdf_of(device)).trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    return root


def flows_of(device: str) -> list[Any]:
    flows = ordered_flows(load_content(CONFIG), load_all(ROOT / "scenarios"))
    return [flow for flow in flows if device in flow.devices]


def outline_tree(items: list[Any]) -> list[tuple[str, list[Any]]]:
    """pypdf's flat outline list (a nested list follows its parent) as (title, children)."""
    tree: list[tuple[str, list[Any]]] = []
    for item in items:
        if isinstance(item, list):
            tree[-1][1].extend(outline_tree(item))
        else:
            tree.append((str(item.title), []))
    return tree


def structure(node: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every structure element under `node`, in the tree's (reading) order."""
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        element = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(element, DictionaryObject) and "/S" in element:
            yield element
            yield from structure(element)


@pytest.mark.parametrize("device", DEVICES)
def test_tagged_in_the_guides_language(device: str) -> None:
    info = subprocess.run(
        ["pdfinfo", str(pdf_of(device))], capture_output=True, text=True, check=True
    ).stdout
    assert "Tagged:          yes" in info
    root = catalog(device)
    assert str(root["/Lang"]) == CONFIG.config.language
    mark_info = root["/MarkInfo"].get_object()
    assert isinstance(mark_info, DictionaryObject) and mark_info["/Marked"]


@pytest.mark.parametrize("device", DEVICES)
def test_outline_lists_every_chapter_section_and_flow_in_order(device: str) -> None:
    """Chapters at the top, their sections below, each section's flows (once, however many
    pages they take) and prose headings below those."""
    tree = dict(outline_tree(PdfReader(pdf_of(device)).outline))
    flows = flows_of(device)
    for chapter in CONFIG.config.chapters or []:
        sections = tree[chapter.title]
        assert [title for title, _ in sections] == [s.label for s in chapter.sections]
        for section, (_, entries) in zip(chapter.sections, sections, strict=True):
            titles = [title for title, _ in entries]
            expected = [split_title(f.title)[0] for f in flows if f.section == section.label]
            shown = [t for t in titles if any(t.startswith(e) for e in expected)]
            assert len(shown) == len(expected)
            for title, heading in zip(shown, expected, strict=True):
                assert title.startswith(heading)


@pytest.mark.parametrize("device", DEVICES)
def test_every_picture_has_alt_text_and_steps_read_in_order(device: str) -> None:
    """Each step's Figure carries its number, caption and what is boxed in red, in the order
    the steps are printed; every other Figure (the caption icons) has alt text too."""
    tree = catalog(device)["/StructTreeRoot"].get_object()
    assert isinstance(tree, DictionaryObject)
    figures = [e for e in structure(tree) if e.get("/S") == "/Figure"]
    alts = [str(figure.get("/Alt", "")) for figure in figures]
    assert all(alt.strip() for alt in alts)
    words = CONFIG.config.fixed_words
    expected = []
    for flow in flows_of(device):
        records = approved(flow_dir(ROOT / "screenshots", device, flow.id))
        for step in flow.numbered:
            assert step.number is not None and step.caption is not None
            expected.append(alt_text(step.number, step.caption, records[step.number], words))
    assert [alt for alt in alts if alt in expected] == expected
    boxed = [alt for alt in expected if alt.endswith("」）")]
    assert len(boxed) > len(expected) // 2  # most steps name what they box


@pytest.mark.parametrize("device", DEVICES)
def test_each_edition_is_under_the_size_cap(device: str) -> None:
    assert pdf_of(device).stat().st_size < SIZE_CAP_BYTES
