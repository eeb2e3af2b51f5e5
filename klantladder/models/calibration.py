"""How a questionnaire's thresholds and overall rule were fitted: the ``calibration:`` block.

`klantladder calibrate --fit --write FILE` fills it in; the report's method
appendix and `klantladder score --json` show it. Every figure is a count, so
the block checks itself: the confusion table adds up to the set size, its
diagonal to the exact placements, and the misses low and high to the rest; the
rule's figures per cap tried agree with the cap chosen.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, NonNegativeInt, PositiveInt, model_validator

from klantladder.models.base import Identifier, StrictModel
from klantladder.models.method import OverallRule


class FittedOn(StrictModel):
    """The questionnaire the calibration set answered."""

    id: Identifier = Field(description="Questionnaire id, e.g. intake.")
    version: PositiveInt = Field(description="Questionnaire version.")


FitMethod = Literal["rising_grid", "grid"]
"""How the thresholds were searched, for every cap tried. rising_grid: every
rising combination of thresholds on a grid over (1, 5], each threshold free of
its band, since respondents use the scale compressed. grid (blocks written
before): every combination with each threshold on a grid within its band
(k-1, k]. Both choose by most exact placements, then most within the acceptable
phases, then the smallest difference between misses too low and too high, then
the cap closest to the method's own, then thresholds closest to equal bands."""

Cap = Annotated[int, Field(ge=0, le=4)]
"""``max_steps_above_weakest`` of the weakest-rung rule: 0 is in effect the
weakest rule, 4 in effect the mean rule."""

Quality = tuple[int, int, int]

RuleReason = Literal["only", "exact", "within", "balance", "tie"]
"""Why the fit chose its cap over the best other cap tried: ``only`` one cap was
tried; it placed more organisations ``exact``ly; as many exactly but more
``within`` the acceptable phases; as many of both but with misses in better
``balance``; or a ``tie`` on all three, decided by the preference for the
method's own cap."""


def quality(exact: int, within: int, low: int, high: int) -> Quality:
    """The fit's order of agreement: smaller is better.

    Most exact placements, then most within the acceptable phases, then the
    smallest difference between misses too low and too high.
    """
    return (-exact, -within, abs(low - high))


def declared_cap(rule: OverallRule) -> int:
    """A declared overall rule as a weakest-rung cap: weakest is 0, mean is 4 (in effect)."""
    if rule.rule == "weakest":
        return 0
    if rule.rule == "mean":
        return 4
    return rule.max_steps_above_weakest


def preference(cap: int, declared: int) -> tuple[int, int]:
    """Among caps of equal quality: closest to the method's own cap, then the lower."""
    return (abs(cap - declared), cap)


class CapTried(StrictModel):
    """The best agreement one cap reaches, with the thresholds fitted for it."""

    exact: NonNegativeInt = Field(description="Organisations placed in their expected phase.")
    within_acceptable: NonNegativeInt = Field(
        description="Organisations placed in their expected or an acceptable phase."
    )
    misses_low: NonNegativeInt = Field(description="Placed below their expected phase.")
    misses_high: NonNegativeInt = Field(description="Placed above their expected phase.")

    @property
    def quality(self) -> Quality:
        """The fit's order of agreement (smaller is better)."""
        return quality(self.exact, self.within_acceptable, self.misses_low, self.misses_high)


class RuleFit(StrictModel):
    """The weakest-rung rule, its cap fitted together with the thresholds."""

    rule: Literal["capped_by_weakest"] = Field(
        description="The rule fitted: the phase of the mean, capped above the weakest dimension."
    )
    max_steps_above_weakest: Cap = Field(description="The cap chosen.")
    declared: Cap = Field(
        description=(
            "The method's own cap, preferred on a tie (weakest counts as 0, mean as 4); "
            "of two caps equally close to it, the lower."
        )
    )
    tried: dict[Cap, CapTried] = Field(
        min_length=1,
        description="Every cap tried -> the best agreement it reaches with its own thresholds.",
    )

    @model_validator(mode="after")
    def _chosen_is_best(self) -> RuleFit:
        chosen = self.max_steps_above_weakest
        if chosen not in self.tried:
            raise ValueError(f"the cap chosen ({chosen}) is not among the caps tried")
        best = min(self.tried, key=self._order)
        if best != chosen:
            raise ValueError(
                f"cap {best} does better than the cap chosen ({chosen}) by the fit's order"
            )
        return self

    def _order(self, cap: int) -> tuple[int, ...]:
        return (*self.tried[cap].quality, *preference(cap, self.declared))

    @property
    def overall(self) -> OverallRule:
        """The fitted rule as the scoring rules declare it."""
        return OverallRule(rule=self.rule, max_steps_above_weakest=self.max_steps_above_weakest)

    @property
    def runner_up(self) -> int | None:
        """The best cap tried other than the one chosen; None when only one was tried."""
        others = [cap for cap in self.tried if cap != self.max_steps_above_weakest]
        return min(others, key=self._order) if others else None

    @property
    def reason(self) -> RuleReason:
        """Why the chosen cap beat the runner-up, as a code for the report's wording."""
        other = self.runner_up
        if other is None:
            return "only"
        chosen, rival = self.tried[self.max_steps_above_weakest], self.tried[other]
        if chosen.exact != rival.exact:
            return "exact"
        if chosen.within_acceptable != rival.within_acceptable:
            return "within"
        if chosen.quality != rival.quality:
            return "balance"
        return "tie"


class LeaveOneOut(StrictModel):
    """Placements of each organisation by thresholds fitted on all the others."""

    exact: NonNegativeInt = Field(description="Organisations placed in their expected phase.")
    within_acceptable: NonNegativeInt = Field(
        description="Organisations placed in their expected or an acceptable phase."
    )


class Calibration(StrictModel):
    """The fit of the thresholds (and the rule) on a calibration set, with its agreement figures."""

    method: FitMethod = Field(
        description=(
            "How the thresholds were searched (see the README): rising_grid, anywhere in "
            "(1, 5] as long as they rise; grid (older blocks), each within its band (k-1, k]."
        )
    )
    step: float = Field(gt=0, le=0.5, description="Grid step of the threshold search.")
    rule: RuleFit | None = Field(
        default=None,
        description=(
            "The overall rule fitted with the thresholds; absent in blocks from before the "
            "rule was fitted, when the rule was kept as declared."
        ),
    )
    date: dt.date = Field(description="When the thresholds were fitted.")
    fitted_on: FittedOn = Field(
        description=(
            "The questionnaire the set answered; another questionnaire on the same method "
            "(a quick scan) may carry the same fitted thresholds."
        )
    )
    set: str | None = Field(
        default=None, max_length=200, description="Which calibration set, in a few words."
    )
    organisations: PositiveInt = Field(description="Organisations in the set (set size).")
    respondents: NonNegativeInt | None = Field(
        default=None, description="Respondents over all organisations."
    )
    exact: NonNegativeInt = Field(description="Organisations placed in their expected phase.")
    within_acceptable: NonNegativeInt = Field(
        description="Organisations placed in their expected or an acceptable phase."
    )
    misses_low: NonNegativeInt = Field(description="Placed below their expected phase.")
    misses_high: NonNegativeInt = Field(description="Placed above their expected phase.")
    leave_one_out: LeaveOneOut | None = Field(
        default=None, description="The same figures when each organisation is left out of the fit."
    )
    confusion: dict[Identifier, dict[Identifier, NonNegativeInt]] = Field(
        description="Expected phase -> placed phase -> number of organisations."
    )

    @model_validator(mode="after")
    def _figures_add_up(self) -> Calibration:
        total = self.organisations
        if not self.exact <= self.within_acceptable <= total:
            raise ValueError(
                "exact, within_acceptable and organisations must not fall in that order"
            )
        if self.misses_low + self.misses_high != total - self.exact:
            raise ValueError(
                f"misses_low + misses_high must be organisations - exact ({total - self.exact})"
            )
        counted = sum(sum(row.values()) for row in self.confusion.values())
        if counted != total:
            raise ValueError(f"confusion counts {counted} organisations, not {total}")
        diagonal = sum(row.get(expected, 0) for expected, row in self.confusion.items())
        if diagonal != self.exact:
            raise ValueError(f"confusion has {diagonal} exact placements, not {self.exact}")
        if self.method == "rising_grid" and self.rule is None:
            raise ValueError("rule: a rising_grid fit always fits the rule; give its figures")
        if self.rule is not None:
            chosen = self.rule.tried[self.rule.max_steps_above_weakest]
            own = (self.exact, self.within_acceptable, self.misses_low, self.misses_high)
            figures = (
                chosen.exact,
                chosen.within_acceptable,
                chosen.misses_low,
                chosen.misses_high,
            )
            if figures != own:
                raise ValueError(
                    f"rule: the figures of cap {self.rule.max_steps_above_weakest} {figures} are "
                    f"not the block's own (exact, within_acceptable, misses_low, misses_high) {own}"
                )
        loo = self.leave_one_out
        if loo is not None and not loo.exact <= loo.within_acceptable <= total:
            raise ValueError(
                "leave_one_out: exact, within_acceptable and organisations must not fall "
                "in that order"
            )
        return self

    def share(self, count: int) -> float:
        """A count as a share of the set, 0.0-1.0."""
        return count / self.organisations
