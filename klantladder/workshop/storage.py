"""Where the workshop meets the assessment folder: the store, and nothing else.

Every read and write of responses by the workshop goes through this module,
and only this module knows `klantladder.store` (the folder's one writer: the
atomic save under the folder lock, respondent locks, free codes, the loader).
When the store changes, this is the one file to adapt.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from klantladder.errors import Problem
from klantladder.models.assessment import Response
from klantladder.models.questionnaire import Questionnaire
from klantladder.store import (
    RespondentLock,
    load_response,
    load_responses,
    new_code,
    save_response,
)
from klantladder.store.layout import responses_dir


class RespondentLocks:
    """The respondent locks this server holds: one per participant, until it stops.

    Holding a participant's lock for the whole session keeps a terminal
    interview (or a second workshop) from editing the same respondent.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._held: dict[str, RespondentLock] = {}
        self._mutex = threading.Lock()

    def hold(self, respondent: str) -> bool:
        """Take a respondent's lock (or keep holding it); False when another session has it."""
        with self._mutex:
            if respondent in self._held:
                return True
            lock = RespondentLock(self.folder, respondent)
            if not lock.try_acquire():
                return False
            self._held[respondent] = lock
            return True

    def adopt(self, lock: RespondentLock) -> None:
        """Keep a lock taken elsewhere (with a new code) until the server stops."""
        with self._mutex:
            self._held[lock.respondent] = lock

    def release(self, respondent: str) -> None:
        """Let go of one respondent's lock."""
        with self._mutex:
            lock = self._held.pop(respondent, None)
        if lock is not None:
            lock.release()

    def release_all(self) -> None:
        """Let go of every lock (the server stops)."""
        for respondent in list(self._held):
            self.release(respondent)


def claim_code(folder: Path, locks: RespondentLocks, reserved: set[str]) -> str:
    """Take a free respondent code and hold its lock; the caller serialises claims.

    The store gives the next code no file, batch, key file entry or erased
    respondent has, and that no session holds; the codes this session gave to
    participants who have not saved yet (``reserved``) are passed over too.
    """
    lock = new_code(folder, also_taken=reserved)
    locks.adopt(lock)
    return lock.respondent


def save(folder: Path, response: Response) -> Path:
    """Write a participant's response atomically (every answer goes through here)."""
    return save_response(folder, response)


def read_response(folder: Path, questionnaire: Questionnaire, respondent: str) -> Response | None:
    """A respondent's saved response, checked against the questionnaire; None if not saved yet."""
    return load_response(folder, questionnaire, respondent)


def read_responses(
    folder: Path, questionnaire: Questionnaire
) -> tuple[list[Response], list[Problem]]:
    """Every response in the folder (the good ones) and the problems of the others."""
    return load_responses(folder, questionnaire)


def responses_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, modification times and sizes of the response files: changes when any changes.

    Every write of the store replaces a file by renaming a new one over it, so
    a change always shows here; the board scores the folder again only then.
    """
    entries = []
    try:
        scanned = sorted(os.scandir(responses_dir(folder)), key=lambda entry: entry.name)
    except OSError:
        return ()
    for entry in scanned:
        try:
            status = entry.stat()
        except OSError:
            continue
        entries.append((entry.name, status.st_mtime_ns, status.st_size))
    return tuple(entries)
