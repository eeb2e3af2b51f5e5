"""Writing files safely: atomically, durably, and never over a user's file unasked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from klantladder.errors import InputError, OutputExistsError


def check_output(path: Path, *, force: bool) -> None:
    """Refuse an output path that is a folder, or an existing file without ``force``.

    Called before expensive work (a render), so the refusal comes at once.
    """
    if path.is_dir():
        raise InputError.single(path, "is a folder; give the name of a file to write")
    if path.exists() and not force:
        raise OutputExistsError(path)


def write_atomic(path: Path, data: bytes | str, *, force: bool = True) -> None:
    """Write ``data`` to ``path`` so that the file is either old or new, never half.

    The data goes to a temporary file in the same folder, is flushed to disk,
    and then renamed over the target; the folder entry is synced too, so a crash
    or ``kill -9`` right after the call keeps the new file. With ``force=False``
    an existing file is refused with `OutputExistsError`.
    """
    check_output(path, force=force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, _mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if not force:
            _link_new(Path(temporary), path)
        else:
            os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


def _mode_for(path: Path) -> int:
    """Keep a replaced file's permissions; give a new file the usual ones (umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _link_new(temporary: Path, path: Path) -> None:
    # A hard link fails if someone created the file meanwhile, where a rename
    # would silently replace it.
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise OutputExistsError(path) from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise OutputExistsError(path) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def dump_yaml(data: Any, header: str | None = None) -> str:
    """YAML text for plain data, keys in the given order, UTF-8 characters kept."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"{header}\n{text}" if header else text
