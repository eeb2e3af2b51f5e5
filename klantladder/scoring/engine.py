"""The scoring engine: from responses to the versioned `ScoreResult`."""

from __future__ import annotations

from collections.abc import Iterable

from klantladder import __version__
from klantladder.models.assessment import Assessment, Response
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.questionnaire import Questionnaire
from klantladder.models.result import (
    AssessmentInfo,
    DimensionResult,
    Exclusions,
    OverallResult,
    QuestionnaireInfo,
    ScoreResult,
    ScoringInfo,
)
from klantladder.scoring.explain import explain, focus_points
from klantladder.scoring.levels import ScoredResponses, gap_to_next, phase_for, phase_ref
from klantladder.scoring.segments import disagreement, perception_gaps, segment_groups
from klantladder.scoring.stats import mean, rounded, spread, weighted_mean


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
            not_asked=sum(scored.not_asked.values()),
            respondents_without_score=sum(1 for s in scored.scores if not s),
        ),
        scoring=ScoringInfo(
            thresholds=dict(method.scoring.thresholds),
            thresholds_from=questionnaire.thresholds_from,
            rule=method.scoring.overall.rule,
            max_steps_above_weakest=method.scoring.overall.max_steps_above_weakest,
            min_group_size=method.scoring.min_group_size,
            calibration=questionnaire.calibration,
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
        "not_asked": scored.not_asked[dimension.id],
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
