"""The exhaustive threshold search behind the fit, for each cap of the weakest-rung rule.

Only the band a score falls in matters for its phase: a score in (k-1, k] is
phase k when it reaches the threshold of level k and phase k-1 otherwise. So
each organisation depends on at most two thresholds (those of the bands of its
overall score and of its weakest dimension), and grid values that place every
organisation alike are tried once (the one closest to equal bands stands for
them). Those classes depend on the scores only, not on the cap, so they are
found once; each cap adds its own table of outcomes per organisation. That
keeps the search exhaustive and fast.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from klantladder.calibration.cases import Case, place
from klantladder.models.calibration import Quality, quality
from klantladder.models.method import OverallRule

FIRST_BAND = 2  # the threshold of level 2 is the first
BANDS = (2, 3, 4, 5)
PACK = 1 << 12  # counts are packed in one int: at most PACK - 1 organisations
MAX_ORGANISATIONS = PACK - 1

_Table = dict[tuple[int, int], int]


@dataclass(frozen=True)
class Search:
    """The best thresholds for one cap of the weakest-rung rule, and how they do."""

    cap: int
    thresholds: tuple[float, ...]
    exact: int
    within: int
    low: int
    high: int
    searched: int
    equally_good: int
    distance: float  # from equal bands, summed over the thresholds

    @property
    def quality(self) -> Quality:
        """The fit's order of agreement (smaller is better)."""
        return quality(self.exact, self.within, self.low, self.high)


def capped(cap: int) -> OverallRule:
    """The weakest-rung rule with ``cap`` rungs allowed above the weakest dimension."""
    return OverallRule(rule="capped_by_weakest", max_steps_above_weakest=cap)


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


class Grid:
    """Per band, the grid values that place the set differently; per cap, the tables per case."""

    def __init__(self, cases: Sequence[Case], step: float, caps: Sequence[int]) -> None:
        if len(cases) > MAX_ORGANISATIONS:
            raise ValueError(f"a calibration set holds at most {MAX_ORGANISATIONS} organisations")
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
        self.tables = {cap: [self._table(case, capped(cap)) for case in cases] for cap in caps}

    def _table(self, case: Case, rule: OverallRule) -> tuple[int | None, int | None, _Table]:
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
            level = place(case.score, case.weakest, thresholds, rule)
            table[(i, j)] = _pack(case, level)
        return positions[0], positions[1], table

    def search(self, cap: int, leave_out: int | None = None) -> Search:
        """The best thresholds with ``cap`` over every case but ``leave_out``."""
        merged: dict[tuple[int | None, int | None], _Table] = {}
        for index, (a, b, table) in enumerate(self.tables[cap]):
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
            distance = round(sum(self.distance[p][x] for p, x in enumerate(combo)), 9)
            order = quality(*counts)
            key: tuple[float, ...] = (*order, distance, *self._values(combo))
            if best_key is None or order < best_key[:3]:
                equally_good = 1
            elif order == best_key[:3]:
                equally_good += 1
            if best_key is None or key < best_key:
                best_key, best, best_counts = key, combo, counts
        assert best_key is not None
        return Search(cap, self._values(best), *best_counts, searched, equally_good, best_key[3])

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
