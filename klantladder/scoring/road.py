"""The overall rule, and the road to the next phase computed from it.

Under ``capped_by_weakest`` (k = ``max_steps_above_weakest``) the overall phase
is min(phase of the mean, phase of the weakest dimension + k). So phase L + 1
needs (a) the mean at the threshold of L + 1 and (b) every dimension at least
in phase L + 1 - k. Under ``weakest`` only (b) with k = 0 counts; under
``mean`` only (a). The road names each dimension below the required phase with
its own gap, and the mean's part beyond what those dimensions bring to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from klantladder.models.method import Method
from klantladder.models.result import DimensionCondition, MeanCondition, Road
from klantladder.scoring.levels import phase_for, phase_ref
from klantladder.scoring.stats import rounded, weighted_mean


@dataclass(frozen=True)
class Figure:
    """A dimension as the overall rule sees it: its (rounded) score and weight."""

    id: str
    title: str
    score: float
    weight: float


def rule_level(method: Method, mean: float, levels: Iterable[int]) -> int:
    """The overall phase level by the method's rule, from the mean and the dimensions' levels."""
    rule = method.scoring.overall
    weakest = min(levels)
    mean_level = phase_for(method, mean).level
    if rule.rule == "mean":
        return mean_level
    if rule.rule == "weakest":
        return weakest
    return min(mean_level, weakest + rule.max_steps_above_weakest)


def overall_mean(figures: Iterable[Figure]) -> float:
    """The weighted mean of the figures' scores, rounded like the overall score."""
    value = weighted_mean((f.score, f.weight) for f in figures)
    assert value is not None
    return rounded(value)


def required_level(method: Method, target: int) -> int | None:
    """The phase every dimension must be in for the organisation to reach ``target``."""
    rule = method.scoring.overall
    if rule.rule == "mean":
        return None
    steps = 0 if rule.rule == "weakest" else rule.max_steps_above_weakest
    required = target - steps
    return required if required > 1 else None


def road(
    method: Method, figures: Sequence[Figure], mean: float, level: int, language: str
) -> Road | None:
    """What must change to reach the phase above ``level``; None in the top phase."""
    if level >= len(method.phases):
        return None
    thresholds = method.scoring.thresholds
    target = method.phase_at(level + 1)
    required = required_level(method, target.level)
    conditions: list[DimensionCondition] = []
    if required is not None:
        phase = method.phase_at(required)
        threshold = thresholds[phase.id]
        for figure in figures:
            if phase_for(method, figure.score).level < required:
                conditions.append(
                    DimensionCondition(
                        dimension=figure.id,
                        title=figure.title,
                        phase=phase_ref(phase, language),
                        score=figure.score,
                        threshold=threshold,
                        gap=rounded(threshold - figure.score),
                    )
                )
    mean_condition = None
    threshold = thresholds[target.id]
    if method.scoring.overall.rule != "weakest" and mean < threshold:
        raised = {c.dimension: c.threshold for c in conditions}
        after = overall_mean(
            Figure(f.id, f.title, raised.get(f.id, f.score), f.weight) for f in figures
        )
        mean_condition = MeanCondition(
            score=mean,
            threshold=threshold,
            gap=rounded(threshold - mean),
            after=after,
            remaining=rounded(max(threshold - after, 0.0)),
        )
    return Road(target=phase_ref(target, language), dimensions=conditions, mean=mean_condition)
