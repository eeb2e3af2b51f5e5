"""Plain CSV imports typed in from the paper form: routing, re-imports, 0 for 'don't know'."""

from __future__ import annotations

from pathlib import Path

import pytest
from importhelpers import respondents, saved, snapshot
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.importing.answers import AnswerError, AnswerReader
from klantladder.loading import load_questionnaire_file
from klantladder.resources import questionnaires_dir

runner = CliRunner()

# Intake v2 asks sturing.scorediscussie only when onderzoek.bestaat is ja-cijfer; rows 3
# and 4 answer it all the same (a form typed in without the routing).
HEADER = "respondent,onderzoek.bestaat,sturing.scorediscussie,sturing.erkenning\n"
ROWS = [
    "p1,ja-cijfer,4,3\n",
    "p2,nee,,2\n",
    "p3,nee,2,3\n",
    "p4,ja-zonder-cijfer,5,4\n",
    "p5,ja-cijfer,3,2\n",
]


def _intake_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bakkerij"
    result = runner.invoke(
        app,
        [
            "init",
            str(folder),
            "--organisation",
            "Bakkerij",
            "--questionnaire",
            "intake",
            "--lang",
            "nl",
        ],
    )
    assert result.exit_code == 0, result.output
    return folder


def _write(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def _import(folder: Path, export: Path) -> tuple[int, list[list[str]], str]:
    result = runner.invoke(app, ["import", str(folder), str(export)])
    return result.exit_code, [line.split() for line in result.stdout.splitlines()], result.stderr


def _without_respondent(rows: list[str]) -> list[str]:
    return [row.split(",", 1)[1] for row in rows]


@pytest.mark.parametrize("with_respondent", [True, False])
def test_reimport_with_answers_routed_around_finds_everyone_already_there(
    tmp_path: Path, with_respondent: bool
) -> None:
    folder = _intake_folder(tmp_path)
    if with_respondent:
        export = _write(tmp_path / "x.csv", ROWS)
    else:
        header = HEADER.split(",", 1)[1]
        export = _write(tmp_path / "x.csv", _without_respondent(ROWS), header)
    code, lines, stderr = _import(folder, export)
    assert code == 0, stderr
    assert ["added", "5"] in lines
    assert lines[-1] == ["written:", "5", "responses"]
    not_asked = next(line for line in lines if line[:3] == ["answers", "to", "questions"])
    assert not_asked[5] == "2"
    stored = {r["respondent"]: r["answers"] for r in saved(folder)}
    assert "sturing.scorediscussie" not in stored["csv-0003"]
    assert "sturing.scorediscussie" not in stored["csv-0004"]
    before = snapshot(folder)

    code, lines, stderr = _import(folder, export)
    assert code == 0, stderr
    assert ["added", "0"] in lines
    assert ["updated", "0"] in lines
    assert ["already", "there", "5"] in lines
    assert lines[-1] == ["nothing", "new", "to", "write"]
    assert respondents(folder) == 5
    assert snapshot(folder) == before


def test_a_changed_answer_to_a_question_routed_around_changes_nothing(tmp_path: Path) -> None:
    folder = _intake_folder(tmp_path)
    code, _, stderr = _import(folder, _write(tmp_path / "x.csv", ROWS))
    assert code == 0, stderr
    edited = [*ROWS[:2], "p3,nee,5,3\n", *ROWS[3:]]
    code, lines, stderr = _import(folder, _write(tmp_path / "y.csv", edited))
    assert code == 0, stderr
    assert ["already", "there", "5"] in lines


def test_an_edited_answer_that_is_asked_is_still_a_conflict(tmp_path: Path) -> None:
    folder = _intake_folder(tmp_path)
    code, _, stderr = _import(folder, _write(tmp_path / "x.csv", ROWS))
    assert code == 0, stderr
    before = snapshot(folder)
    edited = ["p1,ja-cijfer,5,3\n", *ROWS[1:]]
    code, _, stderr = _import(folder, _write(tmp_path / "y.csv", edited))
    assert code == 1
    assert (
        "respondent 'p1' is already in the folder as csv-0001 with other answers "
        "(sturing.scorediscussie: 4 / 5)" in stderr
    )
    assert "p3" not in stderr
    assert snapshot(folder) == before


def test_rows_that_differ_only_in_answers_routed_around_are_one_response(tmp_path: Path) -> None:
    folder = _intake_folder(tmp_path)
    export = _write(tmp_path / "x.csv", [*ROWS, "p3,nee,4,3\n"])
    code, lines, stderr = _import(folder, export)
    assert code == 0, stderr
    assert ["added", "5"] in lines
    twice = next(line for line in lines if line[:2] == ["same", "response"])
    assert twice[6:] == ["1", "counted", "once"]
    assert respondents(folder) == 5


def test_zero_in_a_plain_csv_is_dont_know(tmp_path: Path) -> None:
    folder = _intake_folder(tmp_path)
    header = "respondent,onderzoek.bestaat,sturing.scorediscussie,sturing.erkenning\n"
    export = _write(tmp_path / "x.csv", ["p1,ja-cijfer,0,0\n", "p2,nee,,3\n"], header)
    code, lines, stderr = _import(folder, export)
    assert code == 0, stderr
    assert ["added", "2"] in lines
    stored = {r["respondent"]: r["answers"] for r in saved(folder)}
    # The same value the interview stores for 'don't know' (its key 0).
    assert stored["csv-0001"]["sturing.scorediscussie"] == "unknown"  # likert
    assert stored["csv-0001"]["sturing.erkenning"] == "unknown"  # ladder
    assert stored["csv-0002"]["sturing.erkenning"] == 3


def test_zero_is_no_option_of_a_profile_question_in_a_plain_csv(tmp_path: Path) -> None:
    folder = _intake_folder(tmp_path)
    export = _write(tmp_path / "x.csv", ["p1,0,4,3\n"])
    code, _, stderr = _import(folder, export)
    assert code == 1
    assert "0 is no option number (1-3) of 'onderzoek.bestaat'" in stderr
    assert respondents(folder) == 0


@pytest.mark.parametrize("tool", ["googleforms", "msforms", "limesurvey", "qualtrics"])
def test_zero_stays_outside_the_scale_for_a_survey_tool(tool: str) -> None:
    questionnaire = load_questionnaire_file(questionnaires_dir() / "intake.v2.nl.yaml")
    reader = AnswerReader([questionnaire], tool)  # type: ignore[arg-type]
    ladder = next(q for q in questionnaire.questions if q.id == "sturing.erkenning")
    with pytest.raises(AnswerError, match="0 is outside the scale 1-5"):
        reader.read(ladder, "0")
    assert AnswerReader([questionnaire], "csv").read(ladder, "0") == "unknown"


def test_zero_for_a_question_without_dont_know_is_refused() -> None:
    questionnaire = load_questionnaire_file(questionnaires_dir() / "intake.v2.nl.yaml")
    ladder = next(q for q in questionnaire.questions if q.id == "sturing.erkenning")
    strict = ladder.model_copy(update={"allow_unknown": False})
    with pytest.raises(AnswerError, match="has no 'don't know' answer"):
        AnswerReader([questionnaire], "csv").read(strict, "0")


def test_the_summary_counts_one_row_and_one_response_in_the_singular(tmp_path: Path) -> None:
    folder = _intake_folder(tmp_path)
    code, lines, stderr = _import(folder, _write(tmp_path / "one.csv", ROWS[:1]))
    assert code == 0, stderr
    assert lines[0] == ["plain", "CSV", "export:", "one.csv,", "1", "data", "row"]
    assert lines[-1] == ["written:", "1", "response"]
    code, lines, stderr = _import(folder, _write(tmp_path / "two.csv", ROWS[1:3]))
    assert code == 0, stderr
    assert lines[0] == ["plain", "CSV", "export:", "two.csv,", "2", "data", "rows"]
    assert lines[-1] == ["written:", "2", "responses"]
