"""The comparison of assessments over time: versioned and JSON-serialisable.

Every reason and note is a code (a fixed word), never a sentence, so that the
terminal, the report and other tools can each say it in their own language.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from klantladder.models.base import Identifier, LanguageCode, StrictModel
from klantladder.models.result import Interval, PhaseRef, QuestionnaireInfo

COMPARISON_FORMAT: Literal[2] = 2
"""Version of the comparison format; raised when its meaning changes.

Format 2 added the intervals of each assessment's scores and, per change, its
margin and whether it is meaningful (larger than the measurement uncertainty).
"""

Side = Literal["earlier", "later"]
"""Which of the two assessments of a step a question belongs to."""

LinkKind = Literal["same", "renamed", "reworded", "split", "merged"]
"""How questions of two questionnaires correspond: the same id, or a declared change."""

LeftOutReason = Literal[
    "dropped", "not_in_later", "not_in_earlier", "changed_scale", "changed_dimension"
]
"""Why a question was not compared.

dropped: the newer questionnaire version declares it dropped (see `note`);
not_in_later / not_in_earlier: the other questionnaire has no corresponding
question; changed_scale: the same id, but another kind of question or another
evidenced level, without a declared change; changed_dimension: its counterpart
measures another dimension.
"""

NotComparedReason = Literal[
    "not_in_earlier",
    "not_in_later",
    "scoring_differs",
    "no_corresponding_questions",
    "no_answers_earlier",
    "no_answers_later",
]
"""Why a dimension was not compared.

not_in_earlier / not_in_later: the questionnaire of that assessment does not
measure it; scoring_differs: the method versions turn answers into scores
differently (agreement fractions; thresholds only set phases, and each assessment
keeps its own phase, so they never stop a comparison); no_corresponding_questions:
no question of one assessment corresponds to a question of the other;
no_answers_earlier / no_answers_later: nobody answered the corresponding questions.
"""

StepNote = Literal["different_questionnaires", "changes_not_applied"]
"""Notes on a step.

different_questionnaires: the two assessments used different questionnaires on
the same method (e.g. a quick scan and the intake), compared on the questions
with the same id; changes_not_applied: the newer questionnaire version declares
its changes against another version than the older one, so questions were
paired by id only.
"""

ComparisonNote = Literal["different_organisations", "same_date"]
"""Notes on the whole comparison: the assessments are of more than one
organisation, or two of them have the same date."""

Direction = Literal["up", "down", "same"]
"""The sign of a change, after rounding."""


MARGIN = (
    "The measurement uncertainty of the change: sqrt(m1^2 + m2^2), where m1 and m2 are the "
    "margins of the two like-for-like scores (half their intervals). None when either "
    "assessment has too few respondents for a margin."
)
MEANINGFUL = (
    "True only when |change| > margin (both rounded to two decimals): the change is larger "
    "than the uncertainty of both measurements. Otherwise it is within the measurement "
    "uncertainty. Independent of `complete` (the partial-comparison mark)."
)


class DimensionScore(StrictModel):
    """One dimension of one assessment, as ``klantladder score`` gives it."""

    id: Identifier
    title: str
    score: float | None = Field(description="The dimension's mean over respondents, 1.0-5.0.")
    phase: PhaseRef | None = Field(description="Phase of the score.")
    n: int = Field(description="Respondents with a score on this dimension.")
    interval: Interval | None = Field(description="Interval of the score, as in the result.")


class OverallScore(StrictModel):
    """An assessment's overall score and phase, as ``klantladder score`` gives them."""

    score: float = Field(description="Weighted mean of the dimension scores.")
    phase: PhaseRef = Field(description="Phase after the method's overall rule.")
    interval: Interval | None = Field(description="Interval of the score, as in the result.")


class AssessmentSummary(StrictModel):
    """One assessment of a comparison, with its own scores on all its questions."""

    folder: str = Field(description="The assessment folder as given.")
    organisation: str
    date: dt.date
    questionnaire: QuestionnaireInfo
    respondents: int
    dimensions: list[DimensionScore]
    overall: OverallScore


class QuestionLink(StrictModel):
    """Questions of the two assessments that were compared with each other."""

    earlier: list[Identifier] = Field(description="Question ids of the earlier questionnaire.")
    later: list[Identifier] = Field(description="Question ids of the later questionnaire.")
    change: LinkKind = Field(description="Same id, or the change the newer version declares.")


class LeftOutQuestion(StrictModel):
    """A question that was not compared, and why."""

    question: Identifier
    side: Side = Field(description="The assessment whose questionnaire asks it.")
    reason: LeftOutReason
    note: str | None = Field(
        default=None, description="For a dropped question: the reason the questionnaire gives."
    )


class DimensionChange(StrictModel):
    """A dimension compared like for like: both assessments on corresponding questions only."""

    id: Identifier
    title: str
    earlier: float = Field(
        description="The earlier assessment, re-scored on the compared questions."
    )
    later: float = Field(description="The later assessment, re-scored on the compared questions.")
    change: float = Field(description="later - earlier.")
    direction: Direction
    margin: float | None = Field(description=MARGIN)
    meaningful: bool = Field(description=MEANINGFUL)
    complete: bool = Field(
        description="True when every question of the dimension in both questionnaires was compared."
    )
    questions: list[QuestionLink] = Field(description="The questions compared.")
    left_out: list[LeftOutQuestion] = Field(description="The dimension's questions left out.")


class NotCompared(StrictModel):
    """A dimension that could not be compared, and why."""

    id: Identifier
    title: str
    reason: NotComparedReason
    left_out: list[LeftOutQuestion] = Field(description="The dimension's questions left out.")


class OverallChange(StrictModel):
    """The like-for-like change over the dimensions that could be compared.

    Both sides are the weighted mean (the later method's dimension weights) of
    the like-for-like dimension scores; each assessment's own overall phase is in
    `AssessmentSummary.overall`.
    """

    dimensions: list[Identifier] = Field(description="The dimensions it is computed over.")
    earlier: float
    later: float
    change: float = Field(description="later - earlier.")
    direction: Direction
    margin: float | None = Field(description=MARGIN)
    meaningful: bool = Field(description=MEANINGFUL)
    complete: bool = Field(
        description="True when every dimension was compared, each on all its questions."
    )


class Step(StrictModel):
    """The comparison of two assessments (by their place in `Comparison.assessments`)."""

    earlier: int = Field(ge=0, description="Index of the earlier assessment.")
    later: int = Field(ge=0, description="Index of the later assessment.")
    dimensions: list[DimensionChange] = Field(description="Dimensions compared like for like.")
    not_compared: list[NotCompared] = Field(description="Dimensions that could not be compared.")
    overall: OverallChange | None = Field(
        description="Like-for-like overall change; None when no dimension could be compared."
    )
    notes: list[StepNote]

    def change(self, dimension_id: str) -> DimensionChange | None:
        """The like-for-like change of a dimension, or None when it was not compared."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def not_compared_reason(self, dimension_id: str) -> NotCompared | None:
        """Why a dimension was not compared, or None when it was."""
        return next((d for d in self.not_compared if d.id == dimension_id), None)


class Comparison(StrictModel):
    """Assessments ordered by date, and what changed between them like for like."""

    format: Literal[2] = Field(default=COMPARISON_FORMAT, description="Comparison format version.")
    generator: str = Field(description="The klantladder version that made the comparison.")
    language: LanguageCode = Field(description="Language of titles and notes.")
    assessments: list[AssessmentSummary] = Field(
        min_length=2, description="The assessments, oldest first."
    )
    steps: list[Step] = Field(description="Each assessment against the one before it.")
    span: Step = Field(
        description="The first assessment against the last (the only step when there are two)."
    )
    notes: list[ComparisonNote]

    @property
    def dates(self) -> list[dt.date]:
        """The assessment dates, oldest first."""
        return [summary.date for summary in self.assessments]

    @property
    def overall_series(self) -> list[float]:
        """Each assessment's own overall score, oldest first."""
        return [summary.overall.score for summary in self.assessments]

    @property
    def dimension_ids(self) -> list[str]:
        """Every dimension of any assessment: the latest assessment's order first."""
        ids: list[str] = []
        for summary in reversed(self.assessments):
            ids += [d.id for d in summary.dimensions if d.id not in ids]
        return ids

    def series(self, dimension_id: str) -> list[float | None]:
        """Each assessment's own score on a dimension, oldest first (None when absent)."""
        return [
            next((d.score for d in summary.dimensions if d.id == dimension_id), None)
            for summary in self.assessments
        ]
