"""Answers to levels, respondents to dimension scores, scores to phases.

The floor every aggregate stands on: `ScoredResponses` scores each respondent
once, and the engine, the segments and the comparison over time all read it.
Scores are rounded to two decimals once, and phases follow from the rounded
score, so a table never shows a score that seems to contradict its phase.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import repeat

from klantladder.models.assessment import UNKNOWN, Response
from klantladder.models.base import localize
from klantladder.models.method import Method, Phase
from klantladder.models.questionnaire import LikertQuestion, Questionnaire, ScoredQuestion
from klantladder.models.result import PhaseRef
from klantladder.routing import not_asked as routed_out
from klantladder.routing import routes
from klantladder.scoring.stats import mean, rounded, weighted_mean


def answer_level(question: ScoredQuestion, value: object, method: Method) -> float | None:
    """The level 1.0-5.0 an answer yields; None for 'don't know' or no answer."""
    if not isinstance(value, int) or isinstance(value, bool) or value == 0:
        return None
    if isinstance(question, LikertQuestion):
        share = method.scoring.likert_fraction[value]
        return 1.0 + (question.evidences_level - 1) * share
    return float(value)


@dataclass(frozen=True)
class ScoredItem:
    """A scored question reduced to what scoring needs."""

    id: str
    dimension: str
    weight: float
    levels: tuple[float, ...]  # the level of answers 1..5


def scored_items(questionnaire: Questionnaire) -> tuple[ScoredItem, ...]:
    """The level each answer 1-5 yields, per scored question, computed once."""
    method = questionnaire.content
    items = []
    for question in questionnaire.scored_questions:
        levels = tuple(answer_level(question, value, method) or 0.0 for value in range(1, 6))
        items.append(ScoredItem(question.id, question.dimension, question.weight, levels))
    return tuple(items)


def respondent_scores(
    questionnaire: Questionnaire,
    response: Response,
    items: tuple[ScoredItem, ...] | None = None,
    skip: AbstractSet[str] = frozenset(),
) -> dict[str, float]:
    """One respondent's weighted mean level per dimension (dimensions answered only).

    Questions in ``skip`` (not asked, by the questionnaire's conditions) are left
    out. Questions are always summed in questionnaire order, so plain sums are
    exact enough and the same on every run.
    """
    totals: dict[str, list[float]] = {}
    answers = response.answers
    for item in items if items is not None else scored_items(questionnaire):
        if item.id in skip:
            continue
        value = answers.get(item.id)
        if type(value) is not int or not 1 <= value <= 5:
            continue
        total = totals.get(item.dimension)
        if total is None:
            totals[item.dimension] = [item.levels[value - 1] * item.weight, item.weight]
        else:
            total[0] += item.levels[value - 1] * item.weight
            total[1] += item.weight
    return {dimension: weighted / weight for dimension, (weighted, weight) in totals.items()}


def phase_for(method: Method, score: float) -> Phase:
    """The highest phase whose threshold the (rounded) score reaches."""
    reached = method.phases[0]
    for phase in method.phases[1:]:
        if rounded(score) >= method.scoring.thresholds[phase.id]:
            reached = phase
    return reached


def phase_ref(phase: Phase, language: str) -> PhaseRef:
    """A phase as it appears in a result, named in ``language``."""
    return PhaseRef(id=phase.id, level=phase.level, name=localize(phase.name, language))


def gap_to_next(method: Method, score: float) -> float | None:
    """How much the score must still rise to reach the next phase; None at the top."""
    phase = phase_for(method, score)
    if phase.level == len(method.phases):
        return None
    threshold = method.scoring.thresholds[method.phase_at(phase.level + 1).id]
    return rounded(max(threshold - rounded(score), 0.0))


@dataclass(frozen=True)
class ScoredResponses:
    """Per-respondent dimension scores and answer tallies, the input of every aggregate."""

    questionnaire: Questionnaire
    responses: tuple[Response, ...]
    scores: tuple[dict[str, float], ...]
    answers: dict[str, list[int]]  # the 1-5 answers given, per scored question
    unknown: dict[str, int]  # 'don't know' answers per dimension
    columns: dict[str, list[int | None]]  # per scored question, each respondent's answer or None
    dimension_columns: dict[str, list[float | None]]  # per dimension, each respondent's score
    not_asked: dict[str, int]  # scored questions routed around, per dimension

    @classmethod
    def build(cls, questionnaire: Questionnaire, responses: Iterable[Response]) -> ScoredResponses:
        """Score every response, a question at a time.

        Gives exactly `respondent_scores` for each response: per respondent the
        earned levels are added in questionnaire order, starting from 0.0. A
        question a respondent was not asked (its `when` condition does not
        hold) is left out and counted as not asked, apart from 'don't know';
        an answer to it, if any, is ignored.
        """
        ordered = tuple(responses)
        items = scored_items(questionnaire)
        answers: dict[str, list[int]] = {}
        columns: dict[str, list[int | None]] = {}
        unknown = {dimension.id: 0 for dimension in questionnaire.content.dimensions}
        earned: dict[str, list[float]] = {}
        weights: dict[str, list[float]] = {}
        given = [response.answers for response in ordered]
        not_asked = dict.fromkeys(unknown, 0)
        compiled = routes(questionnaire)
        skipped = (
            [routed_out(questionnaire, answers_of, compiled) for answers_of in given]
            if compiled
            else []
        )
        for item in items:
            raw = list(map(operator.methodcaller("get", item.id), given))
            if compiled:
                for index, skip in enumerate(skipped):
                    if item.id in skip:
                        raw[index] = None
                        not_asked[item.dimension] += 1
            unknown[item.dimension] += raw.count(UNKNOWN)
            column: list[int | None] = [value if type(value) is int else None for value in raw]
            columns[item.id] = column
            answers[item.id] = [value for value in column if value is not None]
            level: dict[int | None, float] = {
                v: item.levels[v - 1] * item.weight for v in range(1, 6)
            }
            weight: dict[int | None, float] = dict.fromkeys(range(1, 6), item.weight)
            if item.dimension not in earned:
                earned[item.dimension] = [0.0] * len(ordered)
                weights[item.dimension] = [0.0] * len(ordered)
            earned[item.dimension] = list(
                map(operator.add, earned[item.dimension], map(level.get, column, repeat(0.0)))
            )
            weights[item.dimension] = list(
                map(operator.add, weights[item.dimension], map(weight.get, column, repeat(0.0)))
            )
        dimension_columns: dict[str, list[float | None]] = {}
        for dimension in questionnaire.content.dimensions:
            if dimension.id not in earned:
                dimension_columns[dimension.id] = [None] * len(ordered)
                continue
            dimension_columns[dimension.id] = [
                total / weight if weight else None
                for total, weight in zip(earned[dimension.id], weights[dimension.id], strict=True)
            ]
        ids = list(dimension_columns)
        scores = (
            tuple(
                {d: value for d, value in zip(ids, row, strict=True) if value is not None}
                for row in zip(*dimension_columns.values(), strict=True)
            )
            if ids and ordered
            else tuple({} for _ in ordered)
        )
        return cls(
            questionnaire, ordered, scores, answers, unknown, columns, dimension_columns, not_asked
        )

    def dimension_means(self, members: Iterable[int]) -> dict[str, float | None]:
        """Mean score per dimension over the respondents with these indices."""
        chosen = list(members)
        result: dict[str, float | None] = {}
        for dimension, column in self.dimension_columns.items():
            values = [value for value in map(column.__getitem__, chosen) if value is not None]
            result[dimension] = rounded(mean(values)) if values else None
        return result

    def overall(self, means: dict[str, float | None]) -> float | None:
        """Weighted mean of dimension means (rounded)."""
        method = self.questionnaire.content
        value = weighted_mean(
            (m, method.dimension(d).weight) for d, m in means.items() if m is not None
        )
        return None if value is None else rounded(value)
