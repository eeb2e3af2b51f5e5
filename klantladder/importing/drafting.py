"""Drafting a mapping file: the best question for each column, only where it is a sane guess.

A header is compared with every question text and multi-select option label in
every language of the questionnaire. Likeness is the better of the character
similarity and the share of the header's content words (no "the", "de", "and")
found in the text, so that a short title such as 'Channels' finds the question
it was cut from. A guess is written only when it is alike enough (`MIN_MATCH`)
and clearly better than the best other question (`MARGIN`); otherwise the
entry stays open with a comment that says why. A header that is a code
(LimeSurvey's ``G01Q01``, Qualtrics' ``Q5``) says nothing about its question
and is never guessed from. A header that occurs more than once is written with
its ``position``, so each can be mapped on its own.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

import yaml

from klantladder.importing.answers import normalise
from klantladder.importing.layout import Column, Layout
from klantladder.importing.mapping import QuestionIndex, Target
from klantladder.models.questionnaire import Questionnaire

# Below this likeness a column is left open: a wrong guess costs more than none.
MIN_MATCH = 0.6
# The best question must beat the best other question by this much.
MARGIN = 0.2
OPTION_MATCH = 0.9
_NUMBERING = re.compile(r"^\d+[.)]\s+")
_CODE = re.compile(r"^[A-Za-z]{0,6}\d+[A-Za-z0-9_]*(\[[A-Za-z0-9_]+\])?$")
# Words that say nothing about which question a header is (English and Dutch).
STOPWORDS = frozenset(
    {
        "the",
        "and",
        "are",
        "you",
        "your",
        "our",
        "for",
        "with",
        "what",
        "how",
        "does",
        "which",
        "who",
        "why",
        "when",
        "this",
        "that",
        "there",
        "about",
        "from",
        "have",
        "has",
        "into",
        "its",
        "their",
        "them",
        "they",
        "was",
        "were",
        "will",
        "would",
        "can",
        "de",
        "het",
        "een",
        "en",
        "van",
        "voor",
        "met",
        "wat",
        "hoe",
        "welke",
        "wie",
        "waarom",
        "wanneer",
        "deze",
        "dit",
        "dat",
        "die",
        "er",
        "over",
        "uit",
        "heeft",
        "hebben",
        "jij",
        "je",
        "jouw",
        "uw",
        "ons",
        "onze",
        "zijn",
        "worden",
        "wordt",
        "kan",
        "in",
        "op",
        "te",
        "aan",
        "bij",
        "als",
        "of",
        "niet",
    }
)

MAPPING_HEADER = """\
# klantladder mapping: which question each column of the export answers.
# Check every entry: fix `question` (and `option`) where the guess is wrong, set
# `question: null` for a column to ignore, then set `confirmed: true`.
# `match` says how alike header and question text are (1.0 = the same); no guess
# is made below {minimum}. A header that occurs more than once is mapped by its
# `position` (1 = the first column). Import refuses entries that are not confirmed."""


@dataclass(frozen=True)
class DraftEntry:
    """One column of a draft mapping, with the comment that explains it."""

    column: Column
    target: Target | None
    match: float
    comment: str
    position: int | None = None


def is_code(header: str) -> bool:
    """Whether a header is a code (G01Q01, Q5, SQ001[A1]) rather than words."""
    return bool(_CODE.match(header.strip()))


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text) if len(w) > 2 and w not in STOPWORDS]


def _word_found(word: str, words: list[str]) -> bool:
    # A plural, or a Dutch compound ("klantfeedback"), still counts as the word.
    return any(
        word == other
        or (min(len(word), len(other)) >= 4 and (other.startswith(word) or word.startswith(other)))
        or (len(word) >= 5 and word in other)
        for other in words
    )


def likeness(header: str, text: str, *, option: bool = False) -> float:
    """How alike a header and a question text or option label are (0-1)."""
    key = _NUMBERING.sub("", normalise(header))
    ratio = difflib.SequenceMatcher(None, key, text).ratio()
    if option:
        return ratio if ratio >= OPTION_MATCH else ratio / 2
    words = _words(key)
    if words:
        found = sum(1 for word in words if _word_found(word, _words(text)))
        ratio = max(ratio, 0.9 * found / len(words))
    return ratio


def best_match(
    header: str, candidates: list[tuple[str, Target]]
) -> tuple[Target | None, float, float]:
    """The candidate most like a header, its likeness, and that of the best other question."""
    scores: dict[Target, float] = {}
    for text, target in candidates:
        score = likeness(header, text, option=target.option is not None)
        if score > scores.get(target, -1.0):
            scores[target] = score
    if not scores:
        return None, 0.0, 0.0
    best = max(scores, key=lambda target: scores[target])
    runner_up = max(
        (score for target, score in scores.items() if target.question != best.question),
        default=0.0,
    )
    return best, round(scores[best], 2), round(runner_up, 2)


def draft_entries(
    layout: Layout, index: QuestionIndex, variants: list[Questionnaire]
) -> list[DraftEntry]:
    """The draft mapping entry of every question column."""
    candidates = index.candidates(variants)
    counts = Counter(column.key for column in layout.questions())
    entries = []
    for column in layout.questions():
        repeated = counts[column.key] > 1
        position = column.number if repeated else None
        where = f"column {column.number} {column.shown!r}"
        if repeated:
            others = [
                str(c.number) for c in layout.questions() if c.key == column.key and c is not column
            ]
            where += f" (the same header as column {' and '.join(others)}, so mapped by position)"
        target = None if repeated else index.automatic(column, layout.tool)
        if target is not None:
            entries.append(
                DraftEntry(column, target, 1.0, f"{where}: names its question", position)
            )
            continue
        shown = column.shown
        if is_code(shown):
            entries.append(
                DraftEntry(
                    column,
                    None,
                    0.0,
                    f"{where}: a code says nothing about its question; name the question, "
                    f"or leave null to ignore the column",
                    position,
                )
            )
            continue
        best, score, runner_up = best_match(shown, candidates)
        if best is not None and score >= MIN_MATCH and score - runner_up >= MARGIN:
            entries.append(DraftEntry(column, best, score, f"{where}: best match", position))
            continue
        guess = f"best was {best.question!r} at {score}" if best is not None else "no candidate"
        if best is not None and score >= MIN_MATCH:
            guess += f", but another question scored {runner_up}"
        entries.append(
            DraftEntry(
                column,
                None,
                score,
                f"{where}: no question matches well enough ({guess}); name the question, "
                f"or leave null to ignore the column",
                position,
            )
        )
    return entries


def _scalar(value: object) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=10_000, default_flow_style=True)
    return text.removesuffix("\n").removesuffix("\n...")


def render_mapping(entries: list[DraftEntry], layout: Layout, questionnaire: Questionnaire) -> str:
    """The text of a mapping file: a header, then each entry under its comment."""
    lines = [
        MAPPING_HEADER.format(minimum=MIN_MATCH),
        f"tool: {layout.tool}",
        f"questionnaire: {{id: {_scalar(questionnaire.id)}, version: {questionnaire.version}}}",
        "columns:",
    ]
    for entry in entries:
        column = entry.column
        lines.append(f"  # {' '.join(entry.comment.split())}")
        lines.append(f"  - column: {_scalar(column.key)}")
        if column.import_id or (column.label and column.label != column.key):
            lines.append(f"    label: {_scalar(column.label or column.header)}")
        if entry.position is not None:
            lines.append(f"    position: {entry.position}")
        target = entry.target
        lines.append(f"    question: {_scalar(target.question) if target else 'null'}")
        if target is not None and target.option is not None:
            lines.append(f"    option: {_scalar(target.option)}")
        lines.append(f"    match: {entry.match}")
        lines.append("    confirmed: false")
    return "\n".join(lines) + "\n"
