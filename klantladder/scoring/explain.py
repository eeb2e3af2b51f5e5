"""Why this phase, and where to focus: sentences built from the method's templates.

All wording comes from the method's ``explanations`` (YAML); this module only
decides which sentence applies and fills in its placeholders.
"""

from __future__ import annotations

import string

from klantladder.formatting import format_score
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.result import DimensionResult, FocusPoint, OverallResult, PhaseRef


def _fill(template: str | dict[str, str], language: str, **values: str) -> str:
    return string.Template(localize(template, language)).safe_substitute(values)


def focus_points(
    method: Method, present: list[DimensionResult], overall: OverallResult, language: str
) -> list[FocusPoint]:
    """The dimensions where a step up pays off most.

    Lowest rung first (it holds the overall phase down); among equals, the one
    closest to its next threshold (the quickest win); then the heavier weight,
    then the declared order. Dimensions already in the top phase are skipped.
    """
    top = len(method.phases)
    order = {d.id: i for i, d in enumerate(method.dimensions)}
    candidates = [d for d in present if d.phase is not None and d.phase.level < top]
    candidates.sort(
        key=lambda d: (
            d.phase.level if d.phase else top,
            d.gap_to_next if d.gap_to_next is not None else 99.0,
            -d.weight,
            order[d.id],
        )
    )
    weakest_level = min((d.phase.level for d in present if d.phase), default=top)
    points = []
    for dimension in candidates[: method.scoring.focus_dimensions]:
        assert dimension.phase is not None
        level = dimension.phase.level
        next_phase = method.phase_at(level + 1)
        if level == weakest_level:
            reason = _fill(method.explanations.focus_weakest, language, phase=dimension.phase.name)
        else:
            reason = _fill(
                method.explanations.focus_closest,
                language,
                gap=format_score(dimension.gap_to_next or 0.0, language),
                next_phase=localize(next_phase.name, language),
            )
        points.append(
            FocusPoint(
                dimension=dimension.id,
                title=dimension.title,
                reason=reason,
                phase=dimension.phase,
                next_phase=PhaseRef(
                    id=next_phase.id,
                    level=next_phase.level,
                    name=localize(next_phase.name, language),
                ),
            )
        )
    return points


def explain(
    method: Method,
    present: list[DimensionResult],
    overall: OverallResult,
    focus: list[FocusPoint],
    language: str,
) -> list[str]:
    """The 'why this phase' text, sentence by sentence."""
    texts = method.explanations
    sentences = [
        _fill(
            texts.mean_phase,
            language,
            score=format_score(overall.score, language),
            phase=overall.mean_phase.name,
        )
    ]
    weakest = [d for d in present if d.id in overall.weakest]
    weakest_names = ", ".join(d.title for d in weakest)
    weakest_phase = weakest[0].phase.name if weakest and weakest[0].phase else ""
    if overall.capped and overall.rule == "capped_by_weakest":
        sentences.append(
            _fill(
                texts.capped,
                language,
                phase=overall.phase.name,
                weakest=weakest_names,
                weakest_phase=weakest_phase,
                steps=str(method.scoring.overall.max_steps_above_weakest),
            )
        )
    elif overall.capped and overall.rule == "weakest":
        sentences.append(
            _fill(
                texts.weakest_rule,
                language,
                phase=overall.phase.name,
                weakest=weakest_names,
                weakest_phase=weakest_phase,
            )
        )
    if len(present) > 1:
        lowest = min(present, key=lambda d: d.mean if d.mean is not None else 9.0)
        if lowest.mean is not None and lowest.phase is not None:
            sentences.append(
                _fill(
                    texts.holds_back,
                    language,
                    dimension=lowest.title,
                    score=format_score(lowest.mean, language),
                    phase=lowest.phase.name,
                )
            )
    if overall.phase.level == len(method.phases):
        sentences.append(_fill(texts.top, language, phase=overall.phase.name))
    else:
        sentences.append(_lifts(method, present, overall, focus, language))
    sentences += [
        _fill(texts.focus, language, dimension=point.title, reason=point.reason) for point in focus
    ]
    return sentences


def _lifts(
    method: Method,
    present: list[DimensionResult],
    overall: OverallResult,
    focus: list[FocusPoint],
    language: str,
) -> str:
    """What lifts the organisation to the next phase, from the numbers."""
    next_phase = method.phase_at(overall.phase.level + 1)
    if overall.capped:
        # The weakest rung holds the phase: lifting it raises the cap.
        candidates = [d for d in present if d.id in overall.weakest]
        dimension = min(candidates, key=lambda d: d.gap_to_next or 0.0)
        gap = dimension.gap_to_next or 0.0
        assert dimension.phase is not None
        threshold = method.scoring.thresholds[method.phase_at(dimension.phase.level + 1).id]
        title = dimension.title
    else:
        threshold = method.scoring.thresholds[next_phase.id]
        gap = max(threshold - overall.score, 0.0)
        title = focus[0].title if focus else present[0].title
    return _fill(
        method.explanations.lifts,
        language,
        dimension=title,
        next_phase=localize(next_phase.name, language),
        gap=format_score(gap, language),
        threshold=format_score(threshold, language),
    )
