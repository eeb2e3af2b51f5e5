"""Method content that lets the report follow the data: signs with evidence, quote rules.

A phase sign is a sentence by which an organisation recognises itself ("cijfers
gaan naar directie en marketing"). Each sign names the answers that evidence it,
so the report can say "herkenbaar bij u" only when the respondents chose them.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, PlainValidator, ValidationInfo, WithJsonSchema, field_validator

from klantladder.models.base import LANGUAGE_PATTERN, Identifier, StrictModel, Text

AnswerLevel = int


def _validate_words(value: Any, info: ValidationInfo) -> list[str] | dict[str, list[str]]:
    """A list of words, or per language a list of words when a file declares several."""
    languages: list[str] = list((info.context or {}).get("languages", []))

    def words(items: Any, where: str) -> list[str]:
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ValueError(f"{where}expected a list of words")
        cleaned = [item.strip() for item in items]
        if any(not item for item in cleaned):
            raise ValueError(f"{where}a word is empty")
        return cleaned

    if isinstance(value, list):
        if len(languages) > 1:
            raise ValueError(
                f"this file declares languages {', '.join(languages)}: give the words as a "
                f"map with one list per language"
            )
        return words(value, "")
    if isinstance(value, dict):
        result = {str(key): words(items, f"{key}: ") for key, items in value.items()}
        missing = [language for language in languages if language not in result]
        if missing:
            raise ValueError(f"no {', '.join(missing)} words")
        return result
    raise ValueError("expected a list of words, or a map from language code to a list of words")


Words = Annotated[
    list[str] | dict[str, list[str]],
    PlainValidator(_validate_words),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "array", "items": {"type": "string", "minLength": 1}},
                {
                    "type": "object",
                    "propertyNames": {"pattern": LANGUAGE_PATTERN},
                    "additionalProperties": {
                        "type": "array",
                        "items": {"type": "string", "minLength": 1},
                    },
                },
            ],
            "description": "A list of words, or a map from language code to a list of words.",
        }
    ),
]


def localize_words(words: list[str] | dict[str, list[str]], language: str) -> list[str]:
    """The words in ``language``; a plain list is the same in every language."""
    if isinstance(words, list):
        return words
    return words.get(language) or next(iter(words.values()), [])


class Evidence(StrictModel):
    """Answers to one question that show a sign."""

    question: Identifier = Field(
        description=(
            "Id of a ladder or agreement question. A questionnaire that asks none of a sign's "
            "questions leaves the sign unevaluated (a quick scan asks fewer questions)."
        )
    )
    answers: list[AnswerLevel] = Field(
        min_length=1,
        max_length=4,
        description=(
            "The answers that show the sign: for a ladder question the statement levels 1-5, "
            "for an agreement statement 1 (fully disagree) to 5 (fully agree)."
        ),
    )
    paraphrase: Text = Field(
        description=(
            "What those answers say, in a few words, shown after the count: "
            "'16 van de 24 respondenten: alleen financiële en productiecijfers tellen'."
        )
    )

    @field_validator("answers")
    @classmethod
    def _answers_one_to_five_once(cls, answers: list[int]) -> list[int]:
        outside = [str(answer) for answer in answers if not 1 <= answer <= 5]
        if outside:
            raise ValueError(f"answer {', '.join(outside)} is not one of 1-5")
        if len(set(answers)) != len(answers):
            raise ValueError("names an answer twice")
        return sorted(answers)


class Sign(StrictModel):
    """A sign by which an organisation recognises a phase, with the answers that show it."""

    text: Text = Field(description="The sign, one short sentence.")
    evidence: list[Evidence] = Field(
        default_factory=list,
        description=(
            "The answers that show the sign, one entry per question; each entry evidences the "
            "whole sign (list a question under each id it has had). The report calls the sign "
            "recognisable only when every listed question the questionnaire asks supports it; "
            "a sign without evidence is never claimed of an organisation."
        ),
    )


class DiagnosisRules(StrictModel):
    """How the report weighs evidence and chooses advice and quotes."""

    sign_support: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description=(
            "Share of the respondents who answered a sign's question that must have chosen "
            "one of its evidencing answers for the question to support the sign."
        ),
    )
    tips_per_dimension: int = Field(
        default=3, ge=1, le=6, description="Tips shown per advised dimension."
    )
    pitfalls_per_dimension: int = Field(
        default=2, ge=1, le=4, description="Pitfalls shown per advised dimension."
    )
    phase_tips: int = Field(
        default=4,
        ge=0,
        le=10,
        description="Tips of the overall phase shown beside the advice per dimension, at most.",
    )
    phase_pitfalls: int = Field(
        default=3,
        ge=0,
        le=10,
        description="Pitfalls of the overall phase shown beside the advice per dimension, at most.",
    )
    quotes_per_theme: int = Field(
        default=3, ge=1, le=6, description="Quotes shown per dimension in the quotes chapter."
    )
    quotes_total: int = Field(
        default=12, ge=1, le=30, description="Quotes shown in the quotes chapter at most."
    )
    quote_max_characters: int = Field(
        default=300,
        ge=80,
        le=1000,
        description="Longer answers are never quoted in the body; appendix and export hold them.",
    )
    answers_per_question: int = Field(
        default=10,
        ge=0,
        le=50,
        description="Open answers per question in the answers appendix, beside the quoted ones.",
    )
    answer_max_characters: int = Field(
        default=600,
        ge=80,
        le=4000,
        description="Open answers in the appendix are cut after this many characters.",
    )
    min_answer_words: int = Field(
        default=3, ge=1, le=10, description="An answer with fewer words is a non-answer."
    )
    non_answers: Words = Field(
        default_factory=list,
        description=(
            "Answers that say nothing, in the method's language ('geen idee', 'n.v.t.'); "
            "compared without case, punctuation and surrounding spaces."
        ),
    )
