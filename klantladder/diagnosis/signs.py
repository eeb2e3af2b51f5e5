"""Phase signs weighed against the answers: which ones the organisation really shows.

Each sign in the method names the answers that evidence it (`Sign.evidence`).
Per linked question, among the respondents who answered it (1-5; "don't know"
does not count):

* the question **supports** the sign when at least ``sign_support`` of them
  (by default half) chose one of the evidencing answers;
* it **contradicts** the sign when more than half chose an answer that lies at
  least two steps from every evidencing answer (clearly above or below);
* otherwise the answers are **mixed**.

A sign's linked questions each evidence the same claim (a newer questionnaire
version may ask it under another id), so a sign is weighed on the linked
questions the questionnaire asks: supported when every one of them supports
it, contradicted when every one contradicts it, mixed otherwise. It is
**unknown** (not evaluated) when the questionnaire asks none of its questions,
as a quick scan that asks fewer questions, or nobody answered them. The report
calls a sign recognisable only when it is supported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from klantladder.models.assessment import Response
from klantladder.models.base import localize
from klantladder.models.diagnosis import Evidence, Sign
from klantladder.models.questionnaire import Questionnaire
from klantladder.scoring.levels import answer_columns

SignStatus = Literal["supported", "contradicted", "mixed", "unknown"]

CLEAR_DISTANCE = 2
"""An answer contradicts a sign when it is at least this far from every evidencing answer."""


@dataclass(frozen=True)
class EvidenceCount:
    """What the respondents answered to one question linked to a sign."""

    question: str
    paraphrase: str
    answers: tuple[int, ...]
    answered: int
    showing: int
    contradicting: int
    status: SignStatus


@dataclass(frozen=True)
class SignResult:
    """One phase sign, weighed against the answers."""

    phase: str
    level: int
    text: str
    status: SignStatus
    counts: tuple[EvidenceCount, ...]


def contradicting_answers(answers: Iterable[int]) -> frozenset[int]:
    """The answers 1-5 that lie clearly away from every evidencing answer."""
    chosen = list(answers)
    return frozenset(
        level
        for level in range(1, 6)
        if all(abs(level - answer) >= CLEAR_DISTANCE for answer in chosen)
    )


def answer_counts(
    questionnaire: Questionnaire, responses: Iterable[Response], questions: Iterable[str]
) -> dict[str, Counter[int]]:
    """For each of ``questions`` that the questionnaire scores: how many gave each answer 1-5."""
    scored = {q.id for q in questionnaire.scored_questions}
    wanted = [question for question in dict.fromkeys(questions) if question in scored]
    people = [response.answers for response in responses]
    columns = answer_columns(people, wanted)
    return {
        question: Counter(value for value in column if type(value) is int and 1 <= value <= 5)
        for question, column in zip(wanted, columns, strict=True)
    }


def weigh_evidence(
    evidence: Evidence, tally: Counter[int], support: float, language: str
) -> EvidenceCount:
    """One question's answers against the answers that show a sign."""
    answered = sum(tally.values())
    showing = sum(tally[answer] for answer in evidence.answers)
    contradicting = sum(tally[answer] for answer in contradicting_answers(evidence.answers))
    status: SignStatus
    if answered == 0:
        status = "unknown"
    elif showing >= support * answered:
        status = "supported"
    elif 2 * contradicting > answered:
        status = "contradicted"
    else:
        status = "mixed"
    return EvidenceCount(
        question=evidence.question,
        paraphrase=localize(evidence.paraphrase, language),
        answers=tuple(evidence.answers),
        answered=answered,
        showing=showing,
        contradicting=contradicting,
        status=status,
    )


def weigh_sign(
    sign: Sign,
    counts: dict[str, Counter[int]],
    support: float,
    language: str,
    phase: tuple[str, int],
) -> SignResult:
    """A sign against the answers to those of its questions that were asked."""
    text = localize(sign.text, language)
    asked = [e for e in sign.evidence if e.question in counts]
    if not asked:
        return SignResult(phase[0], phase[1], text, "unknown", ())
    weighed = tuple(weigh_evidence(e, counts[e.question], support, language) for e in asked)
    statuses = {count.status for count in weighed}
    status: SignStatus
    if "unknown" in statuses:
        status = "unknown"
    elif statuses == {"supported"}:
        status = "supported"
    elif statuses == {"contradicted"}:
        status = "contradicted"
    else:
        status = "mixed"
    return SignResult(phase[0], phase[1], text, status, weighed)


def weigh_signs(
    questionnaire: Questionnaire, responses: Iterable[Response], language: str
) -> list[SignResult]:
    """Every phase sign of the questionnaire's method, weighed against the responses."""
    method = questionnaire.content
    counts = answer_counts(questionnaire, responses, sorted(method.evidence_questions()))
    support = method.diagnosis.sign_support
    return [
        weigh_sign(sign, counts, support, language, (phase.id, phase.level))
        for phase in method.phases
        for sign in phase.signs
    ]


@dataclass(frozen=True)
class PhaseSigns:
    """The signs of one phase that the answers support."""

    phase: str
    level: int
    signs: tuple[SignResult, ...]


@dataclass(frozen=True)
class SummarySigns:
    """What the summary says about signs: recognised around the phase, and not recognised."""

    recognised: tuple[PhaseSigns, ...]
    not_recognised: tuple[SignResult, ...]
    evaluated: int


def summary_signs(results: Sequence[SignResult], level: int) -> SummarySigns:
    """Supported signs around the organisation's phase; contradicted ones of the phase itself.

    The organisation's own phase always has a group, empty when none of its
    signs is supported; a neighbouring phase only when one of its signs is.
    Mixed and unknown signs are left out: the report claims nothing it cannot back.
    """
    recognised = []
    for near in (level - 1, level, level + 1):
        phase_ids = [r.phase for r in results if r.level == near]
        supported = tuple(r for r in results if r.level == near and r.status == "supported")
        if phase_ids and (supported or near == level):
            recognised.append(PhaseSigns(phase_ids[0], near, supported))
    return SummarySigns(
        recognised=tuple(recognised),
        not_recognised=tuple(r for r in results if r.level == level and r.status == "contradicted"),
        evaluated=sum(1 for r in results if abs(r.level - level) <= 1 and r.status != "unknown"),
    )
