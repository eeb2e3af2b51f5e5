"""Who is who, kept apart: the key file, identities of imported rows, and tombstones.

* ``respondents.key.yaml`` maps respondent codes to names and, when an import
  was asked to keep them, contact details. It is git-ignored, and only the
  interview, import and ``respondent`` commands open it: score, report,
  handouts and the workshop screens never do.
* An imported response's identity is its tool plus the key the importer gave
  it; `identity` derives it for older imports too (their response id or row
  hash), so they still count as imported.
* ``forgotten.yaml`` holds a one-way hash of the identity of every erased
  respondent, and their code, so that a re-import of the same export does not
  bring them back and the code is never given to someone else. It holds no
  personal data and travels in git.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from klantladder.errors import InputError
from klantladder.fileio import dump_yaml
from klantladder.models.assessment import ResponseSource
from klantladder.models.base import Identifier, StrictModel
from klantladder.store.layout import forgotten_file, key_file
from klantladder.validation import validate_document
from klantladder.yamlsource import load_yaml_file

KEY_HEADER = """\
# klantladder key file: who is behind each respondent code.
# Personal data: keep it out of git (the .gitignore of 'klantladder init' does) and
# share it with nobody who does not need it. score, report and handouts never read it.
# 'klantladder respondent show DIR CODE|NAME' and 'respondent forget' use it."""

FORGOTTEN_HEADER = """\
# Respondents erased on request ('klantladder respondent forget'): the code they had,
# never given out again, and a one-way hash of their import identity, so that a
# re-import of the same export does not bring them back. No personal data; keep it in git."""

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class KeyEntry(StrictModel):
    """What the key file knows about one respondent."""

    name: ShortText | None = Field(default=None, description="The name given in the interview.")
    contact: dict[ShortText, ShortText] = Field(
        default_factory=dict,
        description="Contact and name columns of an export (import --keep-contact): header: value.",
    )


class KeyFile(StrictModel):
    """``respondents.key.yaml``."""

    respondents: dict[Identifier, KeyEntry] = Field(
        default_factory=dict, description="Respondent code: who it is."
    )


class Forgotten(StrictModel):
    """``forgotten.yaml``."""

    codes: list[Identifier] = Field(
        default_factory=list, description="Codes of erased respondents, never given out again."
    )
    keys: list[Sha256] = Field(
        default_factory=list,
        description="SHA-256 of the import identity (tool:key) of erased respondents.",
    )


def qualified(tool: str, key: str) -> str:
    """A key as an identity, ``tool:key``: the one place where a key gets its tool.

    The importer's keys (`klantladder.importing.identity.response_key`) already
    begin with their tool, so they are taken as they are; a bare key (a tool's
    own response id, or a key handed over by other code) gets the tool in front.
    So keys need only be unique within their tool.
    """
    return key if key.startswith(f"{tool}:") else f"{tool}:{key}"


def identity(source: ResponseSource | None) -> str | None:
    """An imported response's identity; None for interviews and hand-made files.

    Files of imports made before identity keys hold the tool's response id or a
    hash of the row instead; their identity is made from that the same way, and
    the importer hands over the same values for each row (`IncomingResponse.legacy`),
    so they still dedupe.
    """
    if source is None:
        return None
    key = source.key or source.response_id or source.row_hash
    return qualified(source.tool, key) if key else None


def identity_hash(value: str) -> str:
    """The one-way hash a tombstone keeps of an identity."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def load_key_file(folder: Path) -> KeyFile:
    """The folder's key file (empty when there is none)."""
    path = key_file(folder)
    if not path.exists():
        return KeyFile()
    return validate_document(load_yaml_file(path, within=folder), KeyFile)


def key_file_bytes(keys: KeyFile) -> bytes:
    """The text of a key file."""
    data = keys.model_dump(mode="json", exclude_defaults=True)
    data.setdefault("respondents", {})
    return dump_yaml(data, header=KEY_HEADER).encode("utf-8")


def load_forgotten(folder: Path) -> Forgotten:
    """The folder's tombstones (none when there is no file)."""
    path = forgotten_file(folder)
    if not path.exists():
        return Forgotten()
    return validate_document(load_yaml_file(path, within=folder), Forgotten)


def forgotten_bytes(forgotten: Forgotten) -> bytes:
    """The text of ``forgotten.yaml``."""
    return dump_yaml(forgotten.model_dump(mode="json"), header=FORGOTTEN_HEADER).encode("utf-8")


def normal_name(text: str) -> str:
    """A name as compared: case, accents' composition and spacing aside."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def codes_named(keys: KeyFile, text: str) -> list[str]:
    """Codes whose name, or any contact detail, is ``text`` (compared as `normal_name`)."""
    wanted = normal_name(text)
    found = []
    for code, entry in keys.respondents.items():
        values = [entry.name, *entry.contact.values()]
        if any(value is not None and normal_name(value) == wanted for value in values):
            found.append(code)
    return found


def refuse_ambiguous(codes: list[str]) -> InputError:
    """The error for a name that several respondents share."""
    return InputError.single(
        "respondents.key.yaml",
        f"{len(codes)} respondents are known by that name ({', '.join(codes)}); give the code",
    )
