"""All-or-nothing changes to an assessment folder, even under ``kill -9`` or a full disk.

A `Transaction` writes every new or replaced file under
``.klantladder/staging/<id>/`` and lists it, with every deletion, in
``manifest.json``; all of it is flushed to disk. Then a ``COMMITTED`` marker
is written and flushed: from that moment the change has happened. Only then
are the files renamed into place and the staging folder removed.

The next writer (or reader) that takes the folder lock finishes what a dead
process left: a committed transaction is rolled forward, an uncommitted one
is deleted. Either way the folder shows the old state or the new one, never a
mix, and a note says what was done.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import stat
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from klantladder.errors import InputError, WriteError
from klantladder.store.layout import (
    FORGOTTEN_FILE,
    KEY_FILE,
    RESPONSES_DIR,
    STAGING_DIR,
    relative,
    state_dir,
    sync_folder,
)
from klantladder.store.locks import holds_folder_lock

MANIFEST = "manifest.json"
COMMITTED = "COMMITTED"
DESCRIPTION = "description.txt"
MANIFEST_VERSION = 1

log = logging.getLogger("klantladder.store")

# Fault tests stop a real process at one of these points and kill it (see
# tests/test_store_faults.py); nothing happens unless the variable is set.
PAUSE_VARIABLE = "KLANTLADDER_TEST_PAUSE"
SIGNAL_VARIABLE = "KLANTLADDER_TEST_SIGNAL"


def _pause(point: str) -> None:
    if os.environ.get(PAUSE_VARIABLE) != point:
        return
    signal = os.environ.get(SIGNAL_VARIABLE)
    if signal:
        Path(signal).write_text(point, encoding="utf-8")
    time.sleep(3600)


class Transaction:
    """A set of file writes and deletions inside one folder that happen together or not at all.

    Use it while holding the folder lock::

        with folder_lock(folder), Transaction(folder, "import of export.csv") as change:
            change.write(path, data)
            change.delete(other)
            written = change.commit()
    """

    def __init__(self, folder: Path, description: str) -> None:
        if not holds_folder_lock(folder):
            raise RuntimeError("a transaction needs the folder lock")
        self.folder = folder
        self.description = description
        stamp = time.strftime("%Y%m%dT%H%M%S")
        self.id = f"{stamp}-{os.getpid()}-{secrets.token_hex(4)}"
        self.dir = state_dir(folder) / STAGING_DIR / self.id
        self.operations: list[dict[str, str]] = []
        self.done = False

    def __enter__(self) -> Transaction:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if not self.done:
            self.abort()

    def write(self, target: Path, data: bytes) -> None:
        """Stage the new content of ``target`` (a file in the folder)."""
        name = f"{len(self.operations):04d}"
        staged = self.dir / name
        try:
            if not self.dir.is_dir():
                self.dir.mkdir(parents=True)
                (self.dir / DESCRIPTION).write_text(self.description, encoding="utf-8")
            _write_durably(staged, data, _mode_for(target))
        except OSError as error:
            self.abort()
            raise WriteError(target, error.strerror or str(error)) from None
        self.operations.append(
            {"op": "write", "target": relative(self.folder, target), "staged": name}
        )

    def delete(self, target: Path) -> None:
        """Stage the removal of ``target``."""
        self.operations.append({"op": "delete", "target": relative(self.folder, target)})

    def commit(self) -> tuple[Path, ...]:
        """Make every staged change visible at once; return the files written."""
        if self.done:
            raise RuntimeError("transaction already finished")
        if not self.operations:
            self.done = True
            return ()
        manifest = {
            "version": MANIFEST_VERSION,
            "description": self.description,
            "operations": self.operations,
        }
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            _write_durably(
                self.dir / MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"), 0o644
            )
            sync_folder(self.dir)
            _pause("staged")
            _write_durably(self.dir / COMMITTED, b"", 0o644)
            sync_folder(self.dir)
        except OSError as error:
            self.abort()
            target = self.folder / self.operations[0]["target"]
            raise WriteError(target, error.strerror or str(error)) from None
        _pause("committed")
        self.done = True
        try:
            _apply(self.folder, self.dir, self.operations)
        except OSError as error:
            raise WriteError(
                Path(error.filename or self.folder),
                error.strerror or str(error),
                "the change is saved and the next klantladder command in this folder finishes it",
            ) from None
        return tuple(
            self.folder / item["target"] for item in self.operations if item["op"] == "write"
        )

    def abort(self) -> None:
        """Throw away everything staged."""
        self.done = True
        shutil.rmtree(self.dir, ignore_errors=True)


def _mode_for(target: Path) -> int:
    """Keep a replaced file's permissions; give a new file the usual ones."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o666


def _write_durably(path: Path, data: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _apply(folder: Path, staging: Path, operations: list[dict[str, str]]) -> None:
    """Rename staged files into place and delete what goes; safe to repeat after a crash."""
    touched: set[Path] = set()
    for index, item in enumerate(operations):
        target = folder / item["target"]
        if item["op"] == "write":
            staged = staging / item["staged"]
            if staged.exists():  # else it was moved before a crash
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
        else:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        touched.add(target.parent)
        if index == 0:
            _pause("applying")
    for parent in touched:
        sync_folder(parent)
    shutil.rmtree(staging, ignore_errors=True)
    sync_folder(staging.parent)


def recover_locked(folder: Path) -> list[str]:
    """Finish or undo what interrupted writers left; return (and log) a note for each.

    The caller holds the folder lock, so no living writer is among them.
    """
    staging = state_dir(folder) / STAGING_DIR
    try:
        entries = sorted(staging.iterdir())
    except OSError:
        return []
    notes = []
    for entry in entries:
        if entry.is_symlink() or not entry.is_dir():
            entry.unlink(missing_ok=True)
            continue
        what = _description(entry)
        if not (entry / COMMITTED).is_file():
            shutil.rmtree(entry, ignore_errors=True)
            notes.append(
                f"{folder}: an interrupted change ({what}) had not finished; it was removed "
                f"and the folder is as it was before it"
            )
            continue
        operations = _checked_operations(folder, entry)
        _apply(folder, entry, operations)
        notes.append(
            f"{folder}: an interrupted change ({what}) had been committed; it was finished"
        )
    for note in notes:
        log.warning(note)
    return notes


def _description(entry: Path) -> str:
    try:
        text = (entry / DESCRIPTION).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return "nothing staged yet"
    return "".join(c for c in text[:200] if c.isprintable())


def _checked_operations(folder: Path, entry: Path) -> list[dict[str, str]]:
    """The operations of a committed transaction, refusing any that leaves the folder.

    A received folder could carry a forged manifest; only files klantladder
    itself writes may be named, and staged files must be plain files.
    """
    manifest = entry / MANIFEST
    try:
        data: Any = json.loads(manifest.read_text(encoding="utf-8"))
        operations = data["operations"]
        if data["version"] != MANIFEST_VERSION or not isinstance(operations, list):
            raise ValueError("unknown manifest")
        checked = [_checked(folder, entry, item) for item in operations]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError.single(
            manifest,
            f"a committed change that klantladder cannot read ({error}); remove "
            f"{entry} by hand after checking the folder",
        ) from None
    return checked


def _checked(folder: Path, entry: Path, item: Any) -> dict[str, str]:
    if not isinstance(item, dict) or item.get("op") not in ("write", "delete"):
        raise ValueError("unknown operation")
    target = str(item.get("target", ""))
    parts = target.split("/")
    allowed = parts in ([KEY_FILE], [FORGOTTEN_FILE]) or (
        len(parts) == 2 and parts[0] == RESPONSES_DIR and parts[1] not in ("", ".", "..")
    )
    if not allowed or "\\" in target or "\x00" in target:
        raise ValueError(f"target {target!r} is not a file klantladder writes")
    responses = (folder / RESPONSES_DIR).resolve()
    if parts[0] == RESPONSES_DIR and folder.resolve() not in responses.parents:
        raise ValueError(f"{RESPONSES_DIR}/ leads outside the folder")
    if item["op"] == "write":
        staged = str(item.get("staged", ""))
        if not staged.isdigit():
            raise ValueError(f"staged name {staged!r}")
        path = entry / staged
        if path.exists() and not stat.S_ISREG(path.lstat().st_mode):
            raise ValueError(f"staged file {staged!r} is not a plain file")
        return {"op": "write", "target": target, "staged": staged}
    return {"op": "delete", "target": target}
