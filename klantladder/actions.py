"""The action plan: the consultant's ``actions.yaml``, or proposals from the method.

Without ``actions.yaml`` the report proposes two or three actions per focus
dimension: the dimension's own next step for its level, and the first tips the
advice chapter gives that dimension for its step up. `write_proposals`
(``klantladder actions DIR``) writes those proposals to ``actions.yaml`` to
edit; the report shows the file as a proposal until an action in it has an
owner, a deadline or a KPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klantladder.diagnosis.advice import dimension_tips
from klantladder.errors import InputError, OutputExistsError
from klantladder.fileio import dump_yaml, write_atomic
from klantladder.folder import AssessmentFolder, load_assessment
from klantladder.models.base import localize
from klantladder.models.consultant import Action, ActionPlan
from klantladder.models.method import Method
from klantladder.models.result import ScoreResult
from klantladder.validation import issue_problems, validate_document
from klantladder.yamlsource import load_yaml_file, parse_yaml

ACTIONS_FILE = "actions.yaml"
TIPS_PER_DIMENSION = 2
"""Besides its next step, a focus dimension gets up to this many of its advised tips."""


@dataclass(frozen=True)
class PlannedActions:
    """The action plan the report shows: the consultant's own, or the method's proposals."""

    plan: ActionPlan
    proposed: bool


def load_actions(folder: Path, method: Method) -> ActionPlan | None:
    """Read and check ``actions.yaml`` of an assessment folder; None when there is none.

    Every problem is reported at once as ``file:line:col``: unknown keys, a
    date that is not a date, a dimension or source the method does not have.
    """
    path = folder / ACTIONS_FILE
    if not path.exists():
        return None
    document = load_yaml_file(path, within=folder)
    plan = validate_document(document, ActionPlan)
    problems = issue_problems(document, _method_issues(plan, method))
    if problems:
        raise InputError(problems)
    return plan


def _method_issues(plan: ActionPlan, method: Method) -> list[tuple[tuple[str | int, ...], str]]:
    dimensions = [d.id for d in method.dimensions]
    sources = {s.id for s in method.sources}
    issues: list[tuple[tuple[str | int, ...], str]] = []
    for index, action in enumerate(plan.actions):
        if action.dimension not in dimensions:
            issues.append(
                (
                    ("actions", index, "dimension"),
                    f"unknown dimension {action.dimension!r}; dimensions: {', '.join(dimensions)}",
                )
            )
        if action.source is not None and action.source not in sources:
            issues.append((("actions", index, "source"), f"unknown source {action.source!r}"))
    return issues


def propose_actions(result: ScoreResult, method: Method) -> ActionPlan | None:
    """Two or three proposed actions per focus dimension; None when nothing can be proposed.

    For each focus dimension: its next step for its level, then up to
    `TIPS_PER_DIMENSION` of the tips the advice chapter gives it
    (`dimension_tips`: tagged for the dimension, for its step up), skipping a
    tip an earlier dimension was already given. With no focus dimension (all in
    the top phase), the tips of the lowest-scoring dimension that has any.
    """
    language = result.questionnaire.language
    focus = [(point.dimension, point.phase.level) for point in result.focus]
    if focus:
        actions = _actions_for(focus, method, language)
    else:
        # All in the top phase: the lowest-scoring dimension the method has advice for.
        scored = sorted(
            (d.mean, index, d.id, d.phase.level)
            for index, d in enumerate(result.dimensions)
            if d.mean is not None and d.phase is not None
        )
        actions = next(
            (
                found
                for _, _, dimension_id, level in scored
                if (found := _actions_for([(dimension_id, level)], method, language))
            ),
            [],
        )
    return ActionPlan(actions=actions) if actions else None


def _actions_for(targets: list[tuple[str, int]], method: Method, language: str) -> list[Action]:
    """Per (dimension, level): its next step, then its advised tips not given before."""
    actions: list[Action] = []
    used: set[str] = set()
    for dimension_id, level in targets:
        step = method.dimension(dimension_id).next_steps.get(level)
        if step is not None:
            actions.append(Action(dimension=dimension_id, action=localize(step, language)))
        fresh = [
            tip
            for tip in dimension_tips(method, dimension_id, level)
            if localize(tip.title, language) not in used
        ]
        for tip in fresh[:TIPS_PER_DIMENSION]:
            title = localize(tip.title, language)
            used.add(title)
            actions.append(
                Action(
                    dimension=dimension_id,
                    action=f"{title.rstrip('.')}.",
                    first_step=localize(tip.text, language),
                    source=tip.source,
                )
            )
    return actions


def is_filled_in(plan: ActionPlan) -> bool:
    """Whether some action has an owner, a deadline or a KPI: then it is the consultant's plan.

    Until then (as ``klantladder actions`` wrote it) the report shows the
    actions as a proposal.
    """
    return any(a.owner or a.deadline or a.kpi for a in plan.actions)


def planned_actions(folder: AssessmentFolder) -> PlannedActions | None:
    """The consultant's ``actions.yaml``, else the method's proposals; None if neither exists.

    The file counts as a proposal until some action in it has an owner, a
    deadline or a KPI (`is_filled_in`).
    """
    method = folder.questionnaire.content
    own = load_actions(folder.path, method)
    if own is not None:
        return PlannedActions(own, proposed=not is_filled_in(own))
    proposals = propose_actions(folder.score(), method)
    return PlannedActions(proposals, proposed=True) if proposals else None


def write_proposals(folder_path: Path, *, force: bool = False) -> tuple[Path, ActionPlan]:
    """Write the proposed actions to ``DIR/actions.yaml`` to edit; never overwrite unless ``force``.

    Returns the file and the plan written. Writes atomically.
    """
    target = folder_path / ACTIONS_FILE
    if target.exists() and not force:
        raise OutputExistsError(target)
    folder = load_assessment(folder_path)
    result = folder.score()
    plan = propose_actions(result, folder.questionnaire.content)
    if plan is None:
        reason = (
            "every dimension is in the top phase and the method has no tip for them"
            if any(d.mean is not None for d in result.dimensions)
            else "no dimension has a score"
        )
        raise InputError.single(folder_path, f"{reason}: nothing to propose")
    data = plan.model_dump(mode="json")
    # Every field is written, so the file shows what can be filled in.
    text = dump_yaml(data, header=_HEADER)
    check = parse_yaml(text, str(target))
    validate_document(check, ActionPlan)
    write_atomic(target, text, force=force)
    return target, plan


_HEADER = """\
# The action plan of this assessment. Proposed by 'klantladder actions' from
# the method's next steps and tips for the focus dimensions: edit, remove or
# add actions. The report shows the plan as a proposal until an action has an
# owner, a deadline or a KPI. For each action:
#   dimension   id of the dimension it improves (see 'klantladder score DIR --json')
#   action      what will be done
#   owner       who leads it (a role or a name)
#   deadline    when it is done, as YYYY-MM-DD
#   kpi         how progress is measured
#   first_step  the very first step
#   source      the method source of a proposal (may be removed)
# Replace each null with a value, or leave it null to fill in later.
# Delete this file to go back to the method's proposals."""
