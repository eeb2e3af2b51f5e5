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
    """The action plan's rows in plan order, grouped by consecutive dimension.

    None when there is no plan and nothing to propose.
    """
    if planned is None:
        return None
    titles = {d.id: d.title for d in result.dimensions}
    sources = {s.id: localize(s.name, language) for s in method.sources}
    groups: list[dict[str, Any]] = []
    for action in planned.plan.actions:
        # Consecutive actions of one dimension share its cell and stay on one page.
        if not groups or groups[-1]["dimension"] != action.dimension:
            title = titles.get(action.dimension) or localize(
                method.dimension(action.dimension).title, language
            )
            groups.append({"dimension": action.dimension, "title": title, "rows": []})
        groups[-1]["rows"].append(
            {"action": action, "source": sources.get(action.source) if action.source else None}
        )
    return {"proposed": planned.proposed, "groups": groups}
