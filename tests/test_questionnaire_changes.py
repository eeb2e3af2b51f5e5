"""Declared questionnaire changes (replaces, dropped): checked when the file loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import MINI_METHOD, SURVEY_V2

from klantladder.errors import InputError
from klantladder.loading import load_questionnaire_file
from klantladder.schemas import json_schemas


def variant(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """survey-v2.yaml with text replaced; line numbers stay those of the fixture."""
    text = SURVEY_V2.read_text(encoding="utf-8")
    text = text.replace("method: ../mini-method.yaml", f"method: {MINI_METHOD.resolve()}")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "survey-v2.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_questionnaire_file(path)
    prefix = f"{path}:"
    return [str(problem).removeprefix(prefix) for problem in caught.value.problems]


def test_the_fixture_loads_with_its_declarations(tmp_path: Path) -> None:
    questionnaire = load_questionnaire_file(variant(tmp_path))
    assert questionnaire.declared_against == 1
    assert questionnaire.declares_changes
    assert [d.id for d in questionnaire.dropped] == ["lead.budget", "act.fix", "act.root"]


def test_unknown_change_kind(tmp_path: Path) -> None:
    path = variant(tmp_path, ("[lead.example], change: renamed", "[lead.example], change: moved"))
    assert problems(path) == [
        "20:51: change: input should be 'renamed', 'reworded', 'split' or 'merged'"
    ]


def test_merged_needs_two_questions_and_the_others_one(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        ("[listen.survey, listen.channels], change: merged", "[listen.survey], change: merged"),
        ("[lead.example], change: renamed", "[lead.example, lead.vision], change: renamed"),
    )
    assert problems(path) == [
        "20:5: renamed replaces exactly one earlier question; use merged when several became one",
        "38:5: merged needs the two or more earlier questions that became this one",
    ]


def test_renamed_to_its_own_id(tmp_path: Path) -> None:
    path = variant(
        tmp_path, ("[lead.example], change: renamed", "[lead.role-model], change: renamed")
    )
    assert problems(path) == ["20:28: renamed to its own id; use reworded, or leave replaces out"]


def test_reworded_may_keep_its_id(tmp_path: Path) -> None:
    path = variant(
        tmp_path, ("[lead.example], change: renamed", "[lead.role-model], change: reworded")
    )
    assert load_questionnaire_file(path).question("lead.role-model")


def test_a_question_both_asked_and_dropped(tmp_path: Path) -> None:
    path = variant(tmp_path, ("  - id: act.root\n", "  - id: act.followup\n"))
    assert problems(path) == ["55:9: 'act.followup' is asked in this version, so it is not dropped"]


def test_a_question_both_dropped_and_replaced(tmp_path: Path) -> None:
    path = variant(tmp_path, ("  - id: act.root\n", "  - id: lead.example\n"))
    assert problems(path) == ["55:9: 'lead.example' is dropped, but 'lead.role-model' replaces it"]


def test_duplicate_dropped_question(tmp_path: Path) -> None:
    path = variant(tmp_path, ("  - id: act.root\n", "  - id: act.fix\n"))
    assert problems(path) == ["55:9: duplicate dropped question id 'act.fix'"]


def test_a_question_still_asked_cannot_be_replaced(tmp_path: Path) -> None:
    path = variant(tmp_path, ("[lead.example], change: renamed", "[lead.vision], change: renamed"))
    assert problems(path) == [
        "20:28: 'lead.vision' is still a question in this version, so question "
        "'lead.role-model' cannot replace it"
    ]


def test_a_split_may_keep_the_old_id_when_that_question_is_part_of_it(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        ("  - id: lead.feedback-read\n", "  - id: lead.feedback\n"),
    )
    questionnaire = load_questionnaire_file(path)
    assert questionnaire.question("lead.feedback")


def test_several_questions_replacing_one_must_all_be_a_split(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        (
            "questions: [lead.feedback], change: split}",
            "questions: [lead.feedback], change: reworded}",
        ),
    )
    assert problems(path) == [
        "26:52: 'lead.feedback' is replaced by several questions ('lead.feedback-read', "
        "'lead.feedback-act'): that is a split; give each of them change: split",
        "32:52: 'lead.feedback' is replaced by several questions ('lead.feedback-read', "
        "'lead.feedback-act'): that is a split; give each of them change: split",
    ]


def test_a_split_needs_two_questions(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        ("    replaces: {questions: [lead.feedback], change: split}\n", ""),
    )
    assert problems(path) == [
        "31:52: only 'lead.feedback-act' is split from 'lead.feedback'; a split needs two or "
        "more questions (use reworded for one)"
    ]


def test_version_one_has_nothing_to_replace(tmp_path: Path) -> None:
    path = variant(tmp_path, ("version: 2", "version: 1"))
    assert problems(path) == [
        "5:10: version 1 has no previous version to replace or drop questions from; "
        "raise version or set previous_version"
    ]


def test_previous_version_must_be_lower(tmp_path: Path) -> None:
    path = variant(tmp_path, ("version: 2\n", "version: 2\nprevious_version: 2\n"))
    assert problems(path) == ["6:19: previous_version must be lower than this version (2)"]


def test_dropped_needs_a_reason(tmp_path: Path) -> None:
    path = variant(tmp_path, ("    reason: Budgets are set per department now.\n", ""))
    assert problems(path) == ["51:5: missing required key 'reason'"]


def test_schema_describes_the_new_fields() -> None:
    schema = json_schemas()["questionnaire"]
    assert "Questions of the previous version" in schema["properties"]["dropped"]["description"]
    assert "previous_version" in schema["properties"]
    definitions = schema["$defs"]
    dropped = definitions["DroppedQuestion"]["properties"]
    assert {"id", "reason"} <= set(dropped)
    change = definitions["Replaces"]["properties"]["change"]
    assert change["enum"] == ["renamed", "reworded", "split", "merged"]
    assert "split: one earlier question became several" in change["description"]
