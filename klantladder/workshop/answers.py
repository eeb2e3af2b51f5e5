"""From a posted form to an answer, checked as the loader checks a response file."""

from __future__ import annotations

import re

from klantladder.folder import answer_problem
from klantladder.interview import Answer
from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Question,
)

ANSWER = "answer"
"""The action of the main button: save the chosen answer (or skip an empty open one)."""
DONT_KNOW = "unknown"
"""The action of the "don't know" button."""

# Control characters have no place in an answer; newlines and tabs do.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Rejected(Exception):
    """A posted answer that cannot be saved; the message says why (HTTP 400)."""


class NothingChosen(Rejected):
    """The main button was pressed without choosing an answer."""


def form_answer(question: Question, action: str, values: list[str]) -> Answer | None:
    """The answer a form gives to ``question``; None passes over it (open or multi-select).

    Raises `Rejected` for anything the loader would refuse in a response file:
    an answer out of range, an option the question does not have, "don't know"
    where it is not offered.
    """
    if action == DONT_KNOW:
        if isinstance(question, OpenQuestion):  # its answer is text; the word is no "don't know"
            raise Rejected(f"question {question.id!r} has no 'unknown' answer")
        value: Answer | None = UNKNOWN
    elif action != ANSWER:
        raise Rejected(f"unknown action {action!r}")
    elif isinstance(question, OpenQuestion):
        value = _text(values)
    elif isinstance(question, ProfileQuestion) and question.multiple:
        order = {option.id: index for index, option in enumerate(question.options)}
        chosen = sorted(dict.fromkeys(values), key=lambda item: order.get(item, len(order)))
        value = chosen or None  # in the questionnaire's order, as the interview stores it
    else:
        value = _single(question, values)
    if value is not None:
        problem = answer_problem(question, value)
        if problem:
            raise Rejected(problem)
    return value


def _text(values: list[str]) -> str | None:
    if len(values) > 1:
        raise Rejected("an open question takes one text")
    text = _CONTROL.sub("", values[0] if values else "").replace("\r\n", "\n").strip()
    return text or None


def _single(question: Question, values: list[str]) -> Answer:
    chosen = [value for value in values if value != ""]
    if not chosen:
        raise NothingChosen(f"no answer chosen for question {question.id!r}")
    if len(chosen) > 1:
        raise Rejected(f"question {question.id!r} takes one answer, not {len(chosen)}")
    value = chosen[0]
    if isinstance(question, LadderQuestion | LikertQuestion) and re.fullmatch(r"-?\d{1,3}", value):
        return int(value)
    return value
