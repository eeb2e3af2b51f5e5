"""The action plan as the report shows it: one row per action, with its dimension's title."""

from __future__ import annotations

from typing import Any

from klantladder.actions import PlannedActions
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.result import ScoreResult


def action_rows(
    planned: PlannedActions | None, result: ScoreResult, method: Method, language: str
) -> dict[str, Any] | None:
    """The action plan's rows in plan order; None when there is no plan and nothing to propose."""
    if planned is None:
        return None
    titles = {d.id: d.title for d in result.dimensions}
    sources = {s.id: localize(s.name, language) for s in method.sources}
    actions = planned.plan.actions
    rows = []
    for index, action in enumerate(actions):
        # Consecutive actions of one dimension share its cell.
        span = 0
        if index == 0 or actions[index - 1].dimension != action.dimension:
            span = 1
            while index + span < len(actions) and actions[index + span].dimension == (
                action.dimension
            ):
                span += 1
        rows.append(
            {
                "title": titles.get(action.dimension)
                or localize(method.dimension(action.dimension).title, language),
                "span": span,
                "action": action,
                "source": sources.get(action.source) if action.source else None,
            }
        )
    return {"proposed": planned.proposed, "rows": rows}
