"""Atomic writes: whole files only, the usual permissions, no overwrite unasked."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from klantladder.errors import OutputExistsError
from klantladder.fileio import write_atomic


def test_new_file_gets_the_umask_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


def test_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o600)
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_refuses_to_overwrite_without_force_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("precious", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        write_atomic(path, "other", force=False)
    assert path.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["c.txt"]


def test_creates_missing_folders(tmp_path: Path) -> None:
    write_atomic(tmp_path / "x" / "y" / "d.bin", b"\x00\x01", force=False)
    assert (tmp_path / "x" / "y" / "d.bin").read_bytes() == b"\x00\x01"
