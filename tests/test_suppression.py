"""Complementary suppression: no small group follows from the shown figures by subtraction.

A reader knows the number of respondents, each dimension's n and mean, and every
shown group's n and means. For a single-choice question the groups do not
overlap, so the people in no shown group follow as the total minus the shown
groups; for a multiple choice the people outside each shown group follow. None
of these derivable sets may hold fewer than the minimum group size (and more
than nobody), for the counts and for every dimension's means.
"""

from __future__ import annotations

import json
from typing import Any

from helpers import MINI, make_folder, response
from hypothesis import given, settings
from hypothesis import strategies as st

from klantladder.folder import load_assessment
from klantladder.loading import load_questionnaire
from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import ProfileQuestion
from klantladder.models.result import ScoreResult
from klantladder.report.context import _profile_counts, _tallies
from klantladder.scoring import score

MINI_Q = load_questionnaire(MINI)
MINIMUM = MINI_Q.content.scoring.min_group_size
SCORED = [q.id for q in MINI_Q.scored_questions]
DIMENSION_OF = {q.id: q.dimension for q in MINI_Q.scored_questions}


@st.composite
def respondent(draw: st.DrawFn) -> dict[str, Any]:
    answers: dict[str, Any] = {
        q: draw(st.integers(1, 5)) for q in SCORED if draw(st.integers(0, 5)) > 0
    }
    if not answers:
        answers["listen.1"] = draw(st.integers(1, 5))
    dept = draw(st.sampled_from(["service", "service", "sales", "it", None]))
    if dept is not None:
        answers["dept"] = dept
    role = draw(st.sampled_from(["staff", "staff", "management", UNKNOWN, None]))
    if role is not None:
        answers["role"] = role
    channels = draw(st.lists(st.sampled_from(["phone", "phone", "chat"]), unique=True))
    if channels:
        answers["channels"] = channels
    return answers


def members(answer_list: list[dict[str, Any]], question: str, option: str) -> set[int]:
    found = set()
    for index, answers in enumerate(answer_list):
        value = answers.get(question)
        if value == option or (isinstance(value, list) and option in value):
            found.add(index)
    return found


def answered(answer_list: list[dict[str, Any]], dimension: str) -> set[int]:
    return {
        index
        for index, answers in enumerate(answer_list)
        if any(DIMENSION_OF[q] == dimension for q in answers if q in DIMENSION_OF)
    }


def exposed(people: set[int]) -> bool:
    return 0 < len(people) < MINIMUM


def derivable(
    question: ProfileQuestion, everyone: set[int], shown: dict[str, set[int]]
) -> list[set[int]]:
    """Sets that follow by subtraction; the total itself is published anyway, so with
    nothing shown nothing follows."""
    if not shown:
        return []
    if question.multiple:
        return [everyone - chosen for chosen in shown.values()]
    rest = set(everyone)
    for chosen in shown.values():
        rest -= chosen
    return [rest]


def check(result: ScoreResult, answer_list: list[dict[str, Any]]) -> None:
    everyone = set(range(len(answer_list)))
    dimensions = [d.id for d in MINI_Q.content.dimensions]
    for group in result.segments:
        question = MINI_Q.question(group.question)
        assert isinstance(question, ProfileQuestion)
        groups = {o.id: members(answer_list, question.id, o.id) for o in question.options}
        shown = {s.option: groups[s.option] for s in group.segments}
        for segment in group.segments:
            assert segment.n == len(groups[segment.option]) >= MINIMUM
        hidden = [o for o, chosen in groups.items() if chosen and o not in shown]
        assert group.suppressed_groups == len(hidden)
        # counts: nothing small follows from the total and the shown counts
        for rest in derivable(question, everyone, shown):
            assert not exposed(rest), (question.id, rest)
        if not question.multiple and shown:
            derived_n = len(answer_list) - sum(s.n for s in group.segments)
            for option in hidden:
                small = groups[option]
                assert not (exposed(small) and derived_n == len(small)), option
        # means: per dimension, over the people who answered it
        for dimension in dimensions:
            base = answered(answer_list, dimension)
            with_mean = {
                s.option: shown[s.option] & base
                for s in group.segments
                if s.dimensions.get(dimension) is not None
            }
            for chosen in with_mean.values():
                assert len(chosen) >= MINIMUM
            for rest in derivable(question, base, with_mean):
                assert not exposed(rest), (question.id, dimension, rest)
            for option in hidden:
                small = groups[option] & base
                assert not any(
                    small and rest == small for rest in derivable(question, base, with_mean)
                )
        for segment in group.segments:
            if segment.suppressed_dimensions:
                assert segment.overall is None
            for dimension in segment.suppressed_dimensions:
                assert segment.dimensions[dimension] is None


@given(answer_list=st.lists(respondent(), min_size=1, max_size=25))
@settings(max_examples=300, deadline=None)
def test_no_small_group_follows_by_subtraction(answer_list: list[dict[str, Any]]) -> None:
    result = score(MINI_Q, [response(f"r{i:03d}", a) for i, a in enumerate(answer_list)])
    check(result, answer_list)
    # nothing of a hidden group appears anywhere in the result
    text = json.dumps(json.loads(result.model_dump_json()))
    for group in result.segments:
        question = MINI_Q.question(group.question)
        assert isinstance(question, ProfileQuestion)
        shown = {s.option for s in group.segments}
        for option in question.options:
            if option.id not in shown and members(answer_list, question.id, option.id):
                assert f'"option": "{option.id}"' not in text


def test_the_issue_case_one_group_suppressed() -> None:
    """'Anders < 3' while the others add up to all but it: the next smallest goes too."""
    answers = (
        [{"dept": "service", "listen.1": 3}] * 10
        + [{"dept": "sales", "listen.1": 4}] * 4
        + [{"dept": "it", "listen.1": 1}] * 1
    )
    result = score(MINI_Q, [response(f"r{i}", a) for i, a in enumerate(answers)])
    departments = next(g for g in result.segments if g.question == "dept")
    assert [s.option for s in departments.segments] == ["service"]
    assert (departments.suppressed_groups, departments.complementary) == (2, 1)
    check(result, answers)


def test_a_group_mean_over_too_few_answers_is_hidden_with_its_overall() -> None:
    answers = [{"dept": "service", "listen.1": 3, "lead.1": 2} for _ in range(4)] + [
        {"dept": "sales", "listen.1": 4, "lead.1": 5} for _ in range(4)
    ]
    answers[4] = {"dept": "sales", "listen.1": 4}  # two of the sales people answered lead
    answers[5] = {"dept": "sales", "listen.1": 4}
    result = score(MINI_Q, [response(f"r{i}", a) for i, a in enumerate(answers)])
    departments = next(g for g in result.segments if g.question == "dept")
    sales = next(s for s in departments.segments if s.option == "sales")
    assert sales.suppressed_dimensions == ["lead"]
    assert sales.dimensions["lead"] is None and sales.overall is None
    # and so service's lead mean goes too: lead's n minus service would be the two
    service = next(s for s in departments.segments if s.option == "service")
    assert service.dimensions["lead"] is None
    check(result, answers)


def test_a_multiple_choice_option_nearly_everyone_chose_is_not_shown() -> None:
    answers = [{"channels": ["phone"], "listen.1": 3} for _ in range(9)] + [
        {"channels": ["chat"], "listen.1": 2}
    ]
    result = score(MINI_Q, [response(f"r{i}", a) for i, a in enumerate(answers)])
    channels = next(g for g in result.segments if g.question == "channels")
    assert channels.segments == []  # phone would give away the one who did not choose it
    check(result, answers)


def test_the_answers_appendix_counts_only_what_the_segments_show(tmp_path: Any) -> None:
    answers = [{"dept": "service", "listen.1": 3}] * 10 + [{"dept": "sales", "listen.1": 4}] * 4
    answers += [{"dept": "it", "listen.1": 1}]
    folder = load_assessment(make_folder(tmp_path, answers))
    tables = _profile_counts(folder, folder.score(), "en", _tallies(folder))
    departments = next(t for t in tables if t["question"] == "Department")
    assert [(r["label"], r["count"]) for r in departments["rows"]] == [
        ("Service", 10),
        ("Sales", None),
        ("IT", None),
    ]


def test_no_zero_beside_a_hidden_group_in_the_answers_appendix(tmp_path: Any) -> None:
    """Nobody chose IT; a 0 there would tell that the one hidden person is in Sales."""
    answers = [{"dept": "service", "listen.1": 3}] * 10 + [{"dept": "sales", "listen.1": 4}]
    folder = load_assessment(make_folder(tmp_path, answers))
    tables = _profile_counts(folder, folder.score(), "en", _tallies(folder))
    departments = next(t for t in tables if t["question"] == "Department")
    counts = dict((r["label"], r["count"]) for r in departments["rows"])
    assert counts["Sales"] is None and counts["IT"] is None
    assert 0 not in counts.values()
