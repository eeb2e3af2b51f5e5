"""``klantladder compare`` through CliRunner: exit codes, table, messages, JSON."""

from __future__ import annotations

from pathlib import Path

from builders import ACME_2024, ACME_2025, MINI_METHOD, SURVEY_V2, assessment_folder
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.models.comparison import Comparison
from klantladder.overtime.compare import compare

runner = CliRunner()


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["compare", *map(str, args)], env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def test_table_shows_scores_phases_and_like_for_like_changes() -> None:
    code, out, err = invoke(ACME_2025, ACME_2024)
    assert code == 0, err
    header = out.splitlines()[1]
    assert header.index("2024-03-01") < header.index("2025-03-01")
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 3}
    assert "2.25 Collect" in lines["Leadership"]
    assert "▲ +0.74* within the measurement uncertainty" in lines["Leadership"]
    assert "3.24 Analyse" in lines["Leadership"]
    assert "▲ +0.67 " in lines["Listening"]
    assert "not compared" in lines["Acting"]
    assert "2.58 Collect" in lines["overall"]
    assert "▲ +0.71*" in lines["overall"]
    assert "3.37 Analyse" in lines["overall"]
    assert "Acting: not compared, no corresponding questions" in out
    assert "lead.example → lead.role-model (renamed)" in out
    assert "lead.feedback → lead.feedback-read, lead.feedback-act (split)" in out
    assert "listen.survey, listen.channels → listen.collect (merged)" in out
    assert "left out: lead.budget (dropped: Budgets are set per department now.)" in out
    assert "left out: act.followup (not asked in 2024-03-01)" in out
    assert "overall like for like over Leadership, Listening: 2.78 → 3.49 (▲ +0.71)" in out
    assert err == ""


def test_a_fall_shows_a_down_arrow(tmp_path: Path) -> None:
    low = {
        "lead.vision": 1,
        "lead.role-model": 1,
        "lead.feedback-read": 1,
        "lead.feedback-act": 1,
        "listen.collect": 1,
        "act.followup": 3,
    }
    later = assessment_folder(tmp_path / "acme-2026", SURVEY_V2, [low], date="2026-03-01")
    code, out, _ = invoke(ACME_2025, later)
    assert code == 0
    assert "▼ -2.24" in out  # lead 3.24 -> 1.0
    assert "= 0.00" in out  # act 3.0 -> 3.0


def test_three_folders_add_a_first_to_last_column(tmp_path: Path) -> None:
    answers = {
        "lead.vision": 3,
        "lead.role-model": 3,
        "lead.feedback-read": 3,
        "lead.feedback-act": 3,
        "listen.collect": 3,
        "act.followup": 3,
    }
    later = assessment_folder(tmp_path / "acme-2026", SURVEY_V2, [answers], date="2026-03-01")
    code, out, _ = invoke(ACME_2024, ACME_2025, later)
    assert code == 0
    assert "2024-03-01 →" in out.splitlines()[1]
    assert "2024-03-01 → 2026-03-01" in out


def test_different_organisations_are_compared_with_a_note(tmp_path: Path) -> None:
    answers = {"lead.vision": 3, "listen.collect": 3, "act.followup": 3}
    other = assessment_folder(
        tmp_path / "other", SURVEY_V2, [answers], date="2026-01-01", organisation="Other BV"
    )
    code, out, _ = invoke(ACME_2025, other)
    assert code == 0
    assert "note: the assessments are of different organisations: Acme, Other BV" in out


def test_json_round_trip() -> None:
    code, out, _ = invoke(ACME_2024, ACME_2025, "--json")
    assert code == 0
    comparison = Comparison.model_validate_json(out)
    assert comparison == compare([ACME_2024, ACME_2025])
    assert comparison.format == 2


def test_one_folder_is_a_usage_error() -> None:
    code, _, err = invoke(ACME_2024)
    assert code == 2
    assert "give two or more assessment folders" in err


def test_no_folder_is_a_usage_error() -> None:
    code, _, _ = invoke()
    assert code == 2


def test_the_same_folder_twice_is_a_usage_error() -> None:
    code, _, err = invoke(ACME_2024, ACME_2024 / ".." / "acme-2024")
    assert code == 2
    assert "a folder is given twice" in err


def test_missing_folders_are_bad_input_all_at_once(tmp_path: Path) -> None:
    code, out, err = invoke(tmp_path / "one", ACME_2024, tmp_path / "two")
    assert code == 1
    assert out == ""
    assert err == (
        f"{tmp_path / 'one'}: no such assessment folder\n"
        f"{tmp_path / 'two'}: no such assessment folder\n"
        "2 problems found.\n"
    )


def test_wrong_declaration_names_file_line_and_column(tmp_path: Path) -> None:
    text = SURVEY_V2.read_text(encoding="utf-8")
    text = text.replace("../mini-method.yaml", str(MINI_METHOD))
    path = tmp_path / "survey-v2.yaml"
    path.write_text(text.replace("[lead.example]", "[lead.exampel]"), encoding="utf-8")
    later = assessment_folder(
        tmp_path / "later",
        path,
        [{"lead.vision": 3, "listen.collect": 3, "act.followup": 3}],
        date="2025-03-01",
    )
    code, _, err = invoke(ACME_2024, later)
    assert code == 1
    assert err == f"{path}:20:28: survey version 1 has no question 'lead.exampel'\n"
    assert "Traceback" not in err


def test_a_language_the_questionnaire_lacks_is_bad_input() -> None:
    code, _, err = invoke(ACME_2024, ACME_2025, "--lang", "nl")
    assert code == 1
    assert "has no 'nl' version" in err


def test_readme_compare_example_runs() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    commands = [
        line[2:] for line in readme.splitlines() if line.startswith("$ klantladder compare")
    ]
    assert commands
    for command in commands:
        arguments = [str(root / part) if "/" in part else part for part in command.split()[2:]]
        code, out, err = invoke(*arguments)
        assert code == 0, err
        assert "like for like" in out
