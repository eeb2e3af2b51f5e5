"""--make-mapping: sane guesses only, codes never guessed from, repeated headers by position."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from importhelpers import IMPORTS, bilingual_folder, expected_answers, saved

from klantladder.importing import import_export, make_mapping
from klantladder.importing.drafting import MIN_MATCH


def entries(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["columns"])


def confirm(path: Path) -> None:
    path.write_text(
        path.read_text(encoding="utf-8").replace("confirmed: false", "confirmed: true"), "utf-8"
    )


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def test_unrelated_headers_are_left_open_with_a_comment(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "google.csv",
        [
            ["Timestamp", "Department", "How old are you?", "Which team leader do you report to?"],
            ["3/5/2026 10:09:40", "Staff", "41", "Els"],
        ],
    )
    path = make_mapping(bilingual_folder(tmp_path), export)
    found = {entry["column"]: entry for entry in entries(path)}
    assert found["Department"]["question"] == "afdeling"
    assert found["How old are you?"]["question"] is None
    assert found["Which team leader do you report to?"]["question"] is None
    text = path.read_text(encoding="utf-8")
    assert "  # column 3 'How old are you?': no question matches well enough (best was " in text
    assert f"no guess\n# is made below {MIN_MATCH}" in text


def test_question_codes_are_never_guessed_from(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "results-survey1.csv",
        [
            ["id", "submitdate", "lastpage", "startlanguage", "G01Q01", "G01Q02[SQ001]", "G02Q03"],
            ["1", "2026-03-05 10:09:40", "2", "nl", "A1", "Y", "tekst"],
        ],
    )
    path = make_mapping(bilingual_folder(tmp_path), export)
    assert [entry["question"] for entry in entries(path)] == [None, None, None]
    assert "  # column 5 'G01Q01': a code says nothing about its question" in path.read_text(
        encoding="utf-8"
    )


def test_repeated_headers_are_written_with_their_position(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    path = make_mapping(folder, IMPORTS / "typeform/current.csv", output=tmp_path / "m.yaml")
    others = [entry for entry in entries(path) if entry["column"] == "Other"]
    assert [(entry["position"], entry["question"]) for entry in others] == [(7, None), (11, None)]
    assert "(the same header as column 11, so mapped by position)" in path.read_text("utf-8")
    confirm(path)
    summary = import_export(folder, IMPORTS / "typeform/current.csv", mapping=path)
    assert len(summary.added) == 3
    assert [response["answers"] for response in saved(folder)] == expected_answers("en")


def test_a_qualtrics_mapping_keeps_the_question_text_as_label(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    path = make_mapping(folder, IMPORTS / "qualtrics/en.csv", output=tmp_path / "m.yaml")
    first = entries(path)[0]
    assert first["column"] == "QID1"
    assert first["label"] == "How does the board treat customer feedback?"
    assert first["question"] == "leiderschap.feedback"
    confirm(path)
    import_export(folder, IMPORTS / "qualtrics/en.csv", mapping=path)
    assert [response["answers"] for response in saved(folder)] == expected_answers("en")
