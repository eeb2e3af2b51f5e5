"""Small, order-independent statistics.

Sums use `math.fsum`, which is exactly rounded, so results do not depend on the
order of the values (and so not on the order of respondents).
"""

from __future__ import annotations

import functools
import math
import operator
import statistics
from collections.abc import Iterable, Sequence

DECIMALS = 2


def rounded(value: float) -> float:
    """Round a score for storage and display."""
    return round(value, DECIMALS)


def mean(values: Sequence[float]) -> float:
    """Mean of a non-empty sequence."""
    return math.fsum(values) / len(values)


def spread(values: Sequence[float]) -> float:
    """Sample standard deviation; 0.0 for a single value."""
    if len(values) < 2:
        return 0.0
    centre = mean(values)
    deviations = [v - centre for v in values]
    return math.sqrt(math.fsum(map(operator.mul, deviations, deviations)) / (len(values) - 1))


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs; None when there are none."""
    items = list(pairs)
    if not items:
        return None
    return math.fsum(v * w for v, w in items) / math.fsum(w for _, w in items)


_EXACT_DF = 100  # beyond this the expansion below is exact to well within 1e-6


@functools.cache
def t_quantile(probability: float, df: int) -> float:
    """The ``probability`` quantile of Student's t distribution with ``df`` degrees of freedom.

    Up to 100 degrees of freedom the closed-form distribution function for an
    integer ``df`` (Abramowitz & Stegun 26.7.3/26.7.4) is inverted by
    bisection; beyond, the Cornish-Fisher expansion in 1/df around the normal
    quantile (A&S 26.7.5) is used, whose error there is far below 1e-6.
    """
    if df < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    if not 0.0 < probability < 1.0:
        raise ValueError("probability must lie strictly between 0 and 1")
    if probability < 0.5:
        return -t_quantile(1.0 - probability, df)
    if df > _EXACT_DF:
        return _t_expansion(probability, df)
    target = 2 * probability - 1
    low, high = 0.0, 1.0
    while _t_central(high, df) < target:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        if _t_central(middle, df) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _t_central(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with an integer number of degrees of freedom."""
    theta = math.atan(t / math.sqrt(df))
    sine, cosine = math.sin(theta), math.cos(theta)
    if df % 2 == 1:
        if df == 1:
            return 2 * theta / math.pi
        total = term = cosine
        for k in range(3, df - 1, 2):
            term *= (k - 1) / k * cosine * cosine
            total += term
        return 2 / math.pi * (theta + sine * total)
    total = term = 1.0
    for k in range(2, df - 1, 2):
        term *= (k - 1) / k * cosine * cosine
        total += term
    return sine * total


def _t_expansion(probability: float, df: int) -> float:
    x = statistics.NormalDist().inv_cdf(probability)
    terms = (
        (x**3 + x) / 4,
        (5 * x**5 + 16 * x**3 + 3 * x) / 96,
        (3 * x**7 + 19 * x**5 + 17 * x**3 - 15 * x) / 384,
        (79 * x**9 + 776 * x**7 + 1482 * x**5 - 1920 * x**3 - 945 * x) / 92160,
    )
    return x + math.fsum(term / df ** (power + 1) for power, term in enumerate(terms))
