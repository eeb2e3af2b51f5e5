"""The scoring engine: from responses to the versioned `ScoreResult`."""

from __future__ import annotations

from collections.abc import Iterable

from klantladder import __version__
from klantladder.models.assessment import Assessment, Response
from klantladder.models.base import localize
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
from klantladder.scoring.explain import border, explain, focus_points
from klantladder.scoring.levels import ScoredResponses, gap_to_next, phase_for, phase_ref
from klantladder.scoring.reliability import (
    ALPHA_BAR,
    ITEM_REST_BAR,
    RELIABILITY_MIN_N,
    reliability,
)
from klantladder.scoring.road import Figure, overall_mean, road, rule_level
from klantladder.scoring.segments import disagreement, perception_gaps, segment_groups
from klantladder.scoring.stats import mean, rounded, spread
from klantladder.scoring.uncertainty import (
    INTERVAL_MIN_N,
    interval,
    mean_margin,
    phase_span,
    weighted_margin,
)


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
    overall = _overall(scored, present, language)
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
        gaps=perception_gaps(segments, scored, language),
        disagreement=disagreement(scored, language),
        reliability=reliability(scored, language),
        exclusions=Exclusions(
            unknown_answers=sum(scored.unknown.values()),
            not_asked=sum(scored.not_asked.values()),
            respondents_without_score=len(scored.responses) - scored.scored_count(),
        ),
        scoring=ScoringInfo(
            thresholds=dict(method.scoring.thresholds),
            thresholds_from=questionnaire.thresholds_from,
            rule=method.scoring.overall.rule,
            max_steps_above_weakest=method.scoring.overall.max_steps_above_weakest,
            min_group_size=method.scoring.min_group_size,
            confidence=method.scoring.confidence,
            interval_min_n=INTERVAL_MIN_N,
            reliability_min_n=RELIABILITY_MIN_N,
            alpha_bar=ALPHA_BAR,
            item_rest_bar=ITEM_REST_BAR,
            calibration=questionnaire.calibration,
        ),
    )


def _dimension_result(scored: ScoredResponses, index: int, language: str) -> DimensionResult:
    questionnaire = scored.questionnaire
    method = questionnaire.content
    dimension = method.dimensions[index]
    values = [v for v in scored.dimension_columns[dimension.id] if v is not None]
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
            **common,
            mean=None,
            sd=None,
            phase=None,
            gap_to_next=None,
            next_step=None,
            interval=None,
            border=None,
        )
    average = rounded(mean(values))
    phase = phase_for(method, average)
    step = dimension.next_steps.get(phase.level)
    deviation = spread(values)
    span = interval(average, mean_margin(values, method.scoring.confidence, deviation))
    ends = phase_span(method, span)
    return DimensionResult(
        **common,
        mean=average,
        sd=rounded(deviation),
        phase=phase_ref(phase, language),
        gap_to_next=gap_to_next(method, average),
        next_step=localize(step, language) if step is not None else None,
        interval=span,
        border=None if ends is None else border(method, *ends, language),
    )


def _overall(
    scored: ScoredResponses, present: list[DimensionResult], language: str
) -> OverallResult:
    """The overall phase by the rule, with its interval, borders and road.

    The overall phase is on the border when the rule, applied to the lower ends
    of the intervals (the mean's and every dimension's), gives another phase
    than applied to their upper ends: the rule never falls as a score rises, so
    every combination of scores within the intervals lies between those two.
    """
    method = scored.questionnaire.content
    figures = [Figure(d.id, d.title, d.mean, d.weight) for d in present if d.mean is not None]
    overall_score = overall_mean(figures)
    mean_phase = phase_for(method, overall_score)
    levels = [d.phase.level for d in present if d.phase is not None]
    weakest_level = min(levels)
    level = rule_level(method, overall_score, levels)
    margin = weighted_margin(scored, {f.id: f.weight for f in figures}, method.scoring.confidence)
    span = interval(overall_score, margin)
    mean_ends = phase_span(method, span)
    overall_border = None
    dimension_spans = [d.interval for d in present]
    if span is not None and all(s is not None for s in dimension_spans):
        low = rule_level(
            method, span.low, [phase_for(method, s.low).level for s in dimension_spans if s]
        )
        high = rule_level(
            method, span.high, [phase_for(method, s.high).level for s in dimension_spans if s]
        )
        if low != high:
            overall_border = border(method, method.phase_at(low), method.phase_at(high), language)
    return OverallResult(
        score=overall_score,
        mean_phase=phase_ref(mean_phase, language),
        phase=phase_ref(method.phase_at(level), language),
        rule=method.scoring.overall.rule,
        weakest=[d.id for d in present if d.phase is not None and d.phase.level == weakest_level],
        capped=level < mean_phase.level,
        interval=span,
        mean_border=None if mean_ends is None else border(method, *mean_ends, language),
        border=overall_border,
        road=road(method, figures, overall_score, level, language),
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
