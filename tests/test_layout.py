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


@pytest.mark.parametrize("name", ["questionnaire-nl", "questionnaire-quick-en"])
def test_every_tick_box_stands_before_its_answer(documents: dict[str, Path], name: str) -> None:
    """A box with no text beside it cannot be read back (a column break once split them)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTCurve, LTPage

    millimetre = 72 / 25.4
    lonely: list[str] = []
    boxes_seen = 0
    for number, page in enumerate(extract_pages(documents[name]), start=1):
        assert isinstance(page, LTPage)
        chars = [c for c in _chars(page, LTChar) if c.get_text().strip()]
        boxes = [
            shape
            for shape in _chars(page, LTCurve)
            if 3 * millimetre < shape.width < 4.5 * millimetre
            and 3 * millimetre < shape.height < 4.5 * millimetre
        ]
        boxes_seen += len(boxes)
        for box in boxes:
            beside = [
                c
                for c in chars
                if 0 <= c.x0 - box.x1 <= 8 * millimetre and c.y0 < box.y1 and c.y1 > box.y0
            ]
            # the agreement scale prints its key and label under each box
            beneath = [
                c
                for c in chars
                if 0 <= box.y0 - c.y1 <= 3 * millimetre
                and abs((c.x0 + c.x1) / 2 - (box.x0 + box.x1) / 2) <= 3 * millimetre
            ]
            if not beside and not beneath:
                lonely.append(f"page {number}: box at x {box.x0:.0f}, y {box.y0:.0f}")
    assert boxes_seen > 20
    assert not lonely, lonely
