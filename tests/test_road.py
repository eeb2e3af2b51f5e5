"""The road to the next phase: enough, and nothing in it can be left out (hypothesis).

Two levels: the rule itself on exact dimension scores, for every rule; and the
whole engine on answers of the mini questionnaire, raising answers until the
stated amounts are reached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from helpers import MINI, response
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from klantladder.loading import load_questionnaire
from klantladder.models.method import Method, OverallRule
from klantladder.models.questionnaire import Questionnaire
from klantladder.models.result import Road, ScoreResult
from klantladder.scoring import phase_for, score
from klantladder.scoring.road import Figure, overall_mean, road, rule_level
from klantladder.scoring.stats import rounded

MINI_Q = load_questionnaire(MINI)
RULES = [
    ("capped_by_weakest", 1),
    ("capped_by_weakest", 2),
    ("capped_by_weakest", 0),
    ("weakest", 1),
    ("mean", 1),
]


def with_rule(rule: str, steps: int) -> Questionnaire:
    """The mini questionnaire on a method with another overall rule."""
    method = MINI_Q.content
    overall = OverallRule.model_validate({"rule": rule, "max_steps_above_weakest": steps})
    scoring = method.scoring.model_copy(update={"overall": overall})
    return MINI_Q.model_copy(update={"method": method.model_copy(update={"scoring": scoring})})


QUESTIONNAIRES = [with_rule(rule, steps) for rule, steps in RULES]


# --- the rule on exact dimension scores ------------------------------------------


def level_of(method: Method, figures: Sequence[Figure]) -> int:
    levels = [phase_for(method, f.score).level for f in figures]
    return rule_level(method, overall_mean(figures), levels)


def apply(
    method: Method,
    figures: list[Figure],
    found: Road,
    *,
    skip: str | None = None,
    mean: bool = True,
) -> list[Figure]:
    """Meet the road's conditions: each named dimension exactly at its threshold (except
    ``skip``), then, with ``mean``, raise other dimensions 0.01 at a time until the mean
    reaches its threshold (the named ones too once the others are at 5; never ``skip``)."""
    targets = {c.dimension: c.threshold for c in found.dimensions if c.dimension != skip}
    scores = {f.id: targets.get(f.id, f.score) for f in figures}

    def current() -> list[Figure]:
        return [Figure(f.id, f.title, rounded(scores[f.id]), f.weight) for f in figures]

    if mean and found.mean is not None:
        order = [f.id for f in figures if f.id not in targets and f.id != skip]
        order += [f.id for f in figures if f.id in targets]
        while overall_mean(current()) < found.mean.threshold:
            raisable = [d for d in order if scores[d] < 5.0]
            if not raisable:
                break
            for dimension in raisable:
                scores[dimension] = rounded(min(scores[dimension] + 0.01, 5.0))
                if overall_mean(current()) >= found.mean.threshold:
                    break
    return current()


scores_strategy = st.integers(100, 500).map(lambda value: value / 100)


@given(
    rule=st.sampled_from(RULES),
    dimensions=st.lists(
        st.tuples(scores_strategy, st.sampled_from([0.5, 1.0, 1.0, 2.0, 3.0])),
        min_size=1,
        max_size=6,
    ),
)
@settings(max_examples=300)
def test_the_road_is_enough_and_no_condition_can_be_left_out(
    rule: tuple[str, int], dimensions: list[tuple[float, float]]
) -> None:
    method = with_rule(*rule).content
    figures = [Figure(f"d{i}", f"D{i}", s, w) for i, (s, w) in enumerate(dimensions)]
    mean = overall_mean(figures)
    level = level_of(method, figures)
    found = road(method, figures, mean, level, "en")
    if level == len(method.phases):
        assert found is None
        return
    assert found is not None
    target = level + 1
    assert found.target.level == target
    thresholds = method.scoring.thresholds
    # each number is the distance of what it names
    for condition in found.dimensions:
        figure = next(f for f in figures if f.id == condition.dimension)
        assert condition.score == figure.score
        assert condition.threshold == thresholds[condition.phase.id]
        assert condition.gap == rounded(condition.threshold - condition.score) > 0
        assert phase_for(method, figure.score).level < condition.phase.level
    if found.mean is not None:
        assert found.mean.score == mean < found.mean.threshold == thresholds[found.target.id]
        assert found.mean.gap == rounded(found.mean.threshold - mean)
        at_thresholds = apply(method, figures, found, mean=False)
        assert found.mean.after == overall_mean(at_thresholds)
        assert found.mean.remaining == rounded(max(found.mean.threshold - found.mean.after, 0))
    # enough: every condition met reaches the next phase
    assert level_of(method, apply(method, figures, found)) >= target
    # needed: leaving out any one condition does not
    for condition in found.dimensions:
        assert level_of(method, apply(method, figures, found, skip=condition.dimension)) < target
    if found.mean is not None and found.mean.remaining > 0:
        assert level_of(method, apply(method, figures, found, mean=False)) < target
    else:
        # the dimension conditions alone lift the mean far enough (or the rule ignores it)
        assert found.dimensions
        assert level_of(method, apply(method, figures, found, mean=False)) >= target
    # nothing else is named: every dimension at or above the required phase is left alone
    named = {c.dimension for c in found.dimensions}
    for figure in figures:
        if figure.id not in named and found.dimensions:
            assert phase_for(method, figure.score).level >= found.dimensions[0].phase.level


def test_the_issue_cases_get_the_right_road() -> None:
    """Mean 2.44 with no dimension in Negeren; mean 2.59 with two dimensions in Negeren."""
    method = MINI_Q.content
    uncapped = [Figure("a", "A", 2.50, 1), Figure("b", "B", 2.38, 1)]
    found = road(method, uncapped, overall_mean(uncapped), level_of(method, uncapped), "en")
    assert found is not None and found.dimensions == []
    assert found.mean is not None and (found.mean.gap, found.mean.remaining) == (0.16, 0.16)
    capped = [Figure("lead", "Leadership", 1.42, 1), Figure("kpi", "KPIs", 1.67, 1)] + [
        Figure(f"x{i}", f"X{i}", 2.89, 1) for i in range(7)
    ]
    mean = overall_mean(capped)
    assert mean == 2.59
    found = road(method, capped, mean, level_of(method, capped), "en")
    assert found is not None
    assert [(c.dimension, c.threshold, c.gap) for c in found.dimensions] == [
        ("lead", 1.8, 0.38),
        ("kpi", 1.8, 0.13),
    ]
    # raising both to 1.80 lifts the mean to 2.65: no further rise of the mean is needed
    assert found.mean is not None and (found.mean.after, found.mean.remaining) == (2.65, 0.0)


# --- the whole engine, on answers ----------------------------------------------


SCORED = [q.id for q in MINI_Q.scored_questions]
DIMENSION_OF = {q.id: q.dimension for q in MINI_Q.scored_questions}


@st.composite
def answer_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    people = draw(st.integers(1, 8))
    answers = []
    for _ in range(people):
        given = {q: draw(st.integers(1, 5)) for q in SCORED if draw(st.integers(0, 9)) > 0}
        answers.append(given)
    return answers


def scored(questionnaire: Questionnaire, answers: list[dict[str, Any]]) -> ScoreResult | None:
    try:
        return score(questionnaire, [response(f"r{i}", a) for i, a in enumerate(answers)])
    except ValueError:
        return None


def raise_until(
    questionnaire: Questionnaire,
    answers: list[dict[str, Any]],
    dimensions: Sequence[str],
    reached: Callable[[ScoreResult], bool],
) -> tuple[list[dict[str, Any]], ScoreResult] | None:
    """Raise the lowest answer of ``dimensions`` by one, re-score, until ``reached``.

    None when every answer there is at 5 before it is reached.
    """
    answers = [dict(a) for a in answers]
    result = scored(questionnaire, answers)
    assert result is not None
    while not reached(result):
        raisable = [
            (value, index, question)
            for index, given in enumerate(answers)
            for question, value in given.items()
            if DIMENSION_OF[question] in dimensions and value < 5
        ]
        if not raisable:
            return None
        _, index, question = min(raisable)
        answers[index][question] += 1
        result = scored(questionnaire, answers)
        assert result is not None
    return answers, result


@given(questionnaire=st.sampled_from(QUESTIONNAIRES), answers=answer_lists())
@settings(max_examples=150, deadline=None)
def test_raising_answers_by_the_stated_amounts_reaches_the_next_phase(
    questionnaire: Questionnaire, answers: list[dict[str, Any]]
) -> None:
    before = scored(questionnaire, answers)
    assume(before is not None)
    assert before is not None
    found = before.overall.road
    if found is None:
        assert before.overall.phase.level == 5
        return
    target = found.target.level
    mean_part = "none" if found.mean is None else f"remaining={found.mean.remaining > 0}"
    event(f"{before.overall.rule}, {len(found.dimensions)} dimension(s), mean {mean_part}")
    everything = [d.id for d in before.dimensions]
    named = [c.dimension for c in found.dimensions]
    others = [d for d in everything if d not in named]

    def reach_dimensions(
        start: list[dict[str, Any]], skip: str | None = None
    ) -> tuple[list[dict[str, Any]], ScoreResult] | None:
        state: tuple[list[dict[str, Any]], ScoreResult] | None = (start, before)
        for condition in found.dimensions:
            if condition.dimension == skip or state is None:
                continue
            state = raise_until(
                questionnaire,
                state[0],
                [condition.dimension],
                lambda r, c=condition: (r.dimension(c.dimension).mean or 0) >= c.threshold,
            )
        return state

    def reach_mean(
        start: list[dict[str, Any]], skip: str | None = None
    ) -> tuple[list[dict[str, Any]], ScoreResult] | None:
        if found.mean is None:
            return start, scored(questionnaire, start)  # type: ignore[return-value]
        threshold = found.mean.threshold
        for pool in (others, everything):
            state = raise_until(
                questionnaire,
                start,
                [d for d in pool if d != skip],
                lambda r: r.overall.score >= threshold,
            )
            if state is not None:
                return state
        return None

    # enough: the named dimensions by their amounts, then the mean up to its threshold
    state = reach_dimensions(answers)
    assume(state is not None)  # a dimension whose answers cannot rise that far
    assert state is not None
    state = reach_mean(state[0])
    assume(state is not None)
    assert state is not None
    assert state[1].overall.phase.level >= target

    # needed: a dimension left out keeps the organisation below the next phase
    for condition in found.dimensions:
        partial = reach_dimensions(answers, skip=condition.dimension)
        if partial is not None and (with_mean := reach_mean(partial[0], condition.dimension)):
            assert with_mean[1].overall.phase.level < target

    # the mean: only the dimension conditions met
    only = reach_dimensions(answers)
    assert only is not None
    if found.mean is not None:
        # answers rise in steps, so a dimension may overshoot its threshold a little:
        # the road's `after` (each exactly at its threshold) is a lower bound
        assert only[1].overall.score >= found.mean.after
        if found.mean.remaining > 0 and only[1].overall.score < found.mean.threshold:
            assert only[1].overall.phase.level < target
    if found.mean is None or found.mean.remaining == 0:
        assert only[1].overall.phase.level >= target
