"""An assessment folder's files: ``assessment.yaml`` and one file per respondent."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

from pydantic import Field, PositiveInt, StrictInt, StrictStr, StringConstraints, model_validator

from klantladder.models.base import Identifier, LanguageCode, StrictModel

UNKNOWN = "unknown"
"""The stored answer for 'don't know / not applicable'."""

NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class QuestionnaireRef(StrictModel):
    """Which questionnaire, and which version of it, an assessment uses."""

    id: Identifier = Field(description="Questionnaire id, e.g. intake or quickscan.")
    version: PositiveInt = Field(description="Questionnaire version.")
    file: str | None = Field(
        default=None,
        description="A questionnaire file of your own, relative to the assessment folder.",
    )


Privacy = Literal["anonymous", "pseudonymous", "named"]
"""How respondents are known: never by name, by a code with names kept apart, or by name."""


class Assessment(StrictModel):
    """The description of one assessment (``assessment.yaml``)."""

    organisation: NonEmpty = Field(description="Name of the organisation assessed.")
    sector: NonEmpty | None = Field(default=None, description="Sector, e.g. 'zorg' or 'ICT'.")
    date: dt.date = Field(description="Date of the assessment (YYYY-MM-DD).")
    questionnaire: QuestionnaireRef
    language: LanguageCode = Field(description="Language of the questionnaire and the report.")
    assessor: NonEmpty | None = Field(default=None, description="Who carries out the assessment.")
    brand: str | None = Field(
        default=None, description="Optional brand file for the report, relative to this folder."
    )
    expected: Identifier | None = Field(
        default=None,
        description=(
            "For calibration: the phase id a consultant expects from practice, before "
            "scoring (see 'klantladder calibrate')."
        ),
    )
    acceptable: list[Identifier] = Field(
        default_factory=list,
        max_length=4,
        description=(
            "For calibration: other phase ids that would also be a fair placement, usually "
            "one neighbour of the expected phase."
        ),
    )
    privacy: Privacy = Field(
        default="pseudonymous",
        description=(
            "anonymous: no names anywhere, no key file; pseudonymous (default): respondents are "
            "codes, names only in the git-ignored respondents.key.yaml; named: as pseudonymous, "
            "and the report says that answers are not anonymous."
        ),
    )

    @model_validator(mode="after")
    def _acceptable_beside_expected(self) -> Assessment:
        if self.acceptable and self.expected is None:
            raise ValueError("acceptable needs an expected phase")
        if self.expected in self.acceptable:
            raise ValueError("acceptable repeats the expected phase; list the others only")
        if len(set(self.acceptable)) != len(self.acceptable):
            raise ValueError("acceptable names a phase twice")
        return self


AnswerValue = Annotated[
    StrictInt | StrictStr | list[StrictStr],
    Field(
        description=(
            "Ladder and agreement questions: 1-5, or 'unknown'. Profile questions: an option "
            "id (a list of ids when several may be chosen), or 'unknown'. Open questions: text."
        )
    ),
]


SourceTool = Literal[
    "interview",
    "workshop",
    "msforms",
    "googleforms",
    "qualtrics",
    "limesurvey",
    "typeform",
    "surveymonkey",
    "csv",
]
SOURCE_TOOLS: tuple[str, ...] = get_args(SourceTool)


class ResponseSource(StrictModel):
    """Where a response came from; an import recognises a respondent by tool and key."""

    tool: SourceTool = Field(description="The tool the answers came from.")
    key: str | None = Field(
        default=None,
        max_length=500,
        description=(
            "Imported responses: what identifies the response in the tool (its response id, "
            "or what the importer derives where the tool has none), stable across exports."
        ),
    )
    file: str | None = Field(default=None, description="Name of the export file.")
    form: str | None = Field(
        default=None, description="Title of the form or survey, when the export has one."
    )
    revision: str | None = Field(
        default=None,
        description="When the tool last changed the response (ISO 8601); a newer one updates.",
    )
    response_id: str | None = Field(
        default=None, description="Older imports: the tool's own response id (read, not written)."
    )
    row_hash: str | None = Field(
        default=None, description="Older imports: hash of the row (read, not written)."
    )


class Response(StrictModel):
    """One respondent's answers (``responses/<respondent>.yaml``)."""

    respondent: Identifier = Field(description="Respondent id, unique in the assessment.")
    name: NonEmpty | None = Field(
        default=None,
        description=(
            "Older interviews only (read, never written): names now live in respondents.key.yaml."
        ),
    )
    questionnaire: QuestionnaireRef
    started: dt.datetime | None = Field(default=None, description="When answering started.")
    completed: dt.datetime | None = Field(default=None, description="When answering finished.")
    source: ResponseSource | None = Field(default=None, description="Origin of imported answers.")
    answers: dict[Identifier, AnswerValue] = Field(
        default_factory=dict, description="Answers by question id."
    )
    skipped: list[Identifier] = Field(
        default_factory=list, description="Questions passed over in an interview, for resuming."
    )
