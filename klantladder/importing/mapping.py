"""Mapping export columns to questions: automatic where the export says, else a file.

Columns map by themselves when the export names the question: a question id
(plain CSV, a Qualtrics export tag or ImportId), a LimeSurvey code made by
`klantladder.importing.codes`, or a header that is exactly a question's text in
one of the questionnaire's languages. Any other column needs an entry in a
mapping file, which ``--make-mapping`` drafts with the best match filled in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, PositiveInt

from klantladder.errors import InputError, Problem
from klantladder.importing.answers import all_texts, normalise
from klantladder.importing.codes import code_table
from klantladder.importing.layout import TOOLS, Column, Layout, Tool
from klantladder.models.assessment import QuestionnaireRef
from klantladder.models.base import Identifier, StrictModel
from klantladder.models.questionnaire import ProfileQuestion, Questionnaire
from klantladder.validation import validate_document
from klantladder.yamlsource import YamlDocument, load_yaml_file

_SELECTED_CHOICE = re.compile(r"\s*-\s*(Selected Choice|Geselecteerde keuze)\s*$", re.I)
_SUBQUESTION = re.compile(r"^(?P<code>[A-Za-z0-9]+)\[(?P<sub>[A-Za-z0-9]+)\]$")


@dataclass(frozen=True)
class Target:
    """The question a column answers; with an option, the column stands for that option."""

    question: str
    option: str | None = None


class MappingEntry(StrictModel):
    """One column of the export and the question it answers."""

    column: str = Field(
        description="The column: its header, or for Qualtrics its ImportId such as QID3."
    )
    label: str | None = Field(default=None, description="The header text, for reading only.")
    question: Identifier | None = Field(
        description="Id of the question the column answers; null to ignore the column."
    )
    option: Identifier | None = Field(
        default=None,
        description="For a column that stands for one option of a multi-select question.",
    )
    position: PositiveInt | None = Field(
        default=None,
        description=(
            "The column's number (1 = the first column), for a header that occurs more than "
            "once in the export, such as Typeform's repeated 'Other'."
        ),
    )
    match: float | None = Field(
        default=None, ge=0, le=1, description="How well the header matched the question (0-1)."
    )
    confirmed: bool = Field(
        default=False, description="Set to true once you have checked the entry."
    )


class MappingFile(StrictModel):
    """A mapping file: which question each column of an export answers."""

    tool: Tool | None = Field(default=None, description=f"The export's tool: {', '.join(TOOLS)}.")
    questionnaire: QuestionnaireRef | None = Field(
        default=None, description="The questionnaire the mapping is for."
    )
    columns: list[MappingEntry] = Field(description="One entry per column of the export.")


@dataclass(frozen=True)
class LoadedMapping:
    """A mapping file with the YAML places of its entries, for messages."""

    path: Path
    document: YamlDocument
    mapping: MappingFile


class QuestionIndex:
    """Everything by which a column may name a question of a questionnaire."""

    def __init__(self, questionnaire: Questionnaire, variants: list[Questionnaire]) -> None:
        self.questionnaire = questionnaire
        self.ids = {question.id for question in questionnaire.questions}
        self.codes = code_table(self.ids)
        self.option_codes: dict[str, dict[str, str]] = {}
        texts: dict[str, set[Target]] = {}
        for variant in variants:
            for question in variant.questions:
                for text in all_texts(question.text):
                    texts.setdefault(normalise(text), set()).add(Target(question.id))
                    if isinstance(question, ProfileQuestion) and question.multiple:
                        for option in question.options:
                            for label in all_texts(option.label):
                                key = normalise(f"{text} [{label}]")
                                texts.setdefault(key, set()).add(Target(question.id, option.id))
        self.exact = {text: next(iter(found)) for text, found in texts.items() if len(found) == 1}
        # Typeform heads each choice of a multi-select with the choice's label alone; a
        # label names its option when no other option or question text reads the same.
        labels: dict[str, set[Target]] = {}
        for variant in variants:
            for question in variant.questions:
                if isinstance(question, ProfileQuestion) and question.multiple:
                    for option in question.options:
                        for label in all_texts(option.label):
                            labels.setdefault(normalise(label), set()).add(
                                Target(question.id, option.id)
                            )
        self.option_labels = {
            label: next(iter(found))
            for label, found in labels.items()
            if len(found) == 1 and label not in texts
        }
        for question in questionnaire.profile_questions:
            self.option_codes[question.id] = code_table(option.id for option in question.options)

    def automatic(self, column: Column, tool: Tool) -> Target | None:
        """The question a column names by itself, if it does."""
        candidates = [column.header]
        if column.import_id:
            candidates.insert(0, column.import_id.removesuffix("_TEXT"))
        for candidate in candidates:
            if candidate in self.ids:
                return Target(candidate)
        if tool == "limesurvey":
            found = self._limesurvey(column.header)
            if found:
                return found
        for text in (column.label, column.header):
            for spelling in _spellings(text or ""):
                if spelling in self.exact:
                    return self.exact[spelling]
        if tool == "typeform":
            return self.option_labels.get(normalise(column.header))
        return None

    def _limesurvey(self, header: str) -> Target | None:
        if header in self.codes:
            return Target(self.codes[header])
        match = _SUBQUESTION.match(header)
        if match and match["code"] in self.codes:
            question = self.codes[match["code"]]
            option = self.option_codes.get(question, {}).get(match["sub"])
            if option:
                return Target(question, option)
        return None

    def candidates(self, variants: list[Questionnaire]) -> list[tuple[str, Target]]:
        """Every text a header may resemble: question texts, and option labels of multi-selects."""
        found: list[tuple[str, Target]] = []
        for variant in variants:
            for question in variant.questions:
                for text in all_texts(question.text):
                    found.append((normalise(text), Target(question.id)))
                if isinstance(question, ProfileQuestion) and question.multiple:
                    for option in question.options:
                        for label in all_texts(option.label):
                            found.append((normalise(label), Target(question.id, option.id)))
        return found


def _spellings(text: str) -> list[str]:
    """A header as the tools write a question or one of its options, normalised.

    Qualtrics writes "Question - Selected Choice" for a multi-select and
    "Question - Option" (legacy: "Question-Option") for one option's column;
    LimeSurvey and SurveyMonkey (as klantladder reads it) write "Question [Option]".
    """
    if not text.strip():
        return []
    found = [normalise(text)]
    stripped = _SELECTED_CHOICE.sub("", text)
    if stripped != text:
        found.append(normalise(stripped))
    if "-" in text:
        question, option = text.rsplit("-", 1)
        if question.strip() and option.strip():
            found.append(normalise(f"{question.strip()} [{option.strip()}]"))
    return found


def load_mapping(path: Path, questionnaire: Questionnaire) -> LoadedMapping:
    """Load a mapping file and check it against the questionnaire; every problem at its line."""
    document = load_yaml_file(path)
    mapping = validate_document(document, MappingFile)
    problems: list[Problem] = []
    if mapping.questionnaire and mapping.questionnaire.id != questionnaire.id:
        problems.append(
            document.problem(
                ("questionnaire", "id"),
                f"mapping is for questionnaire {mapping.questionnaire.id!r}, but the assessment "
                f"uses {questionnaire.id!r}",
            )
        )
    by_id = {question.id: question for question in questionnaire.questions}
    for index, entry in enumerate(mapping.columns):
        where = ("columns", index)
        if entry.question is None:
            continue
        question = by_id.get(entry.question)
        if question is None:
            problems.append(
                document.problem((*where, "question"), f"unknown question {entry.question!r}")
            )
            continue
        if entry.option is not None:
            options = (
                [option.id for option in question.options]
                if isinstance(question, ProfileQuestion) and question.multiple
                else []
            )
            if entry.option not in options:
                problems.append(
                    document.problem(
                        (*where, "option"),
                        f"{entry.option!r} is not an option of multi-select question "
                        f"{entry.question!r}",
                    )
                )
    if problems:
        raise InputError(problems)
    return LoadedMapping(path, document, mapping)


def entry_problem(loaded: LoadedMapping, index: int) -> Problem:
    """The refusal of an unconfirmed entry, at its line in the mapping file."""
    entry = loaded.mapping.columns[index]
    guess = f"question {entry.question!r}" if entry.question else "ignored"
    return loaded.document.problem(
        ("columns", index, "confirmed"),
        f"column {entry.column!r} ({guess}) is not confirmed; check it and set confirmed: true",
    )


def resolve(
    layout: Layout, index: QuestionIndex, loaded: LoadedMapping | None, sheet_name: str
) -> dict[int, Target]:
    """The question of every question column; raise `InputError` for any column without one.

    A header that occurs more than once (Typeform repeats 'Other') is mapped by
    its position: a mapping entry with ``position:`` names the column number.
    """
    counts = Counter(column.key for column in layout.questions())
    by_name: dict[str, int] = {}
    by_position: dict[tuple[str, int], int] = {}
    for number, entry in enumerate(loaded.mapping.columns if loaded else []):
        if entry.position is not None:
            by_position[(entry.column, entry.position)] = number
        else:
            by_name.setdefault(entry.column, number)
    targets: dict[int, Target] = {}
    problems: list[Problem] = []
    first_of: dict[str, Column] = {}
    for column in layout.questions():
        repeated = counts[column.key] > 1
        position = by_position.get((column.key, column.number))
        if position is None and not repeated:
            position = by_name.get(column.key)
        if loaded is not None and position is not None:
            entry = loaded.mapping.columns[position]
            if not entry.confirmed:
                problems.append(entry_problem(loaded, position))
            elif entry.question is not None:
                targets[column.index] = Target(entry.question, entry.option)
            continue
        if repeated:
            first = first_of.setdefault(column.key, column)
            if first is not column:
                problems.append(_repeated_column(column, first, layout, sheet_name, loaded))
            continue
        target = index.automatic(column, layout.tool)
        if target is None:
            problems.append(_unknown_column(column, layout, sheet_name, loaded))
        else:
            targets[column.index] = target
    problems += _clashes(layout, targets, sheet_name)
    if problems:
        raise InputError(problems)
    return targets


def _repeated_column(
    column: Column, first: Column, layout: Layout, sheet_name: str, loaded: LoadedMapping | None
) -> Problem:
    advice = (
        f"give their entries in {loaded.path} 'position: {first.number}' and "
        f"'position: {column.number}'"
        if loaded is not None
        else "map each by its position in a mapping file (--make-mapping writes 'position:'), "
        "or give every question a distinct title"
    )
    return Problem(
        sheet_name,
        layout.key_row,
        column.number,
        f"duplicate column {column.key!r} (also column {first.number}); {advice}",
    )


def _unknown_column(
    column: Column, layout: Layout, sheet_name: str, loaded: LoadedMapping | None
) -> Problem:
    row = layout.key_row
    name = f"{column.header!r}" + (f" ({column.import_id})" if column.import_id else "")
    if loaded is not None:
        advice = f"add it to {loaded.path} (question: null ignores it)"
    elif layout.tool == "csv":
        advice = "use a question id as its header, or make a mapping with --make-mapping"
    else:
        advice = "make a mapping file with --make-mapping, check it, and pass it with --mapping"
    return Problem(sheet_name, row, column.number, f"column {name} matches no question; {advice}")


def _clashes(layout: Layout, targets: dict[int, Target], sheet_name: str) -> list[Problem]:
    seen: dict[Target, Column] = {}
    problems = []
    for column in layout.questions():
        target = targets.get(column.index)
        if target is None:
            continue
        if target in seen:
            what = f"option {target.option!r} of " if target.option else ""
            problems.append(
                Problem(
                    sheet_name,
                    layout.header_rows,
                    column.number,
                    f"column {column.header!r} answers {what}{target.question!r}, as column "
                    f"{seen[target].number} ({seen[target].header!r}) does",
                )
            )
        seen.setdefault(target, column)
    return problems
