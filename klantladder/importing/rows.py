"""Turning the data rows of an export into responses, checking every cell first.

Each row is sorted before its answers are checked: a preview or test row, a
partial response (unless asked for) and a row without any answer are skipped
and counted, so a tester's nonsense or an abandoned page never fails the whole
import. Every other row must be right in every cell: all problems are
collected, and the import refuses the file if there are any.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from klantladder.errors import Problem
from klantladder.folder import answer_problem
from klantladder.importing.answers import Answer, AnswerError, AnswerReader
from klantladder.importing.dates import Moment, Order, column_order, parse_moment
from klantladder.importing.identity import (
    LIMESURVEY_NO_DATE,
    Kind,
    RowMeta,
    kind_of,
    legacy_key,
    response_key,
    revision_of,
)
from klantladder.importing.layout import Column, Layout, Role
from klantladder.importing.mapping import Target
from klantladder.importing.table import Sheet
from klantladder.models.assessment import QuestionnaireRef, Response, ResponseSource
from klantladder.models.questionnaire import ProfileQuestion, Question, Questionnaire
from klantladder.store.keys import qualified

MAX_PROBLEMS = 25
# The respondent of an incoming response until the store gives it its code.
PLACEHOLDER_RESPONDENT = "pending"
# What tools write in a contact column of an anonymous response.
NO_CONTACT = frozenset({"anonymous", "anoniem", "-"})
DATE_ROLES = (Role.STARTED, Role.COMPLETED, Role.REVISION, Role.STAGED)


@dataclass(frozen=True)
class ImportRow:
    """A data row read into a response, with what identifies it."""

    row: int
    key: str
    revision: str | None
    response: Response
    contact: dict[str, str]
    label: str
    legacy: tuple[str, ...] = ()
    """Identities an import before identity keys gave this row (see `legacy_key`)."""


@dataclass
class RowsResult:
    """The responses read from an export, what was skipped, and the problems."""

    rows: list[ImportRow] = field(default_factory=list)
    test: list[int] = field(default_factory=list)
    partial: list[int] = field(default_factory=list)
    partial_included: list[int] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)
    contact_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class RowReader:
    """Reads every data row of a sheet; collects all problems."""

    def __init__(
        self,
        sheet: Sheet,
        layout: Layout,
        targets: dict[int, Target],
        questionnaire: Questionnaire,
        reader: AnswerReader,
        source: ResponseSource,
        *,
        include_partial: bool = False,
    ) -> None:
        self.sheet = sheet
        self.layout = layout
        self.targets = targets
        self.questionnaire = questionnaire
        self.reader = reader
        self.source = source
        self.include_partial = include_partial
        self.result = RowsResult()
        self._orders: dict[int, Order | None] = {}
        self._has_submit = layout.first(Role.COMPLETED) is not None
        self._plan = [
            (column, targets[column.index], questionnaire.question(targets[column.index].question))
            for column in layout.questions()
            if column.index in targets
        ]
        self._cache: dict[tuple[str, str], tuple[Answer | None, str | None]] = {}
        self._metadata_columns = [
            column for column in layout.columns if column.role not in (Role.QUESTION, Role.IGNORED)
        ]

    def read(self) -> RowsResult:
        """Read all data rows; the result holds problems instead of raising."""
        rows = self.sheet.rows
        first = self.layout.data_start
        last = max(
            (i for i in range(first, len(rows)) if any(c.strip() for c in rows[i])), default=0
        )
        self._date_orders(first)
        for index in range(first, last + 1):
            if len(self.result.problems) >= MAX_PROBLEMS:
                self.result.problems.append(
                    Problem(
                        self.sheet.name,
                        index + 1,
                        None,
                        f"stopped after {MAX_PROBLEMS} problems; fix these and import again",
                    )
                )
                break
            self._row(index)
        self.result.contact_columns = self._contact_columns(first, last)
        return self.result

    def _date_orders(self, first: int) -> None:
        for column in self.layout.columns:
            if column.role in DATE_ROLES:
                values = (
                    self.sheet.cell(i, column.index) for i in range(first, len(self.sheet.rows))
                )
                self._orders[column.index] = column_order(values)

    def _contact_columns(self, first: int, last: int) -> list[str]:
        found = []
        for column in self.layout.contacts():
            if any(
                self.sheet.cell(i, column.index).casefold() not in NO_CONTACT
                and self.sheet.cell(i, column.index)
                for i in range(first, last + 1)
            ):
                found.append(column.shown)
        return found

    def _problem(self, row: int, column: int, message: str) -> None:
        self.result.problems.append(Problem(self.sheet.name, row + 1, column + 1, message))

    def _cell_problem(self, row: int, column: Column, message: str) -> None:
        self._problem(row, column.index, f"column {column.header!r}: {message}")

    def _row(self, row: int) -> None:
        cells = self.sheet.rows[row]
        number = row + 1
        if not any(cell.strip() for cell in cells):
            self.result.empty.append(number)
            return
        extra = [i for i in range(len(self.layout.columns), len(cells)) if cells[i].strip()]
        if extra:
            self._problem(row, extra[0], "cell beyond the last column of the header row")
            return
        meta = self._plain_metadata(row)
        kind = kind_of(self.layout.tool, meta, self._has_submit)
        if kind is Kind.TEST:
            self.result.test.append(number)
            return
        if not any(not self.reader.is_blank(self.sheet.cell(row, index)) for index in self.targets):
            self.result.empty.append(number)
            return
        if kind is Kind.PARTIAL and not self.include_partial:
            self.result.partial.append(number)
            return
        before = len(self.result.problems)
        self._dates(row, meta)
        answers = self._answers(row)
        if len(self.result.problems) > before:
            return
        if not answers:
            self.result.empty.append(number)
            return
        if kind is Kind.PARTIAL:
            self.result.partial_included.append(number)
        self._add(number, meta, answers)

    def _add(self, number: int, meta: RowMeta, answers: dict[str, Answer]) -> None:
        tool = self.layout.tool
        revision = revision_of(tool, meta)
        source = self.source.model_copy(
            update={
                "key": response_key(tool, meta, answers),
                "revision": revision,
                "response_id": meta.response_id,
            }
        )
        response = Response(
            respondent=PLACEHOLDER_RESPONDENT,
            questionnaire=QuestionnaireRef(
                id=self.questionnaire.id, version=self.questionnaire.version
            ),
            started=meta.started.local if meta.started else None,
            completed=meta.completed.local if meta.completed else None,
            source=source,
            answers=answers,
        )
        assert source.key is not None
        label = (
            f"response {meta.response_id}" if meta.response_id else meta.label or f"row {number}"
        )
        legacy = qualified(tool, legacy_key(meta, self.sheet.rows[number - 1]))
        self.result.rows.append(
            ImportRow(
                number,
                source.key,
                revision,
                response,
                meta.contact,
                label,
                () if legacy == source.key else (legacy,),
            )
        )

    def _answers(self, row: int) -> dict[str, Answer]:
        answers: dict[str, Answer] = {}
        picked: dict[str, set[str]] = {}
        for column, target, question in self._plan:
            cell = self.sheet.cell(row, column.index)
            if target.option is not None:
                if _ticked(cell):
                    picked.setdefault(target.question, set()).add(target.option)
                continue
            value, message = self._read(question, cell)
            if message is not None:
                self._cell_problem(row, column, message)
            elif isinstance(value, list):
                picked.setdefault(target.question, set()).update(value)
            elif value is not None:
                answers[target.question] = value
        for question_id, options in picked.items():
            question = self.questionnaire.question(question_id)
            assert isinstance(question, ProfileQuestion)
            answers[question_id] = [o.id for o in question.options if o.id in options]
        return answers

    def _read(self, question: Question, cell: str) -> tuple[Answer | None, str | None]:
        """A cell's answer or what is wrong with it; the same cell text is read once."""
        key = (question.id, cell)
        if key not in self._cache:
            try:
                value = self.reader.read(question, cell)
            except AnswerError as error:
                self._cache[key] = (None, str(error))
            else:
                problem = None
                if value is not None and not isinstance(value, list):
                    problem = answer_problem(question, value)
                self._cache[key] = (None, problem) if problem else (value, None)
        return self._cache[key]

    def _plain_metadata(self, row: int) -> RowMeta:
        meta = RowMeta()
        for column in self._metadata_columns:
            cell = self.sheet.cell(row, column.index)
            role = column.role
            if role is Role.COMPLETED:
                meta.submitted = bool(cell)
            if not cell:
                continue
            if role is Role.RESPONSE_ID:
                meta.response_id = cell
                meta.legacy = cell
            elif role is Role.RESPONDENT:
                meta.legacy = cell
                meta.respondent = hashlib.sha256(cell.encode("utf-8")).hexdigest()[:16]
                meta.label = f"respondent {cell[:64]!r}"
            elif role is Role.STATUS:
                meta.status = cell
            elif role is Role.CHANNEL:
                meta.channel = cell
            elif role is Role.FINISHED:
                meta.finished = cell
            elif role is Role.PROGRESS:
                meta.progress = cell
            elif role is Role.RESPONSE_TYPE:
                meta.response_type = cell
            elif role is Role.SEED:
                meta.seed = cell
            elif role is Role.CONTACT and column.contact and cell.casefold() not in NO_CONTACT:
                meta.contact.setdefault(column.contact, cell[:200])
        return meta

    def _dates(self, row: int, meta: RowMeta) -> None:
        for column in self._metadata_columns:
            if column.role not in DATE_ROLES:
                continue
            cell = self.sheet.cell(row, column.index)
            if not cell or (self.layout.tool == "limesurvey" and cell == LIMESURVEY_NO_DATE):
                continue
            try:
                moment: Moment = parse_moment(cell, self._orders.get(column.index))
            except ValueError as error:
                self._cell_problem(row, column, str(error))
                continue
            if column.role is Role.STARTED:
                meta.started = moment
            elif column.role is Role.COMPLETED:
                meta.completed = moment
            elif column.role is Role.REVISION:
                meta.revision = moment
            else:
                meta.staged = moment


def _ticked(cell: str) -> bool:
    """Whether a per-option column marks its option as chosen (LimeSurvey 'Y', Typeform label)."""
    return cell.strip().casefold() not in ("", "n", "no", "nee", "0", "not selected", "false")
