"""The consultant's own files in an assessment folder: ``notes.md`` and ``actions.yaml``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from klantladder.models.base import Identifier, StrictModel

MAX_CONCLUSION_CHARS = 700
"""The executive page holds a conclusion of this length next to everything else."""

MAX_ACTIONS = 20
"""An action plan longer than this is no longer a plan a board can follow."""

Line = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Sentence = Annotated[str, StringConstraints(min_length=1, max_length=400)]
Conclusion = Annotated[str, StringConstraints(min_length=1, max_length=MAX_CONCLUSION_CHARS)]


class NotesFrontMatter(StrictModel):
    """The optional YAML front matter of ``notes.md`` (between ``---`` lines)."""

    conclusie: Conclusion | None = Field(
        default=None,
        description="The consultant's conclusion in a few sentences, shown on the executive page.",
    )
    conclusion: Conclusion | None = Field(
        default=None, description="The same as `conclusie`, for those who write in English."
    )

    @model_validator(mode="after")
    def _one_conclusion(self) -> NotesFrontMatter:
        if self.conclusie is not None and self.conclusion is not None:
            raise ValueError("give either conclusie or conclusion, not both")
        return self

    @property
    def text(self) -> str | None:
        """The conclusion, whichever key holds it."""
        return self.conclusie or self.conclusion


class Action(StrictModel):
    """One action of the plan: what, for which dimension, who, when, and how to tell it works."""

    dimension: Identifier = Field(description="Id of the method's dimension the action improves.")
    action: Sentence = Field(description="What will be done.")
    owner: Line | None = Field(default=None, description="Who leads it (a role or a name).")
    deadline: dt.date | None = Field(default=None, description="When it is done (YYYY-MM-DD).")
    kpi: Sentence | None = Field(default=None, description="How progress is measured.")
    first_step: Sentence | None = Field(default=None, description="The very first step, this week.")
    source: Identifier | None = Field(
        default=None, description="Id of the method source a proposed action comes from."
    )


class ActionPlan(StrictModel):
    """The action plan (``actions.yaml``): the consultant's actions, in order."""

    actions: list[Action] = Field(
        min_length=1,
        max_length=MAX_ACTIONS,
        description=(
            "The actions. To get the method's proposals instead, delete the file; "
            "'klantladder actions DIR' writes them here to edit."
        ),
    )
