"""The scored result of an assessment: versioned and JSON-serialisable."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from klantladder.models.base import Identifier, LanguageCode, StrictModel
from klantladder.models.calibration import Calibration

RESULT_FORMAT: Literal[2] = 2
"""Version of the result format; raised when its meaning changes.

Format 2 added the intervals, borders, the road to the next phase, the
reliability per dimension and complementary suppression of segments.
"""


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


class Interval(StrictModel):
    """The margin of uncertainty around a score (see README, 'How scoring works')."""

    low: float = Field(description="Lower end: the score minus the margin, at least 1.0.")
    high: float = Field(description="Upper end: the score plus the margin, at most 5.0.")
    margin: float = Field(description="Half the width of the interval, before clipping to 1-5.")


class Border(StrictModel):
    """The phases a score's interval reaches, when it straddles a threshold."""

    lower: PhaseRef = Field(description="Phase of the interval's lower end.")
    upper: PhaseRef = Field(description="Phase of the interval's upper end.")
    text: str = Field(description="In words, e.g. 'op de grens van Verzamelen en Analyseren'.")


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
    interval: Interval | None = Field(
        description="Interval of the mean; None with fewer respondents than an interval needs."
    )
    border: Border | None = Field(
        description="Set when the interval straddles a threshold: the phase is not firm."
    )


class DimensionCondition(StrictModel):
    """A dimension that must reach a threshold before the organisation reaches its next phase."""

    dimension: Identifier
    title: str
    phase: PhaseRef = Field(description="The phase the dimension must reach.")
    score: float = Field(description="The dimension's score now.")
    threshold: float = Field(description="The threshold of that phase.")
    gap: float = Field(description="threshold - score: how much the score must still rise.")


class MeanCondition(StrictModel):
    """What the overall mean needs for the next phase, when the rule looks at the mean."""

    score: float = Field(description="The overall mean now.")
    threshold: float = Field(description="The threshold of the next phase.")
    gap: float = Field(description="threshold - score.")
    after: float = Field(
        description=(
            "The mean once every dimension condition is met exactly and nothing else changes."
        )
    )
    remaining: float = Field(
        description=(
            "threshold - after, at least 0: what the mean must rise beyond what the dimension "
            "conditions bring. 0 means those conditions lift the mean far enough by themselves."
        )
    )


class Road(StrictModel):
    """What must change for the organisation to reach the next phase, by the overall rule.

    The conditions are `dimensions` plus, when its `remaining` is above 0, `mean`.
    Together they are enough; leaving any one of them out is not.
    """

    target: PhaseRef = Field(description="The next phase.")
    dimensions: list[DimensionCondition] = Field(
        description="Dimensions below the phase the rule requires of every dimension."
    )
    mean: MeanCondition | None = Field(
        description="The mean's part; None when the rule ignores the mean or it is already there."
    )


class OverallResult(StrictModel):
    """The organisation's phase and how the rule arrived at it."""

    score: float = Field(description="Weighted mean of the dimension means.")
    mean_phase: PhaseRef = Field(description="Phase of the weighted mean alone.")
    phase: PhaseRef = Field(description="Phase after applying the overall rule.")
    rule: Literal["capped_by_weakest", "weakest", "mean"]
    weakest: list[Identifier] = Field(description="Dimensions at the lowest phase.")
    capped: bool = Field(description="Whether the weakest rung held the phase down.")
    interval: Interval | None = Field(
        description="Interval of the weighted mean; None when a dimension has too few respondents."
    )
    mean_border: Border | None = Field(
        description="Set when the mean's interval straddles a threshold."
    )
    border: Border | None = Field(
        description=(
            "Set when the overall phase is not firm: the rule applied to the lower ends of the "
            "intervals gives another phase than applied to their upper ends."
        )
    )
    road: Road | None = Field(description="The road to the next phase; None in the top phase.")


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
    suppressed_dimensions: list[Identifier] = Field(
        description=(
            "Dimensions whose mean is not shown for this group: fewer than the minimum group "
            "size answered them, or the mean of the rest could be worked out from it."
        )
    )


class SegmentGroup(StrictModel):
    """The segments defined by one profile question."""

    question: Identifier
    title: str
    segments: list[SegmentResult]
    suppressed_groups: int = Field(
        description=(
            "Groups with members that are not shown: those smaller than the minimum group "
            "size, and those left out so that a small group cannot be worked out by subtraction."
        )
    )
    complementary: int = Field(
        description="Of `suppressed_groups`, those left out only to protect a small group."
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
    high_n: int | None = Field(
        default=None, description="Respondents in the higher group (its size, as in `segments`)."
    )
    low_n: int | None = Field(
        default=None, description="Respondents in the lower group (its size, as in `segments`)."
    )
    margin: float | None = Field(
        default=None,
        description=(
            "The measurement uncertainty of the difference: sqrt(m1^2 + m2^2), where m1 and m2 "
            "are the margins of the two groups' means on this dimension. None when a group has "
            "too few respondents for a margin."
        ),
    )
    meaningful: bool = Field(
        default=False,
        description="True only when the difference is larger than `margin`.",
    )


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


class ItemRest(StrictModel):
    """How well one question agrees with the rest of its dimension."""

    question: Identifier
    correlation: float | None = Field(
        description="Correlation of the item with the sum of the dimension's other items."
    )
    low: bool = Field(description="Below the usual bar of 0.3.")


ReliabilityStatus = Literal["computed", "too_few_respondents", "too_few_items", "no_variance"]


class DimensionReliability(StrictModel):
    """Internal consistency of a dimension's questions (Cronbach's alpha, item-rest)."""

    dimension: Identifier
    title: str
    items: int = Field(description="Scored questions in the dimension.")
    n: int = Field(description="Respondents who answered every one of them (others left out).")
    status: ReliabilityStatus = Field(
        description=(
            "computed; too_few_respondents (fewer than the minimum n); too_few_items (one "
            "question); no_variance (everyone gave the same total)."
        )
    )
    alpha: float | None = Field(description="Cronbach's alpha over the items' levels.")
    alpha_low: bool = Field(description="Alpha below the usual bar of 0.7.")
    item_rest: list[ItemRest]


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
    confidence: float = Field(description="Confidence level of the intervals, e.g. 0.95.")
    interval_min_n: int = Field(description="Fewest respondents for which an interval is given.")
    reliability_min_n: int = Field(description="Fewest complete respondents for alpha.")
    alpha_bar: float = Field(description="Alpha below this is flagged.")
    item_rest_bar: float = Field(description="Item-rest correlations below this are flagged.")
    calibration: Calibration | None = Field(
        default=None, description="How the questionnaire's thresholds were fitted, if declared."
    )


FindingKind = Literal[
    "bottleneck",
    "perception_gap",
    "no_perception_gap",
    "strongest",
    "disagreement",
    "trend",
    "benchmark",
    "trend_benchmark",
]
"""What a key finding is about (see README, 'Key findings')."""

NoGapReason = Literal["no_groups_asked", "no_groups_answered", "groups_too_small", "no_difference"]
"""Why no perception gap can be shown: the questionnaire asks for no groups; nobody said
which group they belong to; no two groups of one question are large enough to show; the
groups that are shown score the same."""


class FindingEvidence(StrictModel):
    """The answers to one question behind a finding, as the respondents gave them."""

    question: Identifier
    question_text: str
    answered: int = Field(
        description="Respondents who answered it ('don't know' and questions not asked left out)."
    )
    counts: dict[int, int] = Field(description="How many respondents gave each answer 1-5.")
    answer: int | None = Field(
        default=None,
        description="The answer the finding cites: a ladder statement's level or agreement 1-5.",
    )
    answer_text: str | None = Field(default=None, description="That statement or agreement.")
    count: int | None = Field(default=None, description="Respondents who gave that answer.")


class FindingGroup(StrictModel):
    """A shown group of respondents that a finding compares."""

    question: Identifier = Field(description="The profile question that defines the group.")
    option: Identifier
    label: str
    n: int = Field(description="Respondents in the group.")
    score: float = Field(description="The group's mean on the finding's dimension.")


class FindingChange(StrictModel):
    """A like-for-like change over time that a trend finding names."""

    dimension: Identifier | None = Field(description="None for the overall score.")
    title: str
    earlier: float
    later: float
    change: float
    margin: float | None
    meaningful: bool


class KeyFinding(StrictModel):
    """One of the report's key findings: a claim about the organisation with its numbers.

    `text` says it in the result's language; the other fields hold every number it
    names. Findings on the trend and the benchmark need other folders and appear
    only in the report.
    """

    kind: FindingKind
    title: str = Field(description="A short heading in the result's language.")
    text: str = Field(description="The finding in full sentences, every number in it.")
    dimension: Identifier | None = Field(default=None, description="The dimension it is about.")
    dimension_title: str | None = None
    score: float | None = Field(default=None, description="That dimension's score.")
    interval: Interval | None = Field(default=None, description="That score's interval.")
    tied: list[Identifier] = Field(
        default_factory=list, description="Other dimensions with exactly the same score."
    )
    evidence: FindingEvidence | None = Field(
        default=None, description="The answers to the question that shows it most clearly."
    )
    quote: str | None = Field(
        default=None, description="An open answer about the dimension, as the respondent wrote it."
    )
    spread: float | None = Field(
        default=None, description="Most disagreement: the standard deviation of the answers."
    )
    groups: list[FindingGroup] = Field(
        default_factory=list, description="A perception gap's higher and lower group."
    )
    difference: float | None = Field(default=None, description="higher - lower group's score.")
    margin: float | None = Field(
        default=None, description="The uncertainty of the difference (see `PerceptionGap`)."
    )
    meaningful: bool | None = Field(
        default=None, description="Whether the difference is larger than `margin`."
    )
    reason: NoGapReason | None = Field(default=None, description="Why no gap can be shown.")
    changes: list[FindingChange] = Field(
        default_factory=list, description="Trend: the overall change, then meaningful changes."
    )
    percentile: float | None = Field(default=None, description="Benchmark: overall percentile.")
    peers: int | None = Field(default=None, description="Benchmark: peer organisations.")


class ScoreResult(StrictModel):
    """Everything ``klantladder score`` computes for an assessment."""

    format: Literal[2] = Field(default=RESULT_FORMAT, description="Result format version.")
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
    reliability: list[DimensionReliability] = Field(
        description="Cronbach's alpha and item-rest correlations per dimension."
    )
    exclusions: Exclusions
    scoring: ScoringInfo
    findings: list[KeyFinding] = Field(
        default_factory=list,
        description=(
            "The key findings the report opens with (bottleneck, perception gap, strongest "
            "dimension), with their numbers; given by `klantladder score`, empty in results "
            "that were made without them."
        ),
    )

    def dimension(self, dimension_id: str) -> DimensionResult:
        """Return the result of one dimension."""
        return next(d for d in self.dimensions if d.id == dimension_id)
