"""The one-page executive summary: what a board member reads if they read one page.

Everything on it comes from the result and the folder: the phase, the key
findings with their evidence (`klantladder.diagnosis.findings`; the third one
holds the trend and the benchmark when they are given), why (the result's own
sentences), the road to the next phase, the focus points with their reason and
next step, what to decide (the action plan), and the consultant's conclusion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from klantladder.models.result import KeyFinding, ScoreResult

if TYPE_CHECKING:
    from klantladder.actions import PlannedActions

DECISIONS_PER_FOCUS = 1
"""The executive page asks a decision on the first action of each focus dimension."""


def explanation_parts(result: ScoreResult) -> tuple[list[str], list[str]]:
    """The 'why' sentences and the road to the next phase, from ``result.explanation``.

    The explanation ends with one sentence per focus point. Before them stands
    the road: one sentence per dimension the next phase needs and one for the
    mean when the rule asks it to rise (`klantladder.scoring.explain`), or in
    the top phase one sentence on staying there. The sentences before the road
    say why the organisation is in its phase.
    """
    sentences = list(result.explanation)
    own = sentences[: len(sentences) - len(result.focus)]
    road = result.overall.road
    count = 1 if road is None else len(road.dimensions) + (road.mean is not None)
    split = max(len(own) - count, 0)
    return own[:split], own[split:]


def decisions(planned: PlannedActions | None, result: ScoreResult) -> list[dict[str, Any]]:
    """Per focus dimension its first action, with owner and deadline when the plan has them.

    Without focus dimensions, the plan's first action.
    """
    if planned is None:
        return []
    titles = {d.id: d.title for d in result.dimensions}
    actions = planned.plan.actions
    if result.focus:
        chosen = [
            action
            for point in result.focus
            for action in [a for a in actions if a.dimension == point.dimension][
                :DECISIONS_PER_FOCUS
            ]
        ]
    else:
        chosen = actions[:1]
    return [{"title": titles.get(a.dimension, a.dimension), "action": a} for a in chosen]


def executive_context(
    result: ScoreResult,
    *,
    planned: PlannedActions | None,
    conclusion: str | None,
    findings: list[KeyFinding],
    quotes_translated: bool = False,
) -> dict[str, Any]:
    """The executive page's context.

    ``quotes_translated``: the findings quote respondents in another language than
    the report's, which the page says.
    """
    why, road = explanation_parts(result)
    return {
        "why": why,
        "road": road,
        "focus": [
            {"point": point, "dimension": result.dimension(point.dimension)}
            for point in result.focus
        ],
        "decisions": decisions(planned, result),
        "proposed": planned.proposed if planned else False,
        "conclusion": conclusion,
        "findings": findings,
        "quotes_translated": quotes_translated,
    }
