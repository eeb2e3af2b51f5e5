"""Reading a user's JSON file within stated limits (size, nesting depth).

Python's JSON decoder recurses once per level, so a file of a hundred thousand
``[`` fails with RecursionError; we measure the depth first with one linear
pass over the brackets outside strings and refuse a file deeper than
`MAX_JSON_DEPTH` at the line and column where it crosses the limit.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from pathlib import Path
from typing import Any

from klantladder.errors import InputError
from klantladder.limits import MAX_JSON_BYTES, MAX_JSON_DEPTH, read_input_bytes

# A string (possibly unterminated, then up to the end: linear either way) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\Z)|[\[\]{}]', re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\Z)', re.DOTALL)
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_BYTE_STEP = {ord(bracket): step for bracket, step in _STEP.items()}
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in _BYTE_STEP)


def load_json_file(path: Path, *, within: Path | None = None) -> Any:
    """Read and parse a JSON file; problems name the file, line and column.

    The file must be a regular file of at most `MAX_JSON_BYTES` (and, with
    ``within``, inside that folder), nested at most `MAX_JSON_DEPTH` deep.
    """
    name = str(path)
    data = read_input_bytes(path, limit=MAX_JSON_BYTES, what="a JSON file", within=within)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError.single(name, f"not UTF-8 text (byte {error.start})") from None
    return parse_json(text, name)


def parse_json(text: str, name: str) -> Any:
    """Parse JSON text after checking its nesting depth."""
    _check_depth(text, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError.single(
            name, f"JSON syntax error: {error.msg}", error.lineno, error.colno
        ) from None
    except ValueError:  # an integer of more digits than Python converts
        raise InputError.single(name, "a number too long to read") from None


def _check_depth(text: str, name: str) -> None:
    # Fast path: the brackets alone, strings blanked, summed at C speed.
    brackets = _STRING.sub("", text).encode("utf-8").translate(None, _NOT_BRACKETS)
    if len(brackets) <= MAX_JSON_DEPTH:
        return
    if max(accumulate(map(_BYTE_STEP.__getitem__, brackets))) <= MAX_JSON_DEPTH:
        return
    # Too deep: find where, stopping at the first bracket past the limit.
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token[0] == '"':
            continue
        depth += _STEP[token]
        if depth > MAX_JSON_DEPTH:
            offset = match.start()
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            raise InputError.single(
                name, f"nested more than {MAX_JSON_DEPTH} levels deep; refused", line, column
            )
