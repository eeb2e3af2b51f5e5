"""Why this phase, and where to focus: sentences built from the method's templates.

All wording comes from the method's ``explanations`` (YAML); this module only
decides which sentence applies and fills in its placeholders.
"""

from __future__ import annotations

import string

from klantladder.formatting import format_score
from klantladder.models.base import localize
from klantladder.models.method import Method, Phase
from klantladder.models.result import Border, DimensionResult, FocusPoint, OverallResult, Road
from klantladder.scoring.levels import phase_ref
from klantladder.scoring.uncertainty import INTERVAL_MIN_N


def _fill(template: str | dict[str, str], language: str, **values: str) -> str:
    return string.Template(localize(template, language)).safe_substitute(values)


def join_names(method: Method, names: list[str], language: str) -> str:
    """Names as a list in words: 'A', 'A en B', 'A, B en C'."""
    if len(names) < 2:
        return "".join(names)
    return _fill(
        method.explanations.list_and, language, first=", ".join(names[:-1]), last=names[-1]
    )


def border(method: Method, lower: Phase, upper: Phase, language: str) -> Border:
    """A border between the phases of an interval's two ends, with its words."""
    template = (
        method.explanations.border
        if upper.level == lower.level + 1
        else method.explanations.border_wide
    )
    lower_ref, upper_ref = phase_ref(lower, language), phase_ref(upper, language)
    return Border(
        lower=lower_ref,
        upper=upper_ref,
        text=_fill(template, language, lower=lower_ref.name, upper=upper_ref.name),
    )


def focus_points(
    method: Method, present: list[DimensionResult], overall: OverallResult, language: str
) -> list[FocusPoint]:
    """The dimensions where a step up pays off most.

    Lowest rung first (it holds the overall phase down); among equals, the one
    closest to its next threshold; then the heavier weight, then the declared
    order. Dimensions already in the top phase are skipped. The reason names the
    lowest phase only when other dimensions stand higher. A dimension is only
    called the quickest win when its distance to the next threshold is larger
    than its margin; otherwise the reason says that it lies within the margin,
    or that the margin is unknown.
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
    levels = {d.phase.level for d in present if d.phase}
    weakest_level = min(levels, default=top)
    # "In the lowest phase" only sets a dimension apart when others stand higher;
    # when all share one phase, the distance to the next threshold is the reason.
    lowest_sets_apart = len(levels) > 1
    points = []
    for dimension in candidates[: method.scoring.focus_dimensions]:
        assert dimension.phase is not None
        level = dimension.phase.level
        next_phase = method.phase_at(level + 1)
        points.append(
            FocusPoint(
                dimension=dimension.id,
                title=dimension.title,
                reason=_focus_reason(
                    method, dimension, lowest_sets_apart and level == weakest_level, language
                ),
                phase=dimension.phase,
                next_phase=phase_ref(next_phase, language),
            )
        )
    return points


def _focus_reason(method: Method, dimension: DimensionResult, weakest: bool, language: str) -> str:
    texts = method.explanations
    assert dimension.phase is not None
    if weakest:
        return _fill(texts.focus_weakest, language, phase=dimension.phase.name)
    next_phase = method.phase_at(dimension.phase.level + 1)
    values = {
        "gap": format_score(dimension.gap_to_next or 0.0, language),
        "next_phase": localize(next_phase.name, language),
    }
    span = dimension.interval
    if span is None:
        return _fill(texts.focus_nearest, language, **values)
    if span.high >= method.scoring.thresholds[next_phase.id] and dimension.border is not None:
        return _fill(
            texts.focus_border,
            language,
            phase=dimension.phase.name,
            border=dimension.border.text,
            **values,
        )
    return _fill(texts.focus_closest, language, **values)


def explain(
    method: Method,
    present: list[DimensionResult],
    overall: OverallResult,
    focus: list[FocusPoint],
    language: str,
) -> list[str]:
    """The 'why this phase' text, sentence by sentence.

    Every number in a sentence belongs to what that sentence names: the mean's
    figures to the mean, a dimension's to that dimension.
    """
    texts = method.explanations
    sentences = [_mean_sentence(method, overall, language)]
    if overall.interval is None:
        sentences.append(_fill(texts.no_interval, language, minimum=str(INTERVAL_MIN_N)))
    weakest = [d for d in present if d.id in overall.weakest]
    weakest_names = join_names(method, [d.title for d in weakest], language)
    weakest_phase = weakest[0].phase.name if weakest and weakest[0].phase else ""
    steps = method.scoring.overall.max_steps_above_weakest
    if overall.capped and overall.rule == "capped_by_weakest" and steps > 0:
        sentences.append(
            _fill(
                texts.capped,
                language,
                phase=overall.phase.name,
                weakest=weakest_names,
                weakest_phase=weakest_phase,
                steps=localize(texts.phase_counts[steps], language),
            )
        )
    elif overall.capped:
        sentences.append(
            _fill(
                texts.weakest_rule,
                language,
                phase=overall.phase.name,
                weakest=weakest_names,
                weakest_phase=weakest_phase,
            )
        )
    if overall.border is not None:
        sentences.append(
            _fill(
                texts.phase_border, language, phase=overall.phase.name, border=overall.border.text
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
    if overall.road is None:
        sentences.append(_fill(texts.top, language, phase=overall.phase.name))
    else:
        sentences += road_sentences(method, overall.road, language)
    sentences += [
        _fill(texts.focus, language, dimension=point.title, reason=point.reason) for point in focus
    ]
    return sentences


def _mean_sentence(method: Method, overall: OverallResult, language: str) -> str:
    texts = method.explanations
    score = format_score(overall.score, language)
    span = overall.interval
    if span is None:
        return _fill(texts.mean_phase, language, score=score, phase=overall.mean_phase.name)
    values = {
        "score": score,
        "low": format_score(span.low, language),
        "high": format_score(span.high, language),
    }
    if overall.mean_border is not None:
        return _fill(texts.mean_border, language, border=overall.mean_border.text, **values)
    return _fill(texts.mean_interval, language, phase=overall.mean_phase.name, **values)


def road_sentences(method: Method, road: Road, language: str) -> list[str]:
    """The road to the next phase in words: each condition once, with its own numbers."""
    texts = method.explanations
    next_phase = road.target.name
    sentences = [
        _fill(
            texts.lifts,
            language,
            dimension=condition.title,
            next_phase=next_phase,
            phase=condition.phase.name,
            score=format_score(condition.score, language),
            threshold=format_score(condition.threshold, language),
            gap=format_score(condition.gap, language),
        )
        for condition in road.dimensions
    ]
    mean = road.mean
    if mean is None:
        return sentences
    values = {
        "next_phase": next_phase,
        "score": format_score(mean.score, language),
        "threshold": format_score(mean.threshold, language),
        "gap": format_score(mean.gap, language),
        "after": format_score(mean.after, language),
        "remaining": format_score(mean.remaining, language),
        "dimensions": join_names(method, [c.title for c in road.dimensions], language),
    }
    if not road.dimensions:
        sentences.append(_fill(texts.road_mean, language, **values))
    elif mean.remaining > 0:
        sentences.append(_fill(texts.road_mean_rest, language, **values))
    else:
        sentences.append(_fill(texts.road_mean_follows, language, **values))
    return sentences
