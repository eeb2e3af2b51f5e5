"""Synthetic calibration sets: assessment folders whose scores are set exactly.

The questionnaire has one ladder question per dimension of the mini method (lead
weighs 2, listen and act 1). Twenty respondents per folder make every dimension
mean a multiple of 0.05, so a folder can be given any score on that grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from builders import MINI_METHOD
from helpers import write_yaml

RESPONDENTS = 20
PHASES = ("ignore", "collect", "analyse", "cooperate", "transform")
TRUE = (1.95, 2.85, 3.55, 4.35)  # on the 0.05 grid, and none of them an equal band
# Two folders pin each threshold: 0.05 below it (the phase under) and on it.
PINNED = (1.3, 1.9, 1.95, 2.4, 2.8, 2.85, 3.2, 3.5, 3.55, 4.0, 4.3, 4.35, 4.8)


def calibration_questionnaire(root: Path, thresholds: Sequence[float] | None = None) -> Path:
    """The questionnaire file ``cal`` v1 on the mini method, with optional own thresholds."""
    data: dict[str, Any] = {
        "id": "cal",
        "version": 1,
        "languages": ["en"],
        "title": "Calibration questionnaire",
        "method": str(MINI_METHOD.resolve()),
        "questions": [
            {
                "id": f"{dimension}.q",
                "kind": "ladder",
                "dimension": dimension,
                "text": f"How is {dimension}?",
                "statements": {level: f"{dimension} at {level}" for level in range(1, 6)},
            }
            for dimension in ("lead", "listen", "act")
        ],
    }
    if thresholds is not None:
        data["scoring"] = {"thresholds": dict(zip(PHASES[1:], thresholds, strict=True))}
    return write_yaml(root / "cal.yaml", data)


def answers_for_mean(mean: float) -> list[int]:
    """Twenty answers 1-5 whose mean is exactly ``mean`` (a multiple of 0.05)."""
    total = round(mean * RESPONDENTS)
    base, extra = divmod(total, RESPONDENTS)
    answers = [base + 1] * extra + [base] * (RESPONDENTS - extra)
    assert all(1 <= a <= 5 for a in answers) and sum(answers) == total, mean
    return answers


def organisation(
    root: Path,
    name: str,
    questionnaire: Path,
    *,
    lead: float,
    listen: float | None = None,
    act: float | None = None,
    expected: str | None,
    acceptable: Sequence[str] = (),
) -> Path:
    """A folder whose dimensions score exactly ``lead``, ``listen`` and ``act`` (default lead)."""
    means = {"lead": lead, "listen": lead if listen is None else listen}
    means["act"] = means["listen"] if act is None else act
    folder = root / name
    assessment: dict[str, Any] = {
        "organisation": name.replace("-", " ").title(),
        "date": "2026-04-01",
        "questionnaire": {"id": "cal", "version": 1, "file": str(questionnaire.resolve())},
        "language": "en",
    }
    if expected is not None:
        assessment["expected"] = expected
    if acceptable:
        assessment["acceptable"] = list(acceptable)
    write_yaml(folder / "assessment.yaml", assessment)
    columns = {dimension: answers_for_mean(mean) for dimension, mean in means.items()}
    for index in range(RESPONDENTS):
        respondent = f"r{index:02d}"
        answers = {f"{dimension}.q": columns[dimension][index] for dimension in means}
        write_yaml(
            folder / "responses" / f"{respondent}.yaml",
            {
                "respondent": respondent,
                "questionnaire": {"id": "cal", "version": 1},
                "answers": answers,
            },
        )
    return folder


def pinned_set(root: Path) -> list[Path]:
    """Thirteen folders with even profiles that pin every threshold to `TRUE`."""
    questionnaire = calibration_questionnaire(root)
    return [
        organisation(root, f"org-{i:02d}", questionnaire, lead=s, expected=phase_by(s, TRUE))
        for i, s in enumerate(PINNED)
    ]


def level_of(score: float, thresholds: Sequence[float]) -> int:
    return 1 + sum(1 for threshold in thresholds if round(score, 2) >= threshold)


def phase_by(score: float, thresholds: Sequence[float]) -> str:
    """The phase id a score has by these thresholds (one dimension: no cap)."""
    return PHASES[level_of(score, thresholds) - 1]


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
