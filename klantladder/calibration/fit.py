"""Fitting thresholds and the weakest-rung cap on a calibration set, checked by leave-one-out.

The method, in words (the README says the same):

* The overall rule is the weakest-rung rule: the phase of the weighted mean,
  but at most N phases above the weakest dimension. N, the cap, is fitted with
  the thresholds: every cap in ``caps`` is tried (by default 1 and 2; 0 is in
  effect the rule of the weakest dimension, 4 in effect the rule of the mean).
* For each cap, every combination of the four thresholds on a grid is tried:
  each anywhere on the grid of ``step`` over (1, 5] (0.05: 80 values), as long
  as they rise from phase to phase. They are not held to equal bands of the
  scale, because respondents use it compressed (they seldom choose the
  outermost answers); with equal bands the top phase would hardly be reached.
* The best combination of cap and thresholds places the most organisations in
  their expected phase; among equals, the most within their acceptable phases;
  then the one whose misses are most balanced (the smallest difference between
  placed too low and too high), so that a one-sided bias loses; then the cap
  closest to the method's own (of two equally close, the lower: the stricter
  rule), so that the data must earn a change of rule; then the thresholds
  closest to equal bands (1.8, 2.6, 3.4, 4.2), the thresholds one would choose
  without data.
* Leave-one-out: each organisation in turn is left out, cap and thresholds are
  fitted on the others, and the left-out organisation is placed by them. Its
  agreement says how well the method does on an organisation it has not seen.

`klantladder.calibration.search` holds the exhaustive search per cap, and
leave-one-out without a new search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from klantladder.calibration.cases import Case, place
from klantladder.calibration.search import Grid, Search, capped
from klantladder.models.calibration import preference

DEFAULT_CAPS = (1, 2)
ALL_CAPS = range(5)


def caps_tried(caps: Iterable[int]) -> tuple[int, ...]:
    """The caps to try, in rising order without repeats; `ValueError` for none or one off 0-4."""
    tried = tuple(sorted(set(caps)))
    if not tried:
        raise ValueError("give at least one cap to try, e.g. 1,2")
    wrong = [cap for cap in tried if cap not in ALL_CAPS]
    if wrong:
        raise ValueError(
            f"a cap is 0-4 rungs above the weakest dimension, not {', '.join(map(str, wrong))}"
        )
    return tried


def best_of(searches: Sequence[Search], declared: int) -> Search:
    """The best search by the fit's order: agreement, the cap's preference, equal bands."""
    return min(
        searches,
        key=lambda s: (*s.quality, *preference(s.cap, declared), s.distance, s.thresholds),
    )


@dataclass(frozen=True)
class LeftOutPlacement:
    """One case placed by the cap and thresholds fitted without it."""

    case: Case
    cap: int
    thresholds: tuple[float, ...]
    level: int


@dataclass(frozen=True)
class FitOutcome:
    """The fit on the whole set and, for three or more cases, leave-one-out."""

    search: Search  # the cap and thresholds chosen
    by_cap: tuple[Search, ...]  # the best thresholds of every cap tried, in rising order
    declared: int  # the method's own cap
    left_out: tuple[LeftOutPlacement, ...] | None

    @property
    def searched(self) -> int:
        """Combinations of cap and thresholds tried."""
        return sum(search.searched for search in self.by_cap)

    @property
    def equally_good(self) -> int:
        """Combinations as good on agreement and balance as the one chosen, over every cap."""
        best = self.search.quality
        return sum(s.equally_good for s in self.by_cap if s.quality == best)


def fit_thresholds(
    cases: Sequence[Case],
    step: float = 0.05,
    caps: Iterable[int] = DEFAULT_CAPS,
    declared: int = 1,
) -> FitOutcome:
    """Fit the cap and the thresholds on the cases (one method) and run leave-one-out.

    ``declared`` is the method's own cap, preferred among equally good caps.
    Raises `ValueError` for a step that does not divide 1, a cap off 0-4, or a
    set that would need more than `MAX_COMBINATIONS` combinations per cap.
    """
    tried = caps_tried(caps)
    search_grid = Grid(cases, step)
    by_cap = tuple(search_grid.search(cap) for cap in tried)
    whole = best_of(by_cap, declared)
    if len(cases) < 3:
        return FitOutcome(whole, by_cap, declared, None)
    left_out = []
    for index, case in enumerate(cases):
        chosen = best_of([search_grid.search(cap, leave_out=index) for cap in tried], declared)
        level = place(case.score, case.weakest, chosen.thresholds, capped(chosen.cap))
        left_out.append(LeftOutPlacement(case, chosen.cap, chosen.thresholds, level))
    return FitOutcome(whole, by_cap, declared, tuple(left_out))
