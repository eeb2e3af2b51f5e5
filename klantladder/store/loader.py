"""Reading ``responses/``: interview files (YAML) and import batches (CSV), problems at their place.

``responses/`` holds only ``<code>.yaml`` (or ``.yml``, any case) and
``import-NNNN.csv`` files. A hidden file, a folder, a FIFO or device, a
symlink leading out of the assessment folder or any other entry is refused
with a message naming it, so nothing is silently dropped or read from
elsewhere. Every response must answer the assessment's questionnaire id and
version; a respondent code may occur only once across all files.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from klantladder.collector import collector_paused
from klantladder.errors import InputError, Problem
from klantladder.limits import MAX_RESPONSE_BYTES, MAX_RESPONSE_FILES
from klantladder.models.assessment import Response
from klantladder.models.questionnaire import Questionnaire
from klantladder.progress import step
from klantladder.store.batch import read_batch
from klantladder.store.checks import check_answers
from klantladder.store.layout import (
    BATCH_SUFFIX,
    IGNORED_NAMES,
    RESPONSES_DIR,
    YAML_SUFFIXES,
    responses_dir,
    yaml_path,
)
from klantladder.store.locks import reading
from klantladder.validation import validate_document
from klantladder.yamlsource import load_yaml_file

WHAT_BELONGS = "responses/ holds only respondent files (<code>.yaml) and import batches (*.csv)"


@dataclass(frozen=True)
class StoredResponse:
    """A response and where it is stored: a YAML file, or a row of a batch."""

    response: Response
    path: Path
    row: int | None = None

    @property
    def place(self) -> str:
        """Where it is: ``responses/r001.yaml`` or ``responses/import-0001.csv row 7``."""
        where = f"{RESPONSES_DIR}/{self.path.name}"
        return where if self.row is None else f"{where} row {self.row}"


def load_responses(
    folder: Path, questionnaire: Questionnaire
) -> tuple[list[Response], list[Problem]]:
    """Load and check every response; return the good ones and all problems."""
    stored, problems = load_stored(folder, questionnaire)
    return [item.response for item in stored], problems


def load_stored(
    folder: Path, questionnaire: Questionnaire
) -> tuple[list[StoredResponse], list[Problem]]:
    """Load and check every response with its place; return the good ones and all problems."""
    with reading(folder), collector_paused():
        files, problems = response_files(folder)
        stored: list[StoredResponse] = []
        yaml_files = [path for path in files if path.suffix.lower() in YAML_SUFFIXES]
        with step("reading responses", len(files)) as advance:
            for path in files:
                if path in yaml_files:
                    found, trouble = _read_yaml(path, questionnaire, folder)
                    stored += found
                else:
                    rows, trouble = read_batch(path, questionnaire, folder)
                    stored += [StoredResponse(row.response, path, row.row) for row in rows]
                problems += trouble
                advance(1)
    unique, repeated = _duplicates(stored)
    return unique, problems + repeated


def load_response(folder: Path, questionnaire: Questionnaire, respondent: str) -> Response | None:
    """One respondent's own file (``responses/<code>.yaml``), checked; None when there is none.

    Read as `load_responses` reads every file: within the limits, against the
    questionnaire, its name equal to its code. For a session (a workshop
    participant) that resumes; `InputError` for a file with problems.
    """
    path = yaml_path(folder, respondent)
    with reading(folder):
        if not path.is_file():
            return None
        stored, problems = _read_yaml(path, questionnaire, folder)
    if problems:
        raise InputError(problems)
    return stored[0].response


def response_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The response files of a folder in name order, and a problem for every other entry."""
    root = responses_dir(folder)
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except FileNotFoundError:
        return [], []
    except NotADirectoryError:
        return [], [Problem(str(root), None, None, "is not a folder")]
    files: list[Path] = []
    problems: list[Problem] = []
    home = folder.resolve()
    for entry in entries:
        path = root / entry.name
        problem = _entry_problem(entry, path, home)
        if problem == "":
            continue
        if problem:
            problems.append(Problem(str(path), None, None, problem))
            continue
        files.append(path)
    if len(files) > MAX_RESPONSE_FILES:
        problems.append(
            Problem(
                str(root),
                None,
                None,
                f"holds {len(files):,} response files; at most {MAX_RESPONSE_FILES:,} are read "
                f"(import batches hold many respondents in one file)",
            )
        )
        return [], problems
    return files, problems


def _entry_problem(entry: os.DirEntry[str], path: Path, home: Path) -> str | None:
    """Why an entry is refused; "" to pass over it quietly; None to read it."""
    name = entry.name
    if name in IGNORED_NAMES:
        return ""
    if name.startswith("."):
        return f"hidden file; klantladder writes none here and reads none; {WHAT_BELONGS}"
    if entry.is_symlink():
        real = path.resolve()
        if home not in real.parents:
            return "symlink leading outside the assessment folder; refused"
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISDIR(mode):
        return f"is a folder; {WHAT_BELONGS}"
    if not stat.S_ISREG(mode):
        return "is not a regular file; refused"
    suffix = Path(name).suffix.lower()
    if suffix not in YAML_SUFFIXES and suffix != BATCH_SUFFIX:
        return f"not a response file; {WHAT_BELONGS}"
    return None


def _read_yaml(
    path: Path, questionnaire: Questionnaire, folder: Path
) -> tuple[list[StoredResponse], list[Problem]]:
    try:
        document = load_yaml_file(
            path, within=folder, limit=MAX_RESPONSE_BYTES, what="a response file"
        )
        response = validate_document(document, Response)
    except InputError as error:
        return [], list(error.problems)
    problems = check_answers(document, response, questionnaire)
    if path.stem != response.respondent:
        problems.append(
            document.problem(
                ("respondent",),
                f"the file of respondent {response.respondent!r} must be named "
                f"{response.respondent}{path.suffix}; rename it (a file name is the "
                f"respondent's code)",
            )
        )
    if problems:
        return [], problems
    return [StoredResponse(response, path)], []


def _duplicates(stored: list[StoredResponse]) -> tuple[list[StoredResponse], list[Problem]]:
    first: dict[str, StoredResponse] = {}
    problems = []
    for item in stored:
        respondent = item.response.respondent
        if respondent in first:
            problems.append(
                Problem(
                    str(item.path),
                    item.row,
                    None,
                    f"respondent {respondent!r} also answers in {first[respondent].place}; "
                    f"a respondent code may occur once",
                )
            )
        else:
            first[respondent] = item
    return list(first.values()), problems
