"""Responses imported before identity keys are still recognised when their export comes again.

Those imports wrote one YAML file per respondent whose ``source`` held the
tool's response id (``response_id``; for a plain CSV its respondent column as
written) or, for a tool without ids, a hash of the row's cells (``row_hash``).
The importer computes the same values for every row and the store matches on
them, so re-importing such an export adds nobody.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml
from importhelpers import IMPORTS, bilingual_folder, saved

from klantladder.errors import InputError
from klantladder.importing import import_export


def mapping_of(export: Path) -> Path | None:
    """The fixture's mapping file, where its headers carry no question ids."""
    path = export.with_suffix(".mapping.yaml")
    return path if path.is_file() else None


def old_row_hash(cells: list[str]) -> str:
    """The row hash as imports before identity keys computed it."""
    joined = "\x1f".join(cell.strip() for cell in cells).rstrip("\x1f")
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def data_rows(export: Path, delimiter: str) -> list[list[str]]:
    with export.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream, delimiter=delimiter))[1:]


def as_old_import(folder: Path, old_keys: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Rewrite the folder's imported responses as the old importer wrote them.

    One YAML file per respondent, its ``source`` without ``key``, ``revision``
    and ``form`` but with ``old_keys`` (in the order of the export's rows).
    """
    responses = sorted(saved(folder), key=lambda r: r["respondent"])
    assert len(responses) == len(old_keys)
    for batch in (folder / "responses").glob("*.csv"):
        batch.unlink()
    for response, old in zip(responses, old_keys, strict=True):
        source = response["source"]
        response["source"] = {"tool": source["tool"], "file": source["file"], **old}
        path = folder / "responses" / f"{response['respondent']}.yaml"
        path.write_text(yaml.safe_dump(response, allow_unicode=True), encoding="utf-8")
    return responses


def test_an_old_microsoft_forms_import_is_recognised_by_its_response_ids(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = IMPORTS / "msforms/nl.csv"
    assert len(import_export(folder, export, mapping=mapping_of(export)).added) == 3
    ids = [row[0] for row in data_rows(export, ";")]
    before = as_old_import(folder, [{"response_id": i} for i in ids])
    again = import_export(folder, export, mapping=mapping_of(export))
    assert (again.added, again.updated, again.unchanged) == ((), (), 3)
    assert sorted(saved(folder), key=lambda r: r["respondent"]) == before


def test_an_old_google_forms_import_is_recognised_by_its_row_hashes(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = IMPORTS / "googleforms/nl.csv"
    assert len(import_export(folder, export, mapping=mapping_of(export)).added) == 3
    hashes = [old_row_hash(row) for row in data_rows(export, ",")]
    as_old_import(folder, [{"row_hash": h} for h in hashes])
    again = import_export(folder, export, mapping=mapping_of(export))
    assert (again.added, again.unchanged) == ((), 3)
    assert len(saved(folder)) == 3


def test_an_old_import_with_other_answers_is_a_conflict_not_a_new_respondent(
    tmp_path: Path,
) -> None:
    folder = bilingual_folder(tmp_path)
    export = IMPORTS / "msforms/nl.csv"
    import_export(folder, export, mapping=mapping_of(export))
    ids = [row[0] for row in data_rows(export, ";")]
    as_old_import(folder, [{"response_id": i} for i in ids])
    path = folder / "responses" / "msforms-0002.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "leiderschap.feedback: 2", "leiderschap.feedback: 5"
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        import_export(folder, export, mapping=mapping_of(export))
    assert "is already in the folder as msforms-0002 with other answers" in str(caught.value)
    assert len(saved(folder)) == 3
