"""compare(): like-for-like changes across questionnaire versions, worked out by hand.

The mini method: likert answers 1-5 earn 0, .25, .5, .75, 1 of the way from
level 1 to the evidenced level; a respondent's dimension score is the weighted
mean of their levels; a dimension's score the mean over respondents; the
overall the mean of dimensions weighted lead 2, listen 1, act 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from builders import (
    ACME_2024,
    ACME_2025,
    QUICK,
    SURVEY_V1,
    SURVEY_V2,
    assessment_folder,
    method_variant,
    next_version,
    question,
    questionnaire_variant,
)

from klantladder.errors import InputError
from klantladder.folder import load_assessment
from klantladder.models.comparison import Comparison, LeftOutQuestion, QuestionLink
from klantladder.overtime.compare import compare, compare_assessments

V2_ANSWERS = {
    "lead.vision": 3,
    "lead.role-model": 3,
    "lead.feedback-read": 3,
    "lead.feedback-act": 3,
    "listen.collect": 3,
    "act.followup": 3,
}


def test_comparison_across_a_questionnaire_change() -> None:
    comparison = compare([ACME_2025, ACME_2024])  # any order: sorted by date
    assert [str(a.date) for a in comparison.assessments] == ["2024-03-01", "2025-03-01"]
    assert [a.questionnaire.version for a in comparison.assessments] == [1, 2]
    step = comparison.steps[0]
    assert comparison.span == step

    # Leadership, 2024 on the questions version 2 still asks (lead.budget dropped):
    #   r1 (2 + 4 [lead.example 5] + 3) / 3 = 3.0;  r2 (4 + 1 + 1) / 3 = 2.0;  mean 2.5.
    # 2025 on all four questions (lead.feedback split in two, lead.example renamed):
    #   r1 (3 + 4 + 3 + 3) / 4 = 3.25;  r2 (4 + 2.5 + 2 + 1) / 4 = 2.375;
    #   r3 (unknown, 3.25 + 4 + 5) / 3 = 4.0833;  mean 3.2361 -> 3.24.
    lead = step.change("lead")
    assert lead is not None
    assert (lead.earlier, lead.later, lead.change, lead.direction) == (2.5, 3.24, 0.74, "up")
    assert not lead.complete
    assert lead.questions == [
        QuestionLink(earlier=["lead.vision"], later=["lead.vision"], change="same"),
        QuestionLink(earlier=["lead.example"], later=["lead.role-model"], change="renamed"),
        QuestionLink(
            earlier=["lead.feedback"],
            later=["lead.feedback-read", "lead.feedback-act"],
            change="split",
        ),
    ]
    assert lead.left_out == [
        LeftOutQuestion(
            question="lead.budget",
            side="earlier",
            reason="dropped",
            note="Budgets are set per department now.",
        )
    ]
    # The dropped question does count in 2024's own score: r1 (2+4+3+1)/4 = 2.5,
    # r2 (4+1+1+2)/4 = 2.0, mean 2.25; so 3.24 - 2.25 would not be like for like.
    assert comparison.series("lead") == [2.25, 3.24]

    # Listening, two questions merged into one: 2024 r1 (2*2 + 3) / 3, r2 (4*2 + 5) / 3,
    # mean 20/6 = 3.33; 2025 (4 + 3 + 5) / 3 = 4.0.
    listen = step.change("listen")
    assert listen is not None
    assert (listen.earlier, listen.later, listen.change) == (3.33, 4.0, 0.67)
    assert listen.complete
    assert listen.questions == [
        QuestionLink(
            earlier=["listen.survey", "listen.channels"], later=["listen.collect"], change="merged"
        )
    ]

    # Acting shares no question: both 2024 questions dropped, the 2025 one is new.
    assert step.change("act") is None
    acting = step.not_compared_reason("act")
    assert acting is not None
    assert acting.reason == "no_corresponding_questions"
    assert [(q.question, q.side, q.reason) for q in acting.left_out] == [
        ("act.fix", "earlier", "dropped"),
        ("act.root", "earlier", "dropped"),
        ("act.followup", "later", "not_in_earlier"),
    ]

    # Overall like for like over lead (weight 2) and listen:
    # (2.5*2 + 3.33) / 3 = 2.78 -> (3.24*2 + 4.0) / 3 = 3.49.
    assert step.overall is not None
    assert step.overall.dimensions == ["lead", "listen"]
    assert (step.overall.earlier, step.overall.later, step.overall.change) == (2.78, 3.49, 0.71)
    assert not step.overall.complete
    # Each assessment keeps its own overall phase.
    assert [a.overall.phase.id for a in comparison.assessments] == ["collect", "analyse"]
    assert step.notes == []
    assert comparison.notes == []


def test_three_assessments_step_by_step_and_first_to_last(tmp_path: Path) -> None:
    later = assessment_folder(
        tmp_path / "acme-2026",
        SURVEY_V2,
        [
            {
                "lead.vision": 2,
                "lead.role-model": 1,
                "lead.feedback-read": 2,
                "lead.feedback-act": 1,
                "listen.collect": 2,
                "act.followup": 2,
            }
        ],
        date="2026-03-01",
    )
    comparison = compare([later, ACME_2024, ACME_2025])
    assert [a.date.year for a in comparison.assessments] == [2024, 2025, 2026]
    assert [(s.earlier, s.later) for s in comparison.steps] == [(0, 1), (1, 2)]
    second = comparison.steps[1]
    # Same questionnaire: every dimension compared on all questions.
    # lead (2 + 1 + 2 + 1) / 4 = 1.5; listen 2; act 2.
    assert [(c.id, c.earlier, c.later, c.change, c.complete) for c in second.dimensions] == [
        ("lead", 3.24, 1.5, -1.74, True),
        ("listen", 4.0, 2.0, -2.0, True),
        ("act", 3.0, 2.0, -1.0, True),
    ]
    assert second.not_compared == []
    assert second.overall is not None
    # (3.24*2 + 4 + 3) / 4 = 3.37 -> (1.5*2 + 2 + 2) / 4 = 1.75
    assert (second.overall.earlier, second.overall.later) == (3.37, 1.75)
    assert second.overall.direction == "down"
    assert second.overall.complete
    span = comparison.span
    assert (span.earlier, span.later) == (0, 2)
    assert [(c.id, c.earlier, c.later, c.change) for c in span.dimensions] == [
        ("lead", 2.5, 1.5, -1.0),
        ("listen", 3.33, 2.0, -1.33),
    ]
    assert [d.id for d in span.not_compared] == ["act"]


def test_quick_scan_compares_with_the_full_questionnaire_on_shared_questions(
    tmp_path: Path,
) -> None:
    quick = assessment_folder(
        tmp_path / "quick",
        QUICK,
        [
            {"lead.vision": 4, "listen.collect": 4, "act.followup": 3},
            {"lead.vision": 5, "listen.collect": 2, "act.followup": 3},
        ],
        date="2025-06-01",
    )
    comparison = compare([ACME_2025, quick])
    step = comparison.steps[0]
    assert step.notes == ["different_questionnaires"]
    # lead only on lead.vision: 2025 (3 + 4) / 2 = 3.5 (r3 said unknown); quick 4.5.
    lead = step.change("lead")
    assert lead is not None
    assert (lead.earlier, lead.later, lead.change, lead.complete) == (3.5, 4.5, 1.0, False)
    assert {(q.question, q.side, q.reason) for q in lead.left_out} == {
        ("lead.role-model", "earlier", "not_in_later"),
        ("lead.feedback-read", "earlier", "not_in_later"),
        ("lead.feedback-act", "earlier", "not_in_later"),
    }
    assert [(c.id, c.earlier, c.later, c.direction) for c in step.dimensions[1:]] == [
        ("listen", 4.0, 3.0, "down"),
        ("act", 3.0, 3.0, "same"),
    ]
    # (3.5*2 + 4 + 3) / 4 = 3.5 -> (4.5*2 + 3 + 3) / 4 = 3.75
    assert step.overall is not None
    assert (step.overall.earlier, step.overall.later, step.overall.change) == (3.5, 3.75, 0.25)


@pytest.mark.parametrize("version", [1, 2])
def test_shipped_quick_scan_against_shipped_intake(tmp_path: Path, version: int) -> None:
    from klantladder.loading import load_questionnaire, shipped_questionnaire_file

    intake = load_questionnaire("intake", "nl", version)
    quick = load_questionnaire("quickscan", "nl", version)
    folders = []
    for name, questionnaire, date in (
        ("intake", intake, "2025-01-10"),
        ("quick", quick, "2025-09-10"),
    ):
        answers = {q.id: 3 for q in questionnaire.scored_questions if q.when is None}
        folder = tmp_path / name
        path = shipped_questionnaire_file(questionnaire.id, "nl", version)
        folders.append(assessment_folder(folder, path, [answers], date=date))
    step = compare(folders).steps[0]
    assert step.notes == ["different_questionnaires"]
    shared = {q.dimension for q in quick.scored_questions} & {
        q.dimension for q in intake.scored_questions
    }
    assert {c.id for c in step.dimensions} == shared
    assert all(c.change == 0 for c in step.dimensions)
    assert not any(q.reason == "changed_scale" for c in step.dimensions for q in c.left_out)


def test_a_dimension_measured_in_one_assessment_only(tmp_path: Path) -> None:
    def add_culture(data: dict[str, Any]) -> None:
        data["version"] = 2
        data["dimensions"].append(
            {
                "id": "culture",
                "title": "Culture",
                "description": "Shared values.",
                "next_steps": {1: "c1", 2: "c2", 3: "c3", 4: "c4"},
            }
        )

    method = method_variant(tmp_path / "method-v2.yaml", add_culture)

    def ask_culture(data: dict[str, Any]) -> None:
        next_version(data, 3)
        data["questions"].append(
            {
                "id": "culture.values",
                "kind": "likert",
                "dimension": "culture",
                "text": "We share customer values.",
                "evidences_level": 5,
            }
        )

    v3 = questionnaire_variant(tmp_path / "survey-v3.yaml", SURVEY_V2, ask_culture, method=method)
    later = assessment_folder(
        tmp_path / "acme-2026", v3, [{**V2_ANSWERS, "culture.values": 5}], date="2026-03-01"
    )
    comparison = compare([ACME_2025, later])
    step = comparison.steps[0]
    culture = step.not_compared_reason("culture")
    assert culture is not None
    assert culture.reason == "not_in_earlier"
    assert [(q.question, q.reason) for q in culture.left_out] == [
        ("culture.values", "not_in_earlier")
    ]
    assert [c.id for c in step.dimensions] == ["lead", "listen", "act"]
    assert step.overall is not None
    assert not step.overall.complete
    assert comparison.series("culture") == [None, 5.0]


def test_different_thresholds_still_compare_scores_each_with_its_own_phase(
    tmp_path: Path,
) -> None:
    # Thresholds turn scores into phases, not answers into scores: the change in
    # score is like for like, and each assessment is placed by its own thresholds.
    def stricter(data: dict[str, Any]) -> None:
        data["version"] = 2
        data["scoring"]["thresholds"].update(collect=2.0, analyse=3.0)

    method = method_variant(tmp_path / "method-v2.yaml", stricter)
    v3 = questionnaire_variant(
        tmp_path / "survey-v3.yaml", SURVEY_V2, lambda data: next_version(data, 3), method=method
    )
    later = assessment_folder(tmp_path / "acme-2026", v3, [V2_ANSWERS], date="2026-03-01")
    comparison = compare([ACME_2025, later])
    step = comparison.steps[0]
    assert step.not_compared == []
    lead = step.change("lead")
    assert lead is not None
    # 2025: 3.24 (see above). 2026: one respondent answering 3 everywhere:
    # lead (3 + 2.5 [likert of level 4] + 3 + 3 [likert of level 5]) / 4 = 2.875 -> 2.88.
    assert (lead.earlier, lead.later, lead.change) == (3.24, 2.88, -0.36)
    # Overall (2.88*2 + 3 + 3) / 4 = 2.94: analyse by 2.6, but collect by the stricter
    # 3.0, and each assessment keeps the phase its own thresholds give.
    earlier, later_summary = comparison.assessments
    assert later_summary.overall.score == 2.94
    assert later_summary.overall.phase.id == "collect"
    assert earlier.overall.phase.id == "analyse"


def test_different_agreement_fractions_compare_no_dimension(tmp_path: Path) -> None:
    def steeper(data: dict[str, Any]) -> None:
        data["version"] = 2
        data["scoring"]["likert_fraction"] = {1: 0.0, 2: 0.1, 3: 0.4, 4: 0.7, 5: 1.0}

    method = method_variant(tmp_path / "method-v2.yaml", steeper)
    v3 = questionnaire_variant(
        tmp_path / "survey-v3.yaml", SURVEY_V2, lambda data: next_version(data, 3), method=method
    )
    later = assessment_folder(tmp_path / "acme-2026", v3, [V2_ANSWERS], date="2026-03-01")
    step = compare([ACME_2025, later]).steps[0]
    assert step.dimensions == []
    assert [(d.id, d.reason) for d in step.not_compared] == [
        ("lead", "scoring_differs"),
        ("listen", "scoring_differs"),
        ("act", "scoring_differs"),
    ]
    assert step.overall is None


def test_same_id_with_another_scale_is_never_paired(tmp_path: Path) -> None:
    def likert_vision(data: dict[str, Any]) -> None:
        data["id"] = "quick2"
        vision = question(data, "lead.vision")
        vision.update(kind="likert", evidences_level=5)
        del vision["statements"]

    other = questionnaire_variant(tmp_path / "quick2.yaml", QUICK, likert_vision)
    later = assessment_folder(
        tmp_path / "quick",
        other,
        [{"lead.vision": 5, "listen.collect": 3, "act.followup": 3}],
        date="2025-06-01",
    )
    step = compare([ACME_2025, later]).steps[0]
    lead = step.not_compared_reason("lead")
    assert lead is not None
    assert lead.reason == "no_corresponding_questions"
    assert ("lead.vision", "earlier", "changed_scale") in [
        (q.question, q.side, q.reason) for q in lead.left_out
    ]
    assert ("lead.vision", "later", "changed_scale") in [
        (q.question, q.side, q.reason) for q in lead.left_out
    ]


def test_a_question_that_moves_to_another_dimension_is_left_out(tmp_path: Path) -> None:
    def move(data: dict[str, Any]) -> None:
        next_version(data, 3)
        role_model = question(data, "lead.role-model")
        role_model["dimension"] = "act"
        role_model["replaces"] = {"questions": ["lead.role-model"], "change": "reworded"}

    v3 = questionnaire_variant(tmp_path / "survey-v3.yaml", SURVEY_V2, move)
    later = assessment_folder(tmp_path / "acme-2026", v3, [V2_ANSWERS], date="2026-03-01")
    step = compare([ACME_2025, later]).steps[0]
    lead, act = step.change("lead"), step.change("act")
    assert lead is not None and act is not None
    assert [(q.question, q.side, q.reason) for q in lead.left_out] == [
        ("lead.role-model", "earlier", "changed_dimension")
    ]
    assert [(q.question, q.side, q.reason) for q in act.left_out] == [
        ("lead.role-model", "later", "changed_dimension")
    ]


def test_declarations_against_another_version_are_not_applied(tmp_path: Path) -> None:
    def v3(data: dict[str, Any]) -> None:
        data["version"] = 3
        data["previous_version"] = 2

    later = assessment_folder(
        tmp_path / "acme-2026",
        questionnaire_variant(tmp_path / "survey-v3.yaml", SURVEY_V2, v3),
        [V2_ANSWERS],
        date="2026-03-01",
    )
    step = compare([ACME_2024, later]).steps[0]
    assert step.notes == ["changes_not_applied"]
    lead = step.change("lead")
    assert lead is not None
    # v3's 'renamed from lead.example' refers to v2, not v1: paired by id only.
    assert lead.questions == [
        QuestionLink(earlier=["lead.vision"], later=["lead.vision"], change="same")
    ]
    assert step.not_compared_reason("listen") is not None


def test_declared_ids_are_checked_against_the_older_version(tmp_path: Path) -> None:
    def wrong(data: dict[str, Any]) -> None:
        question(data, "lead.role-model")["replaces"]["questions"] = ["lead.exampel"]
        data["dropped"][0]["id"] = "lead.budgett"
        question(data, "listen.collect")["replaces"]["questions"] = ["listen.survey", "dept"]
        data["questions"] = [q for q in data["questions"] if q["id"] != "dept"]

    v2 = questionnaire_variant(tmp_path / "survey-v2.yaml", SURVEY_V2, wrong)
    later = assessment_folder(tmp_path / "acme-2025", v2, [V2_ANSWERS], date="2025-03-01")
    with pytest.raises(InputError) as caught:
        compare([ACME_2024, later])
    lines = str(caught.value).splitlines()
    text = v2.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    for line in lines:
        name, row, column, _ = line.split(":", 3)
        assert name == str(v2)
        assert int(row) > 0 and int(column) > 0
    assert "survey version 1 has no question 'lead.exampel'" in lines[0]
    assert "lead.exampel" in text[int(lines[0].split(":")[1]) - 1]
    assert "'dept' is not a scored question in survey version 1" in str(caught.value)
    assert "survey version 1 has no question 'lead.budgett'" in str(caught.value)


def test_notes_for_other_organisations_and_equal_dates(tmp_path: Path) -> None:
    other = assessment_folder(
        tmp_path / "other", SURVEY_V2, [V2_ANSWERS], date="2025-03-01", organisation="Other BV"
    )
    comparison = compare([ACME_2025, other])
    assert comparison.notes == ["different_organisations", "same_date"]
    assert [a.organisation for a in comparison.assessments] == ["Acme", "Other BV"]


def test_nobody_answered_the_corresponding_questions(tmp_path: Path) -> None:
    later = assessment_folder(
        tmp_path / "quick",
        QUICK,
        [{"lead.vision": "unknown", "listen.collect": 3, "act.followup": 3}],
        date="2025-06-01",
    )
    step = compare([ACME_2025, later]).steps[0]
    lead = step.not_compared_reason("lead")
    assert lead is not None
    assert lead.reason == "no_answers_later"


def test_loaded_folders_compare_the_same_and_series_for_a_chart() -> None:
    folders = [load_assessment(ACME_2025), load_assessment(ACME_2024)]
    comparison = compare_assessments(folders)
    assert comparison == compare([ACME_2025, ACME_2024])
    assert [str(day) for day in comparison.dates] == ["2024-03-01", "2025-03-01"]
    assert comparison.overall_series == [2.58, 3.37]
    assert comparison.dimension_ids == ["lead", "listen", "act"]
    assert comparison.series("act") == [2.5, 3.0]


def test_json_round_trip() -> None:
    comparison = compare([ACME_2024, ACME_2025])
    assert Comparison.model_validate_json(comparison.model_dump_json()) == comparison


def test_problems_of_every_folder_at_once(tmp_path: Path) -> None:
    empty = assessment_folder(tmp_path / "empty", SURVEY_V2, [], date="2025-03-01")
    with pytest.raises(InputError) as caught:
        compare([tmp_path / "missing", empty, ACME_2024])
    files = [problem.file for problem in caught.value.problems]
    assert files == [str(empty / "responses"), str(tmp_path / "missing")]
    assert caught.value.problems[1].message == "no such assessment folder"


def test_different_methods_do_not_compare(tmp_path: Path) -> None:
    method = method_variant(tmp_path / "other-method.yaml", lambda data: data.update(id="other"))
    other = questionnaire_variant(tmp_path / "other.yaml", QUICK, lambda _: None, method=method)
    later = assessment_folder(
        tmp_path / "later",
        other,
        [{"lead.vision": 3, "listen.collect": 3, "act.followup": 3}],
        date="2026-01-01",
    )
    with pytest.raises(InputError, match="scores of different methods do not compare"):
        compare([ACME_2025, later])


def test_fewer_than_two_folders_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="two or more"):
        compare([ACME_2024])


def test_comparison_survives_the_older_questionnaire_being_later(tmp_path: Path) -> None:
    # An organisation that went back to version 1: declarations read from v2 still apply.
    back = assessment_folder(
        tmp_path / "back",
        SURVEY_V1,
        [
            {
                "lead.vision": 3,
                "lead.example": 3,
                "lead.feedback": 3,
                "listen.survey": 3,
                "listen.channels": 3,
                "act.fix": 3,
            }
        ],
        date="2026-03-01",
    )
    step = compare([ACME_2025, back]).steps[0]
    lead = step.change("lead")
    assert lead is not None
    assert (
        QuestionLink(earlier=["lead.role-model"], later=["lead.example"], change="renamed")
        in lead.questions
    )
    assert [(q.question, q.side, q.reason) for q in lead.left_out] == [
        ("lead.budget", "later", "dropped")
    ]


def crowd(level: int, spread: tuple[int, ...]) -> list[dict[str, Any]]:
    """Respondents answering every version-2 question at ``level`` plus a small offset."""
    return [{key: max(1, min(5, level + offset)) for key in V2_ANSWERS} for offset in spread]


def test_a_change_counts_only_when_larger_than_both_margins(tmp_path: Path) -> None:
    spread = (-1, 0, 0, 1, 0, -1, 1, 0)
    earlier = assessment_folder(tmp_path / "a", SURVEY_V2, crowd(2, spread), date="2024-03-01")
    later = assessment_folder(tmp_path / "b", SURVEY_V2, crowd(4, spread), date="2025-03-01")
    step = compare([earlier, later]).span
    listen = step.change("listen")
    assert listen is not None and listen.change == 2.0
    # each side: sd 0.756 over 8 respondents, t(7) = 2.365: margin 0.632; combined 0.894
    assert listen.margin == 0.89 and listen.meaningful
    assert step.overall is not None and step.overall.meaningful
    same = assessment_folder(
        tmp_path / "c", SURVEY_V2, crowd(2, (0, 0, 1, 0, -1, 1, 0, 0)), date="2025-03-01"
    )
    step = compare([earlier, same]).span
    listen = step.change("listen")
    assert listen is not None and 0 < listen.change < (listen.margin or 0)
    assert not listen.meaningful
    assert step.overall is not None and not step.overall.meaningful


def test_without_a_margin_no_change_is_called_meaningful(tmp_path: Path) -> None:
    earlier = assessment_folder(tmp_path / "a", SURVEY_V2, [V2_ANSWERS], date="2024-03-01")
    high = {key: 5 for key in V2_ANSWERS}
    later = assessment_folder(tmp_path / "b", SURVEY_V2, [high] * 5, date="2025-03-01")
    step = compare([earlier, later]).span
    assert all(c.margin is None and not c.meaningful for c in step.dimensions)
    assert step.overall is not None and step.overall.margin is None
