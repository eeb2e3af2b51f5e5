"""Bad exports: one clear message naming file, row and column; exit code 1; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from importhelpers import IMPORTS, bilingual_folder, csv_to_xlsx, respondents, snapshot
from typer.testing import CliRunner

from klantladder.cli import app

runner = CliRunner()

HEADER = (
    "respondent,leiderschap.feedback,leiderschap.uitdragen,feedback.meten-en-delen_per-afdeling,"
    "feedback.opvolgen,afdeling,kanalen,belemmering"
)


def refused(tmp_path: Path, export: Path, *extra: str) -> list[str]:
    """Import that must fail: the stderr lines, after checking that nothing changed."""
    folder = bilingual_folder(tmp_path)
    before = snapshot(folder)
    result = runner.invoke(app, ["import", str(folder), str(export), *extra])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    assert snapshot(folder) == before
    return result.stderr.splitlines()


def export_file(tmp_path: Path, *lines: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_unknown_column(tmp_path: Path) -> None:
    export = export_file(tmp_path, HEADER + ",favourite colour", "r1,3,4,3,2,staf,chat,,blue")
    assert refused(tmp_path, export) == [
        f"{export}:1:9: column 'favourite colour' matches no question; use a question id as "
        f"its header, or make a mapping with --make-mapping"
    ]


def test_unknown_column_of_a_forms_export(tmp_path: Path) -> None:
    text = (IMPORTS / "msforms/en.csv").read_text(encoding="utf-8")
    export = tmp_path / "forms.csv"
    export.write_text(text.replace("What holds us back most?", "Anything else?"), encoding="utf-8")
    assert refused(tmp_path, export) == [
        f"{export}:1:12: column 'Anything else?' matches no question; make a mapping file with "
        f"--make-mapping, check it, and pass it with --mapping"
    ]


def test_answer_that_matches_no_statement(tmp_path: Path) -> None:
    export = export_file(
        tmp_path, HEADER, "r1,3,4,3,2,staf,chat,", "r2,Sometimes we do,4,3,2,staf,,"
    )
    assert refused(tmp_path, export) == [
        f"{export}:3:2: column 'leiderschap.feedback': 'Sometimes we do' matches no statement of "
        f"'leiderschap.feedback'; give a statement's text, its level 1-5, or the 'don't know' "
        f"answer"
    ]


def test_value_outside_the_scale(tmp_path: Path) -> None:
    export = export_file(tmp_path, HEADER, "r1,3,7,3,2,staf,chat,")
    assert refused(tmp_path, export) == [
        f"{export}:2:3: column 'leiderschap.uitdragen': 7 is outside the scale 1-5 of "
        f"'leiderschap.uitdragen'"
    ]


def test_option_that_does_not_exist(tmp_path: Path) -> None:
    export = export_file(tmp_path, HEADER, "r1,3,4,3,2,marketing,chat,")
    assert refused(tmp_path, export) == [
        f"{export}:2:6: column 'afdeling': 'marketing' is not an option of 'afdeling'; "
        f"options: klantenservice, operatie, staf"
    ]


def test_an_empty_row_between_rows_is_skipped_and_counted(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = export_file(
        tmp_path, HEADER, "r1,3,4,3,2,staf,chat,", ",,,,,,,", "r2,3,4,3,2,staf,chat,"
    )
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0, result.stderr
    assert ["skipped:", "no", "answers", "1"] in [
        line.split() for line in result.stdout.splitlines()
    ]
    assert respondents(folder) == 2


def test_trailing_empty_rows_are_fine(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = export_file(tmp_path, HEADER, "r1,3,4,3,2,staf,chat,", "", ",,,,,,,")
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0, result.stderr


def test_duplicate_headers(tmp_path: Path) -> None:
    text = (IMPORTS / "googleforms/nl.csv").read_text(encoding="utf-8")
    export = tmp_path / "google.csv"
    export.write_text(
        text.replace(
            "We lossen klachten bij de bron op.",
            "Mijn leidinggevende vertelt waarom de klant telt.",
            1,
        ),
        encoding="utf-8",
    )
    assert refused(tmp_path, export) == [
        f"{export}:1:5: duplicate column 'Mijn leidinggevende vertelt waarom de klant telt.' "
        f"(also column 3); map each by its position in a mapping file (--make-mapping writes "
        f"'position:'), or give every question a distinct title"
    ]


def test_wrong_encoding(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(f"{HEADER}\nr1,3,4,3,2,staf,chat,Te weinig \x81tijd\n".encode("latin-1"))
    assert refused(tmp_path, export) == [
        f"{export}:2:8: byte 0x81 is neither UTF-8 nor Windows-1252 text; save the export as "
        f"'CSV UTF-8'"
    ]


def test_truncated_xlsx(tmp_path: Path) -> None:
    whole = csv_to_xlsx(IMPORTS / "msforms/en.csv", tmp_path / "whole.xlsx")
    export = tmp_path / "forms.xlsx"
    export.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert refused(tmp_path, export) == [
        f"{export}: not a readable XLSX workbook; is it damaged or cut off? (BadZipFile)"
    ]


def test_a_csv_that_is_not_a_survey_export(tmp_path: Path) -> None:
    export = export_file(
        tmp_path,
        "Datum,Naam / Omschrijving,Rekening,Bedrag (EUR)",
        "20260301,Albert Heijn,NL00BANK0123456789,12.50",
    )
    assert refused(tmp_path, export) == [
        f"{export}:1:1: not a survey export klantladder knows: the headers ('Datum', "
        f"'Naam / Omschrijving', 'Rekening', 'Bedrag (EUR)', ...) fit none of Microsoft Forms, "
        f"Google Forms, Qualtrics, LimeSurvey, Typeform, SurveyMonkey, plain CSV; give --from "
        f"TOOL, or use question ids as the headers of a plain CSV"
    ]


def test_bad_date_and_bad_respondent_id_each_at_their_cell(tmp_path: Path) -> None:
    text = (IMPORTS / "msforms/en.csv").read_text(encoding="utf-8")
    export = tmp_path / "forms.csv"
    export.write_text(text.replace("3/5/2026 11:21:30", "yesterday"), encoding="utf-8")
    assert refused(tmp_path, export) == [
        f"{export}:3:3: column 'Completion time': 'yesterday' is not a date and time"
    ]


def test_every_bad_row_is_reported_at_once(tmp_path: Path) -> None:
    export = export_file(
        tmp_path, HEADER, "r1,9,4,3,2,staf,chat,", "r2,3,4,3,2,marketing,chat,", "r3,3,4,3,2,,,"
    )
    lines = refused(tmp_path, export)
    assert lines == [
        f"{export}:2:2: column 'leiderschap.feedback': 9 is outside the scale 1-5 of "
        f"'leiderschap.feedback'",
        f"{export}:3:6: column 'afdeling': 'marketing' is not an option of 'afdeling'; "
        f"options: klantenservice, operatie, staf",
        "2 problems found.",
    ]


def test_problems_stop_after_25_and_say_so_last(tmp_path: Path) -> None:
    rows = [f"r{n},9,4,3,2,staf,chat," for n in range(1, 40)]
    export = export_file(tmp_path, HEADER, *rows)
    lines = refused(tmp_path, export)
    assert lines[0].startswith(f"{export}:2:2: ")
    assert lines[-2] == f"{export}:27: stopped after 25 problems; fix these and import again"
    assert lines[-1] == "26 problems found."


def test_same_response_id_twice_with_other_answers(tmp_path: Path) -> None:
    export = export_file(tmp_path, HEADER, "r1,3,4,3,2,staf,chat,", "r1,2,4,3,2,staf,chat,")
    assert refused(tmp_path, export) == [
        f"{export}:3:1: rows 2 and 3 are the same response (respondent 'r1') with different "
        f"answers (leiderschap.feedback: 3 / 2), and the export says nothing about which is "
        f"newer; remove the wrong row, or import at a terminal to choose"
    ]


def test_unconfirmed_and_unknown_entries_in_a_mapping_file(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        (IMPORTS / "msforms/nl.mapping.yaml")
        .read_text(encoding="utf-8")
        .replace("question: afdeling, confirmed: true", "question: afdeling, confirmed: false")
        .replace("question: belemmering", "question: belemmeringen"),
        encoding="utf-8",
    )
    lines = refused(tmp_path, IMPORTS / "msforms/nl.csv", "--mapping", str(mapping))
    assert lines == [f"{mapping}:10:51: unknown question 'belemmeringen'"]
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace("belemmeringen", "belemmering"),
        encoding="utf-8",
    )
    lines = refused(tmp_path, IMPORTS / "msforms/nl.csv", "--mapping", str(mapping))
    assert lines == [
        f"{mapping}:8:58: column '5. Afdeling' (question 'afdeling') is not confirmed; check it "
        f"and set confirmed: true"
    ]


@pytest.mark.parametrize("name", ["missing.csv", "folder"])
def test_missing_export(tmp_path: Path, name: str) -> None:
    (tmp_path / "folder").mkdir()
    lines = refused(tmp_path, tmp_path / name)
    assert lines[0].startswith(f"{tmp_path / name}: ")
