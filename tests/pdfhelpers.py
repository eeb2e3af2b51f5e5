"""Reading rendered PDFs as a reader would: the text of each page, and the size of its type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pypdf


def normalise(text: str) -> str:
    """One space between words; a word broken after a hyphen at a line end is joined."""
    joined = " ".join(text.split())
    return re.sub(r"(\w)- (\w)", r"\1-\2", joined)


def page_texts(path: Path) -> list[str]:
    """The text of every page, whitespace normalised (read once per file and change)."""
    return list(_page_texts(path, path.stat().st_mtime_ns))


@cache
def _page_texts(path: Path, mtime: int) -> tuple[str, ...]:
    reader = pypdf.PdfReader(path)
    return tuple(normalise(page.extract_text()) for page in reader.pages)


def document_text(path: Path) -> str:
    """The text of the whole document, whitespace normalised."""
    return " ".join(page_texts(path))


@dataclass(frozen=True)
class Run:
    """A run of text on a page, with its size in points and its height above the page's foot."""

    page: int
    text: str
    size: float
    y: float


def text_runs(path: Path) -> list[Run]:
    """Every run of text with its size on paper, as pdfminer.six lays the pages out.

    pdfminer applies every transformation, including those of the SVG charts
    (form XObjects), so a size is what a reader sees. A run is a stretch of
    characters of one size on one baseline without a wide gap.
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    runs: list[Run] = []
    for number, page in enumerate(extract_pages(path), start=1):
        chars: list[LTChar] = []
        _collect(page, chars, LTChar)
        current: list[LTChar] = []
        for char in chars:
            if current:
                last = current[-1]
                same = abs(char.size - last.size) < 0.05 and abs(char.y0 - last.y0) < 1
                near = -0.3 * char.size <= char.x0 - last.x1 <= 0.6 * char.size  # kerning
                if not (same and near):
                    runs.append(_run(number, current))
                    current = []
            current.append(char)
        if current:
            runs.append(_run(number, current))
    return [run for run in runs if run.text]


def _collect(item: Any, chars: list[Any], kind: type) -> None:
    """Every character in the layout tree, in reading order."""
    if isinstance(item, kind):
        chars.append(item)
    elif hasattr(item, "__iter__"):
        for child in item:
            _collect(child, chars, kind)


def _run(page: int, chars: list[Any]) -> Run:
    text = "".join(char.get_text() for char in chars).strip()
    return Run(page, text, round(chars[0].size, 2), chars[0].y0)


def page_heights(path: Path) -> list[float]:
    """The height of every page in points."""
    return [float(page.mediabox.height) for page in pypdf.PdfReader(path).pages]
