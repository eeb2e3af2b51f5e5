"""Where an organisation stands among a portfolio of others: versioned and JSON-serialisable.

A benchmark never holds anything that identifies another organisation: no
name, sector, assessor, date or single score of a peer; only counts, each
percentile rank and the median of at least `MIN_PEERS` organisations.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from klantladder.models.base import Identifier, StrictModel

BENCHMARK_FORMAT: Literal[1] = 1
"""Version of the benchmark format; raised when its meaning changes."""

MIN_PEERS = 5
"""A figure is only computed when at least this many other organisations have it."""


class Percentile(StrictModel):
    """The organisation's place among its peers on one figure (a dimension, or overall).

    The percentile rank is the share of peer organisations that score lower,
    ties counted half: ``100 * (lower + equal / 2) / peers``, rounded to one
    decimal. 0 means every peer scores higher, 100 that every peer scores
    lower, 50 the middle. Scores compare as rounded to two decimals, as shown.
    """

    score: float | None = Field(description="The organisation's own score, 1.0-5.0.")
    peers: int = Field(ge=0, description="Peer organisations with a score on this figure.")
    suppressed: bool = Field(
        description="True when fewer than `min_peers` peers have a score: no rank is given."
    )
    percentile: float | None = Field(
        ge=0,
        le=100,
        description="Percentile rank 0-100; None when suppressed or the organisation has no score.",
    )
    median: float | None = Field(
        description="Median score of the peers; None when suppressed.",
    )


class DimensionPercentile(Percentile):
    """The percentile rank on one dimension."""

    id: Identifier
    title: str = Field(description="Dimension title in the organisation's result language.")


class Skipped(StrictModel):
    """Portfolio results left out of the peer set, counted, never named."""

    other_method: int = Field(description="Results of another method: their scores do not compare.")
    own_organisation: int = Field(
        description="Results of the organisation itself (any date): it is not its own peer."
    )
    earlier_results: int = Field(
        description="Older results of a peer that has a newer one: each peer counts once."
    )
    without_organisation: int = Field(
        description="Results without assessment details, which cannot be told apart."
    )


class Benchmark(StrictModel):
    """Percentile ranks of an organisation's result among a portfolio of other organisations."""

    format: Literal[1] = Field(default=BENCHMARK_FORMAT, description="Benchmark format version.")
    generator: str = Field(description="The klantladder version that made the benchmark.")
    method_id: Identifier = Field(description="The method whose results were compared.")
    min_peers: int = Field(description="Fewest peers for which a figure is given.")
    peers: int = Field(ge=0, description="Peer organisations in the set.")
    dimensions: list[DimensionPercentile]
    overall: Percentile
    skipped: Skipped

    def dimension(self, dimension_id: str) -> DimensionPercentile:
        """The percentile rank on one dimension."""
        return next(d for d in self.dimensions if d.id == dimension_id)
