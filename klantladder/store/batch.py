"""Import batches: all respondents of one import in one CSV file, ``responses/import-NNNN.csv``.

The format (see docs/design/storage.md and the README's folder format):

* UTF-8, comma-separated, fields quoted where they hold a comma, a quote or a
  line break (RFC 4180); one header row, then one row per respondent.
* Columns ``respondent``, ``questionnaire.id``, ``questionnaire.version``,
  ``started``, ``completed`` (ISO 8601 or empty), ``source.tool``,
  ``source.key``, ``source.file``, ``source.form``, ``source.revision``, then
  one column per question id in questionnaire order.
* A cell is read by the kind of its question, so every value has one reading:
  ladder and agreement questions ``1``-``5`` or ``unknown`` (don't know);
  profile questions an option id or ``unknown``, a multi-select its option ids
  joined by ``;`` (ids never hold one); open questions the text exactly as
  given, so the text ``unknown`` is text (an open question has no don't-know),
  and a text starting with ``=`` stays as it is. An empty cell is no answer.
* Stored responses are canonical: a multi-select's answer is always a list,
  and an empty text or an empty choice is no answer.

Python's csv module reads 10,000 rows in a few hundredths of a second, and each
column's reader is made once per file, so no cache is needed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from klantladder.collector import collector_paused
from klantladder.errors import Problem
from klantladder.limits import (
    MAX_BATCH_BYTES,
    MAX_BATCH_CELL_CHARS,
    MAX_BATCH_ROWS,
    read_input_bytes,
)
from klantladder.models.assessment import (
    SOURCE_TOOLS,
    UNKNOWN,
    QuestionnaireRef,
    Response,
    ResponseSource,
    SourceTool,
)
from klantladder.models.base import IDENTIFIER_PATTERN
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Question,
    Questionnaire,
)
from klantladder.routing import Router, routes
from klantladder.store.checks import not_asked_answers, not_asked_problem

Answer = int | str | list[str]

FIXED_COLUMNS = (
    "respondent",
    "questionnaire.id",
    "questionnaire.version",
    "started",
    "completed",
    "source.tool",
    "source.key",
    "source.file",
    "source.form",
    "source.revision",
)
MULTI_SEPARATOR = ";"
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
SHARED_TEXTS = 20_000
"""How many different open answers a batch reader remembers to share repeats of."""

# Every field is given to model_construct, so every instance may share one set
# of field names (adding a name it holds changes nothing): 700 bytes a row less.
_RESPONSE_FIELDS = set(Response.model_fields)
_SOURCE_FIELDS = set(ResponseSource.model_fields)


class CellError(ValueError):
    """A cell that cannot be read; the message says what it should hold."""


# --- writing -----------------------------------------------------------------


def canonical_answers(
    answers: dict[str, Answer], questions: dict[str, Question]
) -> dict[str, Answer]:
    """Answers as a batch stores them: lists for multi-selects, no empty answers."""
    result: dict[str, Answer] = {}
    for question_id, value in answers.items():
        if value == "" or value == []:
            continue
        question = questions.get(question_id)
        if isinstance(question, ProfileQuestion) and question.multiple and isinstance(value, str):
            value = value if value == UNKNOWN else [value]
        if isinstance(value, list):
            value = list(dict.fromkeys(value))
        result[question_id] = value
    return result


def answers_as_stored(
    answers: dict[str, Answer], questions: dict[str, Question], router: Router
) -> tuple[dict[str, Answer], tuple[str, ...]]:
    """Answers as an import stores them, and the ids of those dropped as not asked.

    Answers to questions the routing does not ask the respondent are left out
    (a form without the routing still collects them), the rest made canonical
    (`canonical_answers`). The importer compares an incoming row with a stored
    response after this same clean-up, so a re-import of one export is
    recognised as already there.
    """
    out = router.not_asked(answers)
    dropped = tuple(question_id for question_id in answers if question_id in out)
    if dropped:
        answers = {key: value for key, value in answers.items() if key not in out}
    return canonical_answers(answers, questions), dropped


def canonical(response: Response, questionnaire: Questionnaire) -> Response:
    """The response as a batch stores it (see `canonical_answers`)."""
    questions = {question.id: question for question in questionnaire.questions}
    answers = canonical_answers(response.answers, questions)
    if answers == response.answers:
        return response
    return response.model_copy(update={"answers": answers})


def batch_problem(response: Response) -> str | None:
    """Why a response cannot live in a batch, or None."""
    if response.source is None or not response.source.key:
        return "an imported response needs source.key"
    if response.skipped:
        return "a batch holds no skipped questions"
    if response.name is not None:
        return "a batch holds no names"
    return None


def batch_bytes(questionnaire: Questionnaire, responses: Sequence[Response]) -> bytes:
    """The text of a batch holding ``responses`` (canonical, see `canonical`)."""
    questions = list(questionnaire.questions)
    ids = [question.id for question in questions]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # With "\n" line ends the csv module quotes a field holding "\n" but not one
    # holding a lone "\r", which a reader would then split on: such rows are
    # written with every field quoted.
    quoting = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow([*FIXED_COLUMNS, *ids])
    for response in responses:
        problem = batch_problem(response)
        if problem:
            raise ValueError(f"{response.respondent}: {problem}")
        source = response.source
        assert source is not None
        answers = response.answers
        cells = [
            response.respondent,
            response.questionnaire.id,
            str(response.questionnaire.version),
            _iso(response.started),
            _iso(response.completed),
            source.tool,
            source.key or "",
            source.file or "",
            source.form or "",
            source.revision or "",
        ]
        for question_id in ids:
            value = answers.get(question_id)
            if value is None:
                cells.append("")
            elif type(value) is list:
                cells.append(MULTI_SEPARATOR.join(value))
            else:
                cells.append(str(value))
        (quoting if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return out.getvalue().encode("utf-8")


def _iso(value: dt.datetime | None) -> str:
    return "" if value is None else value.isoformat()


# --- reading -----------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    """One respondent read from a batch, with its row number (the header is row 1)."""

    response: Response
    row: int


def read_batch(
    path: Path, questionnaire: Questionnaire, folder: Path
) -> tuple[list[BatchRow], list[Problem]]:
    """Read and check a batch file; return its good rows and every problem at file:row:col."""
    name = str(path)
    data = read_input_bytes(path, limit=MAX_BATCH_BYTES, what="a batch of responses", within=folder)
    # Decoded as it is read: a decoded copy of 100,000 rows would cost 200 MB at once.
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [], [Problem(name, 1, None, f"CSV error: {error}")]
    except UnicodeDecodeError:
        return [], [Problem(name, 1, None, "not UTF-8 text; klantladder writes batches in UTF-8")]
    if header is None:
        return [], [Problem(name, None, None, "the batch is empty; it needs a header row")]
    columns, problems = _columns(name, header, questionnaire)
    if problems:
        return [], problems
    # Reading builds millions of small objects and no reference cycles: the
    # cycle collector would walk them again and again (40% of the time).
    with collector_paused():
        return _rows(name, reader, columns, questionnaire)


@dataclass(frozen=True)
class _Columns:
    fixed: dict[str, int]
    # per question column: its place, id, the answers its cells most often hold
    # (read by a look-up, which most cells need) and the reader of every other cell
    questions: list[tuple[int, str, dict[str, Answer], Callable[[str], Answer]]]
    width: int


def _columns(
    name: str, header: list[str], questionnaire: Questionnaire
) -> tuple[_Columns, list[Problem]]:
    problems = []
    fixed: dict[str, int] = {}
    questions: list[tuple[int, str, dict[str, Answer], Callable[[str], Answer]]] = []
    by_id = {question.id: question for question in questionnaire.questions}
    texts: dict[str, str] = {}  # shared by the file's open questions
    seen: dict[str, int] = {}
    for index, title in enumerate(header):
        if title in seen:
            problems.append(
                Problem(name, 1, index + 1, f"column {title!r} twice (also column {seen[title]})")
            )
            continue
        seen[title] = index + 1
        if title in FIXED_COLUMNS:
            fixed[title] = index
        elif title in by_id:
            questions.append(
                (index, title, _plain_cells(by_id[title]), _decoder(by_id[title], texts))
            )
        else:
            problems.append(Problem(name, 1, index + 1, f"unknown question {title!r}"))
    missing = [title for title in FIXED_COLUMNS if title not in fixed]
    if missing:
        problems.append(Problem(name, 1, None, f"missing column(s) {', '.join(missing)}"))
    return _Columns(fixed, questions, len(header)), problems


def _rows(
    name: str, reader: Iterator[list[str]], columns: _Columns, questionnaire: Questionnaire
) -> tuple[list[BatchRow], list[Problem]]:
    rows: list[BatchRow] = []
    problems: list[Problem] = []
    references: dict[tuple[str, str], QuestionnaireRef] = {}
    shared: dict[str, str] = {}  # one string object for the values rows repeat
    fixed = columns.fixed
    at = [fixed[title] for title in FIXED_COLUMNS]
    compiled = routes(questionnaire)
    router = Router(questionnaire, compiled)
    places = {question_id: index for index, question_id, _, _ in columns.questions}
    fixed_cells = operator.itemgetter(*at)
    number = 1
    found: list[Problem] = []  # the problems of the row at hand

    def problem(index: int, message: str) -> None:
        found.append(Problem(name, number, index + 1, message))

    while True:
        try:
            cells = next(reader, None)
        except csv.Error as error:
            problems.append(Problem(name, number + 1, None, f"CSV error: {error}"))
            break
        except UnicodeDecodeError:
            problems.append(
                Problem(name, number + 1, None, "not UTF-8 text from here on; batches are UTF-8")
            )
            break
        if cells is None:
            break
        number += 1
        if number - 1 > MAX_BATCH_ROWS:
            problems.append(
                Problem(name, number, None, f"a batch may hold at most {MAX_BATCH_ROWS:,} rows")
            )
            break
        if len(cells) != columns.width:
            problems.append(
                Problem(
                    name,
                    number,
                    None,
                    f"row has {len(cells)} cells; the header has {columns.width}",
                )
            )
            continue
        found.clear()
        respondent, q_id, q_version, started, completed, tool, key, file, form, revision = (
            fixed_cells(cells)
        )
        if not _IDENTIFIER.match(respondent) or len(respondent) > 64:
            problem(at[0], f"{respondent!r} is no respondent code")
        reference = references.get((q_id, q_version))
        if q_id != questionnaire.id:
            problem(
                at[1],
                f"answers questionnaire {q_id!r}, but the assessment uses {questionnaire.id!r}",
            )
        elif q_version != str(questionnaire.version):
            problem(
                at[2],
                f"answers version {q_version!r} of {q_id!r}, but the assessment uses "
                f"version {questionnaire.version}",
            )
        elif reference is None:
            reference = QuestionnaireRef.model_construct(
                id=q_id, version=questionnaire.version, file=None
            )
            references[(q_id, q_version)] = reference
        times = []
        for index, cell in ((at[3], started), (at[4], completed)):
            times.append(_when(cell, index, problem))
        if tool not in SOURCE_TOOLS:
            problem(at[5], f"unknown tool {tool!r}")
        if not key:
            problem(at[6], "source.key is empty; every imported row has one")
        if revision:
            _when(revision, at[9], problem)
        answers: dict[str, Answer] = {}
        for index, question_id, known, decode in columns.questions:
            cell = cells[index]
            if not cell:
                continue
            value = known.get(cell)
            if value is not None:
                answers[question_id] = value
                continue
            if len(cell) > MAX_BATCH_CELL_CHARS:
                problem(index, f"cell holds more than {MAX_BATCH_CELL_CHARS:,} characters")
                continue
            try:
                answers[question_id] = decode(cell)
            except CellError as error:
                problem(index, f"column {question_id!r}: {error}")
        if not found and compiled:
            for question_id in not_asked_answers(questionnaire, answers, router):
                problem(places[question_id], not_asked_problem(questionnaire, question_id))
        if found:
            problems.extend(found)
            continue
        assert reference is not None
        source = ResponseSource.model_construct(
            _SOURCE_FIELDS,
            tool=cast(SourceTool, shared.setdefault(tool, tool)),
            key=key,
            file=shared.setdefault(file, file) or None,
            form=shared.setdefault(form, form) or None,
            revision=revision or None,
            response_id=None,
            row_hash=None,
        )
        # Every field given: pydantic inspects a default factory on each call otherwise.
        response = Response.model_construct(
            _RESPONSE_FIELDS,
            respondent=respondent,
            name=None,
            questionnaire=reference,
            started=times[0],
            completed=times[1],
            source=source,
            answers=answers,
            skipped=[],
        )
        rows.append(BatchRow(response, number))
    return rows, problems


def _when(cell: str, index: int, problem: Callable[[int, str], None]) -> dt.datetime | None:
    if not cell:
        return None
    try:
        return dt.datetime.fromisoformat(cell)
    except ValueError:
        problem(index, f"{cell!r} is not an ISO 8601 time such as 2026-03-14T10:02:00")
        return None


def _plain_cells(question: Question) -> dict[str, Answer]:
    """The cells of a question's column that read as one level or option, and their answers.

    The same answers `_decoder` gives; open questions and multi-selects have none.
    """
    if isinstance(question, OpenQuestion):
        return {}
    plain: dict[str, Answer]
    if isinstance(question, LadderQuestion | LikertQuestion):
        plain = {str(level): level for level in range(1, 6)}
    elif question.multiple:
        return {}
    else:
        plain = {option.id: option.id for option in question.options}
    if question.allow_unknown:
        plain[UNKNOWN] = UNKNOWN
    return plain


def _decoder(question: Question, texts: dict[str, str]) -> Callable[[str], Answer]:
    if isinstance(question, OpenQuestion):
        return _text_reader(texts)
    unknown = question.allow_unknown
    if isinstance(question, LadderQuestion | LikertQuestion):
        levels = {str(level): level for level in range(1, 6)}
        if unknown:
            levels_or_unknown: dict[str, Answer] = {**levels, UNKNOWN: UNKNOWN}
        else:
            levels_or_unknown = dict(levels)
        expected = "1-5 or 'unknown'" if unknown else "1-5"

        def level(cell: str) -> Answer:
            try:
                return levels_or_unknown[cell]
            except KeyError:
                raise CellError(f"{cell!r} is not {expected}") from None

        return level
    assert isinstance(question, ProfileQuestion)
    options = {option.id: option.id for option in question.options}
    listed = ", ".join(option.id for option in question.options)
    if question.multiple:

        def several(cell: str) -> Answer:
            if cell == UNKNOWN and unknown:
                return UNKNOWN
            try:
                chosen = [options[item] for item in cell.split(MULTI_SEPARATOR)]
            except KeyError:
                chosen = []
            if not chosen or len(set(chosen)) != len(chosen):
                raise CellError(f"{cell!r} is not a ';'-list of distinct options of {listed}")
            return chosen

        return several

    def one(cell: str) -> Answer:
        if cell in options:
            return options[cell]
        if cell == UNKNOWN and unknown:
            return UNKNOWN
        raise CellError(f"{cell!r} is not one of {listed}" + (" or 'unknown'" if unknown else ""))

    return one


def _text_reader(texts: dict[str, str]) -> Callable[[str], Answer]:
    """Open answers exactly as given; a text given again shares the first one's string.

    Answers such as "geen idee" or a sentence copied by many respondents are
    then kept once. At most `SHARED_TEXTS` texts are remembered, so a file of
    answers that are all different costs no more than before.
    """

    def text(cell: str) -> Answer:
        known = texts.get(cell)
        if known is not None:
            return known
        if len(texts) < SHARED_TEXTS:
            texts[cell] = cell
        return cell

    return text
