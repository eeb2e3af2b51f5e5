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

# --- survey exports (klantladder/importing) -------------------------------------
# Ten times the 10,000 respondents klantladder is built to score in seconds.
MAX_EXPORT_ROWS = 100_000
# Qualtrics and SurveyMonkey spend a column per option, text box and metadata
# field; 2,000 leaves room for a long survey. Excel itself stops at 16,384.
MAX_EXPORT_COLUMNS = 2_000
# Excel holds at most 32,767 characters in a cell, so no export has longer answers.
MAX_CELL_CHARS = 32_767
# An XLSX is a zip: its parts unpacked may hold at most this much XML (a sheet
# of 100,000 rows of 40 answers is about 150 MiB), and a part may not shrink
# more than 100-fold when packed (real sheets shrink 5-20-fold; a zip bomb
# shrinks a thousandfold), so a tiny file cannot make us unpack gigabytes.
MAX_XLSX_UNPACKED_BYTES = 512 * MIB
MAX_XLSX_RATIO = 100
MAX_XLSX_PARTS = 1_000


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
            # read(n) reserves n bytes up front: ask for the file's size, not the limit.
            data = stream.read(status.st_size + 1)
            if len(data) > status.st_size:  # the file grew since fstat
                data += stream.read(limit + 1 - len(data))
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
