"""Checks of one response against the assessment's questionnaire, for every reader and writer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet

from klantladder.errors import Problem
from klantladder.models.assessment import UNKNOWN, Response
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Questionnaire,
)
from klantladder.routing import Route, Router, not_asked
from klantladder.yamlsource import YamlDocument

AnyQuestion = LadderQuestion | LikertQuestion | ProfileQuestion | OpenQuestion


def questionnaire_problem(
    response: Response, questionnaire: Questionnaire
) -> tuple[str, str] | None:
    """The key (``id`` or ``version``) and message when a response answers another questionnaire."""
    reference = response.questionnaire
    if reference.id != questionnaire.id:
        return "id", (
            f"answers questionnaire {reference.id!r}, but the assessment uses {questionnaire.id!r}"
        )
    if reference.version != questionnaire.version:
        return "version", (
            f"answers version {reference.version} of {questionnaire.id!r}, but the assessment "
            f"uses version {questionnaire.version}"
        )
    return None


def check_answers(
    document: YamlDocument, response: Response, questionnaire: Questionnaire
) -> list[Problem]:
    """Problems with a response's answers against its questionnaire, at their places."""
    problems: list[Problem] = []
    wrong = questionnaire_problem(response, questionnaire)
    if wrong is not None:
        problems.append(document.problem(("questionnaire", wrong[0]), wrong[1]))
    by_id = {question.id: question for question in questionnaire.questions}
    for question_id, value in response.answers.items():
        location = ("answers", question_id)
        question = by_id.get(question_id)
        if question is None:
            problems.append(
                document.problem(location, f"unknown question {question_id!r}", key=True)
            )
            continue
        message = answer_problem(question, value)
        if message:
            problems.append(document.problem(location, message))
    for question_id in response.skipped:
        if question_id not in by_id:
            problems.append(document.problem(("skipped",), f"unknown question {question_id!r}"))
    if not problems:
        for question_id in sorted(not_asked_answers(questionnaire, response.answers)):
            problems.append(
                document.problem(
                    ("answers", question_id),
                    not_asked_problem(questionnaire, question_id),
                    key=True,
                )
            )
    return problems


def not_asked_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, object],
    compiled: tuple[Route, ...] | Router | None = None,
) -> list[str]:
    """Ids of answered questions the respondent is not asked (by the routing); none is allowed.

    Give ``compiled`` (`routes`, or a `Router` to decide many respondents) when
    checking many.
    """
    if not answers:
        return []
    if isinstance(compiled, Router):
        out: AbstractSet[str] = compiled.not_asked(answers)
    else:
        out = not_asked(questionnaire, answers, compiled)
    return [question_id for question_id in answers if question_id in out]


def not_asked_problem(questionnaire: Questionnaire, question_id: str) -> str:
    """The message for an answer to a question that the routing does not ask."""
    condition = questionnaire.question(question_id).when
    gate = condition.question if condition is not None else "an earlier question"
    return (
        f"question {question_id!r} is not asked with the answer given to {gate!r}; "
        f"remove this answer"
    )


def answer_problem(question: AnyQuestion, value: object) -> str | None:
    """What is wrong with an answer to a question, or None if it is fine.

    An open question has no "don't know": its answer is text, and the word
    ``unknown`` typed as an answer is that text.
    """
    if isinstance(question, OpenQuestion):
        if not isinstance(value, str):
            return f"question {question.id!r} takes a text answer"
        return None
    if value == UNKNOWN:
        if not question.allow_unknown:
            return f"question {question.id!r} has no 'unknown' answer"
        return None
    if isinstance(question, LadderQuestion | LikertQuestion):
        if not isinstance(value, int) or not 1 <= value <= 5:
            allowed = "1-5 or 'unknown'" if question.allow_unknown else "1-5"
            return f"answer {value!r} is out of range; expected {allowed}"
        return None
    chosen = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not question.multiple:
        return f"question {question.id!r} takes one option, not a list"
    options = [option.id for option in question.options]
    for item in chosen:
        if item not in options:
            return f"{item!r} is not an option of {question.id!r}; options: {', '.join(options)}"
    return None


def quick_check(question: AnyQuestion) -> Callable[[object], bool]:
    """A fast test that an answer is fine; `answer_problem` says why when it is not.

    Imports check 400,000 answers for 10,000 respondents; a set lookup per
    answer keeps that to a few hundredths of a second.
    """
    if isinstance(question, OpenQuestion):
        return _is_text
    allowed: set[object] = {UNKNOWN} if question.allow_unknown else set()
    if isinstance(question, LadderQuestion | LikertQuestion):
        levels = allowed | {1, 2, 3, 4, 5}
        return lambda value: type(value) in (int, str) and value in levels
    options = {option.id for option in question.options}
    single = allowed | options
    if question.multiple:
        return lambda value: (
            (isinstance(value, list) and all(item in options for item in value))
            or (isinstance(value, str) and value in single)
        )
    return lambda value: isinstance(value, str) and value in single


def _is_text(value: object) -> bool:
    return isinstance(value, str)
