"""How a questionnaire's thresholds were fitted: the ``calibration:`` block.

`klantladder calibrate --fit --write FILE` fills it in; the report's method
appendix and `klantladder score --json` show it. Every figure is a count, so
the block checks itself: the confusion table adds up to the set size, its
diagonal to the exact placements, and the misses low and high to the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, NonNegativeInt, PositiveInt, model_validator

from klantladder.models.base import Identifier, StrictModel


class FittedOn(StrictModel):
    """The questionnaire the calibration set answered."""

    id: Identifier = Field(description="Questionnaire id, e.g. intake.")
    version: PositiveInt = Field(description="Questionnaire version.")


FitMethod = Literal["grid"]
"""grid: every combination of thresholds on a grid within (k-1, k], chosen by
most exact placements, then most within the acceptable phases, then the smallest
difference between misses too low and too high, then closest to equal bands."""


class LeaveOneOut(StrictModel):
    """Placements of each organisation by thresholds fitted on all the others."""

    exact: NonNegativeInt = Field(description="Organisations placed in their expected phase.")
    within_acceptable: NonNegativeInt = Field(
        description="Organisations placed in their expected or an acceptable phase."
    )


class Calibration(StrictModel):
    """The fit of the thresholds on a calibration set, with its agreement figures."""

    method: FitMethod = Field(description="How the thresholds were chosen (see the README).")
    step: float = Field(gt=0, le=0.5, description="Grid step of the threshold search.")
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
