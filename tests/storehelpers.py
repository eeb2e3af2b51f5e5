"""Helpers for the data layer tests: incoming responses and the folder's questionnaire."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from klantladder.folder import load_assessment_file, questionnaire_for
from klantladder.models.assessment import QuestionnaireRef, Response, ResponseSource
from klantladder.models.questionnaire import Questionnaire
from klantladder.store import IncomingResponse

ANSWERS: dict[str, Any] = {
    "leiderschap.feedback": 3,
    "leiderschap.uitdragen": "unknown",
    "feedback.meten-en-delen_per-afdeling": 4,
    "afdeling": "staf",
    "kanalen": ["telefoon", "balie"],
    "belemmering": 'Silo\'s, "eigen doelen", en\nnieuwe regels',
}


def questionnaire_of(folder: Path) -> Questionnaire:
    document, assessment = load_assessment_file(folder)
    return questionnaire_for(folder, document, assessment)


def incoming(
    key: str,
    answers: dict[str, Any] | None = None,
    *,
    revision: str | None = None,
    tool: str = "qualtrics",
    contact: dict[str, str] | None = None,
    file: str = "export.csv",
) -> IncomingResponse:
    response = Response.model_validate(
        {
            "respondent": "placeholder",
            "questionnaire": QuestionnaireRef(id="tweetalig", version=1).model_dump(),
            "started": dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC),
            "completed": dt.datetime(2026, 3, 5, 10, 9, 40),
            "source": ResponseSource.model_validate({"tool": tool, "file": file}).model_dump(),
            "answers": ANSWERS if answers is None else answers,
        }
    )
    return IncomingResponse(key, revision, response, contact or {})
