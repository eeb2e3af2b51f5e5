"""Fuzzing: random bytes and random YAML-ish or CSV-ish text never end in a traceback.

In process (CliRunner) for speed, with a bounded number of examples so the
suite stays fast. What must hold for every input: exit code 0 or 1, no
exception other than the exit, no traceback.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from helpers import make_folder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from klantladder.cli import app

runner = CliRunner()

# Pieces that steer a YAML parser into its corners: anchors, aliases, merge
# keys, tags, flow and block collections, block scalars, documents, dates.
YAML_PIECES = [
    *"ab:-[]{}&*!|>'\",#?%@`\\",
    " ",
    "  ",
    "\n",
    "\n  ",
    "\n- ",
    ": ",
    "- ",
    "<<: ",
    "&a ",
    "*a",
    "[*a, *a]",
    "!!python/object:os.system ",
    "!!binary ",
    "!!set ",
    "!custom ",
    "---\n",
    "...\n",
    "|\n  ",
    ">-\n  ",
    "2025-02-30",
    "2025-13-01 10:00",
    "0000-01-01",
    "99999999999999999999999",
    "1e999",
    ".nan",
    "~",
    "\t",
    "\x00",
    "\x1b[2J",
    "é",
    "\ufeff",
]
# A start that makes the file look like one of the formats validate knows.
PREFIXES = [
    "",
    "id: x\nversion: 1\nlanguages: [en]\ntitle: t\nmethod: klantladder\nquestions:\n",
    "phases:\n",
    "organisation: X\ndate: 2025-01-01\nquestionnaire: {id: intake, version: 1}\nlanguage: nl\n",
    "respondent: r1\nquestionnaire: {id: intake, version: 1}\nanswers:\n",
    "name: X\nlogo: ",
]
yamlish = st.builds(
    lambda prefix, pieces: prefix + "".join(pieces),
    st.sampled_from(PREFIXES),
    st.lists(st.sampled_from(YAML_PIECES), max_size=80),
)


def _no_traceback(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


# KLANTLADDER_FUZZ=20 runs twenty times as many examples, for a deeper search by hand.
SCALE = int(os.environ.get("KLANTLADDER_FUZZ", "1"))
FAST = settings(
    max_examples=100 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


@FAST
@given(st.binary(max_size=600))
def test_validate_never_crashes_on_random_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "random.yaml")
        path.write_bytes(data)
        _no_traceback(["validate", str(path)])


@FAST
@given(yamlish)
def test_validate_never_crashes_on_yaml_like_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "random.yaml")
        path.write_text(text, encoding="utf-8")
        _no_traceback(["validate", str(path)])


CSV_PIECES = [
    ",",
    ";",
    "\t",
    '"',
    '""',
    "\n",
    "\r\n",
    "lead.1",
    "lead.2",
    "listen.1",
    "act.1",
    "dept",
    "ResponseId",
    "StartDate",
    "1",
    "5",
    "9",
    "unknown",
    "=cmd|' /C calc'!A0",
    "2025-02-30 10:00",
    "é",
    "\ufeff",
    "\x00",
    "x" * 50,
]
csvish = st.lists(st.sampled_from(CSV_PIECES), max_size=60).map("".join)


@settings(FAST, max_examples=50 * SCALE)
@given(csvish)
def test_import_never_crashes_on_csv_like_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = make_folder(Path(root), [])
        export = Path(root, "export.csv")
        export.write_text(text, encoding="utf-8")
        _no_traceback(["import", str(folder), str(export), "--from", "csv"])
