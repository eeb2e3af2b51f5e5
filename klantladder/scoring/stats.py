"""Small, order-independent statistics.

Sums use `math.fsum`, which is exactly rounded, so results do not depend on the
order of the values (and so not on the order of respondents).
"""

from __future__ import annotations

import math
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
    return math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1))


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs; None when there are none."""
    items = list(pairs)
    if not items:
        return None
    return math.fsum(v * w for v, w in items) / math.fsum(w for _, w in items)
