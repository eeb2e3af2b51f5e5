"""Every rendered document keeps its text on the page: no column runs off the edge."""

from __future__ import annotations

from pathlib import Path

import pytest

# 5 mm: the narrowest page margin any document uses is well above it.
EDGE = 5 / 25.4 * 72


DOCUMENTS = [
    f"{kind}-{language}"
    for kind in ("report", "summary", "ladder", "cards", "questionnaire", "questionnaire-quick")
    for language in ("nl", "en")
]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_text_runs_off_the_page(documents: dict[str, Path], name: str) -> None:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTPage

    outside: list[str] = []
    for number, page in enumerate(extract_pages(documents[name]), start=1):
        assert isinstance(page, LTPage)
        width, height = page.width, page.height
        for char in _chars(page, LTChar):
            if char.get_text().strip() and (
                char.x0 < EDGE or char.x1 > width - EDGE or char.y0 < EDGE or char.y1 > height
            ):
                where = f"x {char.x0:.0f}-{char.x1:.0f}, y {char.y0:.0f}"
                outside.append(f"page {number}: {char.get_text()!r} at {where}")
    assert not outside, outside[:10]


def _chars(item: object, kind: type) -> list:  # type: ignore[type-arg]
    found = []
    if isinstance(item, kind):
        found.append(item)
    elif hasattr(item, "__iter__"):
        for child in item:  # type: ignore[attr-defined]
            found.extend(_chars(child, kind))
    return found
