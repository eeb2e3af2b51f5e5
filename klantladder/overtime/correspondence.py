"""Which questions of two questionnaires measure the same thing.

Questions of two questionnaires correspond in one of two ways:

* the same questionnaire in the version the newer one declares its changes
  against (``previous_version``, by default the version before): the newer
  version's ``replaces`` and ``dropped`` apply, and the other questions
  correspond by id;
* otherwise (another questionnaire on the same method, such as a quick scan
  against the intake, or versions further apart): questions correspond by id.

A question that keeps its id but changes kind or evidenced level without a
declared change is never paired, and no pair spans two dimensions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from klantladder.models.base import Issue, Location, Text
from klantladder.models.comparison import LeftOutReason, LinkKind, Side
from klantladder.models.questionnaire import LikertQuestion, Questionnaire, ScoredQuestion

Pairing = Literal["declared", "by_id", "declarations_skipped"]
"""How the questions were paired: by the newer version's declarations, by id, or
by id although the newer version declares changes against another version."""


@dataclass(frozen=True)
class Link:
    """Questions of the earlier and the later questionnaire that measure the same."""

    dimension: str
    earlier: tuple[str, ...]
    later: tuple[str, ...]
    change: LinkKind


@dataclass(frozen=True)
class Unpaired:
    """A scored question without a counterpart in the other questionnaire."""

    dimension: str
    question: str
    side: Side
    reason: LeftOutReason
    note: Text | None = None


@dataclass(frozen=True)
class Correspondence:
    """How the scored questions of two questionnaires pair up."""

    pairing: Pairing
    links: tuple[Link, ...]
    unpaired: tuple[Unpaired, ...]

    def questions(self, side: Side) -> set[str]:
        """The question ids of one side that are compared."""
        return {q for link in self.links for q in getattr(link, side)}


def applies_declarations(older: Questionnaire, newer: Questionnaire) -> bool:
    """Whether ``newer`` declares its changes against exactly ``older``."""
    return (
        older.id == newer.id
        and older.version < newer.version
        and newer.declared_against == older.version
    )


def declaration_issues(older: Questionnaire, newer: Questionnaire) -> list[Issue]:
    """Problems with ``newer``'s declarations against ``older``, at their places in ``newer``.

    Every question that ``replaces`` names must be a scored question of the
    older version, and every dropped question must be one of its questions.
    """
    if not applies_declarations(older, newer):
        return []
    asked = {q.id: q for q in older.questions}
    scored = {q.id for q in older.scored_questions}
    where = f"{older.id} version {older.version}"
    issues: list[Issue] = []
    for index, question in enumerate(newer.questions):
        replaces = getattr(question, "replaces", None)
        if replaces is None:
            continue
        for number, old_id in enumerate(replaces.questions):
            location: Location = ("questions", index, "replaces", "questions", number)
            if old_id not in asked:
                issues.append((location, f"{where} has no question {old_id!r}"))
            elif old_id not in scored:
                issues.append(
                    (location, f"{old_id!r} is not a scored question in {where}; it has no score")
                )
    for index, dropped in enumerate(newer.dropped):
        if dropped.id not in asked:
            issues.append((("dropped", index, "id"), f"{where} has no question {dropped.id!r}"))
    return issues


def correspondence(earlier: Questionnaire, later: Questionnaire) -> Correspondence:
    """Pair the scored questions of the questionnaires of an earlier and a later assessment.

    The later assessment usually has the newer questionnaire, but need not:
    declarations are read from whichever version is newer. Call
    `declaration_issues` first; this function trusts the declarations.
    """
    flipped = earlier.id == later.id and earlier.version > later.version
    older, newer = (later, earlier) if flipped else (earlier, later)
    if applies_declarations(older, newer):
        pairing: Pairing = "declared"
        old_new = _declared_links(older, newer)
    else:
        pairing = "declarations_skipped" if _skips(older, newer) else "by_id"
        old_new = [((q.id,), (q.id,), "same") for q in newer.scored_questions]
        old_new = [pair for pair in old_new if pair[0][0] in _scored(older)]
    pairs = [(n, o, change) for o, n, change in old_new] if flipped else old_new
    builder = _Builder(earlier, later)
    for earlier_ids, later_ids, change in pairs:
        builder.pair(earlier_ids, later_ids, change)
    dropped = {d.id: d.reason for d in newer.dropped} if pairing == "declared" else {}
    builder.finish(dropped, older_side="later" if flipped else "earlier")
    return Correspondence(pairing, tuple(builder.links), tuple(builder.unpaired))


OldNew = tuple[tuple[str, ...], tuple[str, ...], LinkKind]


def _declared_links(older: Questionnaire, newer: Questionnaire) -> list[OldNew]:
    links: list[OldNew] = []
    splits: dict[str, list[str]] = {}
    for question in newer.scored_questions:
        replaces = question.replaces
        if replaces is None:
            if question.id in _scored(older):
                links.append(((question.id,), (question.id,), "same"))
        elif replaces.change == "split":
            splits.setdefault(replaces.questions[0], []).append(question.id)
        else:
            links.append((tuple(replaces.questions), (question.id,), replaces.change))
    links += [((old,), tuple(new), "split") for old, new in splits.items()]
    return links


def _skips(older: Questionnaire, newer: Questionnaire) -> bool:
    return older.id == newer.id and older.version != newer.version and newer.declares_changes


def _scored(questionnaire: Questionnaire) -> dict[str, ScoredQuestion]:
    return {q.id: q for q in questionnaire.scored_questions}


_NO_COUNTERPART: tuple[tuple[Side, LeftOutReason], ...] = (
    ("earlier", "not_in_later"),
    ("later", "not_in_earlier"),
)


class _Builder:
    """Checks each proposed pair and collects the links and the questions left out."""

    def __init__(self, earlier: Questionnaire, later: Questionnaire) -> None:
        self.questions: dict[Side, dict[str, ScoredQuestion]] = {
            "earlier": _scored(earlier),
            "later": _scored(later),
        }
        self.links: list[Link] = []
        self.unpaired: list[Unpaired] = []
        self.placed: dict[Side, set[str]] = {"earlier": set(), "later": set()}

    def pair(self, earlier: tuple[str, ...], later: tuple[str, ...], change: LinkKind) -> None:
        members: list[tuple[Side, str]] = [("earlier", q) for q in earlier]
        members += [("later", q) for q in later]
        found: list[tuple[Side, ScoredQuestion]] = [
            (side, self.questions[side][q]) for side, q in members if q in self.questions[side]
        ]
        dimensions = {question.dimension for _, question in found}
        if len(dimensions) > 1:
            self._leave_out(found, "changed_dimension")
        elif change == "same" and not _same_scale(found[0][1], found[1][1]):
            self._leave_out(found, "changed_scale")
        else:
            self.links.append(Link(dimensions.pop(), earlier, later, change))
            self._place(found)

    def finish(self, dropped: dict[str, Text], older_side: Side) -> None:
        for side, reason in _NO_COUNTERPART:
            for question in self.questions[side].values():
                if question.id in self.placed[side]:
                    continue
                if side == older_side and question.id in dropped:
                    self._add(side, question, "dropped", dropped[question.id])
                else:
                    self._add(side, question, reason)

    def _leave_out(
        self, found: Iterable[tuple[Side, ScoredQuestion]], reason: LeftOutReason
    ) -> None:
        for side, question in found:
            self._add(side, question, reason)

    def _add(
        self, side: Side, question: ScoredQuestion, reason: LeftOutReason, note: Text | None = None
    ) -> None:
        self.unpaired.append(Unpaired(question.dimension, question.id, side, reason, note))
        self.placed[side].add(question.id)

    def _place(self, found: Iterable[tuple[Side, ScoredQuestion]]) -> None:
        for side, question in found:
            self.placed[side].add(question.id)


def _same_scale(first: ScoredQuestion, second: ScoredQuestion) -> bool:
    if first.kind != second.kind:
        return False
    if isinstance(first, LikertQuestion) and isinstance(second, LikertQuestion):
        return first.evidences_level == second.evidences_level
    return True
