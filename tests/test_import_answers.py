"""Cells as answers: the "don't know" spellings of each language come from the method."""

from __future__ import annotations

import pytest

from klantladder.importing.answers import AnswerReader
from klantladder.loading import load_questionnaire
from klantladder.models.assessment import UNKNOWN
from klantladder.models.questionnaire import LadderQuestion


@pytest.fixture(scope="module")
def reader() -> AnswerReader:
    variants = [load_questionnaire("intake", "nl"), load_questionnaire("intake", "en")]
    return AnswerReader(variants, "csv")


@pytest.mark.parametrize(
    "cell",
    [
        "n.v.t.",
        "N.V.T.",
        "nvt",
        "NVT",
        "weet niet",
        "Weet ik niet",
        "geen mening",
        "Niet van toepassing",
        "Weet niet / niet van toepassing",
        "n/a",
        "N/A",
        "don't know",
        "Don\u2019t know",
        "not applicable",
        "no opinion",
        "unknown",
    ],
)
def test_dont_know_spellings_of_both_languages(reader: AnswerReader, cell: str) -> None:
    question = next(
        q for q in load_questionnaire("intake", "nl").questions if isinstance(q, LadderQuestion)
    )
    assert reader.read(question, cell) == UNKNOWN


def test_the_spellings_are_method_content_in_each_language() -> None:
    for language in ("nl", "en"):
        labels = load_questionnaire("intake", language).content.answer_labels
        assert len(labels.unknown_spellings) == 6
    nl = load_questionnaire("intake", "nl").content.answer_labels.unknown_spellings
    assert "n.v.t." in nl and "geen mening" in nl
