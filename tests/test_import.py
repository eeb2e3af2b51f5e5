"""Import of every tool's fixture export, Dutch and English, CSV and XLSX; scored afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from importhelpers import (
    BILINGUAL,
    IMPORTS,
    bilingual_folder,
    csv_to_xlsx,
    expected_answers,
    respondents,
    saved,
)
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
    ("qualtrics/previews.csv", "qualtrics", None, "en"),
    ("qualtrics/legacy.csv", "qualtrics", None, "en"),
    ("qualtrics/insights.csv", "qualtrics", None, "nl"),
    ("limesurvey/nl.csv", "limesurvey", None, "nl"),
    ("limesurvey/en.csv", "limesurvey", None, "en"),
    ("limesurvey/results-survey834512.csv", "limesurvey", None, "nl"),
    ("msforms/en.csv", "msforms", None, "en"),
    ("msforms/nl.csv", "msforms", "msforms/nl.mapping.yaml", "nl"),
    ("msforms/edits-before.csv", "msforms", None, "en"),
    ("googleforms/nl.csv", "googleforms", None, "nl"),
    ("typeform/en.csv", "typeform", None, "en"),
    ("typeform/current.csv", "typeform", "typeform/current.mapping.yaml", "en"),
    ("typeform/sheets.csv", "typeform", "typeform/sheets.mapping.yaml", "en"),
    ("surveymonkey/en.csv", "surveymonkey", None, "en"),
    ("surveymonkey/nl.csv", "surveymonkey", None, "nl"),
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
    summary = import_export(
        folder, IMPORTS / fixture, mapping=IMPORTS / mapping if mapping else None
    )
    assert summary.tool == tool
    assert len(summary.added) == 3
    assert summary.accounted == summary.rows
    assert answers_of(folder) == expected_answers(language)
    sources = [response["source"] for response in saved(folder)]
    assert all(
        source["tool"] == tool and source["file"] == Path(fixture).name and source["key"]
        for source in sources
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
    first = import_export(folder, IMPORTS / fixture, mapping=mapping_path)
    again = import_export(folder, IMPORTS / fixture, mapping=mapping_path)
    assert again.added == () and again.updated == ()
    assert again.unchanged == 3
    assert again.accounted == again.rows == first.rows
    assert respondents(folder) == 3


@pytest.mark.parametrize(
    ("fixture", "tool", "dates", "header_rows"),
    [
        ("msforms/en.csv", "msforms", ("Start time", "Completion time"), 1),
        ("qualtrics/nl.csv", "qualtrics", ("StartDate", "EndDate"), 3),
        ("googleforms/nl.csv", "googleforms", (), 1),
        ("surveymonkey/en.csv", "surveymonkey", ("Start Date", "End Date"), 2),
    ],
)
def test_xlsx_exports_import_like_their_csv(
    tmp_path: Path, fixture: str, tool: str, dates: tuple[str, ...], header_rows: int
) -> None:
    workbook = csv_to_xlsx(
        IMPORTS / fixture, tmp_path / "export.xlsx", date_columns=dates, header_rows=header_rows
    )
    folder = bilingual_folder(tmp_path)
    summary = import_export(folder, workbook)
    assert summary.tool == tool
    language = "en" if "/en" in fixture else "nl"
    assert answers_of(folder) == expected_answers(language)
    if dates:
        assert saved(folder)[0]["completed"].startswith("2026-03-05T10:09:40")
    # The workbook and the CSV are the same responses: the CSV adds nobody.
    again = import_export(folder, IMPORTS / fixture)
    assert again.added == () and again.unchanged == 3


def test_excel_date_serials_in_date_columns(tmp_path: Path) -> None:
    text = (IMPORTS / "msforms/en.csv").read_text(encoding="utf-8")
    text = text.replace("3/5/2026 10:09:40", "46086.42338")
    export = tmp_path / "forms.csv"
    export.write_text(text, encoding="utf-8")
    folder = bilingual_folder(tmp_path)
    import_export(folder, export)
    assert saved(folder)[0]["completed"] == "2026-03-05T10:09:40"


def test_typeform_choice_columns_map_by_label_only_when_the_label_is_unambiguous(
    tmp_path: Path,
) -> None:
    """Typeform heads each choice of a multi-select with its label alone."""
    text = BILINGUAL.read_text(encoding="utf-8").replace(
        "  - id: belemmering\n",
        "  - id: middelen\n"
        "    kind: profile\n"
        '    text: {nl: "Welke middelen gebruik je?", en: "Which tools do you use?"}\n'
        "    multiple: true\n"
        "    options:\n"
        "      - {id: telefoon, label: {nl: Telefoon, en: Phone}}\n"
        "      - {id: laptop, label: {nl: Laptop, en: Laptop}}\n"
        "  - id: belemmering\n",
    )
    questionnaire = tmp_path / "twee-keuzevragen.yaml"
    questionnaire.write_text(text, encoding="utf-8")
    shutil.copy(IMPORTS / "method.yaml", tmp_path / "method.yaml")
    folder = bilingual_folder(tmp_path, "en", questionnaire=questionnaire)
    result = runner.invoke(app, ["import", str(folder), str(IMPORTS / "typeform/en.csv")])
    assert result.exit_code == 1
    # 'Phone' is a choice of two questions: which one is for the user to say
    assert result.stderr.splitlines() == [
        f"{IMPORTS / 'typeform/en.csv'}:1:7: column 'Phone' matches no question; make a "
        "mapping file with --make-mapping, check it, and pass it with --mapping",
    ]
    assert respondents(folder) == 0


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
    assert respondents(folder) == 0
    path.write_text(
        path.read_text(encoding="utf-8").replace("confirmed: false", "confirmed: true"),
        encoding="utf-8",
    )
    summary = import_export(folder, export, mapping=path)
    assert len(summary.added) == 3
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


def test_cli_import_prints_the_summary_and_the_encoding_note(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = IMPORTS / "csv/en-cp1252.csv"
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "plain CSV export: en-cp1252.csv, 3 data rows"
    assert lines[1].split() == ["added", "3"]
    assert lines[-2].split()[:4] == ["contact", "columns", "dropped", "1"]
    assert lines[-1] == "written: 3 responses"
    assert "read as Windows-1252 (cp1252)" in result.stderr
    # The name is contact data: dropped, never in a response.
    assert all("name" not in response for response in saved(folder))
    assert not (folder / "respondents.key.yaml").exists()
    result = runner.invoke(app, ["import", str(folder), str(export), "--from", "csv"])
    assert result.stdout.splitlines()[3].split() == ["already", "there", "3"]
    assert result.stdout.splitlines()[-1] == "nothing new to write"


def test_keep_contact_puts_names_in_the_key_file_only(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = IMPORTS / "csv/en-cp1252.csv"
    result = runner.invoke(app, ["import", str(folder), str(export), "--keep-contact"])
    assert result.exit_code == 0, result.stderr
    assert "contact columns kept in key file" in result.stdout
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


def test_the_readme_summary_is_what_import_prints(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("$ klantladder import acme-2026 qualtrics-export.csv\n")
    block = readme[start : readme.index("```", start)].splitlines()
    export = tmp_path / "qualtrics-export.csv"
    shutil.copy(IMPORTS / "qualtrics/previews.csv", export)
    folder = bilingual_folder(tmp_path, name="acme-2026")
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == block[1:]


def test_limesurvey_full_headings_of_the_dutch_interface(tmp_path: Path) -> None:
    text = (IMPORTS / "limesurvey/en.csv").read_text(encoding="utf-8")
    dutch = {
        '"Response ID"': '"Antwoord ID"',
        '"Date submitted"': '"Datum ingediend"',
        '"Last page"': '"Laatste pagina"',
        '"Start language"': '"Starttaal"',
        '"Date started"': '"Startdatum"',
        '"Date last action"': '"Datum laatste actie"',
    }
    for english, translated in dutch.items():
        text = text.replace(english, translated, 1)
    export = tmp_path / "results-survey1.csv"
    export.write_text(text, encoding="utf-8")
    folder = bilingual_folder(tmp_path)
    summary = import_export(folder, export)
    assert summary.tool == "limesurvey"
    assert answers_of(folder) == expected_answers("en")
    assert saved(folder)[0]["started"] == "2026-03-05T10:02:11"
