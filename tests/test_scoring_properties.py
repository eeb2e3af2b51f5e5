"""Properties of the scoring engine, checked with hypothesis on the mini questionnaire."""

from __future__ import annotations

import json
from typing import Any

from helpers import MINI, response
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from klantladder.loading import load_questionnaire
from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import LadderQuestion
from klantladder.models.result import ScoreResult
from klantladder.scoring import score

MINI_Q = load_questionnaire(MINI)
SCORED = [q.id for q in MINI_Q.scored_questions]
MINIMUM = MINI_Q.content.scoring.min_group_size

answer = st.one_of(st.integers(1, 5), st.just(UNKNOWN), st.none())


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question_id in SCORED:
        value = draw(answer)
        if value is not None:
            answers[question_id] = value
    answers["dept"] = draw(st.sampled_from(["service", "sales", "it"]))
    answers["role"] = draw(st.sampled_from(["management", "staff", UNKNOWN]))
    channels = draw(st.lists(st.sampled_from(["phone", "chat"]), unique=True))
    if channels:
        answers["channels"] = channels
    return answers


respondents = st.lists(answer_sets(), min_size=1, max_size=14)


def scored(answer_list: list[dict[str, Any]]) -> ScoreResult | None:
    responses = [response(f"r{i:03d}", a) for i, a in enumerate(answer_list)]
    try:
        return score(MINI_Q, responses)
    except ValueError:
        return None  # nobody answered a scored question


def all_scores(result: ScoreResult) -> dict[str, float | None]:
    """Every score in a result, by a stable name."""
    values: dict[str, float | None] = {"overall": result.overall.score}
    for dimension in result.dimensions:
        values[f"dim:{dimension.id}"] = dimension.mean
    for group in result.segments:
        for segment in group.segments:
            values[f"seg:{group.question}:{segment.option}"] = segment.overall
            for dimension_id, value in segment.dimensions.items():
                values[f"seg:{group.question}:{segment.option}:{dimension_id}"] = value
    return values


@given(level=st.integers(1, 5), count=st.integers(1, 8))
def test_all_answers_at_level_k_give_phase_k(level: int, count: int) -> None:
    answers = {
        q.id: (level if isinstance(q, LadderQuestion) else UNKNOWN) for q in MINI_Q.scored_questions
    }
    result = scored([answers] * count)
    assert result is not None
    assert {d.phase.level for d in result.dimensions if d.phase} == {level}
    assert result.overall.phase.level == level
    assert result.overall.score == level


@given(answer_list=respondents, data=st.data())
@settings(max_examples=150)
def test_raising_one_answer_never_lowers_any_score(
    answer_list: list[dict[str, Any]], data: st.DataObject
) -> None:
    raisable = [
        (i, q)
        for i, answers in enumerate(answer_list)
        for q in SCORED
        if isinstance(answers.get(q), int) and answers[q] < 5
    ]
    assume(raisable)
    index, question_id = data.draw(st.sampled_from(raisable))
    before = scored(answer_list)
    raised = [dict(a) for a in answer_list]
    raised[index][question_id] += 1
    after = scored(raised)
    assert before is not None and after is not None
    old, new = all_scores(before), all_scores(after)
    assert old.keys() == new.keys()
    for name, value in old.items():
        if value is not None:
            assert new[name] is not None and new[name] >= value, name
    assert after.overall.phase.level >= before.overall.phase.level


@given(answer_list=respondents, data=st.data())
def test_respondent_order_does_not_change_the_result(
    answer_list: list[dict[str, Any]], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(list(range(len(answer_list)))))
    first = [response(f"r{i:03d}", a) for i, a in enumerate(answer_list)]
    second = [first[i] for i in shuffled]
    try:
        expected = score(MINI_Q, first)
    except ValueError:
        return
    assert score(MINI_Q, second) == expected


@given(answer_list=respondents, data=st.data())
def test_dont_know_answers_do_not_change_the_other_scores(
    answer_list: list[dict[str, Any]], data: st.DataObject
) -> None:
    with_unknown = []
    for answers in answer_list:
        extended = dict(answers)
        for question_id in SCORED:
            if question_id not in extended and data.draw(st.booleans()):
                extended[question_id] = UNKNOWN
        with_unknown.append(extended)
    before, after = scored(answer_list), scored(with_unknown)
    if before is None:
        assert after is None
        return
    assert after is not None
    assert all_scores(after) == all_scores(before)
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert (old.mean, old.sd, old.n, old.phase) == (new.mean, new.sd, new.n, new.phase)
        assert new.unknown >= old.unknown


def _strings(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(map(str, value)) | {s for v in value.values() for s in _strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return {value} if isinstance(value, str) else set()


@given(answer_list=respondents)
@settings(max_examples=150)
def test_no_segment_below_the_minimum_group_size_appears_anywhere(
    answer_list: list[dict[str, Any]],
) -> None:
    result = scored(answer_list)
    if result is None:
        return
    everything = _strings(json.loads(result.model_dump_json()))
    for question in MINI_Q.profile_questions:
        for option in question.options:
            members = sum(
                1
                for answers in answer_list
                if option.id == answers.get(question.id)
                or option.id in (answers.get(question.id) or [])
            )
            if 0 < members < MINIMUM:
                assert option.id not in everything
                assert option.label not in everything
    for group in result.segments:
        assert all(segment.n >= MINIMUM for segment in group.segments)


@given(answer_list=respondents)
def test_scoring_a_question_at_a_time_equals_scoring_each_respondent(
    answer_list: list[dict[str, Any]],
) -> None:
    from klantladder.scoring import respondent_scores
    from klantladder.scoring.levels import ScoredResponses

    responses = [response(f"r{i:03d}", a) for i, a in enumerate(answer_list)]
    built = ScoredResponses.build(MINI_Q, responses)
    assert list(built.scores) == [respondent_scores(MINI_Q, r) for r in responses]
    for dimension, column in built.dimension_columns.items():
        assert column == [scores.get(dimension) for scores in built.scores]
