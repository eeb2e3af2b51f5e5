"""Intervals, borders and the quickest win, on cases worked out by hand."""

from __future__ import annotations

import math
import statistics
from typing import Any

import pytest
from helpers import response
from hypothesis import given, settings
from hypothesis import strategies as st

from klantladder.models.questionnaire import Questionnaire
from klantladder.models.result import ScoreResult
from klantladder.scoring import score
from klantladder.scoring.levels import ScoredResponses
from klantladder.scoring.stats import t_quantile
from klantladder.scoring.uncertainty import weighted_margin


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (9, 2.262), (23, 2.069), (120, 1.980)],
)
def test_t_quantiles_match_the_tables(df: int, expected: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=0.0006)


def test_t_quantile_is_symmetric_and_tends_to_the_normal() -> None:
    assert t_quantile(0.025, 7) == -t_quantile(0.975, 7)
    assert t_quantile(0.975, 10**6) == pytest.approx(1.95996, abs=1e-4)
    assert t_quantile(0.995, 3) == pytest.approx(5.841, abs=0.001)


def people(listen: list[int], **fixed: int) -> list[Any]:
    return [response(f"r{i}", {"listen.1": value, **fixed}) for i, value in enumerate(listen)]


def test_a_dimension_interval_is_the_t_interval_of_its_mean(mini: Questionnaire) -> None:
    result = score(mini, people([1, 2, 3, 4, 5]))
    listen = result.dimension("listen")
    # mean 3, sd 1.5811, n 5: 3 ± 2.7764 * 1.5811 / sqrt(5) = 3 ± 1.963
    assert listen.interval is not None
    assert (listen.interval.low, listen.interval.high, listen.interval.margin) == (
        1.04,
        4.96,
        1.96,
    )
    assert listen.border is not None
    assert (listen.border.lower.id, listen.border.upper.id) == ("ignore", "transform")
    assert listen.border.text == "between Ignore and Transform"


def test_an_interval_stays_within_one_to_five(mini: Questionnaire) -> None:
    result = score(mini, people([1, 1, 1, 2]))
    listen = result.dimension("listen")
    assert listen.interval is not None and listen.interval.low == 1.0
    assert listen.interval.margin > listen.mean - 1.0  # type: ignore[operator]


@pytest.mark.parametrize("count", [1, 2])
def test_one_or_two_respondents_get_no_interval_and_say_so(mini: Questionnaire, count: int) -> None:
    result = score(mini, people([2, 2][:count], **{"lead.1": 1, "act.1": 4}))
    assert all(d.interval is None and d.border is None for d in result.dimensions)
    assert result.overall.interval is None and result.overall.border is None
    assert "No margins under 3 respondents." in result.explanation
    # the closest dimension is not called a quickest win: its margin is unknown
    assert any("nearest to" in point.reason for point in result.focus)
    assert not any("short of" in point.reason for point in result.focus)


def test_the_overall_margin_is_that_of_respondents_overall_scores_when_all_answer(
    mini: Questionnaire,
) -> None:
    answers = [
        {"lead.1": 2, "lead.2": 3, "listen.1": 1, "act.1": 2, "act.2": 4},
        {"lead.1": 4, "lead.2": 5, "listen.1": 3, "act.1": 3, "act.2": 2},
        {"lead.1": 3, "lead.2": 2, "listen.1": 2, "act.1": 1, "act.2": 5},
        {"lead.1": 5, "lead.2": 4, "listen.1": 4, "act.1": 4, "act.2": 3},
    ]
    responses = [response(f"r{i}", a) for i, a in enumerate(answers)]
    scored = ScoredResponses.build(mini, responses)
    weights = {"lead": 2.0, "listen": 1.0, "act": 1.0}
    own = [sum(s[d] * w for d, w in weights.items()) / 4 for s in scored.scores]
    expected = t_quantile(0.975, 3) * statistics.stdev(own) / math.sqrt(4)
    assert weighted_margin(scored, weights, 0.95) == pytest.approx(expected, rel=1e-12)
    result = score(mini, responses)
    assert result.overall.interval is not None
    assert result.overall.interval.margin == round(expected, 2)


def test_the_overall_phase_is_on_the_border_when_the_capping_dimension_is(
    mini: Questionnaire,
) -> None:
    # act around 1.8 (Ignore / Collect), the rest high: act caps the phase
    answers = [
        {"lead.1": 5, "lead.2": 5, "listen.1": 5, "act.1": act} for act in (1, 2, 2, 1, 3, 2, 1, 2)
    ]
    result = score(mini, [response(f"r{i}", a) for i, a in enumerate(answers)])
    act = result.dimension("act")
    assert act.phase is not None and act.phase.id == "ignore"
    assert act.border is not None and act.border.upper.id == "collect"
    assert result.overall.phase.id == "collect"
    assert result.overall.border is not None
    assert (result.overall.border.lower.id, result.overall.border.upper.id) == (
        "collect",
        "analyse",
    )
    assert "Not firmly Collect but on the border of Collect and Analyse." in result.explanation


def test_a_firm_cap_keeps_the_overall_phase_firm_while_the_mean_is_on_the_border(
    mini: Questionnaire,
) -> None:
    # act firmly in Ignore; the mean near 2.6 with a margin around it
    answers = [
        {"lead.1": lead, "listen.1": listen, "act.1": 1}
        for lead, listen in ((3, 3), (4, 3), (3, 2), (3, 4), (2, 3), (4, 3))
    ]
    result = score(mini, [response(f"r{i}", a) for i, a in enumerate(answers)])
    assert result.dimension("act").border is None
    assert result.overall.mean_border is not None
    assert result.overall.border is None
    assert result.overall.phase.id == "collect"
    assert result.explanation[0].startswith(f"Mean {result.overall.score:.2f} (")
    assert " lies on the border of " in result.explanation[0]


def reasons(result: ScoreResult, dimension: str) -> str:
    return next(point.reason for point in result.focus if point.dimension == dimension)


def test_a_quickest_win_only_when_its_gap_is_larger_than_the_margin(
    mini: Questionnaire,
) -> None:
    # lead lowest (Ignore); listen at 2.0-ish: clearly 0.6 short of Analyse
    tight = [{"lead.1": 1, "listen.1": 2, "act.1": 5} for _ in range(10)]
    tight[0]["listen.1"] = 3
    result = score(mini, [response(f"r{i}", a) for i, a in enumerate(tight)])
    listen = result.dimension("listen")
    assert listen.mean == 2.1
    assert listen.interval is not None and listen.interval.high < 2.6
    assert reasons(result, "listen") == "0.50 short of Analyse"
    # listen at 2.5 with a wide spread: 0.10 short, but within its margin
    loose = [{"lead.1": 1, "listen.1": v, "act.1": 5} for v in (1, 4, 2, 3)]
    result = score(mini, [response(f"r{i}", a) for i, a in enumerate(loose)])
    listen = result.dimension("listen")
    assert listen.mean == 2.5 and listen.interval is not None and listen.interval.high >= 2.6
    assert reasons(result, "listen") == (
        "within the margin 0.10 from Analyse, " + (listen.border.text if listen.border else "")
    )


@given(
    values=st.lists(st.integers(1, 5), min_size=3, max_size=30),
    order=st.randoms(use_true_random=False),
)
@settings(max_examples=100, deadline=None)
def test_intervals_do_not_depend_on_the_order_of_respondents(values: list[int], order: Any) -> None:
    from helpers import MINI

    from klantladder.loading import load_questionnaire

    mini = load_questionnaire(MINI)
    answers = [{"listen.1": v, "lead.1": 6 - v, "act.1": 1 + (v * 3) % 5} for v in values]
    first = [response(f"r{i}", a) for i, a in enumerate(answers)]
    shuffled = list(first)
    order.shuffle(shuffled)
    one, other = score(mini, first), score(mini, shuffled)
    assert one.overall.interval == other.overall.interval
    assert [d.interval for d in one.dimensions] == [d.interval for d in other.dimensions]
    for dimension in one.dimensions:
        span, mean = dimension.interval, dimension.mean
        assert span is not None and mean is not None
        assert span.low <= mean <= span.high
