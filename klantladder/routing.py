"""Which questions a respondent is asked, from the `when` conditions on earlier answers.

One rule for the interview, the import, the validation of response files and
scoring: a question whose condition does not hold is *not asked*. Conditions
are read in questionnaire order, and the answer to a question that was not
asked counts as no answer, so a condition on it is judged as if unanswered
('don't know' counts as no answer too).
"""

from __future__ import annotations

from collections.abc import Mapping

from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import Condition, Question, Questionnaire


def routed_questions(questionnaire: Questionnaire) -> list[Question]:
    """The questions that carry a condition, in questionnaire order."""
    return [question for question in questionnaire.questions if question.when is not None]


def chosen(value: object) -> set[int | str]:
    """The option ids or levels an answer chooses; empty for no answer or 'don't know'."""
    if value is None or value == UNKNOWN or isinstance(value, bool):
        return set()
    if isinstance(value, int | str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str) and item != UNKNOWN}
    return set()


def not_asked(questionnaire: Questionnaire, answers: Mapping[str, object]) -> set[str]:
    """Ids of the questions a respondent with these answers is not asked."""
    skipped: set[str] = set()
    for question in routed_questions(questionnaire):
        condition = question.when
        assert condition is not None
        if not holds(condition, answers, skipped):
            skipped.add(question.id)
    return skipped


def holds(condition: Condition, answers: Mapping[str, object], skipped: set[str]) -> bool:
    """Whether a condition holds, ignoring answers to questions that were not asked."""
    value = None if condition.question in skipped else answers.get(condition.question)
    return condition.holds(chosen(value))


def without_routed_out(
    questionnaire: Questionnaire, answers: Mapping[str, object]
) -> tuple[dict[str, object], list[str]]:
    """The answers without those to questions that are not asked, and the ids dropped."""
    out = not_asked(questionnaire, answers)
    dropped = [question_id for question_id in answers if question_id in out]
    kept = {key: value for key, value in answers.items() if key not in out}
    return kept, dropped
