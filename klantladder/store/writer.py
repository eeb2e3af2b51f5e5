"""Writing one respondent's file, and handing out codes.

`save_response` is how every interview and workshop answer reaches the disk:
under the folder lock, into a temporary file in ``.klantladder/tmp/``, flushed,
then renamed over ``responses/<code>.yaml`` and the folder entry flushed too,
so the file is always the old one or the new one. ``responses/`` itself never
holds a half-written or temporary file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from klantladder.errors import InputError, WriteError
from klantladder.fileio import dump_yaml
from klantladder.limits import MAX_BATCH_BYTES, read_input_bytes
from klantladder.models.assessment import Response
from klantladder.store.layout import (
    BATCH_SUFFIX,
    TEMP_DIR,
    responses_dir,
    state_dir,
    sync_folder,
    yaml_path,
)
from klantladder.store.locks import folder_lock

_batch_cache: dict[Path, tuple[tuple[int, int], frozenset[str]]] = {}


def response_yaml(response: Response) -> bytes:
    """The text of a respondent's YAML file."""
    return dump_yaml(response.model_dump(mode="json", exclude_none=True)).encode("utf-8")


def save_response(folder: Path, response: Response) -> Path:
    """Write ``responses/<code>.yaml`` atomically under the folder lock; return its path.

    Safe from any number of threads and processes at once. Refuses a code that
    an import batch holds, so a respondent never lives in two places. The new
    text is written and flushed to disk in ``.klantladder/tmp/`` first; only the
    check and the rename need the folder lock, so sessions saving at the same
    moment (a workshop room) do not wait for each other's disk writes.
    """
    path = yaml_path(folder, response.respondent)
    staged = stage_file(folder, path, response_yaml(response))
    installed = False
    try:
        with folder_lock(folder):
            if response.respondent in batch_respondents(folder):
                raise InputError.single(
                    path,
                    f"respondent {response.respondent} is stored in an import batch; continue "
                    f"it with 'klantladder interview --continue', which moves it to its own file",
                )
            install_file(staged, path)
            installed = True
    finally:
        if not installed:
            with contextlib.suppress(OSError):
                os.unlink(staged)
    return path


def replace_file(folder: Path, path: Path, data: bytes) -> None:
    """Replace one file of the folder atomically and durably (the caller holds the lock)."""
    staged = stage_file(folder, path, data)
    try:
        install_file(staged, path)
    except WriteError:
        with contextlib.suppress(OSError):
            os.unlink(staged)
        raise


def stage_file(folder: Path, path: Path, data: bytes) -> Path:
    """Write ``data`` for ``path`` into a new file in ``.klantladder/tmp/``, flushed to disk.

    It gets the mode ``path`` has (or a new file would get); `install_file`
    then renames it into place. No lock is needed: the name is new.
    """
    temporary_dir = state_dir(folder) / TEMP_DIR
    try:
        temporary_dir.mkdir(parents=True, exist_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f"{path.name}.", dir=temporary_dir)
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None
    try:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mask = os.umask(0)
            os.umask(mask)
            mode = 0o666 & ~mask
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise WriteError(path, error.strerror or str(error)) from None
    return Path(name)


def install_file(staged: Path, path: Path) -> None:
    """Rename a staged file over ``path`` and flush the folder entry (the caller holds the lock)."""
    try:
        os.replace(staged, path)
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None
    sync_folder(path.parent)


def batch_respondents(folder: Path) -> frozenset[str]:
    """The codes held by the folder's import batches (cached by file size and time)."""
    codes: set[str] = set()
    root = responses_dir(folder)
    try:
        entries = list(os.scandir(root))
    except OSError:
        return frozenset()
    for entry in entries:
        if not entry.name.lower().endswith(BATCH_SUFFIX) or entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            info = entry.stat()
        except OSError:
            continue
        signature = (info.st_size, info.st_mtime_ns)
        cached = _batch_cache.get(path)
        if cached is None or cached[0] != signature:
            cached = (signature, _first_column(path, folder))
            _batch_cache[path] = cached
        codes |= cached[1]
    return frozenset(codes)


def _first_column(path: Path, folder: Path) -> frozenset[str]:
    try:
        data = read_input_bytes(path, limit=MAX_BATCH_BYTES, what="a batch", within=folder)
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        header = next(rows, [])
        if "respondent" not in header:
            return frozenset()
        index = header.index("respondent")
        return frozenset(row[index] for row in rows if len(row) > index)
    except (InputError, UnicodeDecodeError, csv.Error):
        return frozenset()


def next_codes(prefix: str, digits: int, taken: Iterable[str], count: int) -> list[str]:
    """``count`` free codes ``<prefix><number>``, numbered on from the highest taken one.

    Numbers are never reused below the highest, so a code given out once (even
    to a respondent since erased, whose code stays in ``taken``) stays theirs.
    """
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    used = set(taken)
    number = max((int(m[1]) for code in used if (m := pattern.match(code))), default=0)
    codes: list[str] = []
    while len(codes) < count:
        number += 1
        code = f"{prefix}{number:0{digits}d}"
        if code not in used:
            codes.append(code)
    return codes
