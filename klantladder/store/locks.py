"""Locks: one for the folder (every write, held for moments), one per respondent (a session).

Both are OS-level locks (``flock`` on POSIX, ``LockFileEx`` on Windows)
through the ``filelock`` library, so they hold between threads and between
processes alike, and the operating system releases them when a process dies,
even by ``kill -9``: a lock never has to be cleaned up by hand.

The folder lock is re-entrant within one thread, so a function that holds it
may call another that takes it. Whoever takes it first in a thread also
finishes any transaction a crashed process left behind (see `transaction`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from klantladder.errors import BusyError, WriteError
from klantladder.store.layout import LOCK_FILE, LOCKS_DIR, state_dir

FOLDER_LOCK_TIMEOUT = 60.0
"""Seconds a writer waits for another; an import of 100,000 rows holds it for a few."""

_held = threading.local()
_gates: dict[Path, threading.Lock] = {}
_gates_guard = threading.Lock()
POLL_SECONDS = 0.005
"""How often a process waiting for another process's folder lock tries again."""


def _gate(key: Path) -> threading.Lock:
    """The lock threads of this process queue on before the folder's file lock.

    A thread waiting on it wakes the moment it is free, where the file lock's
    polling would let it sleep on: a workshop room saving at once stays quick
    and fair. Only one thread per process then contends for the file lock.
    """
    with _gates_guard:
        return _gates.setdefault(key, threading.Lock())


def _holding() -> dict[Path, int]:
    if not hasattr(_held, "folders"):
        _held.folders = {}
    table: dict[Path, int] = _held.folders
    return table


def holds_folder_lock(folder: Path) -> bool:
    """Whether this thread holds the folder's lock."""
    return _holding().get(folder.resolve(), 0) > 0


def _make_state(folder: Path) -> Path:
    state = state_dir(folder)
    try:
        (state / LOCKS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(state, error.strerror or str(error)) from None
    return state


@contextmanager
def folder_lock(folder: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the folder's write lock; the first holder in a thread recovers first.

    Raises `BusyError` when another process keeps it longer than ``timeout``
    seconds (default `FOLDER_LOCK_TIMEOUT`).
    """
    key = folder.resolve()
    table = _holding()
    if table.get(key, 0) > 0:
        table[key] += 1
        try:
            yield
        finally:
            table[key] -= 1
        return
    path = _make_state(folder) / LOCK_FILE
    wait = FOLDER_LOCK_TIMEOUT if timeout is None else timeout
    busy = BusyError(
        f"{folder}: another klantladder command is writing to this folder (it holds "
        f"{path}); try again when it has finished"
    )
    gate = _gate(key)
    began = time.monotonic()
    if not gate.acquire(timeout=wait):
        raise busy
    try:
        left = max(wait - (time.monotonic() - began), 0.0)
        lock = FileLock(path, timeout=left, thread_local=False, preserve_lock_file=True)
        try:
            lock.acquire(poll_interval=POLL_SECONDS)
        except Timeout:
            raise busy from None
        table[key] = 1
        try:
            from klantladder.store.transaction import recover_locked

            recover_locked(folder)
            yield
        finally:
            del table[key]
            lock.release()
    finally:
        gate.release()


@contextmanager
def reading(folder: Path) -> Iterator[None]:
    """Read a folder in a consistent state: between transactions, never during one.

    A folder no writer ever touched (no ``.klantladder/``) is read as it is, and
    so is a folder this process may not write to (a read-only copy): nothing can
    be changing it through klantladder.
    """
    with ExitStack() as stack:
        if not holds_folder_lock(folder) and state_dir(folder).is_dir():
            with contextlib.suppress(WriteError, PermissionError):
                stack.enter_context(folder_lock(folder))
        yield


class RespondentLock:
    """Held while one session (an interview, a workshop participant) edits one respondent.

    Taking it never waits: a second session for the same respondent is refused
    with `BusyError`. Release it with `release` or by leaving a ``with`` block.
    """

    def __init__(self, folder: Path, respondent: str) -> None:
        self.folder = folder
        self.respondent = respondent
        self.path = _make_state(folder) / LOCKS_DIR / f"{respondent}.lock"
        self._lock = FileLock(self.path, timeout=0, thread_local=False, preserve_lock_file=True)

    def acquire(self) -> RespondentLock:
        """Take the lock, or raise `BusyError` at once when another session holds it."""
        if not self.try_acquire():
            raise BusyError(
                f"respondent {self.respondent} is being answered in another session right now "
                f"(it holds {self.path}); wait until that session has ended"
            )
        return self

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False when another session holds it."""
        if self._lock.is_locked:
            return True
        try:
            self._lock.acquire()
        except Timeout:
            return False
        return True

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._lock.is_locked

    def release(self) -> None:
        """Let go of the lock (harmless when not held)."""
        if self._lock.is_locked:
            self._lock.release(force=True)

    def __enter__(self) -> RespondentLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
