"""The consultant's observations: ``notes.md`` in the assessment folder.

The Markdown becomes the report chapter "Observaties van de adviseur" (in the
report's language). It is rendered by markdown-it-py, a CommonMark parser, with
raw HTML disabled: ``<script>`` in a note stays visible text. Images are
disabled too (the report fetches no files a note names), and the note's
headings sit below the chapter's own. Optional YAML front matter between two
``---`` lines holds ``conclusie:`` (or ``conclusion:``) for the executive page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from klantladder.errors import InputError, Problem
from klantladder.limits import MIB, read_input_text
from klantladder.models.consultant import NotesFrontMatter
from klantladder.validation import validate_document
from klantladder.yamlsource import parse_yaml

NOTES_FILE = "notes.md"
MAX_NOTES_BYTES = 1 * MIB
"""A consultant's notes are a few pages; a megabyte is far more than a report chapter holds."""

_FENCE = "---"
# Headings in a note start at this level: the chapter is h1 and its sections h2.
_FIRST_HEADING_LEVEL = 3


@dataclass(frozen=True)
class Notes:
    """A rendered ``notes.md``: its HTML body and the conclusion from its front matter."""

    html: Markup
    conclusion: str | None


def load_notes(folder: Path) -> Notes | None:
    """Read and render ``notes.md`` of an assessment folder; None when there is none.

    Raises `InputError` (``file:line:col``) for text that is not UTF-8, an
    unclosed or invalid front matter, or an empty note.
    """
    path = folder / NOTES_FILE
    if not path.exists():
        return None
    text = read_input_text(
        path, limit=MAX_NOTES_BYTES, what="a notes file", within=folder, encoding="utf-8-sig"
    )
    front, body = split_front_matter(text, str(path))
    conclusion = front.text if front else None
    if not body.strip() and conclusion is None:
        raise InputError.single(path, "the notes are empty; write observations or delete the file")
    return Notes(render_markdown(body) if body.strip() else Markup(""), conclusion)


def split_front_matter(text: str, name: str) -> tuple[NotesFrontMatter | None, str]:
    """Split ``---`` front matter from the Markdown body; return both."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _FENCE:
        return None, text
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() == _FENCE:
            front_text = "".join(lines[1:index])
            return _front_matter(front_text, name), "".join(lines[index + 1 :])
    raise InputError.single(
        name, "front matter opened with '---' is never closed; end it with a '---' line", 1, 1
    )


def _front_matter(text: str, name: str) -> NotesFrontMatter:
    """Validate the front matter; problems point at lines of the whole file."""
    try:
        document = parse_yaml(text, name)
        return validate_document(document, NotesFrontMatter)
    except InputError as error:
        # The front matter starts on line 2 of the file.
        raise InputError([_shifted(problem) for problem in error.problems]) from None


def _shifted(problem: Problem) -> Problem:
    line = None if problem.line is None else problem.line + 1
    return Problem(problem.file, line, problem.column if line else None, problem.message)


def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML: CommonMark plus tables, no raw HTML, no images."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "typographer": False})
    parser.enable("table")
    parser.disable("image")
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + _FIRST_HEADING_LEVEL - 1, 6)
            token.tag = f"h{level}"
    html = parser.renderer.render(tokens, parser.options, {})
    return Markup(html)
