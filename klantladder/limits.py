"""Every input has a stated limit, checked before expensive work starts.

Each limit is named here with its reason, so the README, the messages and the
checks agree. `read_input_bytes` is the one way user files are read: it refuses
what is not a regular file (a FIFO would hang, `/dev/zero` never ends), a
symlink that leads out of the folder it must stay in, and a file over its size
limit, each with a message that names the file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from klantladder.errors import InputError, RenderError

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

# YAML: the shipped files nest 5 levels deep and hold a few thousand values.
# 64 levels leave ample room for any hand-written file, and stop the nesting
# bombs that crash parsers long before it matters.
MAX_YAML_DEPTH = 64
# Values in one YAML document, every alias counted as often as it is used: a
# 5 MiB file of short values holds about this many, so no honest file is
# refused, while a 545-byte file of nested merge keys (125 million) is.
MAX_YAML_NODES = 500_000
# JSON results (klantladder score --json) nest 6 levels and weigh about 20 KB
# for nine dimensions; a result with hundreds of segments stays far below 5 MiB.
MAX_JSON_BYTES = 5 * MIB
MAX_JSON_DEPTH = 64
# Results in one --benchmark folder: a consultant's whole career of clients.
MAX_PORTFOLIO_RESULTS = 10_000
# Templates: the shipped report template is 15 KB; 1 MiB is far more than any
# template needs. Rendering them takes a fraction of a second; a template that
# runs for 30 seconds loops without end. The HTML they make is 1.4 MB with fonts
# inline; 50 MiB would take WeasyPrint many minutes to lay out.
MAX_TEMPLATE_BYTES = 1 * MIB
MAX_TEMPLATE_SECONDS = 30
MAX_HTML_BYTES = 50 * MIB
# One value a template computes (a text, a list) and a padding width in it.
MAX_TEMPLATE_VALUE = 10_000_000
MAX_TEMPLATE_WIDTH = 10_000
# Laying out a PDF: the shipped report takes a few seconds; past five minutes
# something in the input makes WeasyPrint work without end.
MAX_RENDER_SECONDS = 300
# Images (the logo, and any image a template embeds): a logo printed 6 cm wide
# at 600 dpi is 1,400 pixels across; 25 megapixels (5,000 x 5,000) leave room
# for any real logo and keep decoding under 100 MB. An SVG logo has some
# hundreds of elements; one of 10,000 (every <use> expanded) adds about half
# a second to the report's render.
MAX_LOGO_BYTES = 2 * MIB
MAX_IMAGE_PIXELS = 25_000_000
MAX_SVG_ELEMENTS = 10_000
MAX_SVG_DEPTH = 64
# Any file the PDF renderer reads (packaged fonts, the logo): the fonts are
# under 300 KB each.
MAX_ASSET_BYTES = 20 * MIB
# Problems listed per file: past this many, one more line says how many more.
MAX_PROBLEMS_SHOWN = 100


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


def read_input_text(
    path: Path, *, limit: int, what: str, within: Path | None = None, encoding: str = "utf-8"
) -> str:
    """`read_input_bytes`, decoded; text that is not UTF-8 is refused with the byte it fails at."""
    data = read_input_bytes(path, limit=limit, what=what, within=within)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError.single(
            str(path), f"not UTF-8 text (byte {error.start}); save the file as UTF-8"
        ) from None


def _size(count: int) -> str:
    if count >= MIB:
        return f"{count / MIB:.1f} MiB"
    return f"{count:,} bytes"


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` on the way swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Stop the work inside the block after ``seconds`` with a `RenderError` saying ``message``.

    Uses the interval timer (SIGALRM), so it works in the main thread of a
    Unix process; elsewhere the block runs without a time limit. An outer
    time limit keeps running and still fires at its own time.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Expired

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, expire)
    # Repeat every second once expired: a library on the way that catches
    # BaseException (WeasyPrint does, around SVG images) cannot hide it.
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    except _Expired:
        raise RenderError(message) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            left = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


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
