"""Builders for comparison and benchmark tests: assessment folders, questionnaire variants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from helpers import FIXTURES, write_yaml

COMPARE = FIXTURES / "compare"
SURVEY_V1 = COMPARE / "survey-v1.yaml"
SURVEY_V2 = COMPARE / "survey-v2.yaml"
QUICK = COMPARE / "quick.yaml"
ACME_2024 = COMPARE / "acme-2024"
ACME_2025 = COMPARE / "acme-2025"
MINI_METHOD = FIXTURES / "mini-method.yaml"


def assessment_folder(
    folder: Path,
    questionnaire: Path,
    answers: list[dict[str, Any]],
    *,
    date: str,
    organisation: str = "Acme",
) -> Path:
    """An assessment folder on any questionnaire file, one response per answers dict."""
    data = yaml.safe_load(questionnaire.read_text(encoding="utf-8"))
    reference = {"id": data["id"], "version": data["version"]}
    write_yaml(
        folder / "assessment.yaml",
        {
            "organisation": organisation,
            "date": date,
            "questionnaire": {**reference, "file": str(questionnaire.resolve())},
            "language": data["languages"][0],
        },
    )
    (folder / "responses").mkdir(exist_ok=True)
    for index, given in enumerate(answers):
        respondent = f"r{index + 1}"
        write_yaml(
            folder / "responses" / f"{respondent}.yaml",
            {"respondent": respondent, "questionnaire": reference, "answers": given},
        )
    return folder


def questionnaire_variant(
    path: Path, source: Path, change: Any, *, method: Path = MINI_METHOD
) -> Path:
    """Write a changed copy of a questionnaire file; ``change`` edits its data in place."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["method"] = str(method.resolve())
    change(data)
    return write_yaml(path, data)


def method_variant(path: Path, change: Any) -> Path:
    """Write a changed copy of the mini method."""
    data = yaml.safe_load(MINI_METHOD.read_text(encoding="utf-8"))
    change(data)
    return write_yaml(path, data)


def question(data: dict[str, Any], question_id: str) -> dict[str, Any]:
    """The question with this id in questionnaire data."""
    return next(q for q in data["questions"] if q["id"] == question_id)


def next_version(data: dict[str, Any], version: int) -> None:
    """Make questionnaire data a new version that changes nothing against the one before."""
    data["version"] = version
    data.pop("previous_version", None)
    data.pop("dropped", None)
    for item in data["questions"]:
        item.pop("replaces", None)
