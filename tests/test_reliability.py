"""Cronbach's alpha and item-rest correlations per dimension, checked against the formulas."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
from helpers import response

from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import Questionnaire
from klantladder.scoring import score

LEAD_2 = {1: 1.0, 2: 1.75, 3: 2.5, 4: 3.25, 5: 4.0}  # likert up to level 4


def people(pairs: list[tuple[Any, Any]]) -> list[Any]:
    return [
        response(f"r{i:02d}", {"lead.1": a, "lead.2": b, "listen.1": 3})
        for i, (a, b) in enumerate(pairs)
    ]


PAIRS = [(1, 1), (2, 2), (2, 3), (3, 3), (3, 2), (4, 4), (4, 5), (5, 5), (1, 2), (3, 4), (5, 4)]


def test_alpha_and_item_rest_follow_the_textbook_formulas(mini: Questionnaire) -> None:
    result = score(mini, people(PAIRS))
    lead = next(item for item in result.reliability if item.dimension == "lead")
    first = [float(a) for a, _ in PAIRS]
    second = [LEAD_2[b] for _, b in PAIRS]
    totals = [a + b for a, b in zip(first, second, strict=True)]
    alpha = 2 * (
        1 - (statistics.variance(first) + statistics.variance(second)) / statistics.variance(totals)
    )
    assert (lead.status, lead.n, lead.items) == ("computed", 11, 2)
    assert lead.alpha == round(alpha, 2)
    assert lead.alpha_low == (alpha < 0.7)
    # with two items, each item's rest is the other item
    correlation = statistics.correlation(first, second)
    assert [rest.correlation for rest in lead.item_rest] == [round(correlation, 2)] * 2
    assert [rest.question for rest in lead.item_rest] == ["lead.1", "lead.2"]


def test_respondents_with_a_missing_answer_are_left_out_of_alpha_only(
    mini: Questionnaire,
) -> None:
    pairs: list[tuple[Any, Any]] = [*PAIRS, (UNKNOWN, 3), (2, UNKNOWN)]
    result = score(mini, people(pairs))
    lead = next(item for item in result.reliability if item.dimension == "lead")
    assert lead.n == len(PAIRS)
    assert lead.alpha == score(mini, people(PAIRS)).reliability[0].alpha
    assert result.dimension("lead").n == len(pairs)  # the score still counts them


@pytest.mark.parametrize(
    ("pairs", "status"),
    [
        (PAIRS[:9], "too_few_respondents"),
        ([(3, 3)] * 12, "no_variance"),
    ],
)
def test_alpha_is_not_given_when_it_cannot_be_trusted(
    mini: Questionnaire, pairs: list[tuple[Any, Any]], status: str
) -> None:
    lead = score(mini, people(pairs)).reliability[0]
    assert (lead.status, lead.alpha, lead.alpha_low) == (status, None, False)
    assert all(rest.correlation is None and not rest.low for rest in lead.item_rest)


def test_a_dimension_of_one_question_has_no_alpha(mini: Questionnaire) -> None:
    listen = score(mini, people(PAIRS)).reliability[1]
    assert (listen.dimension, listen.status, listen.items) == ("listen", "too_few_items", 1)


def test_items_that_disagree_with_their_dimension_are_flagged(mini: Questionnaire) -> None:
    opposite = [(a, 6 - a) for a, _ in PAIRS]
    lead = score(mini, people(opposite)).reliability[0]
    assert lead.alpha is not None and lead.alpha < 0 and lead.alpha_low
    assert all(rest.low for rest in lead.item_rest)
