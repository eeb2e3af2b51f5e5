"""No respondent lost or doubled: identity across forms, downloads, edits and later imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from importhelpers import (
    IMPORTS,
    bilingual_folder,
    csv_to_xlsx,
    expected_answers,
    respondents,
    saved,
    snapshot,
)
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.errors import InputError
from klantladder.importing import Conflict, ImportSummary, import_export

runner = CliRunner()


def counts(summary: ImportSummary) -> dict[str, int]:
    """The summary's categories that are not zero."""
    found = {
        "added": len(summary.added),
        "updated": len(summary.updated),
        "unchanged": summary.unchanged,
        "duplicates": summary.duplicates,
        "superseded": summary.superseded,
        "test": summary.test,
        "partial": summary.partial,
        "empty": summary.empty,
    }
    assert summary.accounted == summary.rows
    return {name: count for name, count in found.items() if count}


def run(folder: Path, fixture: str, mapping: str | None = None, **options: bool) -> dict[str, int]:
    return counts(
        import_export(
            folder, IMPORTS / fixture, mapping=IMPORTS / mapping if mapping else None, **options
        )
    )


def test_two_microsoft_forms_with_overlapping_response_ids(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    assert run(folder, "msforms/nl.csv", "msforms/nl.mapping.yaml") == {"added": 3}
    # The English version ran as a form of its own: its ids start from 1 again.
    assert run(folder, "msforms/second-form.csv") == {"added": 3}
    assert respondents(folder) == 6
    assert run(folder, "msforms/nl.csv", "msforms/nl.mapping.yaml") == {"unchanged": 3}
    assert run(folder, "msforms/second-form.csv") == {"unchanged": 3}
    assert respondents(folder) == 6


def test_two_limesurvey_surveys_with_overlapping_response_ids(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    run(folder, "limesurvey/results-survey834512.csv")
    assert run(folder, "limesurvey/results-survey512377.csv") == {"added": 2}
    assert respondents(folder) == 5
    forms = {response["source"].get("form") for response in saved(folder)}
    assert forms == {"survey 834512", "survey 512377"}


@pytest.mark.parametrize(
    "order",
    [
        ("googleforms/forms-nl.csv", "googleforms/sheet-nl.csv"),
        ("googleforms/sheet-nl.csv", "googleforms/forms-nl.csv"),
    ],
)
def test_the_forms_csv_and_the_sheet_csv_are_the_same_respondents(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    folder = bilingual_folder(tmp_path)
    assert run(folder, order[0]) == {"added": 4}
    assert run(folder, order[1]) == {"unchanged": 4}
    keys = sorted(response["source"]["key"] for response in saved(folder))
    other = bilingual_folder(tmp_path, name="other")
    run(other, order[1])
    assert sorted(response["source"]["key"] for response in saved(other)) == keys
    # The sheet downloaded as a workbook is the same respondents too.
    workbook = csv_to_xlsx(IMPORTS / "googleforms/sheet-nl.csv", tmp_path / "sheet.xlsx")
    assert counts(import_export(folder, workbook)) == {"unchanged": 4}
    assert respondents(folder) == 4


def test_a_question_added_to_the_form_between_two_imports(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    assert run(folder, "googleforms/sheet-before.csv") == {"added": 2}
    # Later the form asks one more question, and has a column the mapping ignores.
    after = run(folder, "googleforms/sheet-after.csv", "googleforms/sheet-after.mapping.yaml")
    assert after == {"unchanged": 2, "added": 1}
    wanted = expected_answers("nl")
    del wanted[0]["belemmering"]  # asked only after the first respondent answered
    assert [response["answers"] for response in saved(folder)] == wanted


def test_an_edited_microsoft_forms_response_is_an_update(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    run(folder, "msforms/edits-before.csv")
    assert run(folder, "msforms/edits-after.csv") == {"updated": 1, "unchanged": 2, "added": 1}
    answers = [response["answers"] for response in saved(folder)]
    assert answers[1]["belemmering"] == "We talk more now"
    assert answers[1]["kanalen"] == ["telefoon", "chat"]
    assert saved(folder)[1]["source"]["revision"] == "2026-03-09T15:40:03Z"
    # The older download imported afterwards changes nothing.
    assert run(folder, "msforms/edits-before.csv") == {"unchanged": 3}
    assert saved(folder)[1]["answers"]["belemmering"] == "We talk more now"
    assert respondents(folder) == 4


def test_previews_tests_spam_partial_and_abandoned_rows(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    assert run(folder, "qualtrics/previews.csv") == {
        "added": 3,
        "test": 4,
        "partial": 1,
        "empty": 1,
    }
    assert [response["answers"] for response in saved(folder)] == expected_answers("en")
    # With --include-partial the unfinished response comes in; the abandoned one has no answers.
    assert run(folder, "qualtrics/previews.csv", include_partial=True) == {
        "added": 1,
        "unchanged": 3,
        "test": 4,
        "empty": 1,
    }
    assert saved(folder)[-1]["answers"] == {"leiderschap.feedback": 4, "leiderschap.uitdragen": 4}


def test_a_limesurvey_partial_response_finished_later(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    first = run(folder, "limesurvey/results-survey834512.csv", include_partial=True)
    assert first == {"added": 4, "empty": 1}
    later = run(folder, "limesurvey/results-survey834512-later.csv", include_partial=True)
    assert later == {"updated": 1, "unchanged": 3, "empty": 1}
    assert saved(folder)[2]["answers"]["belemmering"] == "Meer tijd nodig"
    assert respondents(folder) == 4


def test_a_typeform_partial_response(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    mapping = "typeform/current.mapping.yaml"
    assert run(folder, "typeform/current.csv", mapping) == {"added": 3, "partial": 1}
    assert run(folder, "typeform/current.csv", mapping, include_partial=True) == {
        "added": 1,
        "unchanged": 3,
    }
    # The Google Sheets integration holds the same responses under the same tokens.
    assert run(folder, "typeform/sheets.csv", "typeform/sheets.mapping.yaml") == {"unchanged": 3}


def test_a_title_row_above_a_microsoft_forms_header(tmp_path: Path) -> None:
    workbook = csv_to_xlsx(
        IMPORTS / "msforms/titled-nl.csv",
        tmp_path / "Klantgerichtheid 2026.xlsx",
        date_columns=("Begintijd", "Tijd van voltooien"),
        header_row=2,
    )
    folder = bilingual_folder(tmp_path)
    summary = import_export(folder, workbook)
    assert summary.header_row == 3
    assert summary.title == "Klantgerichtheid 2026 - afdelingen"
    assert summary.lines()[0] == (
        "Microsoft Forms export: Klantgerichtheid 2026.xlsx, 3 data rows, header on row 3 "
        "(above the header: 'Klantgerichtheid 2026 - afdelingen')"
    )
    assert [response["answers"] for response in saved(folder)] == expected_answers("nl")
    assert saved(folder)[0]["source"]["form"] == "Klantgerichtheid 2026 - afdelingen"
    assert saved(folder)[0]["completed"] == "2026-03-05T10:09:40"


def test_duplicate_headers_are_mapped_by_position(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    result = runner.invoke(app, ["import", str(folder), str(IMPORTS / "typeform/current.csv")])
    assert result.exit_code == 1
    assert (
        f"{IMPORTS / 'typeform/current.csv'}:1:11: duplicate column 'Other' (also column 7); "
        f"map each by its position in a mapping file (--make-mapping writes 'position:'), or "
        f"give every question a distinct title" in result.stderr
    )
    assert run(folder, "typeform/current.csv", "typeform/current.mapping.yaml")["added"] == 3
    assert [response["answers"] for response in saved(folder)] == expected_answers("en")


def test_a_changed_answer_without_a_revision_is_refused_naming_the_row(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    run(folder, "qualtrics/nl.csv")
    text = (IMPORTS / "qualtrics/nl.csv").read_text(encoding="utf-8")
    export = tmp_path / "qualtrics-again.csv"
    export.write_text(text.replace("Doorlopend na contact.", "Per afdeling gedeeld.", 1), "utf-8")
    before = snapshot(folder)
    with pytest.raises(InputError) as error:
        import_export(folder, export)
    assert str(error.value) == (
        f"{export}:4:9: response R_1nlAbcXy01 is already in the folder as qualtrics-0001 with "
        f"other answers (feedback.meten-en-delen_per-afdeling: 3 / 4), and the export says "
        f"nothing about which is newer; remove the row, or import at a terminal to choose"
    )
    assert snapshot(folder) == before
    # A person who chooses to keep what is stored gets the rest of the import.
    asked: list[Conflict] = []

    def keep(conflict: Conflict) -> int:
        asked.append(conflict)
        return 0

    summary = import_export(folder, export, resolver=keep)
    assert counts(summary) == {"unchanged": 3}
    assert [conflict.rows[0].row for conflict in asked] == [4]
    assert saved(folder)[0]["answers"]["feedback.meten-en-delen_per-afdeling"] == 3


def test_the_same_response_twice_in_an_export(tmp_path: Path) -> None:
    text = (IMPORTS / "msforms/en.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    export = tmp_path / "twice.csv"
    export.write_text("\n".join([*lines, lines[2]]) + "\n", encoding="utf-8")
    folder = bilingual_folder(tmp_path)
    assert counts(import_export(folder, export)) == {"added": 3, "duplicates": 1}
    changed = lines[2].replace("Disagree", "Agree")
    export.write_text("\n".join([*lines, changed]) + "\n", encoding="utf-8")
    other = bilingual_folder(tmp_path, name="other")
    with pytest.raises(InputError) as error:
        import_export(other, export)
    assert "rows 3 and 5 are the same response (response 2) with different answers" in str(
        error.value
    )
    summary = import_export(other, export, resolver=lambda conflict: 1)
    assert counts(summary) == {"added": 3, "superseded": 1}
    assert saved(other)[1]["answers"]["leiderschap.uitdragen"] == 4


def test_at_a_terminal_the_import_asks_which_row_holds_the_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("klantladder.cli.collect.stdin_is_terminal", lambda: True)
    text = (IMPORTS / "msforms/en.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    export = tmp_path / "twice.csv"
    export.write_text("\n".join([*lines, lines[2].replace("Disagree", "Agree")]) + "\n", "utf-8")
    folder = bilingual_folder(tmp_path)
    result = runner.invoke(app, ["import", str(folder), str(export)], input="5\n")
    assert result.exit_code == 0, result.output
    assert "Rows 3, 5 are all response 2, with different answers" in result.stdout
    assert saved(folder)[1]["answers"]["leiderschap.uitdragen"] == 4
    other = bilingual_folder(tmp_path, name="other")
    result = runner.invoke(app, ["import", str(other), str(export)], input="s\n")
    assert result.exit_code == 1
    assert respondents(other) == 0


def test_dry_run_shows_the_summary_and_writes_nothing(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    before = snapshot(folder)
    export = str(IMPORTS / "surveymonkey/nl.csv")
    dry = runner.invoke(app, ["import", str(folder), export, "--dry-run"])
    assert dry.exit_code == 0, dry.stderr
    assert snapshot(folder) == before
    assert dry.stdout.splitlines()[-1] == "dry run: nothing written"
    real = runner.invoke(app, ["import", str(folder), export])
    assert real.stdout.splitlines()[:-1] == dry.stdout.splitlines()[:-1]
    assert respondents(folder) == 3


def test_contact_columns_are_dropped_or_kept_in_the_key_file(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    summary = import_export(folder, IMPORTS / "surveymonkey/en.csv")
    assert summary.contact_columns == (
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    )
    files = [path.read_text(encoding="utf-8") for path in folder.rglob("*") if path.is_file()]
    assert not any("a.jansen@example.com" in text or "145.53.12.7" in text for text in files)
    kept = bilingual_folder(tmp_path, name="kept")
    import_export(kept, IMPORTS / "surveymonkey/en.csv", keep_contact=True)
    key_file = (kept / "respondents.key.yaml").read_text(encoding="utf-8")
    assert "a.jansen@example.com" in key_file and "Jansen" in key_file
    responses = [p.read_text(encoding="utf-8") for p in (kept / "responses").rglob("*")]
    assert not any("a.jansen@example.com" in text or "Jansen" in text for text in responses)


def test_cli_include_partial_and_keep_contact(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    export = str(IMPORTS / "qualtrics/previews.csv")
    result = runner.invoke(
        app, ["import", str(folder), export, "--include-partial", "--keep-contact"]
    )
    assert result.exit_code == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert ["added", "4"] in lines
    assert ["skipped:", "partial", "response", "0"] in lines
    assert (
        "  (1 of the rows added, updated or already there is a partial response: "
        "--include-partial)" in result.stdout.splitlines()
    )
    kept = next(line for line in result.stdout.splitlines() if "contact columns kept" in line)
    assert kept.split()[:6] == ["contact", "columns", "kept", "in", "key", "file"]
    assert "Recipient Email" in kept
    assert "p.devries@example.com" in (folder / "respondents.key.yaml").read_text("utf-8")
    assert respondents(folder) == 4
