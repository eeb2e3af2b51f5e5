"""Writing a questionnaire in the formats survey tools import, so nobody retypes it.

* Qualtrics: an Advanced Format TXT file. Each question carries ``[[ID:<id>]]``,
  which Qualtrics uses as the question's export tag: the first header row of
  the response export then holds klantladder's question ids.
* LimeSurvey: the tab-separated survey structure (``.txt``). Question codes are
  `klantladder.importing.codes.limesurvey_code` of the ids; ladder and agreement
  answers have the codes 1-5, options the codes 1-n, and 'don't know' the code DK.
* csv: a plain sheet, one question per row with its choices, to copy into
  Microsoft Forms, Google Forms or Typeform. Titles copied verbatim map back to
  the questions without a mapping file.

A question with a `when` condition becomes LimeSurvey's relevance equation.
Qualtrics' Advanced Format cannot carry display logic, so the question text gets
a note saying which display logic to set up; the sheet has a `shown when` column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from string import Template
from typing import Any, Literal, get_args

from klantladder.fileio import write_atomic
from klantladder.folder import load_assessment_file, questionnaire_for
from klantladder.importing.answers import LIMESURVEY_UNKNOWN_CODE
from klantladder.importing.codes import code_table, limesurvey_code
from klantladder.models.base import Text, localize
from klantladder.models.questionnaire import (
    Condition,
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Question,
    Questionnaire,
)

FormTarget = Literal["qualtrics", "limesurvey", "csv"]
FORM_TARGETS: tuple[FormTarget, ...] = get_args(FormTarget)
SUFFIXES: dict[FormTarget, str] = {
    "qualtrics": "qualtrics.txt",
    "limesurvey": "limesurvey.txt",
    "csv": "form.csv",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIMESURVEY_COLUMNS = (
    "id",
    "related_id",
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "other",
    "default",
    "same_default",
)


def export_form(
    folder: Path, to: FormTarget, output: Path | None = None, *, force: bool = False
) -> Path:
    """Write the assessment's questionnaire for a survey tool; return the file written.

    The file goes into the assessment folder as ``<questionnaire>.<language>.<suffix>``
    unless ``output`` is given; an existing file is kept unless ``force``.
    """
    document, assessment = load_assessment_file(folder)
    questionnaire = questionnaire_for(folder, document, assessment)
    language = assessment.language
    path = output or folder / f"{questionnaire.id}.{language}.{SUFFIXES[to]}"
    text = render_form(questionnaire, language, to)
    write_atomic(
        path, text.encode("utf-8-sig") if to == "csv" else text.encode("utf-8"), force=force
    )
    return path


def render_form(questionnaire: Questionnaire, language: str, to: FormTarget) -> str:
    """The questionnaire as the text of a Qualtrics, LimeSurvey or plain CSV form."""
    if to == "qualtrics":
        return _qualtrics(questionnaire, language)
    if to == "limesurvey":
        return _limesurvey(questionnaire, language)
    return _sheet(questionnaire, language)


def _labels(language: str) -> dict[str, Any]:
    from klantladder.report.environment import report_labels

    return report_labels(language)


def condition_answers(condition: Condition, questionnaire: Questionnaire, language: str) -> str:
    """The answers a condition names, as the respondent reads them, quoted and joined."""
    target = questionnaire.question(condition.question)
    texts = []
    for value in condition.values:
        if isinstance(target, ProfileQuestion):
            option = next(o for o in target.options if o.id == value)
            texts.append(f"'{_line(option.label, language)}'")
        else:
            texts.append(str(value))
    separator: str = _labels(language)["routing_or"]
    return separator.join(texts)


def shown_when(question: Question, questionnaire: Questionnaire, language: str) -> str | None:
    """When a question is asked, in words with the earlier question's id; None if always."""
    condition = question.when
    if condition is None:
        return None
    key = "routing_in" if condition.in_ is not None else "routing_not_in"
    template: str = _labels(language)[key]
    return Template(template).safe_substitute(
        question=condition.question,
        answers=condition_answers(condition, questionnaire, language),
    )


def limesurvey_relevance(condition: Condition | None, questionnaire: Questionnaire) -> str:
    """A condition as a LimeSurvey relevance equation ('1' when always asked).

    ``.NAOK`` lets the equation read a question that was itself not shown or not
    answered, so that 'not in' shows the question then, as klantladder does.
    """
    if condition is None:
        return "1"
    target = questionnaire.question(condition.question)
    code = limesurvey_code(target.id)
    if isinstance(target, ProfileQuestion):
        position = {option.id: index for index, option in enumerate(target.options, start=1)}
        codes = [str(position[str(value)]) for value in condition.values]
    else:
        codes = [str(value) for value in condition.values]
    either = " or ".join(f'{code}.NAOK == "{answer}"' for answer in codes)
    if condition.in_ is not None:
        return f"({either})"
    return f"!({either})"


def choices(question: Question, questionnaire: Questionnaire, language: str) -> list[str]:
    """The answer choices of a closed question in order, 'don't know' last; [] for open ones."""
    labels = questionnaire.content.answer_labels
    if isinstance(question, LadderQuestion):
        texts = [localize(text, language) for text in question.statements.values()]
    elif isinstance(question, LikertQuestion):
        texts = [localize(text, language) for text in labels.agreement.values()]
    elif isinstance(question, ProfileQuestion):
        texts = [localize(option.label, language) for option in question.options]
    else:
        return []
    if question.allow_unknown and not (isinstance(question, ProfileQuestion) and question.multiple):
        texts.append(localize(labels.unknown, language))
    return texts


def _line(text: Text, language: str) -> str:
    """A text on one line, as the tools' line-based formats need it."""
    return " ".join(localize(text, language).split())


def _qualtrics(questionnaire: Questionnaire, language: str) -> str:
    lines = ["[[AdvancedFormat]]", "", f"[[Block:{_line(questionnaire.title, language)}]]", ""]
    previous_dimension: str | None = None
    for question in questionnaire.questions:
        dimension = getattr(question, "dimension", None)
        if previous_dimension is not None and dimension != previous_dimension:
            lines += ["[[PageBreak]]", ""]
        previous_dimension = dimension
        if isinstance(question, OpenQuestion):
            kind = "TE:Essay"
        elif isinstance(question, ProfileQuestion) and question.multiple:
            kind = "MC:MultipleAnswer:Vertical"
        else:
            kind = "MC:SingleAnswer:Vertical"
        text = _line(question.text, language)
        rule = shown_when(question, questionnaire, language)
        if rule is not None:
            note = Template(_labels(language)["routing_form_note"]).safe_substitute(rule=rule)
            text = f"{text} {note}"
        lines += [f"[[Question:{kind}]]", f"[[ID:{question.id}]]", text]
        answer_choices = choices(question, questionnaire, language)
        if answer_choices:
            lines.append("[[Choices]]")
            lines += [" ".join(choice.split()) for choice in answer_choices]
        lines.append("")
    return "\n".join(lines)


def _limesurvey(questionnaire: Questionnaire, language: str) -> str:
    code_table(question.id for question in questionnaire.questions)  # refuses clashing codes
    rows: list[dict[str, str]] = [
        {"class": "S", "name": "language", "text": language},
        {"class": "S", "name": "format", "text": "G"},
        {"class": "SL", "name": "surveyls_title", "text": _line(questionnaire.title, language)},
    ]
    if questionnaire.description is not None:
        rows.append(
            {
                "class": "SL",
                "name": "surveyls_description",
                "text": _line(questionnaire.description, language),
            }
        )
    for row in rows:
        if row["class"] == "SL":
            row["language"] = language
    rows.append(
        {
            "id": "1",
            "class": "G",
            "type/scale": "0",
            "name": _line(questionnaire.title, language),
            "language": language,
        }
    )
    for number, question in enumerate(questionnaire.questions, start=1):
        rows += _limesurvey_question(number, question, questionnaire, language)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=LIMESURVEY_COLUMNS, delimiter="\t", lineterminator="\n", restval=""
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _limesurvey_question(
    number: int, question: Question, questionnaire: Questionnaire, language: str
) -> list[dict[str, str]]:
    if isinstance(question, OpenQuestion):
        kind = "T"
    elif isinstance(question, ProfileQuestion) and question.multiple:
        kind = "M"
    else:
        kind = "L"
    common = {"id": str(number), "language": language}
    rows = [
        {
            **common,
            "class": "Q",
            "type/scale": kind,
            "name": limesurvey_code(question.id),
            "relevance": limesurvey_relevance(question.when, questionnaire),
            "text": _line(question.text, language),
            "help": _line(question.help, language) if question.help else "",
            "mandatory": "N",
            "other": "N",
        }
    ]
    if kind == "M":
        assert isinstance(question, ProfileQuestion)
        code_table(option.id for option in question.options)
        # Subquestions need ids of their own, apart from the questions' 1..n.
        rows += [
            {
                **common,
                "id": str(number * 1000 + position),
                "class": "SQ",
                "name": limesurvey_code(option.id),
                "relevance": "1",
                "text": _line(option.label, language),
            }
            for position, option in enumerate(question.options, start=1)
        ]
    elif kind == "L":
        texts = choices(question, questionnaire, language)
        codes = [str(position) for position in range(1, len(texts) + 1)]
        if question.allow_unknown:  # type: ignore[union-attr]
            codes[-1] = LIMESURVEY_UNKNOWN_CODE
        rows += [
            {**common, "class": "A", "type/scale": "0", "name": code, "text": text}
            for code, text in zip(codes, texts, strict=True)
        ]
    return rows


def _sheet(questionnaire: Questionnaire, language: str) -> str:
    questions = questionnaire.questions
    width = max((len(choices(q, questionnaire, language)) for q in questions), default=0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["id", "kind", "form type", "question", "help", "shown when"]
        + [f"choice {i}" for i in range(1, width + 1)]
    )
    for question in questions:
        if isinstance(question, OpenQuestion):
            form_type = "text"
        elif isinstance(question, ProfileQuestion) and question.multiple:
            form_type = "checkboxes"
        else:
            form_type = "single choice"
        row = [
            question.id,
            question.kind,
            form_type,
            _line(question.text, language),
            _line(question.help, language) if question.help else "",
            shown_when(question, questionnaire, language) or "",
            *choices(question, questionnaire, language),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def safe_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (quote prefix)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
