"""Every input has a stated limit, checked before expensive work starts.

Each limit is named here with its reason, so the README, the messages and the
checks agree. `read_input_bytes` is the one way user files are read: it refuses
what is not a regular file (a FIFO would hang, `/dev/zero` never ends), a
symlink that leads out of the folder it must stay in, and a file over its size
limit, each with a message that names the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from klantladder.errors import InputError

MIB = 1024 * 1024

# A questionnaire, method or assessment file is a few hundred KB at most; 5 MiB
# leaves room for a very large custom questionnaire while stopping a runaway file.
MAX_YAML_BYTES = 5 * MIB
# A survey export of 100,000 respondents with open answers stays well below this.
MAX_EXPORT_BYTES = 200 * MIB


def read_input_bytes(path: Path, *, limit: int, what: str, within: Path | None = None) -> bytes:
    """Read a user's file, refusing anything that is not a regular file of at most ``limit`` bytes.

    With ``within``, a file whose real path lies outside that folder (a symlink
    or ``..`` leading out) is refused too. ``what`` names the kind of file in
    messages ("a YAML file", "an export").
    """
    name = str(path)
    if within is not None:
        real, root = path.resolve(), within.resolve()
        if real != root and root not in real.parents:
            raise InputError.single(name, f"leads outside {within}; refused")
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not hang; the type check follows.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError.single(name, "file not found") from None
    except IsADirectoryError:
        raise InputError.single(name, f"is a folder, not {what}") from None
    except OSError as error:
        raise InputError.single(name, error.strerror or str(error)) from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise InputError.single(name, f"is a folder, not {what}")
        if not stat.S_ISREG(status.st_mode):
            raise InputError.single(name, f"is not a regular file, not {what}; refused")
        if status.st_size > limit:
            raise InputError.single(
                name, f"is {_size(status.st_size)}; {what} may be at most {_size(limit)}"
            )
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise InputError.single(name, error.strerror or str(error)) from None
    finally:
        os.close(descriptor)
    if len(data) > limit:  # the file grew while we read it
        raise InputError.single(name, f"{what} may be at most {_size(limit)}")
    return data


def _size(count: int) -> str:
    if count >= MIB:
        return f"{count / MIB:.1f} MiB"
    return f"{count:,} bytes"


# --- stored responses (klantladder/store) --------------------------------------
# One respondent's YAML file: 37 answers with long open answers stay under 50 KB;
# 1 MiB refuses a runaway file long before parsing costs anything.
MAX_RESPONSE_BYTES = 1 * MIB
# One import batch (responses/import-NNNN.csv): 100,000 respondents of the intake
# with open answers take about 60 MiB.
MAX_BATCH_BYTES = 400 * MIB
MAX_BATCH_ROWS = 250_000
# One cell of a batch: an open answer of 20,000 characters is some ten pages of text.
MAX_BATCH_CELL_CHARS = 20_000
# Files in responses/: every interview adds one; imports add one batch each.
MAX_RESPONSE_FILES = 20_000
