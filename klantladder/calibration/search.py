"""The exhaustive threshold search behind the fit, for each cap of the weakest-rung rule.

A threshold may lie anywhere on the grid over (1, 5], as long as the four rise.
An organisation's phase by a score is 1 + the number of thresholds at or below
that score, and its overall phase needs two scores: its overall score and its
weakest dimension's. So grid values with no score of the set between them place
every organisation alike: they form one *class*, and the search tries classes,
not values. A combination is four classes in rising order; several thresholds
may share a class when it holds enough grid values. Of each combination the
values closest to equal bands (1.8, 2.6, 3.4, 4.2) stand for it, since the
values within a class change nothing else.

Each organisation is reduced to its *positions*: how many classes lie at or
below its overall score and its weakest score. The outcomes (exact, within
acceptable, too low, too high) of all organisations are added in one packed
integer per combination. The combinations are swept with the highest threshold
innermost: moving it one class up changes only the organisations with a score in
that class, so a combination costs a few additions, not one per organisation.

Leave-one-out needs no new sweep: leaving one organisation out lowers any
combination's exact count by at most one, so the best fit without it is among
the combinations within one exact placement of the best on the whole set. Those
are kept with their packed counts, and the left-out organisation's own outcome
is subtracted from each. Both steps are exhaustive: no combination that could
win is ever skipped.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from klantladder.calibration.cases import Case
from klantladder.models.calibration import Quality, quality
from klantladder.models.method import OverallRule

THRESHOLDS = 4  # one for each phase above level 1
LEVELS = THRESHOLDS + 1
LOWEST, HIGHEST = 1, 5  # thresholds lie in (LOWEST, HIGHEST]
PACK_BITS = 12  # counts are packed in one int: at most PACK - 1 organisations
PACK = 1 << PACK_BITS
MAX_ORGANISATIONS = PACK - 1
MAX_COMBINATIONS = 2_000_000
"""The most combinations one cap may need: enough for any set at a step of 0.05
(80 values, at most 1,837,620 rising combinations), a bound on time and memory
at finer steps."""

_MASK = PACK - 1
_EXACT = 3 * PACK_BITS  # shift to the exact count
_PRUNE_AT = 100_000  # kept candidates before those the best has left behind are dropped
_Combo = tuple[int, int, int, int]  # a class for each threshold, rising
_Candidate = tuple[int, _Combo, int]  # packed counts, combination, distance
_Run = tuple[int, tuple[int, ...]]  # distance and grid indices of thresholds sharing a class


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
    distance: int  # from equal bands, summed over the thresholds, in fifths of a grid step

    @property
    def quality(self) -> Quality:
        """The fit's order of agreement (smaller is better)."""
        return quality(self.exact, self.within, self.low, self.high)


def capped(cap: int) -> OverallRule:
    """The weakest-rung rule with ``cap`` rungs allowed above the weakest dimension."""
    return OverallRule(rule="capped_by_weakest", max_steps_above_weakest=cap)


def equal_bands() -> tuple[float, ...]:
    """Thresholds of five equal bands on 1-5: 1.8, 2.6, 3.4, 4.2."""
    return tuple(round(LOWEST + 0.8 * k, 6) for k in range(1, LEVELS))


def grid(step: float) -> list[float]:
    """The grid values over (1, 5], rising; ``step`` must divide 1."""
    count = _per_unit(step)
    return [round(LOWEST + j / count, 6) for j in range(1, (HIGHEST - LOWEST) * count + 1)]


def _per_unit(step: float) -> int:
    count = round(1 / step)
    if count < 1 or abs(count * step - 1) > 1e-9:
        raise ValueError(f"step {step} does not divide 1; use e.g. 0.05, 0.1 or 0.25")
    return count


class Grid:
    """The classes of grid values, the organisations' positions, and a sweep per cap."""

    def __init__(self, cases: Sequence[Case], step: float) -> None:
        if len(cases) > MAX_ORGANISATIONS:
            raise ValueError(f"a calibration set holds at most {MAX_ORGANISATIONS} organisations")
        self.cases = cases
        count = _per_unit(step)
        values = grid(step)
        scores = sorted({s for case in cases for s in (case.score, case.weakest)})
        classes: list[list[int]] = []  # grid indices (1-based) of each class
        previous = -1
        for j, value in enumerate(values, start=1):
            below = bisect.bisect_left(scores, value)  # scores under this value
            if below != previous:
                classes.append([])
                previous = below
            classes[-1].append(j)
        self.classes = classes
        self._value = [0.0, *values]  # by grid index
        firsts = [self._value[members[0]] for members in classes]
        # A threshold in class q is at or below a score when q < the score's position.
        self.positions = [
            (bisect.bisect_right(firsts, case.score), bisect.bisect_right(firsts, case.weakest))
            for case in cases
        ]
        # Distance to equal bands in fifths of a step: value 1 + j/count, target 1 + 4(k+1)/5.
        self._targets = [4 * count * (k + 1) for k in range(THRESHOLDS)]
        self._runs = [
            [
                [_closest(members, self._targets[k : k + size]) for size in range(THRESHOLDS + 1)]
                for k in range(THRESHOLDS)
            ]
            for members in classes
        ]
        self.combinations = _count(len(members) for members in classes)
        if self.combinations > MAX_COMBINATIONS:
            raise ValueError(
                f"the search would try {self.combinations:,} combinations of thresholds per cap, "
                f"more than {MAX_COMBINATIONS:,}; use a coarser step"
            )
        self._swept: dict[int, tuple[list[_Candidate], list[list[int]]]] = {}

    def search(self, cap: int, leave_out: int | None = None) -> Search:
        """The best thresholds with ``cap`` over every case but ``leave_out``."""
        candidates, tables = self._sweep(cap)
        if leave_out is not None:
            own = tables[leave_out]
            mean, weak = self.positions[leave_out]
            candidates = [
                (
                    packed
                    - own[
                        bisect.bisect_left(combo, mean) * LEVELS + bisect.bisect_left(combo, weak)
                    ],
                    combo,
                    distance,
                )
                for packed, combo, distance in candidates
            ]
        floor = max(packed >> _EXACT for packed, _, _ in candidates)
        best_key: tuple[int, ...] | None = None
        best: _Candidate | None = None
        equally_good = 0
        for candidate in candidates:
            packed, combo, distance = candidate
            if packed >> _EXACT < floor:
                continue
            order = quality(*_unpack(packed))
            key = (*order, distance)
            if best_key is None or order < best_key[:3]:
                equally_good = 1
            elif order == best_key[:3]:
                equally_good += 1
            if best_key is None or key < best_key:
                best_key, best = key, candidate
            elif key == best_key:
                assert best is not None
                if self.values(combo) < self.values(best[1]):
                    best = candidate
        assert best is not None
        packed, combo, distance = best
        return Search(
            cap, self.values(combo), *_unpack(packed), self.combinations, equally_good, distance
        )

    def values(self, combo: Sequence[int]) -> tuple[float, ...]:
        """The thresholds that stand for a combination of classes: closest to equal bands."""
        chosen: list[float] = []
        for run in self._choices(combo):
            assert run is not None
            chosen += (self._value[j] for j in run[1])
        return tuple(chosen)

    def _distance(self, combo: Sequence[int]) -> int | None:
        """The combination's distance from equal bands; None when a class is too small."""
        total = 0
        for run in self._choices(combo):
            if run is None:
                return None
            total += run[0]
        return total

    def _choices(self, combo: Sequence[int]) -> Iterator[_Run | None]:
        """For each run of thresholds in one class, its best values (None: they do not fit)."""
        k = 0
        while k < len(combo):
            size = 1
            while k + size < len(combo) and combo[k + size] == combo[k]:
                size += 1
            yield self._runs[combo[k]][k][size]
            k += size

    def _sweep(self, cap: int) -> tuple[list[_Candidate], list[list[int]]]:
        """Every combination's packed counts for ``cap``; keeps those that may win a fit.

        Kept are the combinations within one exact placement of the best, so that
        leaving out any one organisation cannot make another combination win.
        """
        if cap in self._swept:
            return self._swept[cap]
        tables = [_table(case, cap) for case in self.cases]
        merged: dict[tuple[int, int], list[int]] = {}
        for position, table in zip(self.positions, tables, strict=True):
            total = merged.setdefault(position, [0] * LEVELS * LEVELS)
            for index, value in enumerate(table):
                total[index] += value
        groups = [(mean, weak, table) for (mean, weak), table in merged.items()]
        size = len(self.classes)
        # The groups whose phase changes when the highest threshold moves up into class q.
        moving: list[list[tuple[int, int, list[int]]]] = [[] for _ in range(size + 1)]
        for group in groups:
            for where in {group[0], group[1]}:
                moving[where].append(group)
        alone = [runs[THRESHOLDS - 1][1] for runs in self._runs]
        kept: list[_Candidate] = []
        best = 0  # the most exact placements so far
        limit = _PRUNE_AT
        for a in range(size):
            for b in range(a, size):
                for c in range(b, size):
                    prefix = self._distance((a, b, c))
                    if prefix is None:  # a class holds too few values for its thresholds
                        continue
                    # The highest threshold starts in the class of the third (when it fits
                    # there too) and moves up one class at a time.
                    packed = 0
                    for mean, weak, table in groups:
                        n = (a < mean) + (b < mean) + 2 * (c < mean)
                        m = (a < weak) + (b < weak) + 2 * (c < weak)
                        packed += table[n * LEVELS + m]
                    combos: list[_Candidate] = []
                    shared = self._distance((a, b, c, c))
                    if shared is not None:
                        combos.append((packed, (a, b, c, c), shared))
                    for d in range(c + 1, size):
                        for mean, weak, table in moving[d]:
                            n = (a < mean) + (b < mean) + (c < mean)
                            m = (a < weak) + (b < weak) + (c < weak)
                            packed += (
                                table[(n + (d < mean)) * LEVELS + m + (d < weak)]
                                - table[(n + (d <= mean)) * LEVELS + m + (d <= weak)]
                            )
                        run = alone[d]
                        assert run is not None
                        combos.append((packed, (a, b, c, d), prefix + run[0]))
                    for candidate in combos:
                        exact = candidate[0] >> _EXACT
                        if exact + 1 >= best:
                            kept.append(candidate)
                            best = max(best, exact)
                    if len(kept) > limit:
                        kept = [k for k in kept if (k[0] >> _EXACT) + 1 >= best]
                        limit = max(_PRUNE_AT, 2 * len(kept))
        kept = [k for k in kept if (k[0] >> _EXACT) + 1 >= best]
        self._swept[cap] = (kept, tables)
        return kept, tables


def _closest(members: Sequence[int], targets: Sequence[int]) -> _Run | None:
    """Rising grid indices from ``members`` for ``targets``: least distance, then lowest.

    Distances in fifths of a step (a grid index j is 5j of them above 1); None
    when the class holds fewer values than targets.
    """
    if len(targets) > len(members):
        return None
    # best[t]: the best choice for the first t targets among the members seen so far.
    best: list[_Run | None] = [(0, ()), *([None] * len(targets))]
    for j in members:
        for t in range(len(targets), 0, -1):
            before = best[t - 1]
            if before is None:
                continue
            option = (before[0] + abs(5 * j - targets[t - 1]), (*before[1], j))
            current = best[t]
            if current is None or option < current:
                best[t] = option
    return best[len(targets)]


def _count(capacities: Iterable[int]) -> int:
    """Rising combinations of the thresholds over classes with these numbers of values."""
    ways = [1] + [0] * THRESHOLDS
    for capacity in capacities:
        ways = [
            sum(ways[t - u] for u in range(min(capacity, t) + 1)) for t in range(THRESHOLDS + 1)
        ]
    return ways[THRESHOLDS]


def _table(case: Case, cap: int) -> list[int]:
    """The case's packed outcome by the thresholds under its overall and its weakest score."""
    table = []
    for mean in range(LEVELS):
        for weak in range(LEVELS):
            level = min(1 + mean, 1 + weak + cap)
            exact = int(level == case.expected)
            within = int(exact or level in case.acceptable)
            low, high = int(level < case.expected), int(level > case.expected)
            table.append(((exact * PACK + within) * PACK + low) * PACK + high)
    return table


def _unpack(packed: int) -> tuple[int, int, int, int]:
    return (
        packed >> _EXACT,
        (packed >> 2 * PACK_BITS) & _MASK,
        (packed >> PACK_BITS) & _MASK,
        packed & _MASK,
    )
