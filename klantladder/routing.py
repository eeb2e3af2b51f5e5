"""Which questions a respondent is asked, from the `when` conditions on earlier answers.

One rule for the interview, the import, the validation of response files and
scoring: a question whose condition does not hold is *not asked*. Conditions
are read in questionnaire order, and the answer to a question that was not
asked counts as no answer, so a condition on it is judged as if unanswered
('don't know' counts as no answer too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import Question, Questionnaire


@dataclass(frozen=True)
class Route:
    """A condition reduced to what deciding it needs."""

    question: str
    gate: str
    values: frozenset[int | str]
    asks_when_chosen: bool  # True for `in`, False for `not_in`


def routed_questions(questionnaire: Questionnaire) -> list[Question]:
    """The questions that carry a condition, in questionnaire order."""
    return [question for question in questionnaire.questions if question.when is not None]


def routes(questionnaire: Questionnaire) -> tuple[Route, ...]:
    """The questionnaire's conditions in order, ready to decide many respondents quickly."""
    found = []
    for question in routed_questions(questionnaire):
        condition = question.when
        assert condition is not None
        found.append(
            Route(
                question.id,
                condition.question,
                frozenset(condition.values),
                condition.in_ is not None,
            )
        )
    return tuple(found)


def chosen(value: object) -> set[int | str]:
    """The option ids or levels an answer chooses; empty for no answer or 'don't know'."""
    if value is None or value == UNKNOWN or isinstance(value, bool):
        return set()
    if isinstance(value, int | str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str) and item != UNKNOWN}
    return set()


def not_asked(
    questionnaire: Questionnaire,
    answers: Mapping[str, object],
    compiled: tuple[Route, ...] | None = None,
) -> set[str]:
    """Ids of the questions a respondent with these answers is not asked.

    Give ``compiled`` (from `routes`) when deciding many respondents.
    """
    skipped: set[str] = set()
    for route in routes(questionnaire) if compiled is None else compiled:
        value = None if route.gate in skipped else answers.get(route.gate)
        if value is None:
            hit = False
        elif type(value) is str or type(value) is int:  # most answers; bool is not int here
            hit = value != UNKNOWN and value in route.values
        else:
            hit = bool(chosen(value) & route.values)
        if hit != route.asks_when_chosen:
            skipped.add(route.question)
    return skipped


class Router:
    """Decides `not_asked` for many respondents, once per combination of gate answers.

    Whether a question is asked depends only on the answers to the questions
    that conditions name (the gates), and most respondents share one of a few
    combinations of those; each combination is decided once.
    """

    def __init__(self, questionnaire: Questionnaire, compiled: tuple[Route, ...] | None = None):
        """Decide for ``questionnaire``, with its `routes` when already compiled."""
        self.questionnaire = questionnaire
        self.routes = routes(questionnaire) if compiled is None else compiled
        self.gates = tuple(dict.fromkeys(route.gate for route in self.routes))
        self._decided: dict[tuple[object, ...], frozenset[str]] = {}

    def not_asked(self, answers: Mapping[str, object]) -> frozenset[str]:
        """Ids of the questions a respondent with these answers is not asked (see `not_asked`)."""
        if not self.routes:
            return frozenset()
        # The type goes into the key: True == 1, but only 1 chooses level 1.
        key = tuple(
            (value.__class__, tuple(value) if value.__class__ is list else value)
            for value in map(answers.get, self.gates)
        )
        try:
            return self._decided[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable answer (never stored): decide it on its own
            return frozenset(not_asked(self.questionnaire, answers, self.routes))
        decided = frozenset(not_asked(self.questionnaire, answers, self.routes))
        self._decided[key] = decided
        return decided


def without_routed_out(
    questionnaire: Questionnaire, answers: Mapping[str, object]
) -> tuple[dict[str, object], list[str]]:
    """The answers without those to questions that are not asked, and the ids dropped."""
    out = not_asked(questionnaire, answers)
    dropped = [question_id for question_id in answers if question_id in out]
    kept = {key: value for key, value in answers.items() if key not in out}
    return kept, dropped
