"""The table of contents, built from the chapters a rendered page really has.

Built after rendering, so that a user's template that drops, adds or reorders
chapters still gets a table of contents that matches.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

MARKER = "<!-- contents -->"


class _Chapters(HTMLParser):
    """Collects (id, title) of every ``section.chapter`` with an id and an h1."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chapters: list[tuple[str, str]] = []
        self._pending: str | None = None
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "section" and "chapter" in classes and values.get("id"):
            self._pending = values["id"]
        elif tag == "h1" and self._pending is not None:
            self._title = []

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self._title is not None and self._pending is not None:
            self.chapters.append((self._pending, " ".join("".join(self._title).split())))
            self._pending = None
            self._title = None


def chapters(html: str) -> list[tuple[str, str]]:
    """The (id, title) of each chapter, in order."""
    parser = _Chapters()
    parser.feed(html)
    return parser.chapters


def fill_contents(html: str) -> str:
    """Replace the contents marker with links to the chapters of ``html``."""
    if MARKER not in html:
        return html
    items = "".join(
        f'<li><a href="#{escape(anchor)}">{escape(title)}</a></li>'
        for anchor, title in chapters(html)
    )
    return html.replace(MARKER, items, 1)
