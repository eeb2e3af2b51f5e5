"""The fast paths for many respondents give exactly what the plain definitions give."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from helpers import response
from hypothesis import given, settings
from hypothesis import strategies as st
from importhelpers import bilingual_folder
from storehelpers import questionnaire_of
from test_store import batch_response

from klantladder.diagnosis.quotes import OpenAnswer, open_answers
from klantladder.loading import load_questionnaire
from klantladder.models.assessment import UNKNOWN, Response
from klantladder.models.questionnaire import Questionnaire
from klantladder.routing import Router, not_asked
from klantladder.scoring import levels
from klantladder.scoring.levels import ScoredResponses, answer_columns, respondent_scores
from klantladder.scoring.stats import mean
from klantladder.scoring.uncertainty import INTERVAL_MIN_N, _critical, weighted_margin
from klantladder.store import batch
from klantladder.store.batch import batch_bytes, read_batch

INTAKE = load_questionnaire("intake", "nl")  # routes questions on earlier answers


def _values(question_id: str) -> st.SearchStrategy[object]:
    """Any answer a response may hold for a question, and a few it may not (True, a list)."""
    question = INTAKE.question(question_id)
    options: list[object] = [1, 2, 3, 4, 5]
    if hasattr(question, "options"):
        options = [option.id for option in question.options]
    return st.one_of(
        st.sampled_from([*options, UNKNOWN, True, 0, 7]),
        st.lists(st.sampled_from([*options, UNKNOWN]), max_size=2),
    )


@st.composite
def intake_answers(draw: st.DrawFn) -> dict[str, object]:
    """Answers to a random part of the intake, gates and routed questions included."""
    ids = [q.id for q in INTAKE.questions if q.kind != "open"]
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
    return {question_id: draw(_values(question_id)) for question_id in chosen}


@given(people=st.lists(intake_answers(), max_size=12))
@settings(max_examples=80, deadline=None)
def test_the_router_decides_as_not_asked_does(people: list[dict[str, object]]) -> None:
    router = Router(INTAKE)
    assert router.gates  # the intake routes
    for answers in people * 2:  # the second time from what the router remembers
        assert router.not_asked(answers) == not_asked(INTAKE, answers)


def _responses(people: list[dict[str, object]]) -> list[Response]:
    return [Response.model_construct(respondent=f"r{i}", answers=a) for i, a in enumerate(people)]


def _plain_build(responses: list[Response]) -> tuple[list[dict[str, float]], dict[str, int]]:
    """Scores and not-asked counts as defined: respondent by respondent."""
    counts = dict.fromkeys((d.id for d in INTAKE.content.dimensions), 0)
    scores = []
    for item in responses:
        skip = not_asked(INTAKE, item.answers)
        scores.append(respondent_scores(INTAKE, item, skip=skip))
        for question in INTAKE.scored_questions:
            counts[question.dimension] += question.id in skip
    return scores, counts


@given(people=st.lists(intake_answers(), max_size=12))
@settings(max_examples=80, deadline=None)
def test_building_by_answer_combination_equals_scoring_each_respondent(
    people: list[dict[str, object]],
) -> None:
    responses = [
        Response.model_construct(respondent=f"r{i}", answers=a) for i, a in enumerate(people)
    ]
    built = ScoredResponses.build(INTAKE, responses)
    scores, counts = _plain_build(responses)
    assert list(built.scores) == scores  # the same floats, not merely close ones
    assert built.not_asked == counts


@given(
    people=st.lists(
        st.dictionaries(st.sampled_from("abcd"), st.integers(0, 3) | st.none(), max_size=4),
        max_size=9,
    ),
    ids=st.lists(st.sampled_from("abcde"), max_size=5),
)
def test_answer_columns_read_block_by_block_equal_reading_a_question_at_a_time(
    people: list[dict[str, Any]], ids: list[str]
) -> None:
    plain = [[answers.get(question_id) for answers in people] for question_id in ids]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(levels, "ROWS_AT_ONCE", 2)  # blocks of two: every edge is crossed
        assert answer_columns(people, ids) == plain
    assert answer_columns(people, ids) == plain


def _plain_weighted_margin(
    scored: ScoredResponses, weights: dict[str, float], confidence: float
) -> float | None:
    """The former definition: a column of contributions per dimension, then per respondent."""
    dimensions = list(weights)
    columns = [scored.dimension_columns[d] for d in dimensions]
    values = [[v for v in column if v is not None] for column in columns]
    if any(len(found) < INTERVAL_MIN_N for found in values):
        return None
    total_weight = math.fsum(weights.values())
    parts = []
    for dimension, column, found in zip(dimensions, columns, values, strict=True):
        centre = mean(found)
        share = weights[dimension] / total_weight / len(found)
        parts.append([0.0 if v is None else share * (v - centre) for v in column])
    contributions = list(map(math.fsum, zip(*parts, strict=True)))
    n = scored.scored_count(dimensions)
    variance = n / (n - 1) * math.fsum(c * c for c in contributions)
    return _critical(confidence, n - 1) * math.sqrt(variance)


@given(people=st.lists(intake_answers(), min_size=3, max_size=15))
@settings(max_examples=60, deadline=None)
def test_the_overall_margin_a_respondent_at_a_time_equals_the_column_definition(
    people: list[dict[str, object]],
) -> None:
    responses = [
        Response.model_construct(respondent=f"r{i}", answers=a) for i, a in enumerate(people)
    ]
    scored = ScoredResponses.build(INTAKE, responses)
    weights = {d.id: d.weight for d in INTAKE.content.dimensions}
    assert weighted_margin(scored, weights, 0.95) == _plain_weighted_margin(scored, weights, 0.95)


def test_a_repeated_open_answer_is_read_once_and_reads_as_a_fresh_one() -> None:
    questionnaire: Questionnaire = INTAKE
    open_id = questionnaire.open_questions[0].id
    text = "Niemand voelt zich eigenaar van de klacht, dus blijft die liggen."
    people = [response(f"r{i}", {open_id: f"  {text} "}, "intake") for i in range(3)]
    answers = open_answers(questionnaire, people)
    fresh = [OpenAnswer(f"r{i}", open_id, text) for i in range(3)]
    assert answers == fresh
    for copy, plain in zip(answers, fresh, strict=True):
        assert (copy.normal, copy.words, copy.order_key) == (
            plain.normal,
            plain.words,
            plain.order_key,
        )
    assert answers[1].normal is answers[0].normal  # shared, not read again


def test_a_batch_shares_repeated_texts_and_reads_every_text_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "SHARED_TEXTS", 2)  # remembers two texts, then reads on
    folder = bilingual_folder(tmp_path)
    questionnaire = questionnaire_of(folder)
    texts = ["eerste", "tweede", "eerste", "derde", "derde", "tweede"]
    written = [
        batch_response(f"typeform-{i:04d}", {"belemmering": text}) for i, text in enumerate(texts)
    ]
    path = folder / "responses" / "import-0001.csv"
    path.write_bytes(batch_bytes(questionnaire, written))
    rows, problems = read_batch(path, questionnaire, folder)
    assert problems == []
    back = [row.response for row in rows]
    assert back == written
    read = [item.answers["belemmering"] for item in back]
    assert read[2] is read[0] and read[5] is read[1]  # remembered
    assert read[4] is not read[3]  # beyond the two remembered: read as given, still equal


def test_the_report_tallies_count_what_was_answered(tmp_path: Path) -> None:
    from klantladder.folder import AssessmentFolder, load_assessment
    from klantladder.report.context import _tallies

    folder = bilingual_folder(tmp_path)
    questionnaire = questionnaire_of(folder)
    given_answers: list[dict[str, object]] = [
        {"kanalen": ["telefoon", "balie"], "afdeling": "staf", "leiderschap.feedback": 3},
        {"kanalen": "unknown", "afdeling": "unknown", "leiderschap.feedback": 3},
        {"kanalen": ["chat"], "leiderschap.uitdragen": "unknown"},
    ]
    written = [batch_response(f"typeform-{i:04d}", a) for i, a in enumerate(given_answers)]
    (folder / "responses" / "import-0001.csv").write_bytes(batch_bytes(questionnaire, written))
    loaded: AssessmentFolder = load_assessment(folder)
    expected: dict[str, Counter[object]] = {
        q.id: Counter() for q in questionnaire.questions if q.kind != "open"
    }
    for answers in given_answers:
        for question_id, value in answers.items():
            expected[question_id].update(value if isinstance(value, list) else [value])
    assert _tallies(loaded) == expected


@pytest.mark.parametrize("questionnaire", [INTAKE, load_questionnaire("quickscan", "en")])
def test_cells_read_by_look_up_read_as_the_column_reader_reads_them(
    questionnaire: Questionnaire,
) -> None:
    for question in questionnaire.questions:
        decode = batch._decoder(question, {})
        for cell, answer in batch._plain_cells(question).items():
            assert decode(cell) == answer
            assert type(decode(cell)) is type(answer)
