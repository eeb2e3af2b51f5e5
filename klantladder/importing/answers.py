"""Turning the text of an export cell into a klantladder answer.

An answer may be given as the text of a statement, label or option in any
language of the questionnaire, as its position (1-5 for ladder and agreement
questions, 1-n for options) or as the 'don't know' label of the method (in a
plain CSV also as 0, as on the paper form and in the interview). Texts
are compared without regard to case, spacing and a closing full stop.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from klantladder.importing.tools import Tool
from klantladder.models.assessment import UNKNOWN
from klantladder.models.base import Text
from klantladder.models.method import LEVELS
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Question,
    Questionnaire,
)

Answer = int | str | list[str]

# LimeSurvey answer code of the 'don't know' option that export-form writes.
LIMESURVEY_UNKNOWN_CODE = "DK"
# Qualtrics writes -99 for a question that was seen but not answered.
QUALTRICS_NOT_ANSWERED = "-99"
SEPARATORS = ";,"
_NUMBERED = re.compile(r"^(\d+)\s*[-.):]\s+(.+)$")


class AnswerError(ValueError):
    """A cell that is no valid answer to its question; the message says why."""


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'"})


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Text as compared: NFKC, case folded, single spaces, plain apostrophes, no closing stop."""
    folded = " ".join(
        unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES).split()
    )
    return folded.rstrip(".").strip()


def all_texts(text: Text) -> list[str]:
    """A text in every language it has."""
    return [text] if isinstance(text, str) else list(text.values())


@dataclass
class _Choices:
    """The values of a closed question by their texts and by position."""

    by_text: dict[str, int | str] = field(default_factory=dict)
    by_position: list[int | str] = field(default_factory=list)


class AnswerReader:
    """Reads cells as answers to the questions of a questionnaire in all its languages."""

    def __init__(self, variants: Sequence[Questionnaire], tool: Tool) -> None:
        self.tool = tool
        self.unknown_words = _unknown_words(variants)
        if tool == "limesurvey":
            self.unknown_words.add(normalise(LIMESURVEY_UNKNOWN_CODE))
        self._choices: dict[str, _Choices] = {}
        for variant in variants:
            for question in variant.questions:
                self._add_choices(question, variant)

    def _add_choices(self, question: Question, variant: Questionnaire) -> None:
        choices = self._choices.setdefault(question.id, _Choices())
        if isinstance(question, LadderQuestion):
            pairs: Iterable[tuple[Text, int | str]] = (
                (text, level) for level, text in question.statements.items()
            )
            choices.by_position = list(LEVELS)
        elif isinstance(question, LikertQuestion):
            labels = variant.content.answer_labels.agreement
            pairs = ((text, level) for level, text in labels.items())
            choices.by_position = list(LEVELS)
        elif isinstance(question, ProfileQuestion):
            pairs = [(option.label, option.id) for option in question.options]
            pairs += [(option.id, option.id) for option in question.options]
            choices.by_position = [option.id for option in question.options]
        else:
            return
        for text, value in pairs:
            for variant_text in all_texts(text):
                choices.by_text.setdefault(normalise(variant_text), value)

    def option_texts(self, question: ProfileQuestion) -> dict[str, str]:
        """Every text that names an option of a profile question, normalised, to its id."""
        return {text: str(value) for text, value in self._choices[question.id].by_text.items()}

    def is_blank(self, cell: str) -> bool:
        """Whether a cell gives no answer at all (empty, or Qualtrics' 'seen, not answered')."""
        raw = cell.strip()
        return not raw or (self.tool == "qualtrics" and raw == QUALTRICS_NOT_ANSWERED)

    def read(self, question: Question, cell: str) -> Answer | None:
        """The answer a cell gives, or None for an empty cell; raise `AnswerError`."""
        raw = cell.strip()
        if self.is_blank(raw):
            return None
        if isinstance(question, OpenQuestion):
            return raw
        if normalise(raw) in self.unknown_words:
            if not question.allow_unknown:
                raise AnswerError(f"question {question.id!r} has no 'don't know' answer")
            return UNKNOWN
        if isinstance(question, ProfileQuestion) and question.multiple:
            return self.read_options(question, raw)
        return self._read_one(question, raw)

    def _read_one(
        self, question: LadderQuestion | LikertQuestion | ProfileQuestion, raw: str
    ) -> int | str:
        choices = self._choices[question.id]
        key = normalise(raw)
        if key in choices.by_text:
            return choices.by_text[key]
        numbered = _NUMBERED.match(raw)
        if numbered and normalise(numbered[2]) in choices.by_text:
            return choices.by_text[normalise(numbered[2])]
        number = _number(raw)
        if number is not None:
            return self._by_position(question, number)
        raise AnswerError(self._no_match(question, raw))

    def _by_position(
        self, question: LadderQuestion | LikertQuestion | ProfileQuestion, number: int
    ) -> int | str:
        positions = self._choices[question.id].by_position
        if 1 <= number <= len(positions):
            return positions[number - 1]
        # A plain CSV is typed in from the paper form or the interview, where 0 is 'don't
        # know'; a survey tool's 0 may mean something else, so only the plain CSV reads it so.
        if self.tool == "csv" and number == 0 and not isinstance(question, ProfileQuestion):
            if not question.allow_unknown:
                raise AnswerError(f"question {question.id!r} has no 'don't know' answer")
            return UNKNOWN
        # Qualtrics numbers choices in order, and export-form puts 'don't know' last.
        if self.tool == "qualtrics" and number == len(positions) + 1 and question.allow_unknown:
            return UNKNOWN
        if isinstance(question, ProfileQuestion):
            return_range = f"1-{len(positions)}"
            raise AnswerError(
                f"option number {number} is outside 1-{len(positions)} of {question.id!r}"
                if number > 0
                else f"{number} is no option number ({return_range}) of {question.id!r}"
            )
        raise AnswerError(f"{number} is outside the scale 1-5 of {question.id!r}")

    def read_options(self, question: ProfileQuestion, raw: str) -> list[str]:
        """The options named in a multi-select cell, in the questionnaire's order.

        Options are separated by ';' (Microsoft Forms, Excel) or ',' (Google Forms,
        Qualtrics); an option label that itself holds a comma is recognised whole.
        """
        texts = sorted(self.option_texts(question).items(), key=lambda item: -len(item[0]))
        rest = normalise(raw)
        chosen: set[str] = set()
        while True:
            rest = rest.lstrip(SEPARATORS + " ")
            if not rest:
                break
            for text, option in texts:
                if rest.startswith(text) and (
                    len(rest) == len(text) or rest[len(text)] in SEPARATORS
                ):
                    chosen.add(option)
                    rest = rest[len(text) :]
                    break
            else:
                token = re.split(f"[{SEPARATORS}]", rest, maxsplit=1)[0].strip()
                number = _number(token)
                if number is None:
                    raise AnswerError(self._no_match(question, token))
                chosen.add(str(self._by_position(question, number)))
                rest = rest[len(token) :]
        return [option.id for option in question.options if option.id in chosen]

    def _no_match(self, question: Question, raw: str) -> str:
        if isinstance(question, LadderQuestion):
            return (
                f"{raw!r} matches no statement of {question.id!r}; give a statement's text, "
                f"its level 1-5, or the 'don't know' answer"
            )
        if isinstance(question, LikertQuestion):
            return (
                f"{raw!r} is no agreement answer to {question.id!r}; give 1-5, an agreement "
                f"label, or the 'don't know' answer"
            )
        options = (
            ", ".join(option.id for option in question.options)
            if isinstance(question, ProfileQuestion)
            else ""
        )
        return f"{raw!r} is not an option of {question.id!r}; options: {options}"


def _number(raw: str) -> int | None:
    text = raw.strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _unknown_words(variants: Sequence[Questionnaire]) -> set[str]:
    """Every spelling of 'don't know' in the questionnaire's languages, from the method."""
    words = {normalise(UNKNOWN)}
    for variant in variants:
        labels = variant.content.answer_labels
        for label in all_texts(labels.unknown):
            words.add(normalise(label))
            words.update(normalise(part) for part in label.split("/") if part.strip())
        for spelling in labels.unknown_spellings:
            words.update(normalise(text) for text in all_texts(spelling))
    return words
