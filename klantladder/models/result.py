"""The scored result of an assessment: versioned and JSON-serialisable."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from klantladder.models.base import Identifier, LanguageCode, StrictModel
from klantladder.models.calibration import Calibration

RESULT_FORMAT: Literal[1] = 1
"""Version of the result format; raised when its meaning changes."""


class PhaseRef(StrictModel):
    """A phase as it appears in a result."""

    id: Identifier
    level: int = Field(ge=1, le=5)
    name: str = Field(description="Phase name in the result's language.")


class QuestionnaireInfo(StrictModel):
    """The questionnaire and method a result was scored with."""

    id: Identifier
    version: int
    language: LanguageCode
    title: str
    method_id: Identifier
    method_version: int


class AssessmentInfo(StrictModel):
    """Who and when, copied from ``assessment.yaml``."""

    organisation: str
    sector: str | None = None
    date: dt.date
    assessor: str | None = None


class DimensionResult(StrictModel):
    """One dimension over all respondents."""

    id: Identifier
    title: str
    weight: float
    mean: float | None = Field(description="Mean of respondents' dimension scores, 1.0-5.0.")
    sd: float | None = Field(description="Standard deviation over respondents (spread).")
    n: int = Field(description="Respondents with a score on this dimension.")
    unknown: int = Field(description="'Don't know' answers in this dimension, excluded.")
    not_asked: int = Field(
        default=0,
        description="Questions of this dimension not asked, by the questionnaire's conditions.",
    )
    phase: PhaseRef | None = Field(description="Phase of the mean, by the thresholds.")
    gap_to_next: float | None = Field(description="Score still needed for the next phase.")
    next_step: str | None = Field(description="Guidance for the step up from this level.")


class OverallResult(StrictModel):
    """The organisation's phase and how the rule arrived at it."""

    score: float = Field(description="Weighted mean of the dimension means.")
    mean_phase: PhaseRef = Field(description="Phase of the weighted mean alone.")
    phase: PhaseRef = Field(description="Phase after applying the overall rule.")
    rule: Literal["capped_by_weakest", "weakest", "mean"]
    weakest: list[Identifier] = Field(description="Dimensions at the lowest phase.")
    capped: bool = Field(description="Whether the weakest rung held the phase down.")


class FocusPoint(StrictModel):
    """A dimension where a step up pays off most."""

    dimension: Identifier
    title: str
    reason: str
    phase: PhaseRef
    next_phase: PhaseRef | None


class SegmentResult(StrictModel):
    """One group of respondents (a profile option) with enough members."""

    option: Identifier
    label: str
    n: int
    overall: float | None
    dimensions: dict[Identifier, float | None]


class SegmentGroup(StrictModel):
    """The segments defined by one profile question."""

    question: Identifier
    title: str
    segments: list[SegmentResult]
    suppressed_groups: int = Field(
        description="Groups smaller than the minimum group size: counted, never shown."
    )


class PerceptionGap(StrictModel):
    """The largest difference on a dimension between two segments of one question."""

    question: Identifier
    dimension: Identifier
    dimension_title: str
    high: Identifier
    high_label: str
    high_score: float
    low: Identifier
    low_label: str
    low_score: float
    difference: float


class Disagreement(StrictModel):
    """A question on which respondents differ most."""

    question: Identifier
    dimension: Identifier
    text: str
    sd: float
    n: int
    counts: dict[int, int] = Field(description="How many respondents gave each level 1-5.")


class Exclusions(StrictModel):
    """What was left out of the scores."""

    unknown_answers: int = Field(description="'Don't know / not applicable' answers.")
    not_asked: int = Field(
        default=0,
        description=(
            "Scored questions not asked because an earlier answer routed around them; "
            "counted apart from 'don't know'."
        ),
    )
    respondents_without_score: int = Field(description="Respondents who answered no scored item.")


class ScoringInfo(StrictModel):
    """The declared rules the result was computed with, for the method appendix."""

    thresholds: dict[Identifier, float]
    thresholds_from: Literal["method", "questionnaire"] = Field(
        default="method",
        description="Whether the thresholds are the method's or the questionnaire's own.",
    )
    rule: Literal["capped_by_weakest", "weakest", "mean"]
    max_steps_above_weakest: int
    min_group_size: int
    calibration: Calibration | None = Field(
        default=None, description="How the questionnaire's thresholds were fitted, if declared."
    )


class ScoreResult(StrictModel):
    """Everything ``klantladder score`` computes for an assessment."""

    format: Literal[1] = Field(default=RESULT_FORMAT, description="Result format version.")
    generator: str = Field(description="The klantladder version that made the result.")
    questionnaire: QuestionnaireInfo
    assessment: AssessmentInfo | None
    respondents: int
    dimensions: list[DimensionResult]
    overall: OverallResult
    explanation: list[str] = Field(description="Why this phase, sentence by sentence.")
    focus: list[FocusPoint]
    segments: list[SegmentGroup]
    gaps: list[PerceptionGap]
    disagreement: list[Disagreement]
    exclusions: Exclusions
    scoring: ScoringInfo

    def dimension(self, dimension_id: str) -> DimensionResult:
        """Return the result of one dimension."""
        return next(d for d in self.dimensions if d.id == dimension_id)
