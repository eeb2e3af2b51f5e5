"""Psychometrics per dimension: Cronbach's alpha and item-rest correlations.

Computed over the levels the answers earn (the values that enter the score),
unweighted, on the respondents who answered every scored question of the
dimension (listwise): a "don't know" or a skipped question leaves that
respondent out of the dimension's reliability, never out of its score. A
dimension needs two or more questions and `RELIABILITY_MIN_N` complete
respondents. All sums are exact (`math.fsum`), so the figures do not depend on
the order of the respondents.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from typing import cast

from klantladder.models.base import localize
from klantladder.models.result import DimensionReliability, ItemRest
from klantladder.scoring.levels import ScoredItem, ScoredResponses, scored_items
from klantladder.scoring.stats import rounded

RELIABILITY_MIN_N = 10
ALPHA_BAR = 0.7
ITEM_REST_BAR = 0.3


def reliability(scored: ScoredResponses, language: str) -> list[DimensionReliability]:
    """Cronbach's alpha and item-rest correlations for every dimension."""
    items = scored_items(scored.questionnaire)
    found = []
    for dimension in scored.questionnaire.content.dimensions:
        own = [item for item in items if item.dimension == dimension.id]
        title = localize(dimension.title, language)
        found.append(_dimension(scored, dimension.id, title, own))
    return found


def _complete_rows(scored: ScoredResponses, items: Sequence[ScoredItem]) -> list[tuple[float, ...]]:
    """The levels of the respondents who answered every item, one row per respondent."""
    columns: list[list[float | None]] = []
    complete: Iterable[bool] = repeat(True, len(scored.responses))
    for item in items:
        level: dict[int | None, float] = dict(zip(range(1, 6), item.levels, strict=True))
        column = list(map(level.get, scored.columns[item.id]))
        columns.append(column)
        complete = map(operator.and_, complete, map(operator.is_not, column, repeat(None)))
    rows = list(compress(zip(*columns, strict=True), complete))
    return cast(list[tuple[float, ...]], rows)


class _Moments:
    """Sums of a set of columns and their products, each summed exactly once."""

    def __init__(self, totals: Sequence[float]) -> None:
        self.n = len(totals)
        self.totals = totals
        self.total_sum = math.fsum(totals)

    def covariance(self, first: Sequence[float], second: Sequence[float]) -> float:
        """Sample covariance from exact sums (order-independent)."""
        products = math.fsum(map(operator.mul, first, second))
        first_sum = self.total_sum if first is self.totals else math.fsum(first)
        second_sum = self.total_sum if second is self.totals else math.fsum(second)
        return (products - first_sum * second_sum / self.n) / (self.n - 1)


def _dimension(
    scored: ScoredResponses, dimension: str, title: str, items: Sequence[ScoredItem]
) -> DimensionReliability:
    rows = _complete_rows(scored, items) if len(items) >= 2 else []
    common = {"dimension": dimension, "title": title, "items": len(items), "n": len(rows)}
    empty = [ItemRest(question=item.id, correlation=None, low=False) for item in items]
    if len(items) < 2:
        return DimensionReliability(
            **common, status="too_few_items", alpha=None, alpha_low=False, item_rest=empty
        )
    if len(rows) < RELIABILITY_MIN_N:
        return DimensionReliability(
            **common, status="too_few_respondents", alpha=None, alpha_low=False, item_rest=empty
        )
    columns = list(zip(*rows, strict=True))
    totals = list(map(sum, rows))  # a row's items always in questionnaire order
    moments = _Moments(totals)
    total_variance = moments.covariance(totals, totals)
    if total_variance <= 1e-12:
        return DimensionReliability(
            **common, status="no_variance", alpha=None, alpha_low=False, item_rest=empty
        )
    variances = [moments.covariance(column, column) for column in columns]
    k = len(items)
    alpha = rounded(k / (k - 1) * (1 - math.fsum(variances) / total_variance))
    rests = []
    for item, column, variance in zip(items, columns, variances, strict=True):
        with_total = moments.covariance(column, totals)
        rest_variance = total_variance - 2 * with_total + variance
        if variance <= 0 or rest_variance <= 1e-12:
            rests.append(ItemRest(question=item.id, correlation=None, low=False))
            continue
        correlation = rounded((with_total - variance) / math.sqrt(variance * rest_variance))
        rests.append(
            ItemRest(question=item.id, correlation=correlation, low=correlation < ITEM_REST_BAR)
        )
    return DimensionReliability(
        **common, status="computed", alpha=alpha, alpha_low=alpha < ALPHA_BAR, item_rest=rests
    )
