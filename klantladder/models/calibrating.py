"""What ``klantladder calibrate`` reports: placements against expected phases.

Versioned and JSON-serialisable like the score result. Every outcome is a
code, so the terminal and other tools can say it in their own words.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from klantladder.models.base import Identifier, StrictModel
from klantladder.models.calibration import Cap, FittedOn
from klantladder.models.method import OverallRule
from klantladder.models.result import PhaseRef

CALIBRATION_FORMAT: Literal[3] = 3
"""Version of the calibration report format; raised when its meaning changes."""

Outcome = Literal["exact", "acceptable", "miss"]
"""exact: placed in the expected phase; acceptable: placed in one of the
acceptable phases; miss: placed elsewhere."""

Direction = Literal["low", "high"]
"""Whether a placement other than the expected phase lies below or above it."""


class Placement(StrictModel):
    """One calibration organisation: what the consultant expected and where it was placed."""

    folder: str = Field(description="The assessment folder.")
    organisation: str
    questionnaire: str = Field(description="Questionnaire id and version, e.g. 'intake v2'.")
    respondents: int
    expected: PhaseRef
    acceptable: list[PhaseRef] = Field(description="Other phases that would also be fair.")
    score: float = Field(description="The overall score (weighted mean of the dimensions).")
    weakest: float = Field(description="The score of the weakest dimension.")
    placed: PhaseRef = Field(description="The phase the thresholds and the overall rule give.")
    outcome: Outcome
    direction: Direction | None = Field(description="For a placement that is not exact.")


class Agreement(StrictModel):
    """How a set of thresholds places the calibration organisations."""

    thresholds: dict[Identifier, float] | None = Field(
        description=(
            "Threshold per phase above level 1; None when the folders' questionnaires use "
            "different thresholds (each folder is then placed by its own)."
        )
    )
    rule: OverallRule | None = Field(
        description=(
            "The overall rule the placements follow; None when the folders' questionnaires use "
            "different rules (each folder is then placed by its own)."
        )
    )
    organisations: int
    exact: int = Field(description="Placed in the expected phase.")
    within_acceptable: int = Field(description="Placed in the expected or an acceptable phase.")
    misses_low: int = Field(description="Placed below the expected phase.")
    misses_high: int = Field(description="Placed above the expected phase.")
    confusion: dict[Identifier, dict[Identifier, int]] = Field(
        description="Expected phase -> placed phase -> organisations."
    )
    placements: list[Placement]


class LeftOut(StrictModel):
    """One organisation placed by thresholds and a cap fitted on all the others."""

    folder: str
    thresholds: dict[Identifier, float]
    max_steps_above_weakest: Cap = Field(description="The cap the fit without it chose.")
    placed: PhaseRef
    outcome: Outcome
    direction: Direction | None


class LeaveOneOutResult(StrictModel):
    """Leave-one-out: how well the fitting method generalises to an organisation it has not seen."""

    exact: int
    within_acceptable: int
    misses_low: int
    misses_high: int
    caps: dict[Cap, int] = Field(description="Cap -> how many of the refits chose it.")
    organisations: list[LeftOut]


class CapFit(StrictModel):
    """The best thresholds for one cap of the weakest-rung rule, and how they do."""

    max_steps_above_weakest: Cap
    thresholds: dict[Identifier, float]
    exact: int
    within_acceptable: int
    misses_low: int
    misses_high: int
    searched: int = Field(description="Threshold combinations tried with this cap.")
    equally_good: int = Field(
        description="Of those, how many are as good on agreement and balance as the best."
    )


class Fit(StrictModel):
    """Thresholds and the cap of the weakest-rung rule fitted on the calibration set."""

    method: Literal["rising_grid"] = Field(
        description=(
            "The fitting method (see the README): every rising combination of thresholds on "
            "a grid over (1, 5]."
        )
    )
    questionnaire: FittedOn = Field(description="The questionnaire every folder of the set uses.")
    rule: OverallRule = Field(
        description="The overall rule fitted: capped_by_weakest with the cap chosen."
    )
    declared: OverallRule = Field(
        description="The method's own rule; of caps equally good, the closest to its cap wins."
    )
    caps: list[CapFit] = Field(description="Per cap tried, in rising order: its best thresholds.")
    step: float = Field(description="Grid step of the thresholds over (1, 5].")
    searched: int = Field(
        description=(
            "Combinations of cap and thresholds tried; grid values with no score of the set "
            "between them place every organisation alike and count once."
        )
    )
    equally_good: int = Field(
        description=(
            "Of those, how many are as good on agreement and balance as the chosen one "
            "(1: the set pins cap and thresholds down); the cap closest to the method's, then "
            "the thresholds closest to equal bands, are chosen."
        )
    )
    agreement: Agreement
    leave_one_out: LeaveOneOutResult | None = Field(
        description="None for a set of fewer than three organisations."
    )


class CalibrationReport(StrictModel):
    """Everything ``klantladder calibrate`` computes."""

    format: Literal[3] = Field(
        default=CALIBRATION_FORMAT,
        description=(
            "Report format version. 3: thresholds are fitted anywhere in (1, 5], rising "
            "(method rising_grid); 2 kept each within its band (k-1, k]."
        ),
    )
    generator: str = Field(description="The klantladder version that made the report.")
    language: str
    current: Agreement = Field(description="The placements by each questionnaire's own thresholds.")
    fit: Fit | None = Field(
        default=None, description="With --fit: the fitted thresholds and overall rule."
    )
    without_expected: list[str] = Field(
        default_factory=list, description="Folders left out because they name no expected phase."
    )
