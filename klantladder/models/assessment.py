"""An assessment folder's files: ``assessment.yaml`` and one file per respondent."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, PositiveInt, StrictInt, StrictStr, StringConstraints

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


AnswerValue = Annotated[
    StrictInt | StrictStr | list[StrictStr],
    Field(
        description=(
            "Ladder and agreement questions: 1-5, or 'unknown'. Profile questions: an option "
            "id (a list of ids when several may be chosen), or 'unknown'. Open questions: text."
        )
    ),
]


class ResponseSource(StrictModel):
    """Where an imported response came from; used to skip duplicates on re-import."""

    tool: Literal[
        "interview",
        "workshop",
        "msforms",
        "googleforms",
        "qualtrics",
        "limesurvey",
        "typeform",
        "csv",
    ] = Field(description="The tool the answers came from.")
    response_id: str | None = Field(default=None, description="The tool's own response id.")
    row_hash: str | None = Field(default=None, description="Hash of the row, when no id exists.")
    file: str | None = Field(default=None, description="Name of the export file.")


class Response(StrictModel):
    """One respondent's answers (``responses/<respondent>.yaml``)."""

    respondent: Identifier = Field(description="Respondent id, unique in the assessment.")
    name: NonEmpty | None = Field(default=None, description="Optional name; never in a report.")
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
