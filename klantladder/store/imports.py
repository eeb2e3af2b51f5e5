"""Committing an import to an assessment folder.

STAND-IN: the branch ``store`` replaces this module with the real data layer
(batch CSV files, one transaction, tombstones, the key file; see
docs/design/storage.md). Until then this minimal version keeps the same
signature so the importer runs: one YAML file per respondent written through
`klantladder.fileio`, duplicates found by identity key and revision,
tombstones not yet known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from klantladder.fileio import dump_yaml, write_atomic
from klantladder.folder import load_assessment, response_path
from klantladder.models.assessment import Response

KEY_FILE = "respondents.key.yaml"


@dataclass(frozen=True)
class IncomingResponse:
    """One respondent read from an export, for the store to add or update."""

    key: str
    revision: str | None
    response: Response
    contact: dict[str, str]


@dataclass(frozen=True)
class ImportOutcome:
    """What committing an import did (or would do, under ``dry_run``)."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    forgotten: int
    written: tuple[Path, ...]


def commit_import(
    folder: Path,
    incoming: Sequence[IncomingResponse],
    *,
    keep_contact: bool = False,
    dry_run: bool = False,
) -> ImportOutcome:
    """Add new respondents, update those with a newer revision, and leave the rest alone.

    A new respondent gets the next free code ``<tool>-NNNN``. With
    ``keep_contact`` the contact fields go to the key file, never into responses.
    """
    stored = load_assessment(folder).responses
    by_key = {r.source.key: r for r in stored if r.source is not None and r.source.key}
    taken = {r.respondent for r in stored}
    numbers: dict[str, int] = {}
    writes: list[Response] = []
    contacts: dict[str, dict[str, str]] = {}
    added: list[str] = []
    updated: list[str] = []
    unchanged = 0
    for item in incoming:
        known = by_key.get(item.key)
        if known is None:
            tool = item.response.source.tool if item.response.source else "import"
            code = _next_code(tool, taken, numbers)
            taken.add(code)
            added.append(code)
        elif _newer(item.revision, known) and _differs(item.response, known):
            code = known.respondent
            updated.append(code)
        else:
            unchanged += 1
            continue
        response = item.response.model_copy(update={"respondent": code})
        writes.append(response)
        by_key[item.key] = response
        if keep_contact and item.contact:
            contacts[code] = dict(item.contact)
    written: list[Path] = []
    if not dry_run:
        for response in writes:
            path = response_path(folder, response.respondent)
            write_atomic(path, dump_yaml(response.model_dump(mode="json", exclude_none=True)))
            written.append(path)
        if contacts:
            written.append(_write_contacts(folder, contacts))
    return ImportOutcome(tuple(added), tuple(updated), unchanged, 0, tuple(written))


def _newer(revision: str | None, known: Response) -> bool:
    before = known.source.revision if known.source else None
    return revision is not None and (before is None or revision > before)


def _differs(incoming: Response, known: Response) -> bool:
    return (incoming.answers, incoming.started, incoming.completed) != (
        known.answers,
        known.started,
        known.completed,
    )


def _next_code(tool: str, taken: set[str], numbers: dict[str, int]) -> str:
    if tool not in numbers:
        pattern = re.compile(rf"^{re.escape(tool)}-(\d+)$")
        numbers[tool] = max((int(m[1]) for r in taken if (m := pattern.match(r))), default=0)
    numbers[tool] += 1
    return f"{tool}-{numbers[tool]:04d}"


def _write_contacts(folder: Path, contacts: dict[str, dict[str, str]]) -> Path:
    path = folder / KEY_FILE
    data: dict[str, dict[str, str]] = {}
    if path.is_file():
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = loaded if isinstance(loaded, dict) else {}
    data.update(contacts)
    write_atomic(path, dump_yaml(data))
    return path
