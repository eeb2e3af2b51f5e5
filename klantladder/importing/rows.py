"""Turning the data rows of an export into responses, checking every cell first."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from klantladder.errors import Problem
from klantladder.folder import answer_problem
from klantladder.importing.answers import Answer, AnswerError, AnswerReader
from klantladder.importing.dates import parse_datetime
from klantladder.importing.layout import Column, Layout, Role
from klantladder.importing.mapping import Target
from klantladder.importing.table import Sheet
from klantladder.models.assessment import QuestionnaireRef, Response, ResponseSource
from klantladder.models.base import IDENTIFIER_PATTERN
from klantladder.models.questionnaire import ProfileQuestion, Questionnaire

MAX_PROBLEMS = 25
ANONYMOUS = frozenset({"anonymous", "anoniem"})
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)


@dataclass
class RowsResult:
    """The responses read from an export, and what was left out."""

    responses: list[Response] = field(default_factory=list)
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Meta:
    """The metadata cells of one row."""

    response_id: str | None = None
    respondent: str | None = None
    name: str | None = None
    started: dt.datetime | None = None
    completed: dt.datetime | None = None


@dataclass(frozen=True)
class Known:
    """What the assessment folder already holds, to avoid duplicates and clashes."""

    respondents: set[str]
    sources: set[tuple[str, str]]


def known_responses(responses: Iterable[Response]) -> Known:
    """Respondent ids and (tool, key) pairs of the responses already in the folder."""
    respondents: set[str] = set()
    sources: set[tuple[str, str]] = set()
    for response in responses:
        respondents.add(response.respondent)
        if response.source is not None:
            for key in (response.source.response_id, response.source.row_hash):
                if key:
                    sources.add((response.source.tool, key))
    return Known(respondents, sources)


class RowReader:
    """Reads every data row of a sheet into a response; collects all problems."""

    def __init__(
        self,
        sheet: Sheet,
        layout: Layout,
        targets: dict[int, Target],
        questionnaire: Questionnaire,
        reader: AnswerReader,
        known: Known,
        export_name: str,
    ) -> None:
        self.sheet = sheet
        self.layout = layout
        self.targets = targets
        self.questionnaire = questionnaire
        self.reader = reader
        self.known = known
        self.export_name = export_name
        self.result = RowsResult()
        self._ids_in_file: dict[str, int] = {}
        self._next_number = _last_number(known.respondents, layout.tool) + 1

    def read(self) -> RowsResult:
        """Read all data rows; the result holds problems instead of raising."""
        rows = self.sheet.rows
        first = self.layout.header_rows
        last = max(
            (i for i in range(first, len(rows)) if any(c.strip() for c in rows[i])), default=0
        )
        for index in range(first, len(rows)):
            if len(self.result.problems) >= MAX_PROBLEMS:
                self.result.problems.append(
                    Problem(self.sheet.name, None, None, f"stopped after {MAX_PROBLEMS} problems")
                )
                break
            if not any(cell.strip() for cell in rows[index]):
                if index < last:
                    self._problem(index, 0, "row is empty; remove it from the export")
                continue
            self._row(index)
        return self.result

    def _problem(self, row: int, column: int, message: str) -> None:
        self.result.problems.append(Problem(self.sheet.name, row + 1, column + 1, message))

    def _cell_problem(self, row: int, column: Column, message: str) -> None:
        self._problem(row, column.index, f"column {column.header!r}: {message}")

    def _row(self, row: int) -> None:
        cells = self.sheet.rows[row]
        width = len(self.layout.columns)
        extra = [i for i in range(width, len(cells)) if cells[i].strip()]
        if extra:
            self._problem(row, extra[0], "cell beyond the last column of the header row")
            return
        before = len(self.result.problems)
        answers = self._answers(row)
        meta = self._metadata(row)
        if len(self.result.problems) > before:
            return
        if not answers:
            self._problem(row, 0, "row has no answers to any question; remove it from the export")
            return
        key = meta.response_id or _row_hash(cells)
        key_kind = "response_id" if meta.response_id else "row_hash"
        if key in self._ids_in_file:
            if key_kind == "row_hash":
                self.result.duplicates += 1
                return
            column = self.layout.first(Role.RESPONSE_ID) or self.layout.first(Role.RESPONDENT)
            self._problem(
                row,
                column.index if column else 0,
                f"response id {key!r} also on row {self._ids_in_file[key]}",
            )
            return
        self._ids_in_file[key] = row + 1
        if (self.layout.tool, key) in self.known.sources:
            self.result.duplicates += 1
            return
        respondent = meta.respondent or self._new_respondent()
        if respondent in self.known.respondents:
            column = self.layout.first(Role.RESPONDENT)
            self._problem(
                row,
                column.index if column else 0,
                f"respondent {respondent!r} already has answers in responses/{respondent}.yaml "
                f"that did not come from this export",
            )
            return
        source = ResponseSource(
            tool=self.layout.tool,
            response_id=key if key_kind == "response_id" else None,
            row_hash=key if key_kind == "row_hash" else None,
            file=self.export_name,
        )
        response = Response(
            respondent=respondent,
            name=meta.name,
            questionnaire=QuestionnaireRef(
                id=self.questionnaire.id, version=self.questionnaire.version
            ),
            started=meta.started,
            completed=meta.completed,
            source=source,
            answers=answers,
        )
        self.result.responses.append(response)

    def _answers(self, row: int) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        picked: dict[str, set[str]] = {}
        for column in self.layout.questions():
            target = self.targets.get(column.index)
            if target is None:
                continue
            cell = self.sheet.cell(row, column.index)
            question = self.questionnaire.question(target.question)
            try:
                if target.option is not None:
                    if _ticked(cell):
                        picked.setdefault(target.question, set()).add(target.option)
                    continue
                value = self.reader.read(question, cell)
            except AnswerError as error:
                self._cell_problem(row, column, str(error))
                continue
            if value is None:
                continue
            if isinstance(value, list):
                picked.setdefault(target.question, set()).update(value)
                continue
            message = answer_problem(question, value)
            if message:
                self._cell_problem(row, column, message)
                continue
            answers[target.question] = value
        for question_id, options in picked.items():
            question = self.questionnaire.question(question_id)
            assert isinstance(question, ProfileQuestion)
            answers[question_id] = [o.id for o in question.options if o.id in options]
        return answers

    def _metadata(self, row: int) -> _Meta:
        meta = _Meta()
        for column in self.layout.columns:
            cell = self.sheet.cell(row, column.index)
            if not cell or column.role in (Role.QUESTION, Role.IGNORED):
                continue
            if column.role in (Role.STARTED, Role.COMPLETED):
                try:
                    when = parse_datetime(cell)
                except ValueError as error:
                    self._cell_problem(row, column, str(error))
                    continue
                if column.role is Role.STARTED:
                    meta.started = when
                else:
                    meta.completed = when
            elif column.role is Role.RESPONSE_ID:
                meta.response_id = cell
            elif column.role is Role.RESPONDENT:
                if not _IDENTIFIER.match(cell) or len(cell) > 64:
                    self._cell_problem(
                        row,
                        column,
                        f"{cell!r} is no respondent id: use lower-case letters, digits, '.', "
                        f"'_' or '-'",
                    )
                meta.respondent = cell
                meta.response_id = cell
            elif column.role is Role.NAME and cell.casefold() not in ANONYMOUS:
                meta.name = cell[:200]
        return meta

    def _new_respondent(self) -> str:
        while True:
            respondent = f"{self.layout.tool}-{self._next_number:04d}"
            self._next_number += 1
            if respondent not in self.known.respondents:
                return respondent


def _ticked(cell: str) -> bool:
    """Whether a per-option column marks its option as chosen (LimeSurvey 'Y', Typeform label)."""
    return cell.strip().casefold() not in ("", "n", "no", "nee", "0", "not selected", "false")


def _row_hash(cells: list[str]) -> str:
    joined = "\x1f".join(cell.strip() for cell in cells).rstrip("\x1f")
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _last_number(respondents: set[str], tool: str) -> int:
    pattern = re.compile(rf"^{re.escape(tool)}-(\d+)$")
    numbers = [int(m[1]) for r in respondents if (m := pattern.match(r))]
    return max(numbers, default=0)
