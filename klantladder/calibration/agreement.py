"""Agreement between expected phases and placements: the table, the shares, the confusion."""

from __future__ import annotations

from collections.abc import Sequence

from klantladder.calibration.cases import Case, ordered_thresholds, place
from klantladder.models.base import localize
from klantladder.models.calibrating import Agreement, Direction, Outcome, Placement
from klantladder.models.method import Method, OverallRule
from klantladder.models.result import PhaseRef


def outcome(case: Case, level: int) -> tuple[Outcome, Direction | None]:
    """Whether a placement is exact, acceptable or a miss, and on which side."""
    direction: Direction | None = None
    if level < case.expected:
        direction = "low"
    elif level > case.expected:
        direction = "high"
    if level == case.expected:
        return "exact", None
    if level in case.acceptable:
        return "acceptable", direction
    return "miss", direction


def phase_ref(method: Method, level: int, language: str) -> PhaseRef:
    """A phase of the method, named in ``language``."""
    phase = method.phase_at(level)
    return PhaseRef(id=phase.id, level=phase.level, name=localize(phase.name, language))


def agreement(
    cases: Sequence[Case],
    language: str,
    thresholds: Sequence[float] | None = None,
    rule: OverallRule | None = None,
) -> Agreement:
    """Place every case by ``thresholds`` and ``rule``, each else its questionnaire's own."""
    placements = []
    confusion: dict[str, dict[str, int]] = {}
    for case in cases:
        method = case.method
        own = ordered_thresholds(method)
        chosen = own if thresholds is None else thresholds
        overall = method.scoring.overall if rule is None else rule
        level = place(case.score, case.weakest, chosen, overall)
        result, direction = outcome(case, level)
        expected = phase_ref(method, case.expected, language)
        placed = phase_ref(method, level, language)
        row = confusion.setdefault(expected.id, {})
        row[placed.id] = row.get(placed.id, 0) + 1
        placements.append(
            Placement(
                folder=case.label,
                organisation=case.folder.assessment.organisation,
                questionnaire=_questionnaire_name(case),
                respondents=case.result.respondents,
                expected=expected,
                acceptable=[
                    phase_ref(method, acceptable, language)
                    for acceptable in sorted(case.acceptable)
                ],
                score=case.score,
                weakest=case.weakest,
                placed=placed,
                outcome=result,
                direction=direction,
            )
        )
    return Agreement(
        thresholds=_thresholds(cases, thresholds),
        rule=_rule(cases, rule),
        organisations=len(placements),
        exact=sum(1 for p in placements if p.outcome == "exact"),
        within_acceptable=sum(1 for p in placements if p.outcome != "miss"),
        misses_low=sum(1 for p in placements if p.direction == "low"),
        misses_high=sum(1 for p in placements if p.direction == "high"),
        confusion=_ordered(confusion, cases),
        placements=placements,
    )


def _thresholds(cases: Sequence[Case], given: Sequence[float] | None) -> dict[str, float] | None:
    method = cases[0].method
    ids = [phase.id for phase in method.phases[1:]]
    if given is not None:
        return dict(zip(ids, given, strict=True))
    owns = {ordered_thresholds(case.method) for case in cases}
    if len(owns) != 1:
        return None
    return dict(zip(ids, owns.pop(), strict=True))


def _rule(cases: Sequence[Case], given: OverallRule | None) -> OverallRule | None:
    if given is not None:
        return given
    owns = [case.method.scoring.overall for case in cases]
    return owns[0] if all(own == owns[0] for own in owns) else None


def _questionnaire_name(case: Case) -> str:
    info = case.result.questionnaire
    return f"{info.id} v{info.version}"


Confusion = dict[str, dict[str, int]]


def _ordered(confusion: Confusion, cases: Sequence[Case]) -> Confusion:
    """Rows and columns in ladder order."""
    order = [phase.id for phase in cases[0].method.phases]
    return {
        expected: {placed: row[placed] for placed in order if placed in row}
        for expected in order
        if (row := confusion.get(expected))
    }
