"""Helpers for the import, export-form and interview tests: folders, expected answers, XLSX."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from helpers import FIXTURES, write_yaml

IMPORTS = FIXTURES / "imports"
BILINGUAL = IMPORTS / "questionnaire.yaml"

# What every fixture export holds, whatever the tool and language.
EXPECTED: list[dict[str, Any]] = [
    {
        "leiderschap.feedback": 3,
        "leiderschap.uitdragen": 4,
        "feedback.meten-en-delen_per-afdeling": 3,
        "feedback.opvolgen": "unknown",
        "afdeling": "klantenservice",
        "kanalen": ["telefoon", "balie"],
    },
    {
        "leiderschap.feedback": 2,
        "leiderschap.uitdragen": 2,
        "feedback.meten-en-delen_per-afdeling": 4,
        "feedback.opvolgen": 5,
        "afdeling": "operatie",
        "kanalen": ["chat"],
    },
    {
        "leiderschap.feedback": 4,
        "leiderschap.uitdragen": "unknown",
        "feedback.meten-en-delen_per-afdeling": 2,
        "feedback.opvolgen": 3,
        "afdeling": "staf",
    },
]
OPEN = {"nl": ["Te weinig tijd", None, "Silo's"], "en": ["Too little time", None, "Silos"]}


def expected_answers(language: str) -> list[dict[str, Any]]:
    result = []
    for answers, text in zip(EXPECTED, OPEN[language], strict=True):
        full = dict(answers)
        if text:
            full["belemmering"] = text
        result.append(full)
    return result


def bilingual_folder(
    root: Path, language: str = "nl", name: str = "assessment", questionnaire: Path = BILINGUAL
) -> Path:
    """An empty assessment folder on the bilingual fixture questionnaire."""
    folder = root / name
    write_yaml(
        folder / "assessment.yaml",
        {
            "organisation": "Testbedrijf",
            "date": "2026-03-01",
            "questionnaire": {"id": "tweetalig", "version": 1, "file": str(questionnaire)},
            "language": language,
        },
    )
    (folder / "responses").mkdir(exist_ok=True)
    return folder


def saved(folder: Path) -> list[dict[str, Any]]:
    """The stored responses of a folder (files and import batches), in storage order."""
    from klantladder.folder import load_assessment_file, questionnaire_for
    from klantladder.store import load_stored

    document, assessment = load_assessment_file(folder)
    stored, problems = load_stored(folder, questionnaire_for(folder, document, assessment))
    assert not problems, problems
    return [item.response.model_dump(mode="json", exclude_none=True) for item in stored]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, to show that nothing was written."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def csv_to_xlsx(
    source: Path, target: Path, *, date_columns: tuple[str, ...] = (), header_rows: int = 1
) -> Path:
    """Save a CSV fixture as an XLSX workbook, as Excel would; dates become real dates."""
    import datetime as dt

    import openpyxl

    from klantladder.importing.dates import parse_datetime

    text = source.read_bytes().decode("utf-8-sig")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    header = rows[0]
    for index, row in enumerate(rows):
        values: list[Any] = []
        for column, cell in enumerate(row):
            value: Any = cell
            if (
                index >= header_rows
                and column < len(header)
                and header[column] in date_columns
                and cell
            ):
                value = parse_datetime(cell)
            elif re.fullmatch(r"-?\d+", cell):
                value = int(cell)
            values.append(value)
        sheet.append(values)
    # A fixed creation time keeps the file the same from run to run.
    workbook.properties.created = dt.datetime(2026, 3, 1)
    workbook.properties.modified = dt.datetime(2026, 3, 1)
    workbook.save(target)
    return target
