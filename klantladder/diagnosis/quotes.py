"""Quotes that serve the argument: open answers linked to dimensions, chosen with a cap.

An open answer belongs to the dimension its question names (`OpenQuestion.dimension`),
or else to the dimension whose keywords it mentions most. Non-answers ("geen
idee", fewer than three words) never reach the body. Per theme a handful of
quotes is chosen, the bottleneck and focus dimensions first; the choice depends
on the answers' texts only, never on file or respondent order, so the same
answers always give the same quotes. The appendix shows a capped number of the
rest per question and counts what it leaves out, so the report's length does not
grow with the number of respondents.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from klantladder.models.assessment import Response
from klantladder.models.base import localize
from klantladder.models.diagnosis import DiagnosisRules, localize_words
from klantladder.models.method import Method
from klantladder.models.questionnaire import Questionnaire

IDEAL_WORDS = (6, 40)
"""Quotes of this many words read best; shorter and longer ones come later."""

READ_MEMORY = 10_000
"""How many answer texts a reader remembers the keywords of (answers repeat: "geen idee")."""


@dataclass(frozen=True, slots=True)
class OpenAnswer:
    """One respondent's answer to one open question.

    Slotted: a report over 100,000 respondents holds some 200,000 of them.
    """

    respondent: str
    question: str
    text: str
    normal: str = field(init=False, repr=False, compare=False)
    words: int = field(init=False, repr=False, compare=False)
    _order: str | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        # Read once: every choice below compares and counts these.
        object.__setattr__(self, "normal", normalise(self.text))
        object.__setattr__(self, "words", len(self.text.split()))

    def copy_for(self, respondent: str) -> OpenAnswer:
        """The same answer given by another respondent, sharing what was read from the text."""
        copy = object.__new__(OpenAnswer)
        for name, value in (
            ("respondent", respondent),
            ("question", self.question),
            ("text", self.text),
            ("normal", self.normal),
            ("words", self.words),
            ("_order", self.order_key),
        ):
            object.__setattr__(copy, name, value)
        return copy

    @property
    def order_key(self) -> str:
        """A stable tie-breaker that depends on the text only, not on file order."""
        if self._order is None:
            key = hashlib.sha256(f"{self.question}\0{self.normal}".encode()).hexdigest()
            object.__setattr__(self, "_order", key)
        assert self._order is not None
        return self._order


def open_answers(questionnaire: Questionnaire, responses: Iterable[Response]) -> list[OpenAnswer]:
    """Every non-empty open answer, by respondent id, then in questionnaire order.

    An answer given more than once to the same question ("geen idee", "nvt")
    is read once: the copies share its normalised text and order key.
    """
    questions = [question.id for question in questionnaire.open_questions]
    answers = []
    read: dict[tuple[str, str], OpenAnswer] = {}
    for response in sorted(responses, key=lambda r: r.respondent):
        for question_id in questions:
            value = response.answers.get(question_id)
            if isinstance(value, str) and value.strip():
                text = value.strip()
                first = read.get((question_id, text))
                if first is None:
                    answer = read[(question_id, text)] = OpenAnswer(
                        response.respondent, question_id, text
                    )
                else:
                    answer = first.copy_for(response.respondent)
                answers.append(answer)
    return answers


def normalise(text: str) -> str:
    """Lower case, without punctuation and with single spaces, for comparing answers."""
    # NFKC leaves ASCII as it is, and casefold() is lower() there.
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


class AnswerReader:
    """Tells non-answers apart and links answers to dimensions, in one language."""

    def __init__(self, method: Method, language: str) -> None:
        """Read answers written in ``language`` against ``method``'s keywords and rules."""
        self.rules: DiagnosisRules = method.diagnosis
        self._non_answers = {
            normalise(text) for text in localize_words(self.rules.non_answers, language)
        }
        # One pattern for every keyword, longest first; each keyword knows its dimensions.
        self._owners: dict[str, list[str]] = {}
        for dimension in method.dimensions:
            for word in localize_words(dimension.keywords, language):
                key = normalise(word)
                if key and dimension.id not in self._owners.setdefault(key, []):
                    self._owners[key].append(dimension.id)
        self._pattern = (
            # Read left to right, the longest keyword at each place, matches not overlapping.
            re.compile(rf"(?<!\w){_trie_pattern(sorted(self._owners))}") if self._owners else None
        )
        self._order = [dimension.id for dimension in method.dimensions]
        self._ranks: dict[tuple[str, ...], dict[str, int]] = {}
        self._read: dict[str, dict[str, int]] = {}  # hits per normalised text already read

    def is_non_answer(self, answer: OpenAnswer) -> bool:
        """An answer that says nothing: a listed phrase, or fewer words than the minimum."""
        return answer.words < self.rules.min_answer_words or answer.normal in self._non_answers

    def hits(self, text: str) -> dict[str, int]:
        """Per dimension, how many different keywords the text mentions.

        The text is read left to right, taking the longest keyword at each place;
        matches do not overlap.
        """
        return self._hits(normalise(text))

    def _hits(self, normalised: str) -> dict[str, int]:
        found: dict[str, int] = {}
        if self._pattern is None:
            return found
        for word in set(self._pattern.findall(normalised)):
            for dimension_id in self._owners[word]:
                found[dimension_id] = found.get(dimension_id, 0) + 1
        return found

    def theme(
        self, text: str, named: str | None, priority: Sequence[str]
    ) -> tuple[str | None, int]:
        """The dimension a text is about, and how many of its keywords it mentions.

        The question's own dimension wins; otherwise the dimension with most
        keywords, ties going to ``priority`` and then to the method's order.
        """
        return self._theme(self.hits(text), named, priority)

    def answer_theme(
        self, answer: OpenAnswer, named: str | None, priority: Sequence[str]
    ) -> tuple[str | None, int]:
        """`theme` of an answer, reading its normalised text once."""
        hits = self._read.get(answer.normal)
        if hits is None:
            hits = self._hits(answer.normal)
            if len(self._read) < READ_MEMORY:
                self._read[answer.normal] = hits
        return self._theme(hits, named, priority)

    def _theme(
        self, hits: dict[str, int], named: str | None, priority: Sequence[str]
    ) -> tuple[str | None, int]:
        if named is not None:
            return named, hits.get(named, 0)
        if not hits:
            return None, 0
        if len(hits) == 1:
            [(only, count)] = hits.items()
            return only, count
        rank = self._ranks.get(tuple(priority))
        if rank is None:
            rank = {d: i for i, d in reversed(list(enumerate([*priority, *self._order])))}
            self._ranks[tuple(priority)] = rank
        best = min(hits, key=lambda d: (-hits[d], rank.get(d, len(rank))))
        return best, hits[best]


def _trie_pattern(words: Sequence[str]) -> str:
    """One regular expression for many words, shared beginnings factored out.

    Python's regex engine tries alternatives one by one; a trie lets it drop
    every keyword that does not start with the letter at hand at once, which
    makes reading tens of thousands of answers several times faster. Longer
    words are tried before their prefixes, so a match is always the longest.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [
            re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{pattern(trie)})"


def _length_penalty(words: int) -> int:
    low, high = IDEAL_WORDS
    return max(low - words, words - high, 0)


@dataclass(frozen=True)
class Quote:
    """An answer quoted in the body, with the question it answers."""

    text: str
    question: str
    question_text: str


@dataclass(frozen=True)
class QuoteTheme:
    """The quotes chosen for one dimension."""

    dimension: str
    title: str
    advised: bool
    quotes: tuple[Quote, ...]
    candidates: int


@dataclass(frozen=True)
class QuoteSelection:
    """The quotes chapter: themes with their quotes, and the counts behind them."""

    themes: tuple[QuoteTheme, ...]
    answers: int
    non_answers: int
    shown: int
    quoted: frozenset[tuple[str, str]]


def select_quotes(
    method: Method,
    questionnaire: Questionnaire,
    answers: Sequence[OpenAnswer],
    advised: Sequence[str],
    reader: AnswerReader,
    language: str,
) -> QuoteSelection:
    """A handful of quotes per dimension, advised dimensions first, within the caps.

    ``method`` names the themes in the report's language; ``reader`` reads the
    answers in the respondents' language.
    """
    rules = method.diagnosis
    named = {q.id: q.dimension for q in questionnaire.open_questions}
    texts = {q.id: localize(q.text, language) for q in questionnaire.open_questions}
    pools: dict[str, list[tuple[tuple[int, int, str], OpenAnswer]]] = {}
    non_answers = 0
    for answer in answers:
        if reader.is_non_answer(answer):
            non_answers += 1
            continue
        if len(answer.text) > rules.quote_max_characters:
            continue
        theme, hits = reader.answer_theme(answer, named.get(answer.question), advised)
        if theme is None:
            continue
        key = (-min(hits, 2), _length_penalty(answer.words), answer.order_key)
        pools.setdefault(theme, []).append((key, answer))
    order = {dimension.id: i for i, dimension in enumerate(method.dimensions)}
    themes_in_order = sorted(
        pools,
        key=lambda d: (
            advised.index(d) if d in advised else len(advised),
            -len(pools[d]),
            order.get(d, len(order)),
        ),
    )
    themes = []
    seen: set[str] = set()
    quoted: set[tuple[str, str]] = set()
    room = rules.quotes_total
    for dimension_id in themes_in_order:
        if room <= 0:
            break
        chosen: list[Quote] = []
        for _, answer in sorted(pools[dimension_id], key=lambda pair: pair[0]):
            if len(chosen) >= min(rules.quotes_per_theme, room):
                break
            if answer.normal in seen:
                continue
            seen.add(answer.normal)
            quoted.add((answer.respondent, answer.question))
            chosen.append(Quote(answer.text, answer.question, texts[answer.question]))
        room -= len(chosen)
        themes.append(
            QuoteTheme(
                dimension=dimension_id,
                title=localize(method.dimension(dimension_id).title, language),
                advised=dimension_id in advised,
                quotes=tuple(chosen),
                candidates=len(pools[dimension_id]),
            )
        )
    return QuoteSelection(
        themes=tuple(theme for theme in themes if theme.quotes),
        answers=len(answers),
        non_answers=non_answers,
        shown=sum(len(theme.quotes) for theme in themes),
        quoted=frozenset(quoted),
    )


@dataclass(frozen=True)
class QuestionAnswers:
    """The answers appendix for one open question: a capped list and what it leaves out."""

    question: str
    text: str
    total: int
    quoted: int
    non_answers: int
    shown: tuple[str, ...]
    more: int
    shortened: int


def appendix_answers(
    method: Method,
    questionnaire: Questionnaire,
    answers: Sequence[OpenAnswer],
    selection: QuoteSelection,
    reader: AnswerReader,
    language: str,
) -> list[QuestionAnswers]:
    """Per open question, at most ``answers_per_question`` answers not quoted in the body.

    Long answers are cut at ``answer_max_characters``; every answer in full is in
    the export of ``klantladder answers``.
    """
    rules = method.diagnosis
    cap, limit = rules.answers_per_question, rules.answer_max_characters
    sections = []
    for question in questionnaire.open_questions:
        own = [a for a in answers if a.question == question.id]
        meaningful = [a for a in own if not reader.is_non_answer(a)]
        empty = len(own) - len(meaningful)
        rest = [a for a in meaningful if (a.respondent, a.question) not in selection.quoted]
        rest.sort(key=lambda a: (_length_penalty(a.words), a.order_key))
        shown = [_shorten(a.text, limit) for a in rest[:cap]]
        sections.append(
            QuestionAnswers(
                question=question.id,
                text=localize(question.text, language),
                total=len(own),
                quoted=len(own) - empty - len(rest),
                non_answers=empty,
                shown=tuple(text for text, _ in shown),
                more=max(len(rest) - cap, 0),
                shortened=sum(1 for _, cut in shown if cut),
            )
        )
    return sections


def _shorten(text: str, limit: int) -> tuple[str, bool]:
    if len(text) <= limit:
        return text, False
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut} […]", True
