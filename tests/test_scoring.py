"""The scoring engine on hand-made cases whose outcome we know."""

from __future__ import annotations

import pytest
from helpers import response

from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import Questionnaire
from klantladder.scoring import answer_level, phase_for, respondent_scores, score


def test_likert_answer_earns_a_share_of_the_way_to_its_level(mini: Questionnaire) -> None:
    question = mini.question("lead.2")  # evidences level 4
    method = mini.content
    assert [answer_level(question, a, method) for a in (1, 2, 3, 4, 5)] == [
        1.0,
        1.75,
        2.5,
        3.25,
        4.0,
    ]
    assert answer_level(question, UNKNOWN, method) is None


def test_respondent_score_is_the_weighted_mean_per_dimension(mini: Questionnaire) -> None:
    scores = respondent_scores(mini, response("a", {"lead.1": 5, "lead.2": 1, "listen.1": 2}))
    assert scores == {"lead": 3.0, "listen": 2.0}


@pytest.mark.parametrize(
    ("value", "phase"),
    [
        (1.0, "ignore"),
        (1.79, "ignore"),
        (1.8, "collect"),
        (2.6, "analyse"),
        (3.39, "analyse"),
        (3.4, "cooperate"),
        (4.2, "transform"),
        (5.0, "transform"),
    ],
)
def test_thresholds(mini: Questionnaire, value: float, phase: str) -> None:
    assert phase_for(mini.content, value).id == phase


def test_weakest_rung_caps_the_overall_phase(mini: Questionnaire) -> None:
    strong = {"lead.1": 5, "lead.2": 5, "listen.1": 5, "act.1": 1, "act.2": 1}
    result = score(mini, [response(f"r{i}", strong) for i in range(3)])
    assert result.dimension("act").phase is not None
    assert result.dimension("act").phase.id == "ignore"
    # lead (5 + 4) / 2 = 4.5 weighs double: (4.5 * 2 + 5 + 1) / 4 = 3.75 -> cooperate;
    # but act sits on rung 1
    assert result.overall.score == 3.75
    assert result.overall.mean_phase.id == "cooperate"
    assert result.overall.phase.id == "collect"
    assert result.overall.capped
    assert result.overall.weakest == ["act"]
    # three identical respondents: the interval has no width
    assert result.explanation[0] == "Mean 3.75 (3.75 to 3.75) is Cooperate."
    assert result.explanation[1] == "In Collect because Acting is in Ignore (one phase)."
    assert result.explanation[2] == "Acting (1.00, Ignore) holds back."
    # the mean (3.75) is past Analyse already: the road runs through Acting alone
    assert result.explanation[3] == "Acting lifts to Analyse, 0.80 short of 1.80."
    road = result.overall.road
    assert road is not None and road.target.id == "analyse" and road.mean is None
    assert [(c.dimension, c.phase.id, c.threshold, c.gap) for c in road.dimensions] == [
        ("act", "collect", 1.8, 0.8)
    ]
    assert [f.dimension for f in result.focus] == ["act"]  # the others are at the top
    assert result.explanation[4] == "Focus: Acting, lowest rung Ignore."


def test_focus_prefers_lowest_rung_then_closest_to_next_threshold(mini: Questionnaire) -> None:
    answers = {"lead.1": 3, "lead.2": UNKNOWN, "listen.1": 2, "act.1": 2, "act.2": 5}
    result = score(mini, [response("a", answers)])
    # listen 2.0 (collect, gap 0.6), act (2 + 3) / 2 = 2.5 (collect, gap 0.1), lead 3 (analyse)
    assert [f.dimension for f in result.focus] == ["act", "listen"]
    assert result.focus[0].next_phase is not None
    assert result.focus[0].next_phase.id == "analyse"


def test_segments_gaps_and_suppression(mini: Questionnaire) -> None:
    people = (
        [{"role": "management", "dept": "service", "lead.1": 5, "listen.1": 4, "act.1": 4}] * 3
        + [{"role": "staff", "dept": "service", "lead.1": 2, "listen.1": 2, "act.1": 3}] * 4
        + [{"role": "staff", "dept": "it", "lead.1": 1, "listen.1": 1, "act.1": 1}] * 2
    )
    result = score(mini, [response(f"r{i}", a) for i, a in enumerate(people)])
    roles = next(g for g in result.segments if g.question == "role")
    assert [(s.option, s.n) for s in roles.segments] == [("management", 3), ("staff", 6)]
    departments = next(g for g in result.segments if g.question == "dept")
    # it (2) is too small; service (7) would give it away as 9 - 7, so it goes too
    assert departments.segments == []
    assert (departments.suppressed_groups, departments.complementary) == (2, 1)
    top = result.gaps[0]
    assert (top.question, top.dimension, top.high, top.low) == (
        "role",
        "lead",
        "management",
        "staff",
    )
    assert top.difference == round(5 - (2 * 4 + 1 * 2) / 6, 2)
    assert all(g.high != "it" and g.low != "it" for g in result.gaps)


def test_disagreement_lists_questions_with_the_widest_spread(mini: Questionnaire) -> None:
    people = [
        {"lead.1": 1, "listen.1": 3},
        {"lead.1": 5, "listen.1": 3},
        {"lead.1": 3, "listen.1": 4},
    ]
    result = score(mini, [response(f"r{i}", a) for i, a in enumerate(people)])
    assert [d.question for d in result.disagreement] == ["lead.1", "listen.1"]
    assert result.disagreement[0].counts == {1: 1, 2: 0, 3: 1, 4: 0, 5: 1}
    assert result.disagreement[0].sd == 2.0


def test_unknown_answers_are_counted_and_excluded(mini: Questionnaire) -> None:
    result = score(
        mini,
        [
            response("a", {"lead.1": 3, "lead.2": UNKNOWN, "act.1": UNKNOWN}),
            response("b", {"dept": "it"}),
        ],
    )
    assert result.exclusions.unknown_answers == 2
    assert result.exclusions.respondents_without_score == 1
    assert result.dimension("lead").n == 1
    assert result.dimension("lead").unknown == 1
    assert result.dimension("act").mean is None


def test_no_scored_answer_at_all_is_an_error(mini: Questionnaire) -> None:
    with pytest.raises(ValueError, match="no response has a scored answer"):
        score(mini, [response("a", {"dept": "it"})])


def test_result_round_trips_through_json(mini: Questionnaire) -> None:
    from klantladder.models.result import ScoreResult

    result = score(mini, [response("a", {"lead.1": 3, "listen.1": 2, "act.1": 4})])
    assert ScoreResult.model_validate_json(result.model_dump_json()) == result
    assert result.format == 2
