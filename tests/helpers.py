"""Helpers that tests import: fixture files and folder builders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from klantladder.models.assessment import Response

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"


def response(respondent: str, answers: dict[str, Any], questionnaire: str = "mini") -> Response:
    return Response.model_validate(
        {
            "respondent": respondent,
            "questionnaire": {"id": questionnaire, "version": 1},
            "answers": answers,
        }
    )


def write_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def make_folder(
    root: Path,
    answers: list[dict[str, Any]],
    *,
    questionnaire: Path = MINI,
    organisation: str = "Testbedrijf",
) -> Path:
    """An assessment folder on the mini questionnaire with one response per answers dict."""
    folder = root / "assessment"
    write_yaml(
        folder / "assessment.yaml",
        {
            "organisation": organisation,
            "date": "2026-03-01",
            "questionnaire": {"id": "mini", "version": 1, "file": str(questionnaire)},
            "language": "en",
        },
    )
    (folder / "responses").mkdir(exist_ok=True)
    for index, given in enumerate(answers):
        respondent = f"r{index:03d}"
        write_yaml(
            folder / "responses" / f"{respondent}.yaml",
            {
                "respondent": respondent,
                "questionnaire": {"id": "mini", "version": 1},
                "answers": given,
            },
        )
    return folder
