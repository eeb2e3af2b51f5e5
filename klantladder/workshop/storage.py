"""Where the workshop meets the assessment folder: the one writer and the loader.

Every read and write of responses by the workshop goes through this module,
and only this module knows `klantladder.store` (the folder's one writer: the
atomic save, respondent locks, the next free code) and the loader. When the
store changes, this is the one file to adapt.
"""

from __future__ import annotations

import re
import threading
from contextlib import AbstractContextManager
from pathlib import Path

from klantladder.errors import InputError, KlantladderError, Problem
from klantladder.folder import RESPONSES_DIR, check_answers, load_responses, response_path
from klantladder.models.assessment import Response
from klantladder.models.questionnaire import Questionnaire
from klantladder.store import next_code, respondent_lock, save_response
from klantladder.validation import validate_document
from klantladder.yamlsource import load_yaml_file

CODE_PREFIX = "r"
MAX_CODE_TRIES = 1000


class NoFreeCode(KlantladderError):
    """No respondent code could be taken: every candidate is in use elsewhere."""


class RespondentLocks:
    """The respondent locks this server holds: one per participant, until it stops.

    Holding a participant's lock for the whole session keeps a terminal
    interview (or a second workshop) from editing the same respondent.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._held: dict[str, AbstractContextManager[None]] = {}
        self._mutex = threading.Lock()

    def hold(self, respondent: str) -> bool:
        """Take a respondent's lock (or keep holding it); False when another session has it."""
        with self._mutex:
            if respondent in self._held:
                return True
            lock = respondent_lock(self.folder, respondent)
            try:
                lock.__enter__()
            except KlantladderError:
                return False
            self._held[respondent] = lock
            return True

    def release(self, respondent: str) -> None:
        """Let go of one respondent's lock."""
        with self._mutex:
            lock = self._held.pop(respondent, None)
        if lock is not None:
            lock.__exit__(None, None, None)

    def release_all(self) -> None:
        """Let go of every lock (the server stops)."""
        for respondent in list(self._held):
            self.release(respondent)


def claim_code(folder: Path, locks: RespondentLocks, reserved: set[str]) -> str:
    """Take the next free respondent code and hold its lock; the caller serialises claims.

    A code is free when no response file has it, this session has not given it
    to a participant (``reserved``), and no other session holds its lock.
    """
    code = next_code(folder, CODE_PREFIX)
    for _ in range(MAX_CODE_TRIES):
        taken = code in reserved or response_path(folder, code).exists()
        if not taken and locks.hold(code):
            if not response_path(folder, code).exists():
                return code
            locks.release(code)
        code = _following(code)
    raise NoFreeCode(f"{folder / RESPONSES_DIR}: no free respondent code found")


def _following(code: str) -> str:
    match = re.fullmatch(rf"{re.escape(CODE_PREFIX)}(\d+)", code)
    number = int(match.group(1)) + 1 if match else 1
    return f"{CODE_PREFIX}{number:03d}"


def save(folder: Path, response: Response) -> Path:
    """Write a participant's response atomically (every answer goes through here)."""
    return save_response(folder, response)


def read_response(folder: Path, questionnaire: Questionnaire, respondent: str) -> Response | None:
    """A respondent's saved response, checked against the questionnaire; None if not saved yet."""
    path = response_path(folder, respondent)
    if not path.exists():
        return None
    document = load_yaml_file(path)
    response = validate_document(document, Response)
    problems = check_answers(document, response, questionnaire)
    if problems:
        raise InputError(problems)
    return response


def read_responses(
    folder: Path, questionnaire: Questionnaire
) -> tuple[list[Response], list[Problem]]:
    """Every response in the folder (the good ones) and the problems of the others."""
    return load_responses(folder, questionnaire)


def responses_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, modification times and sizes of the response files: changes when any changes."""
    entries = []
    directory = folder / RESPONSES_DIR
    try:
        paths = sorted(directory.iterdir())
    except OSError:
        return ()
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            continue
        entries.append((path.name, status.st_mtime_ns, status.st_size))
    return tuple(entries)
