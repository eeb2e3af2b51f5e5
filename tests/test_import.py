"""Import of every tool's fixture export, Dutch and English, CSV and XLSX; scored afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from importhelpers import IMPORTS, bilingual_folder, csv_to_xlsx, expected_answers, saved
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.folder import load_assessment
from klantladder.importing import import_export, make_mapping
from klantladder.importing.table import read_sheet

runner = CliRunner()

# fixture, tool, mapping file (None: maps by itself), language of its texts
CASES = [
    ("qualtrics/nl.csv", "qualtrics", None, "nl"),
    ("qualtrics/en.csv", "qualtrics", "qualtrics/en.mapping.yaml", "en"),
    ("limesurvey/nl.csv", "limesurvey", None, "nl"),
    ("limesurvey/en.csv", "limesurvey", None, "en"),
    ("msforms/en.csv", "msforms", None, "en"),
    ("msforms/nl.csv", "msforms", "msforms/nl.mapping.yaml", "nl"),
    ("googleforms/nl.csv", "googleforms", None, "nl"),
    ("csv/nl.csv", "csv", None, "nl"),
    ("csv/en-cp1252.csv", "csv", None, "en"),
]


def answers_of(folder: Path) -> list[dict[str, object]]:
    return [response["answers"] for response in saved(folder)]


@pytest.mark.parametrize(("fixture", "tool", "mapping", "language"), CASES)
def test_each_fixture_imports_detects_its_tool_and_scores(
    tmp_path: Path, fixture: str, tool: str, mapping: str | None, language: str
) -> None:
    folder = bilingual_folder(tmp_path, "en" if language == "nl" else "nl")
    report = import_export(
        folder, IMPORTS / fixture, mapping=IMPORTS / mapping if mapping else None
    )
    assert report.tool == tool
    assert len(report.added) == 3
    assert answers_of(folder) == expected_answers(language)
    sources = [response["source"] for response in saved(folder)]
    assert all(
        source["tool"] == tool and source["file"] == Path(fixture).name for source in sources
    )
    result = load_assessment(folder).score()
    assert result.respondents == 3
    assert result.overall.score == 2.96


@pytest.mark.parametrize(("fixture", "tool", "mapping", "language"), CASES)
def test_reimporting_the_same_export_adds_nobody(
    tmp_path: Path, fixture: str, tool: str, mapping: str | None, language: str
) -> None:
    folder = bilingual_folder(tmp_path)
    mapping_path = IMPORTS / mapping if mapping else None
    import_export(folder, IMPORTS / fixture, mapping=mapping_path)
    again = import_export(folder, IMPORTS / fixture, mapping=mapping_path)
    assert again.added == ()
    assert again.duplicates == 3
    assert len(saved(folder)) == 3


@pytest.mark.parametrize(
    ("fixture", "tool", "dates"),
    [
        ("msforms/en.csv", "msforms", ("Start time", "Completion time")),
        ("qualtrics/nl.csv", "qualtrics", ("StartDate", "EndDate")),
        ("googleforms/nl.csv", "googleforms", ()),
    ],
)
def test_xlsx_exports_import_like_their_csv(
    tmp_path: Path, fixture: str, tool: str, dates: tuple[str, ...]
) -> None:
    workbook = csv_to_xlsx(
        IMPORTS / fixture,
        tmp_path / "export.xlsx",
        date_columns=dates,
        header_rows=3 if tool == "qualtrics" else 1,
    )
    folder = bilingual_folder(tmp_path)
    report = import_export(folder, workbook)
    assert report.tool == tool
    language = "en" if "/en" in fixture else "nl"
    assert answers_of(folder) == expected_answers(language)
    if dates:
        assert saved(folder)[0]["completed"].startswith("2026-03-05T10:09:40")


def test_excel_date_serials_in_date_columns(tmp_path: Path) -> None:
    text = (IMPORTS / "msforms/en.csv").read_text(encoding="utf-8")
    text = text.replace("3/5/2026 10:09:40", "46086.42338")
    export = tmp_path / "forms.csv"
    export.write_text(text, encoding="utf-8")
    folder = bilingual_folder(tmp_path)
    import_export(folder, export)
    assert saved(folder)[0]["completed"] == "2026-03-05T10:09:40"


def test_make_mapping_guesses_then_import_refuses_until_confirmed(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = tmp_path / "typeform.csv"
    shutil.copy(IMPORTS / "typeform/en.csv", export)
    path = make_mapping(folder, export)
    assert path == tmp_path / "typeform.mapping.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["tool"] == "typeform"
    columns = {entry["column"]: entry for entry in data["columns"]}
    assert columns["Desk, shop"]["question"] == "kanalen"
    assert columns["Desk, shop"]["option"] == "balie"
    assert all(entry["confirmed"] is False for entry in data["columns"])
    result = runner.invoke(app, ["import", str(folder), str(export), "--mapping", str(path)])
    assert result.exit_code == 1
    assert "is not confirmed; check it and set confirmed: true" in result.stderr
    assert result.stderr.splitlines()[0].startswith(f"{path}:")
    assert saved(folder) == []
    path.write_text(
        path.read_text(encoding="utf-8").replace("confirmed: false", "confirmed: true"),
        encoding="utf-8",
    )
    report = import_export(folder, export, mapping=path)
    assert len(report.added) == 3
    assert answers_of(folder) == expected_answers("en")


@pytest.mark.parametrize("fixture", ["googleforms/en.csv", "typeform/nl.csv"])
def test_make_mapping_finds_every_question_of_shortened_titles(
    tmp_path: Path, fixture: str
) -> None:
    folder = bilingual_folder(tmp_path)
    path = make_mapping(folder, IMPORTS / fixture, output=tmp_path / "m.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace("confirmed: false", "confirmed: true"),
        encoding="utf-8",
    )
    import_export(folder, IMPORTS / fixture, mapping=path)
    assert answers_of(folder) == expected_answers("en" if "/en" in fixture else "nl")


def test_make_mapping_never_overwrites_without_force(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    out = tmp_path / "m.yaml"
    out.write_text("mine", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "import",
            str(folder),
            str(IMPORTS / "googleforms/en.csv"),
            "--make-mapping",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert "use --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine"


def test_cli_import_reports_tool_count_and_the_encoding_note(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = IMPORTS / "csv/en-cp1252.csv"
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("plain CSV: imported 3 responses")
    assert "read as Windows-1252 (cp1252)" in result.stderr
    assert "names or contact details of 1 respondents: dropped" in result.stdout
    assert all("name" not in response for response in saved(folder))
    assert not (folder / "respondents.key.yaml").exists()
    result = runner.invoke(app, ["import", str(folder), str(export), "--from", "csv"])
    assert "imported 0 responses" in result.stdout and "skipped 3 imported before" in result.stdout


def test_keep_contact_puts_names_in_the_key_file_only(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = IMPORTS / "csv/en-cp1252.csv"
    result = runner.invoke(app, ["import", str(folder), str(export), "--keep-contact"])
    assert result.exit_code == 0, result.stderr
    assert "kept in respondents.key.yaml" in result.stdout
    keys = (folder / "respondents.key.yaml").read_text(encoding="utf-8")
    assert "Renée" in keys
    for path in (folder / "responses").iterdir():
        assert "Renée" not in path.read_text(encoding="utf-8")


def test_explicit_tool_that_does_not_fit(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    result = runner.invoke(
        app, ["import", str(folder), str(IMPORTS / "csv/nl.csv"), "--from", "qualtrics"]
    )
    assert result.exit_code == 1
    assert "not a Qualtrics export" in result.stderr


def test_a_sheet_keeps_rows_and_columns_numbered_from_one() -> None:
    sheet = read_sheet(IMPORTS / "csv/nl.csv")
    assert sheet.rows[0][0] == "respondent"
    assert sheet.cell(1, 6) == "Telefoon;Balie, winkel"
