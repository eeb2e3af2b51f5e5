"""``klantladder actions``: the method's proposed actions, written to actions.yaml to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klantladder.cli.common import handle_errors


@handle_errors
def actions(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Assessment folder.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing actions.yaml.")
    ] = False,
) -> None:
    """Write proposed actions for the focus points to FOLDER/actions.yaml, to edit.

    Two or three actions per focus dimension: the method's next step for the
    dimension and the tips the method gives that dimension for its step up.
    The report shows the file as a proposal until an action has an owner,
    deadline or KPI; then as the action plan. An existing actions.yaml is
    never replaced without --force.
    """
    from klantladder.actions import write_proposals

    path, plan = write_proposals(folder, force=force)
    focus = len({action.dimension for action in plan.actions})
    typer.echo(f"wrote {path}: {len(plan.actions)} proposed actions for {focus} dimensions")
    typer.echo("next: fill in owner, deadline and kpi, then: klantladder report " + str(folder))
