"""Where an assessment folder keeps what: the names every part of the store agrees on.

See docs/design/storage.md. The loader and the store are the only code that
knows these names.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ASSESSMENT_FILE = "assessment.yaml"
RESPONSES_DIR = "responses"
KEY_FILE = "respondents.key.yaml"
FORGOTTEN_FILE = "forgotten.yaml"
GITIGNORE_FILE = ".gitignore"

STATE_DIR = ".klantladder"
"""Working state: locks, staging and temporary files. Git-ignored and disposable."""
LOCK_FILE = "lock"
LOCKS_DIR = "locks"
STAGING_DIR = "staging"
TEMP_DIR = "tmp"

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
BATCH_SUFFIX = ".csv"
BATCH_PREFIX = "import-"
BATCH_PATTERN = re.compile(r"^import-(\d+)\.csv$", re.IGNORECASE)

# Harmless files that tools put into any folder: not responses, never refused.
IGNORED_NAMES = frozenset({".gitkeep", ".DS_Store"})

# Interviews and workshop participants get r001, r002, ...; imported rows <tool>-0001.
INTERVIEW_PREFIX = "r"
INTERVIEW_DIGITS = 3
IMPORT_DIGITS = 4
INTERVIEW_CODE = re.compile(r"^r\d{3,}$")


def responses_dir(folder: Path) -> Path:
    """The folder's ``responses/``."""
    return folder / RESPONSES_DIR


def state_dir(folder: Path) -> Path:
    """The folder's working state, ``.klantladder/``."""
    return folder / STATE_DIR


def key_file(folder: Path) -> Path:
    """The key file: respondent codes to names and contact details."""
    return folder / KEY_FILE


def forgotten_file(folder: Path) -> Path:
    """The tombstones of erased respondents."""
    return folder / FORGOTTEN_FILE


def yaml_path(folder: Path, respondent: str) -> Path:
    """Where an interviewed respondent's answers are stored."""
    return responses_dir(folder) / f"{respondent}.yaml"


def batch_path(folder: Path, number: int) -> Path:
    """The name of an import batch."""
    return responses_dir(folder) / f"{BATCH_PREFIX}{number:04d}{BATCH_SUFFIX}"


def relative(folder: Path, path: Path) -> str:
    """A path inside the folder as the manifest stores it (forward slashes)."""
    return path.relative_to(folder).as_posix()


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename in it survives a crash."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
