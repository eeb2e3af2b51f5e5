"""Every open answer of an assessment as a spreadsheet-safe CSV file.

The report quotes a bounded selection; this export holds all of them, for
whoever needs the full list. One row per answer: respondent code, question id,
question text (in the report's language) and the answer. Respondents are
identified by their codes only, never by name.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from klantladder.diagnosis.quotes import open_answers
from klantladder.exporting import safe_cell
from klantladder.fileio import write_atomic
from klantladder.folder import AssessmentFolder, load_assessment
from klantladder.models.base import localize

HEADER = ("respondent", "question", "question_text", "answer")


def open_answers_csv(folder: AssessmentFolder) -> str:
    """The CSV text of every open answer, by respondent and then question order.

    A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return) gets a leading ``'``.
    """
    language = folder.language
    texts = {q.id: localize(q.text, language) for q in folder.questionnaire.open_questions}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for answer in open_answers(folder.questionnaire, folder.responses):
        row = (answer.respondent, answer.question, texts[answer.question], answer.text)
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def default_answers_output(folder: AssessmentFolder) -> Path:
    """``DIR/answers-<assessment date>.csv``, beside the report."""
    return folder.path / f"answers-{folder.assessment.date.isoformat()}.csv"


def export_open_answers(
    folder_path: Path,
    output: Path | None = None,
    *,
    language: str | None = None,
    force: bool = False,
) -> tuple[Path, int]:
    """Write every open answer of an assessment folder to a CSV file.

    Returns the path written and the number of answers. Never overwrites an
    existing file unless ``force``; writes atomically. The file starts with a
    byte order mark so that spreadsheet programs read it as UTF-8.
    """
    folder = load_assessment(folder_path, language)
    target = output or default_answers_output(folder)
    write_atomic(target, "\ufeff" + open_answers_csv(folder), force=force)
    return target, len(open_answers(folder.questionnaire, folder.responses))
