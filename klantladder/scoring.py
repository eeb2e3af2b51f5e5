"""The scoring engine: pure functions from answers to scores and phases.

Scores are rounded to two decimals once, and phases follow from the rounded
score, so a table never shows a score that seems to contradict its phase.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from klantladder import __version__
from klantladder.explain import explain, focus_points
from klantladder.models.assessment import UNKNOWN, Assessment, Response
from klantladder.models.base import localize
from klantladder.models.method import Method, Phase
from klantladder.models.questionnaire import LikertQuestion, Questionnaire, ScoredQuestion
from klantladder.models.result import (
    AssessmentInfo,
    DimensionResult,
    Exclusions,
    OverallResult,
    PhaseRef,
    QuestionnaireInfo,
    ScoreResult,
    ScoringInfo,
)
from klantladder.segments import disagreement, perception_gaps, segment_groups
from klantladder.stats import mean, rounded, spread, weighted_mean


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
) -> dict[str, float]:
    """One respondent's weighted mean level per dimension (dimensions answered only).

    Questions are always summed in questionnaire order, so plain sums are exact
    enough and the same on every run.
    """
    totals: dict[str, list[float]] = {}
    answers = response.answers
    for item in items if items is not None else scored_items(questionnaire):
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

    @classmethod
    def build(cls, questionnaire: Questionnaire, responses: Iterable[Response]) -> ScoredResponses:
        """Score every response in one pass."""
        ordered = tuple(responses)
        items = scored_items(questionnaire)
        answers: dict[str, list[int]] = {item.id: [] for item in items}
        unknown = {dimension.id: 0 for dimension in questionnaire.content.dimensions}
        for response in ordered:
            for item in items:
                value = response.answers.get(item.id)
                if type(value) is int:
                    answers[item.id].append(value)
                elif value == UNKNOWN:
                    unknown[item.dimension] += 1
        scores = tuple(respondent_scores(questionnaire, r, items) for r in ordered)
        return cls(questionnaire, ordered, scores, answers, unknown)

    def dimension_means(self, members: Iterable[int]) -> dict[str, float | None]:
        """Mean score per dimension over the respondents with these indices."""
        chosen = list(members)
        result: dict[str, float | None] = {}
        for dimension in self.questionnaire.content.dimensions:
            values = [
                self.scores[i][dimension.id] for i in chosen if dimension.id in self.scores[i]
            ]
            result[dimension.id] = rounded(mean(values)) if values else None
        return result

    def overall(self, means: dict[str, float | None]) -> float | None:
        """Weighted mean of dimension means (rounded)."""
        method = self.questionnaire.content
        value = weighted_mean(
            (m, method.dimension(d).weight) for d, m in means.items() if m is not None
        )
        return None if value is None else rounded(value)


def score(
    questionnaire: Questionnaire,
    responses: Iterable[Response],
    assessment: Assessment | None = None,
    language: str | None = None,
) -> ScoreResult:
    """Score the responses of an assessment.

    Raises ValueError when no response has a single scored answer; callers turn
    that into a user-facing error that names the folder.
    """
    language = language or (assessment.language if assessment else questionnaire.languages[0])
    method = questionnaire.content
    scored = ScoredResponses.build(questionnaire, responses)
    dimensions = [_dimension_result(scored, i, language) for i in range(len(method.dimensions))]
    present = [d for d in dimensions if d.mean is not None and d.phase is not None]
    if not present:
        raise ValueError("no response has a scored answer")
    overall = _overall(method, present, language)
    segments = segment_groups(scored, language)
    focus = focus_points(method, present, overall, language)
    return ScoreResult(
        generator=f"klantladder {__version__}",
        questionnaire=QuestionnaireInfo(
            id=questionnaire.id,
            version=questionnaire.version,
            language=language,
            title=localize(questionnaire.title, language),
            method_id=method.id,
            method_version=method.version,
        ),
        assessment=_assessment_info(assessment),
        respondents=len(scored.responses),
        dimensions=dimensions,
        overall=overall,
        explanation=explain(method, present, overall, focus, language),
        focus=focus,
        segments=segments,
        gaps=perception_gaps(segments, method, language),
        disagreement=disagreement(scored, language),
        exclusions=Exclusions(
            unknown_answers=sum(scored.unknown.values()),
            respondents_without_score=sum(1 for s in scored.scores if not s),
        ),
        scoring=ScoringInfo(
            thresholds=dict(method.scoring.thresholds),
            rule=method.scoring.overall.rule,
            max_steps_above_weakest=method.scoring.overall.max_steps_above_weakest,
            min_group_size=method.scoring.min_group_size,
        ),
    )


def _dimension_result(scored: ScoredResponses, index: int, language: str) -> DimensionResult:
    questionnaire = scored.questionnaire
    method = questionnaire.content
    dimension = method.dimensions[index]
    values = [s[dimension.id] for s in scored.scores if dimension.id in s]
    unknown = scored.unknown[dimension.id]
    common = {
        "id": dimension.id,
        "title": localize(dimension.title, language),
        "weight": dimension.weight,
        "n": len(values),
        "unknown": unknown,
    }
    if not values:
        return DimensionResult(
            **common, mean=None, sd=None, phase=None, gap_to_next=None, next_step=None
        )
    average = rounded(mean(values))
    phase = phase_for(method, average)
    step = dimension.next_steps.get(phase.level)
    return DimensionResult(
        **common,
        mean=average,
        sd=rounded(spread(values)),
        phase=phase_ref(phase, language),
        gap_to_next=gap_to_next(method, average),
        next_step=localize(step, language) if step is not None else None,
    )


def _overall(method: Method, present: list[DimensionResult], language: str) -> OverallResult:
    value = weighted_mean((d.mean, d.weight) for d in present if d.mean is not None)
    assert value is not None
    overall_score = rounded(value)
    mean_phase = phase_for(method, overall_score)
    weakest_level = min(d.phase.level for d in present if d.phase is not None)
    rule = method.scoring.overall
    if rule.rule == "mean":
        level = mean_phase.level
    elif rule.rule == "weakest":
        level = weakest_level
    else:
        level = min(mean_phase.level, weakest_level + rule.max_steps_above_weakest)
    return OverallResult(
        score=overall_score,
        mean_phase=phase_ref(mean_phase, language),
        phase=phase_ref(method.phase_at(level), language),
        rule=rule.rule,
        weakest=[d.id for d in present if d.phase is not None and d.phase.level == weakest_level],
        capped=level < mean_phase.level,
    )


def _assessment_info(assessment: Assessment | None) -> AssessmentInfo | None:
    if assessment is None:
        return None
    return AssessmentInfo(
        organisation=assessment.organisation,
        sector=assessment.sector,
        date=assessment.date,
        assessor=assessment.assessor,
    )
