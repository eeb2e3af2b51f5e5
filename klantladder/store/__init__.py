"""STAND-IN for the folder's one writer; the ``store`` branch replaces this file at merge.

The real data layer (``klantladder/store/`` on the ``store`` branch: folder
lock, respondent locks, staged transactions, recovery, the next free code) is
being built in parallel. Until it is merged, this minimal stand-in offers the
three calls the workshop makes, with the same signatures, so that the switch
is a matter of deleting this file. Nothing but the workshop's storage module
(`klantladder.workshop.storage`) imports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from klantladder.errors import KlantladderError
from klantladder.folder import RESPONSES_DIR
from klantladder.folder import save_response as _save_response
from klantladder.models.assessment import Response

STATE_DIR = ".klantladder"
LOCKS_DIR = "locks"


class BusyError(KlantladderError):
    """Another klantladder process or session is writing what this one wants to write."""


def save_response(folder: Path, response: Response) -> Path:
    """Write ``responses/<respondent>.yaml`` atomically (temporary file, fsync, rename)."""
    return _save_response(folder, response)


@contextmanager
def respondent_lock(folder: Path, respondent: str) -> Iterator[None]:
    """Hold ``.klantladder/locks/<respondent>.lock`` for a session; BusyError when taken.

    An OS-level lock: another process (or another session in this one) cannot
    take it while it is held, and the operating system frees it when the
    process dies, even by ``kill -9``.
    """
    path = folder / STATE_DIR / LOCKS_DIR / f"{respondent}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=0, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        raise BusyError(
            f"respondent {respondent} is being answered in another session right now"
        ) from None
    try:
        yield
    finally:
        lock.release(force=True)


def next_code(folder: Path, prefix: str = "r") -> str:
    """The next free respondent code ``<prefix>NNN`` after the highest in ``responses/``."""
    pattern = re.compile(rf"{re.escape(prefix)}(\d+)")
    numbers = [
        int(match.group(1))
        for path in (folder / RESPONSES_DIR).glob("*.yaml")
        if (match := pattern.fullmatch(path.stem))
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"
