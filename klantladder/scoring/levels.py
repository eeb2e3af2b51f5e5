"""Answers to levels, respondents to dimension scores, scores to phases.

The floor every aggregate stands on: `ScoredResponses` scores each respondent
once, and the engine, the segments and the comparison over time all read it.
Scores are rounded to two decimals once, and phases follow from the rounded
score, so a table never shows a score that seems to contradict its phase.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property

from klantladder.models.assessment import UNKNOWN, Response
from klantladder.models.base import localize
from klantladder.models.method import Method, Phase
from klantladder.models.questionnaire import LikertQuestion, Questionnaire, ScoredQuestion
from klantladder.models.result import PhaseRef
from klantladder.routing import Router
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


ROWS_AT_ONCE = 4096
"""Respondents whose answers `answer_columns` reads in one go."""


def answer_columns(
    answers: Sequence[Mapping[str, object]], ids: Sequence[str]
) -> list[list[object]]:
    """Per question id, every respondent's answer to it (None when there is none), in order.

    Each respondent's answers are read once for all ids, a block of
    respondents at a time: at 100,000 respondents reading every dict again
    for each question is eight times slower, as the dicts no longer sit in the
    processor's cache.
    """
    columns: list[list[object]] = [[] for _ in ids]
    for start in range(0, len(answers), ROWS_AT_ONCE):
        rows = [tuple(map(given.get, ids)) for given in answers[start : start + ROWS_AT_ONCE]]
        for column, values in zip(columns, zip(*rows, strict=True), strict=True):
            column.extend(values)
    return columns


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


class _DimensionScores(dict[tuple[int | None, ...], float | None]):
    """The score of each combination of answers to one dimension's questions, made when asked.

    Computed as `respondent_scores` does: the earned levels and the weights
    added in questionnaire order, starting from 0.0 (an answer outside 1-5
    earns nothing), so the score is the same float however it is reached.
    """

    def __init__(self, members: list[ScoredItem]) -> None:
        super().__init__()
        self.levels: list[tuple[dict[int | None, float], float]] = [
            ({v: item.levels[v - 1] * item.weight for v in range(1, 6)}, item.weight)
            for item in members
        ]

    def __missing__(self, answers: tuple[int | None, ...]) -> float | None:
        earned = 0.0
        weights = 0.0
        for (level, weight), value in zip(self.levels, answers, strict=True):
            earned += level.get(value, 0.0)
            weights += weight if value in level else 0.0
        score = earned / weights if weights else None
        self[answers] = score
        return score


@dataclass(frozen=True)
class ScoredResponses:
    """Per-respondent dimension scores and answer tallies, the input of every aggregate.

    Everything is kept by column (per question, per dimension): a list of one
    value per respondent costs 8 bytes a respondent, where a row of its own (a
    dict per respondent) costs hundreds; at 100,000 respondents that decides
    whether a report fits in 400 MB. `scores` and `answers` give the row and
    per-question views when asked for.
    """

    questionnaire: Questionnaire
    responses: tuple[Response, ...]
    unknown: dict[str, int]  # 'don't know' answers per dimension
    columns: dict[str, list[int | None]]  # per scored question, each respondent's answer or None
    dimension_columns: dict[str, list[float | None]]  # per dimension, each respondent's score
    not_asked: dict[str, int]  # scored questions routed around, per dimension

    @cached_property
    def indices(self) -> list[int]:
        """0 .. n - 1, one int object each, shared by every set of respondents made from it."""
        return list(range(len(self.responses)))

    @cached_property
    def profile_columns(self) -> dict[str, list[object]]:
        """Per profile question, each respondent's answer or None (read once, when asked)."""
        ids = [question.id for question in self.questionnaire.profile_questions]
        given = [response.answers for response in self.responses]
        return dict(zip(ids, answer_columns(given, ids), strict=True))

    @property
    def scores(self) -> tuple[dict[str, float], ...]:
        """Each respondent's score per dimension (the dimensions they have a score in)."""
        ids = list(self.dimension_columns)
        if not ids or not self.responses:
            return tuple({} for _ in self.responses)
        return tuple(
            {d: value for d, value in zip(ids, row, strict=True) if value is not None}
            for row in zip(*self.dimension_columns.values(), strict=True)
        )

    @property
    def answers(self) -> dict[str, list[int]]:
        """The 1-5 answers given, per scored question (see `given`)."""
        return {question_id: self.given(question_id) for question_id in self.columns}

    def given(self, question_id: str) -> list[int]:
        """The 1-5 answers given to one scored question, in respondent order."""
        return [value for value in self.columns[question_id] if value is not None]

    def scored_count(self, dimensions: Iterable[str] | None = None) -> int:
        """How many respondents have a score in any of ``dimensions`` (default: all)."""
        chosen = [
            self.dimension_columns[d]
            for d in (self.dimension_columns if dimensions is None else dimensions)
        ]
        if not chosen:
            return 0
        return sum(1 for row in zip(*chosen, strict=True) if row.count(None) < len(row))

    @classmethod
    def build(cls, questionnaire: Questionnaire, responses: Iterable[Response]) -> ScoredResponses:
        """Score every response, a dimension at a time, each combination of answers once.

        Gives exactly `respondent_scores` for each response: per respondent the
        earned levels are added in questionnaire order, starting from 0.0. A
        question a respondent was not asked (its `when` condition does not
        hold) is left out and counted as not asked, apart from 'don't know';
        an answer to it, if any, is ignored.
        """
        ordered = tuple(responses)
        count = len(ordered)
        items = scored_items(questionnaire)
        found: dict[str, list[int | None]] = {}
        unknown = {dimension.id: 0 for dimension in questionnaire.content.dimensions}
        given = [response.answers for response in ordered]
        not_asked = dict.fromkeys(unknown, 0)
        router = Router(questionnaire)
        skipped: dict[str, list[int]] = {}  # per question, the respondents not asked it
        if router.routes:
            for index, out in enumerate(map(router.not_asked, given)):
                for question_id in out:
                    skipped.setdefault(question_id, []).append(index)
        by_dimension: dict[str, list[ScoredItem]] = {}
        for item in items:
            by_dimension.setdefault(item.dimension, []).append(item)
        dimension_columns: dict[str, list[float | None]] = {}
        for dimension in questionnaire.content.dimensions:
            members = by_dimension.get(dimension.id, [])
            if not members:
                dimension_columns[dimension.id] = [None] * count
                continue
            own: list[list[int | None]] = []
            for item, raw in zip(
                members, answer_columns(given, [m.id for m in members]), strict=True
            ):
                passed = skipped.get(item.id, ())
                for index in passed:
                    raw[index] = None
                not_asked[item.dimension] += len(passed)
                unknown[item.dimension] += raw.count(UNKNOWN)
                column: list[int | None] = [value if type(value) is int else None for value in raw]
                found[item.id] = column
                own.append(column)
            # A respondent's score follows from their answers to the dimension's
            # questions alone, and most respondents share one of a few hundred
            # combinations: each combination is scored once (`_DimensionScores`).
            scores = _DimensionScores(members)
            dimension_columns[dimension.id] = list(map(scores.__getitem__, zip(*own, strict=True)))
        columns = {item.id: found[item.id] for item in items if item.id in found}
        return cls(questionnaire, ordered, unknown, columns, dimension_columns, not_asked)

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
