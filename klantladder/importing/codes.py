"""LimeSurvey question codes for klantladder ids, and back.

LimeSurvey codes hold letters and digits only, start with a letter and are at
most 20 characters long; klantladder ids are lower case with '.', '-' and '_'.
Because ids never hold capitals, capitals can stand for the other characters:

* ``.`` becomes ``D``, ``-`` becomes ``H``, ``_`` becomes ``U``;
* an id that starts with a digit gets the prefix ``N``;
* a code that would be longer than 20 characters is cut to 15 characters,
  followed by ``Z`` and four characters of a hash of the whole id.

Short codes decode without the questionnaire (`decode_id`); a cut code is found
by encoding every id of the questionnaire (`code_table`), which is what import does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

MAX_CODE = 20
_ESCAPES = {".": "D", "-": "H", "_": "U"}
_UNESCAPES = {code: char for char, code in _ESCAPES.items()}


def limesurvey_code(identifier: str) -> str:
    """The LimeSurvey code for a klantladder id (question or option)."""
    code = "".join(_ESCAPES.get(char, char) for char in identifier)
    if code[:1].isdigit():
        code = "N" + code
    if len(code) > MAX_CODE:
        digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:4]
        code = f"{code[:15]}Z{digest}"
    return code


def decode_id(code: str) -> str | None:
    """The id a short code stands for, or None for a cut or foreign code."""
    if not (code.isascii() and code.isalnum()):
        return None
    body = code[1:] if code.startswith("N") else code
    if not body or not (body[0].islower() or body[0].isdigit()):
        return None
    characters = []
    for char in body:
        if char.isupper():
            if char not in _UNESCAPES:
                return None
            char = _UNESCAPES[char]
        characters.append(char)
    identifier = "".join(characters)
    return identifier if limesurvey_code(identifier) == code else None


def code_table(identifiers: Iterable[str]) -> dict[str, str]:
    """Map the code of each id to the id; raise ValueError if two ids share a code."""
    table: dict[str, str] = {}
    for identifier in identifiers:
        code = limesurvey_code(identifier)
        if code in table and table[code] != identifier:
            raise ValueError(f"ids {table[code]!r} and {identifier!r} get the same code {code!r}")
        table[code] = identifier
    return table
