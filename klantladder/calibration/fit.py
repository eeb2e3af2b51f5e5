"""Fitting thresholds on a calibration set: a grid search, checked by leave-one-out.

The method, in words (the README says the same):

* The overall rule stays as it is (the weakest-rung cap); only the four
  thresholds move. Each threshold stays in its band (k-1, k], on a grid of
  ``step`` (0.05: 20 values per band), so thresholds always rise and a score of
  exactly k is always phase k.
* Every combination is tried. The best combination places the most
  organisations in their expected phase; among equals, the most within their
  acceptable phases; then the one whose misses are most balanced (the smallest
  difference between placed too low and too high), so that a one-sided bias
  loses; then the one closest to equal bands (1.8, 2.6, 3.4, 4.2), the
  thresholds one would choose without data.
* Leave-one-out: each organisation in turn is left out, the thresholds are
  fitted on the others, and the left-out organisation is placed by them. Its
  agreement says how well the method does on an organisation it has not seen.

Only the band a score falls in matters for its phase: a score in (k-1, k] is
phase k when it reaches the threshold of level k and phase k-1 otherwise. So
each organisation depends on at most two thresholds (those of the bands of its
overall score and of its weakest dimension), and grid values that place every
organisation alike are tried once (the one closest to equal bands stands for
them). That keeps the search exhaustive and fast.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from klantladder.calibration.cases import Case, place
from klantladder.models.method import OverallRule

FIRST_BAND = 2  # the threshold of level 2 is the first
BANDS = (2, 3, 4, 5)
PACK = 1 << 12  # counts are packed in one int: at most PACK - 1 organisations
MAX_ORGANISATIONS = PACK - 1


@dataclass(frozen=True)
class Search:
    """The outcome of one grid search."""

    thresholds: tuple[float, ...]
    exact: int
    within: int
    low: int
    high: int
    searched: int
    equally_good: int


def equal_bands() -> tuple[float, ...]:
    """Thresholds of five equal bands on 1-5: 1.8, 2.6, 3.4, 4.2."""
    return tuple(round(1 + 0.8 * (k - 1), 6) for k in BANDS)


def grid(step: float) -> list[list[float]]:
    """The grid values per band (k-1, k]; ``step`` must divide 1."""
    count = round(1 / step)
    if count < 1 or abs(count * step - 1) > 1e-9:
        raise ValueError(f"step {step} does not divide 1; use e.g. 0.05, 0.1 or 0.25")
    return [[round(k - 1 + step * j, 6) for j in range(1, count + 1)] for k in BANDS]


def band(score: float) -> int | None:
    """The band (k-1, k] a score falls in, as k; None for a score of at most 1."""
    if score <= 1:
        return None
    k = 2
    while score > k:
        k += 1
    return k


class _Grid:
    """Per band, the grid values that place the set differently, and the tables per case."""

    def __init__(self, cases: Sequence[Case], step: float, rule: OverallRule) -> None:
        self.rule = rule
        values = grid(step)
        targets = equal_bands()
        self.candidates: list[list[float]] = []
        for position, k in enumerate(BANDS):
            scores = sorted(
                {s for case in cases for s in (case.score, case.weakest) if band(s) == k}
            )
            by_class: dict[int, float] = {}
            for value in values[position]:
                below = sum(1 for s in scores if s < value)
                best = by_class.get(below)
                if best is None or abs(value - targets[position]) < abs(best - targets[position]):
                    by_class[below] = value
            self.candidates.append(sorted(by_class.values()))
        self.distance = [
            [abs(value - targets[position]) for value in candidates]
            for position, candidates in enumerate(self.candidates)
        ]
        self.tables = [self._table(case) for case in cases]

    def _table(self, case: Case) -> tuple[int | None, int | None, dict[tuple[int, int], int]]:
        """The case's packed outcome for every pair of candidates of its two bands."""
        a, b = band(case.score), band(case.weakest)
        positions = [None if k is None else k - FIRST_BAND for k in (a, b)]
        ranges = [range(1) if p is None else range(len(self.candidates[p])) for p in positions]
        pairs: Iterable[tuple[int, ...]] = itertools.product(*ranges)
        if positions[0] == positions[1]:  # both scores in one band: one threshold decides
            pairs = ((i, i) for i in ranges[0])
        table = {}
        for i, j in pairs:
            chosen = {
                p: self.candidates[p][x]
                for p, x in zip(positions, (i, j), strict=True)
                if p is not None
            }
            # Thresholds of other bands never change this case: any value in their band will do.
            thresholds = [chosen.get(p, float(k)) for p, k in enumerate(BANDS)]
            level = place(case.score, case.weakest, thresholds, self.rule)
            table[(i, j)] = _pack(case, level)
        return positions[0], positions[1], table

    def search(self, leave_out: int | None = None) -> Search:
        """The best combination over every case but ``leave_out``."""
        merged: dict[tuple[int | None, int | None], dict[tuple[int, int], int]] = {}
        for index, (a, b, table) in enumerate(self.tables):
            if index == leave_out:
                continue
            target = merged.setdefault((a, b), {})
            for pair, value in table.items():
                target[pair] = target.get(pair, 0) + value
        terms = [(a, b, table) for (a, b), table in merged.items()]
        best_key: tuple[float, ...] | None = None
        best: tuple[int, ...] = ()
        best_counts: tuple[int, int, int, int] = (0, 0, 0, 0)
        equally_good = searched = 0
        for combo in itertools.product(*(range(len(c)) for c in self.candidates)):
            searched += 1
            packed = 0
            for a, b, table in terms:
                packed += table[(0 if a is None else combo[a], 0 if b is None else combo[b])]
            counts = _unpack(packed)
            exact, within, low, high = counts
            distance = sum(self.distance[p][x] for p, x in enumerate(combo))
            quality = (-exact, -within, abs(low - high))
            key: tuple[float, ...] = (*quality, round(distance, 9), *self._values(combo))
            if best_key is None or quality < best_key[:3]:
                equally_good = 1
            elif quality == best_key[:3]:
                equally_good += 1
            if best_key is None or key < best_key:
                best_key, best, best_counts = key, combo, counts
        return Search(self._values(best), *best_counts, searched, equally_good)

    def _values(self, combo: Sequence[int]) -> tuple[float, ...]:
        return tuple(self.candidates[p][x] for p, x in enumerate(combo))


def _pack(case: Case, level: int) -> int:
    exact = int(level == case.expected)
    within = int(exact or level in case.acceptable)
    low, high = int(level < case.expected), int(level > case.expected)
    return ((exact * PACK + within) * PACK + low) * PACK + high


def _unpack(packed: int) -> tuple[int, int, int, int]:
    high, packed = packed % PACK, packed // PACK
    low, packed = packed % PACK, packed // PACK
    within, exact = packed % PACK, packed // PACK
    return exact, within, low, high


@dataclass(frozen=True)
class LeftOutPlacement:
    """One case placed by thresholds fitted without it."""

    case: Case
    thresholds: tuple[float, ...]
    level: int


@dataclass(frozen=True)
class FitOutcome:
    """The fit on the whole set and, for three or more cases, leave-one-out."""

    search: Search
    left_out: tuple[LeftOutPlacement, ...] | None


def fit_thresholds(cases: Sequence[Case], step: float = 0.05) -> FitOutcome:
    """Fit thresholds on the cases (which share one method and rule) and run leave-one-out."""
    if len(cases) > MAX_ORGANISATIONS:
        raise ValueError(f"a calibration set holds at most {MAX_ORGANISATIONS} organisations")
    rule = cases[0].method.scoring.overall
    search_grid = _Grid(cases, step, rule)
    whole = search_grid.search()
    if len(cases) < 3:
        return FitOutcome(whole, None)
    left_out = []
    for index, case in enumerate(cases):
        thresholds = search_grid.search(leave_out=index).thresholds
        level = place(case.score, case.weakest, thresholds, rule)
        left_out.append(LeftOutPlacement(case, thresholds, level))
    return FitOutcome(whole, tuple(left_out))
