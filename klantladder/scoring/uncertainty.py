"""How sure a score is: t-intervals over respondents, and whether a phase is firm.

A dimension's score is the mean of its respondents' scores, so its interval is
the textbook t-interval of a mean: score ± t(n - 1) · sd / √n, with the
method's confidence level (default 95 %). The overall score is a weighted mean
of dimension means that share respondents; its standard error is estimated from
each respondent's contribution to it (the delta method, or influence function),
which counts the correlation between dimensions, with n - 1 degrees of freedom
for the n respondents who scored any dimension.

Everything here is computed from exact sums (`math.fsum`) in a fixed order of
dimensions, so an interval does not depend on the order of the respondents, and
the same input always gives the same interval. With fewer than
`INTERVAL_MIN_N` respondents there is no interval: the spread of two answers
says next to nothing about the spread in the organisation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from klantladder.models.method import Method, Phase
from klantladder.models.result import Interval
from klantladder.scoring.levels import ScoredResponses, phase_for
from klantladder.scoring.stats import mean, rounded, spread, t_quantile

INTERVAL_MIN_N = 3
"""Fewest respondents for which an interval is computed."""


def _critical(confidence: float, df: int) -> float:
    return t_quantile((1.0 + confidence) / 2.0, df)


def mean_margin(
    values: Sequence[float], confidence: float, sd: float | None = None
) -> float | None:
    """Half-width of the t-interval of the mean of ``values``; None below the minimum n.

    ``sd``, when given, is their sample standard deviation, already computed.
    """
    n = len(values)
    if n < INTERVAL_MIN_N:
        return None
    return _critical(confidence, n - 1) * (spread(values) if sd is None else sd) / math.sqrt(n)


def weighted_margin(
    scored: ScoredResponses, weights: Mapping[str, float], confidence: float
) -> float | None:
    """Half-width of the interval of the weighted mean of dimension means.

    ``weights`` names the dimensions the weighted mean is taken over. None when
    any of them has fewer than `INTERVAL_MIN_N` respondents.
    """
    dimensions = list(weights)
    if not dimensions:
        return None
    columns = [scored.dimension_columns[d] for d in dimensions]
    values = [[v for v in column if v is not None] for column in columns]
    if any(len(found) < INTERVAL_MIN_N for found in values):
        return None
    total_weight = math.fsum(weights.values())
    centres = [mean(found) for found in values]
    shares = [
        weights[dimension] / total_weight / len(found)
        for dimension, found in zip(dimensions, values, strict=True)
    ]
    del values
    terms = list(zip(shares, centres, strict=True))

    def contribution(row: tuple[float | None, ...]) -> float:
        """One respondent's contribution, summed over the dimensions exactly."""
        return math.fsum(
            [
                0.0 if v is None else share * (v - centre)
                for (share, centre), v in zip(terms, row, strict=True)
            ]
        )

    # A respondent at a time: a column of contributions per dimension would cost
    # 30 MB at 100,000 respondents. fsum is exact, so the order does not matter.
    n = scored.scored_count(dimensions)
    square_sum = math.fsum(c * c for c in map(contribution, zip(*columns, strict=True)))
    variance = n / (n - 1) * square_sum
    return _critical(confidence, n - 1) * math.sqrt(variance)


def interval(score: float, margin: float | None) -> Interval | None:
    """The interval score ± margin, kept within 1-5 and rounded like scores."""
    if margin is None:
        return None
    return Interval(
        low=rounded(max(1.0, score - margin)),
        high=rounded(min(5.0, score + margin)),
        margin=rounded(margin),
    )


def combined_margin(first: float | None, second: float | None) -> float | None:
    """The margin of a difference between two independent measurements: sqrt(m1² + m2²)."""
    if first is None or second is None:
        return None
    return rounded(math.hypot(first, second))


def meaningful(difference: float, margin: float | None) -> bool:
    """Whether a difference is larger than the uncertainty of both measurements."""
    return margin is not None and abs(difference) > margin


def phase_span(method: Method, span: Interval | None) -> tuple[Phase, Phase] | None:
    """The phases of an interval's two ends when they differ (the score is on a border)."""
    if span is None:
        return None
    lower, upper = phase_for(method, span.low), phase_for(method, span.high)
    return None if lower.level == upper.level else (lower, upper)
