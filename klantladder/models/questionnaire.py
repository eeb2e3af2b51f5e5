"""The questionnaire: its questions, on top of a method."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    Field,
    PositiveInt,
    PrivateAttr,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from klantladder.models.base import (
    Identifier,
    Issue,
    LanguageCode,
    Location,
    StrictModel,
    Text,
    duplicate_ids,
    raise_unless_deferred,
)
from klantladder.models.calibration import Calibration
from klantladder.models.method import LEVELS, Level, Method, OverallRule

ChangeKind = Literal["renamed", "reworded", "split", "merged"]


class Replaces(StrictModel):
    """What the previous questionnaire version asked instead of this question.

    Comparisons over time use it to pair this question with the earlier one(s),
    so that a trend compares the same questions.
    """

    questions: list[Identifier] = Field(
        min_length=1,
        description=(
            "Ids of the question(s) in the previous version: exactly one for renamed, reworded "
            "and split; two or more for merged."
        ),
    )
    change: ChangeKind = Field(
        description=(
            "renamed: the same question under a new id; reworded: the wording changed but it "
            "measures the same (the id may stay); split: one earlier question became several, "
            "each of which names it; merged: several earlier questions became this one."
        )
    )

    @model_validator(mode="after")
    def _count_fits_change(self) -> Replaces:
        if len(set(self.questions)) != len(self.questions):
            raise ValueError("replaces names a question twice")
        if self.change == "merged" and len(self.questions) < 2:
            raise ValueError("merged needs the two or more earlier questions that became this one")
        if self.change != "merged" and len(self.questions) != 1:
            raise ValueError(
                f"{self.change} replaces exactly one earlier question; "
                f"use merged when several became one"
            )
        return self


class DroppedQuestion(StrictModel):
    """A question of the previous version that this version no longer asks."""

    id: Identifier = Field(description="Id of the question in the previous version.")
    reason: Text = Field(description="Why it was dropped; shown where a comparison leaves it out.")


ConditionValue = StrictInt | Identifier
"""An option id of a profile question, or a level 1-5 of a ladder or agreement question."""


class Condition(StrictModel):
    """When a question is asked: a condition on the answer to an earlier question.

    Give exactly one of `in` and `not_in`. 'Don't know' and no answer count as no
    answer: `in` is then false (the question is not asked) and `not_in` true.
    """

    question: Identifier = Field(description="Id of an earlier single-answer question.")
    in_: list[ConditionValue] | None = Field(
        default=None,
        alias="in",
        min_length=1,
        description="Ask only when that answer is one of these option ids or levels.",
    )
    not_in: list[ConditionValue] | None = Field(
        default=None,
        min_length=1,
        description="Ask unless that answer is one of these option ids or levels.",
    )

    @model_validator(mode="after")
    def _one_list(self) -> Condition:
        if (self.in_ is None) == (self.not_in is None):
            raise ValueError("give exactly one of 'in' and 'not_in'")
        return self

    @property
    def values(self) -> list[int | str]:
        """The option ids or levels the condition names."""
        return list(self.in_ if self.in_ is not None else self.not_in or [])


class _QuestionBase(StrictModel):
    id: Identifier = Field(description="Unique question id; answers are stored under it.")
    text: Text = Field(description="The question or statement as the respondent reads it.")
    help: Text | None = Field(default=None, description="Optional explanation shown with it.")
    when: Condition | None = Field(
        default=None,
        description=(
            "Ask this question only when an earlier answer meets a condition; otherwise it "
            "is not asked, and counted apart from 'don't know'."
        ),
    )


class _ScoredQuestion(_QuestionBase):
    dimension: Identifier = Field(description="Id of the dimension this question measures.")
    weight: float = Field(default=1.0, gt=0, le=10, description="Weight within its dimension.")
    allow_unknown: bool = Field(
        default=True, description="Offer 'don't know / not applicable' (excluded from scores)."
    )
    replaces: Replaces | None = Field(
        default=None, description="The earlier question(s) this one continues, for trends."
    )


class LadderQuestion(_ScoredQuestion):
    """Pick the statement that fits best; each statement describes one level."""

    kind: Literal["ladder"] = Field(description="A ladder question.")
    statements: dict[int, Text] = Field(
        description="Exactly one statement per level 1-5, describing observable behaviour."
    )

    @field_validator("statements")
    @classmethod
    def _one_statement_per_level(cls, statements: dict[int, Text]) -> dict[int, Text]:
        missing = [str(level) for level in LEVELS if level not in statements]
        extra = [str(level) for level in statements if level not in LEVELS]
        if missing:
            raise ValueError(f"ladder question has no statement for level {', '.join(missing)}")
        if extra:
            raise ValueError(f"statement level {', '.join(extra)} is not one of 1-5")
        return dict(sorted(statements.items()))


class LikertQuestion(_ScoredQuestion):
    """An agreement statement (1-5) that evidences one level of the ladder."""

    kind: Literal["likert"] = Field(description="An agreement statement.")
    evidences_level: Level = Field(
        description="The level that full agreement with the statement shows (2-5).", ge=2
    )


class ProfileOption(StrictModel):
    """One choice of a profile question."""

    id: Identifier = Field(description="Option id; stored in answers and import mappings.")
    label: Text = Field(description="The option as the respondent reads it.")


class ProfileQuestion(_QuestionBase):
    """A question about the respondent that defines segments (department, role...)."""

    kind: Literal["profile"] = Field(description="A profile question.")
    label: Text | None = Field(
        default=None,
        description=(
            "Short name of what the question asks, for the report's headings, e.g. "
            "'Afdeling' for 'In welke afdeling werk je?'; the question text when omitted."
        ),
    )
    options: list[ProfileOption] = Field(min_length=2, description="The choices.")
    multiple: bool = Field(default=False, description="Several options may be chosen.")
    allow_unknown: bool = Field(default=True, description="Offer 'prefer not to say'.")
    segment: bool = Field(
        default=True,
        description=(
            "Define segments in the results. false for a question of fact about the "
            "organisation that only decides which later questions are asked."
        ),
    )


class OpenQuestion(_QuestionBase):
    """A free-text question; answers appear as quotes in the report."""

    kind: Literal["open"] = Field(description="An open question.")
    dimension: Identifier | None = Field(
        default=None,
        description=(
            "Id of the dimension the question is about, if one; its answers are quoted under "
            "that dimension. Without it, the dimensions' keywords link each answer."
        ),
    )


Question = Annotated[
    LadderQuestion | LikertQuestion | ProfileQuestion | OpenQuestion,
    Field(discriminator="kind"),
]
ScoredQuestion = LadderQuestion | LikertQuestion
"""A question that yields a level."""


class ScoringOverrides(StrictModel):
    """Scoring rules of this questionnaire that replace the method's.

    Thresholds are fitted to a questionnaire's items, so they may live with the
    questionnaire; the method's rules apply to everything not given here.
    """

    thresholds: dict[Identifier, float] | None = Field(
        default=None,
        description=(
            "Minimum score for each phase above level 1, by phase id, instead of the "
            "method's; each lies in (1, 5] and they rise from phase to phase."
        ),
    )
    overall: OverallRule | None = Field(
        default=None, description="The overall rule instead of the method's."
    )


class Questionnaire(StrictModel):
    """A questionnaire: metadata, its method and its questions."""

    id: Identifier = Field(description="Questionnaire id, e.g. intake.")
    version: PositiveInt = Field(description="Version; raise it when questions change.")
    languages: list[LanguageCode] = Field(min_length=1, description="Languages of the texts.")
    title: Text = Field(description="Title shown to respondents and in the report.")
    description: Text | None = Field(default=None, description="Introduction for respondents.")
    minutes: PositiveInt | None = Field(
        default=None, description="About how many minutes answering takes."
    )
    method: Method | str = Field(
        description=(
            "The method (phases, dimensions, scoring): the id of a shipped method such as "
            "'klantladder', a path to a method file relative to this file, or the method inline."
        )
    )
    questions: list[Question] = Field(min_length=1, description="The questions, in order.")
    previous_version: PositiveInt | None = Field(
        default=None,
        description=(
            "The version that the `replaces` and `dropped` declarations refer to "
            "[default: version - 1]."
        ),
    )
    dropped: list[DroppedQuestion] = Field(
        default_factory=list,
        description="Questions of the previous version that this version no longer asks.",
    )
    scoring: ScoringOverrides | None = Field(
        default=None,
        description="Scoring rules (thresholds, overall rule) that replace the method's.",
    )
    calibration: Calibration | None = Field(
        default=None,
        description="How this questionnaire's thresholds were fitted on a calibration set.",
    )
    _effective: Method | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Questionnaire:
        raise_unless_deferred(self.consistency_issues(), info)
        return self

    @property
    def content(self) -> Method:
        """The resolved method, with this questionnaire's scoring overrides applied.

        The loader always resolves a method reference. Everything that scores,
        explains or draws phases reads the rules from here, so the thresholds
        actually used are the same everywhere.
        """
        if isinstance(self.method, str):
            raise RuntimeError(f"method {self.method!r} was not resolved; use load_questionnaire")
        if self._effective is None:
            self._effective = _apply_overrides(self.method, self.scoring)
        return self._effective

    @property
    def thresholds_from(self) -> Literal["method", "questionnaire"]:
        """Where the thresholds in use are declared."""
        if self.scoring is not None and self.scoring.thresholds is not None:
            return "questionnaire"
        return "method"

    def consistency_issues(self) -> list[Issue]:
        """Cross checks between the questions and the method, each with its location."""
        if isinstance(self.method, str):
            return [(("method",), f"method reference {self.method!r} is not resolved")]
        method = self.method
        issues: list[Issue] = []
        missing_languages = [lang for lang in self.languages if lang not in method.languages]
        if missing_languages:
            issues.append(
                (("method",), f"method {method.id!r} has no {', '.join(missing_languages)} texts")
            )
        issues += duplicate_ids("questions", "question", [q.id for q in self.questions])
        dimension_ids = {dimension.id for dimension in method.dimensions}
        for index, question in enumerate(self.questions):
            if (
                isinstance(question, LadderQuestion | LikertQuestion | OpenQuestion)
                and question.dimension is not None
                and question.dimension not in dimension_ids
            ):
                issues.append(
                    (("questions", index, "dimension"), f"unknown dimension {question.dimension!r}")
                )
            if isinstance(question, ProfileQuestion):
                issues += [
                    (("questions", index, *loc), message)
                    for loc, message in duplicate_ids(
                        "options", "option", [option.id for option in question.options]
                    )
                ]
        measured = {
            q.dimension for q in self.questions if isinstance(q, LadderQuestion | LikertQuestion)
        }
        for index, dimension in enumerate(method.dimensions):
            if dimension.id not in measured:
                issues.append(
                    (
                        ("method", "dimensions", index, "id"),
                        f"dimension {dimension.id!r} has no questions",
                    )
                )
        issues += _declaration_issues(self)
        issues += _routing_issues(self)
        issues += _scoring_issues(self, method)
        return issues

    def evidence_issues(self) -> list[Issue]:
        """Signs whose evidence names a question of this questionnaire that yields no level.

        Locations are in the method. A question the questionnaire does not ask is no
        problem: the sign is simply not evaluated (a quick scan asks fewer questions).
        """
        if isinstance(self.method, str):
            return []
        asked = {question.id: question for question in self.questions}
        issues: list[Issue] = []
        for index, phase in enumerate(self.method.phases):
            for number, sign in enumerate(phase.signs):
                for position, evidence in enumerate(sign.evidence):
                    question = asked.get(evidence.question)
                    if question is None or isinstance(question, LadderQuestion | LikertQuestion):
                        continue
                    issues.append(
                        (
                            ("phases", index, "signs", number, "evidence", position, "question"),
                            f"question {evidence.question!r} of questionnaire {self.id!r} is a "
                            f"{question.kind} question; evidence needs a ladder or agreement "
                            f"question",
                        )
                    )
        return issues

    @property
    def declared_against(self) -> int:
        """The version that `replaces` and `dropped` refer to (0 for none)."""
        return self.previous_version or self.version - 1

    @property
    def declares_changes(self) -> bool:
        """Whether any question replaces an earlier one or any question is dropped."""
        return bool(self.dropped) or any(q.replaces for q in self.scored_questions)

    def question(self, question_id: str) -> Question:
        """Return the question with this id (KeyError when there is none)."""
        return self._questions_by_id[question_id]

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        # Importers look a question up per cell: 400,000 times for 10,000 respondents.
        return {question.id: question for question in self.questions}

    @property
    def scored_questions(self) -> list[ScoredQuestion]:
        """The ladder and likert questions, which yield levels."""
        return [q for q in self.questions if isinstance(q, LadderQuestion | LikertQuestion)]

    @property
    def profile_questions(self) -> list[ProfileQuestion]:
        """The questions that define segments."""
        return [q for q in self.questions if isinstance(q, ProfileQuestion)]

    @property
    def open_questions(self) -> list[OpenQuestion]:
        """The free-text questions."""
        return [q for q in self.questions if isinstance(q, OpenQuestion)]


def _declaration_issues(questionnaire: Questionnaire) -> list[Issue]:
    """Checks of `replaces` and `dropped` that need no earlier version.

    That the named questions exist in the earlier version is checked when two
    assessments are compared, since only then is the earlier version at hand.
    """
    issues: list[Issue] = []
    current = {q.id: q for q in questionnaire.questions}
    if questionnaire.previous_version is not None and (
        questionnaire.previous_version >= questionnaire.version
    ):
        issues.append(
            (
                ("previous_version",),
                f"previous_version must be lower than this version ({questionnaire.version})",
            )
        )
    if questionnaire.declares_changes and questionnaire.declared_against < 1:
        issues.append(
            (
                ("version",),
                "version 1 has no previous version to replace or drop questions from; "
                "raise version or set previous_version",
            )
        )
    # earlier id -> (question index, replacing question) for every question naming it
    users: dict[str, list[tuple[int, ScoredQuestion]]] = {}
    for index, question in enumerate(questionnaire.questions):
        if not isinstance(question, LadderQuestion | LikertQuestion) or not question.replaces:
            continue
        for number, old_id in enumerate(question.replaces.questions):
            users.setdefault(old_id, []).append((index, question))
            where: Location = ("questions", index, "replaces", "questions", number)
            if old_id == question.id and question.replaces.change == "renamed":
                issues.append((where, "renamed to its own id; use reworded, or leave replaces out"))
            still_asked = current.get(old_id)
            if (
                still_asked is not None
                and still_asked is not question
                and not (question.replaces.change == "split" and _splits_from(still_asked, old_id))
            ):
                issues.append(
                    (
                        where,
                        f"{old_id!r} is still a question in this version, so question "
                        f"{question.id!r} cannot replace it",
                    )
                )
    for old_id, replacing in users.items():
        changes = {q.replaces.change for _, q in replacing if q.replaces}
        ids = ", ".join(repr(q.id) for _, q in replacing)
        if len(replacing) > 1 and changes != {"split"}:
            for index, _ in replacing:
                issues.append(
                    (
                        ("questions", index, "replaces", "change"),
                        f"{old_id!r} is replaced by several questions ({ids}): that is a split; "
                        f"give each of them change: split",
                    )
                )
        elif len(replacing) == 1 and changes == {"split"}:
            index, question = replacing[0]
            issues.append(
                (
                    ("questions", index, "replaces", "change"),
                    f"only {question.id!r} is split from {old_id!r}; a split needs two or more "
                    f"questions (use reworded for one)",
                )
            )
    issues += duplicate_ids("dropped", "dropped question", [d.id for d in questionnaire.dropped])
    for index, dropped in enumerate(questionnaire.dropped):
        where = ("dropped", index, "id")
        if dropped.id in current:
            issues.append((where, f"{dropped.id!r} is asked in this version, so it is not dropped"))
        if dropped.id in users:
            ids = ", ".join(repr(q.id) for _, q in users[dropped.id])
            issues.append((where, f"{dropped.id!r} is dropped, but {ids} replaces it"))
    return issues


def _apply_overrides(method: Method, overrides: ScoringOverrides | None) -> Method:
    if overrides is None or (overrides.thresholds is None and overrides.overall is None):
        return method
    update: dict[str, object] = {}
    if overrides.thresholds is not None:
        update["thresholds"] = dict(overrides.thresholds)
    if overrides.overall is not None:
        update["overall"] = overrides.overall
    return method.model_copy(update={"scoring": method.scoring.model_copy(update=update)})


def _scoring_issues(questionnaire: Questionnaire, method: Method) -> list[Issue]:
    """The thresholds obey the method's rules; calibration names real phases and the rule used."""
    issues: list[Issue] = []
    if questionnaire.scoring is not None and questionnaire.scoring.thresholds is not None:
        effective = _apply_overrides(method, questionnaire.scoring)
        # The same checks as the method's own thresholds, at the same path in this file.
        issues += effective.threshold_issues()
    calibration = questionnaire.calibration
    if calibration is None:
        return issues
    if calibration.method == "grid" and not issues:
        # A block fitted within the bands documents thresholds within them.
        fitted = _apply_overrides(method, questionnaire.scoring).scoring.thresholds
        for phase in method.phases[1:]:
            if not phase.level - 1 < fitted[phase.id] <= phase.level:
                issues.append(
                    (
                        ("calibration", "method"),
                        f"the block says the thresholds were fitted each within its band "
                        f"(method: grid), but the threshold of {phase.id} is {fitted[phase.id]}, "
                        f"outside ({phase.level - 1}, {phase.level}]; fit again with "
                        f"klantladder calibrate --fit --write",
                    )
                )
                break
    if calibration.rule is not None:
        used = _apply_overrides(method, questionnaire.scoring).scoring.overall
        if used != calibration.rule.overall:
            issues.append(
                (
                    ("calibration", "rule"),
                    f"the thresholds were fitted with the rule {calibration.rule.rule} "
                    f"(at most {calibration.rule.max_steps_above_weakest} step(s) above the "
                    f"weakest), but this questionnaire scores with {used.rule} "
                    f"({used.max_steps_above_weakest}); set scoring.overall to the fitted rule",
                )
            )
    levels = {phase.id: phase.level for phase in method.phases}
    low = high = 0
    for expected, row in calibration.confusion.items():
        if expected not in levels:
            issues.append((("calibration", "confusion", expected), f"unknown phase {expected!r}"))
            continue
        for placed, count in row.items():
            if placed not in levels:
                where: Location = ("calibration", "confusion", expected, placed)
                issues.append((where, f"unknown phase {placed!r}"))
            elif levels[placed] < levels[expected]:
                low += count
            elif levels[placed] > levels[expected]:
                high += count
    if not issues and (low, high) != (calibration.misses_low, calibration.misses_high):
        issues.append(
            (
                ("calibration",),
                f"the confusion table has {low} misses low and {high} high, but misses_low is "
                f"{calibration.misses_low} and misses_high {calibration.misses_high}",
            )
        )
    return issues


def _routing_issues(questionnaire: Questionnaire) -> list[Issue]:
    """Every condition refers to an earlier single-answer question and to its options or levels."""
    issues: list[Issue] = []
    position = {q.id: index for index, q in enumerate(questionnaire.questions)}
    for index, question in enumerate(questionnaire.questions):
        condition = question.when
        if condition is None:
            continue
        where: Location = ("questions", index, "when")
        target_index = position.get(condition.question)
        if target_index is None:
            issues.append(((*where, "question"), f"unknown question {condition.question!r}"))
            continue
        if target_index >= index:
            issues.append(
                (
                    (*where, "question"),
                    f"question {condition.question!r} does not come before {question.id!r}; a "
                    f"condition can only look back",
                )
            )
            continue
        target = questionnaire.questions[target_index]
        key = "in" if condition.in_ is not None else "not_in"
        allowed: list[int | str]
        if isinstance(target, ProfileQuestion):
            if target.multiple:
                issues.append(
                    (
                        (*where, "question"),
                        f"question {target.id!r} takes several answers; a condition needs a "
                        f"question with one answer",
                    )
                )
                continue
            allowed = [option.id for option in target.options]
            what = "an option"
        elif isinstance(target, LadderQuestion | LikertQuestion):
            allowed = list(LEVELS)
            what = "a level"
        else:
            issues.append(
                ((*where, "question"), f"open question {target.id!r} cannot decide a condition")
            )
            continue
        for number, value in enumerate(condition.values):
            if value not in allowed:
                shown = ", ".join(str(item) for item in allowed)
                issues.append(
                    (
                        (*where, key, number),
                        f"{value!r} is not {what} of {target.id!r}; choose from {shown}",
                    )
                )
    return issues


def _splits_from(question: Question, old_id: str) -> bool:
    return (
        isinstance(question, LadderQuestion | LikertQuestion)
        and question.replaces is not None
        and question.replaces.change == "split"
        and question.replaces.questions == [old_id]
    )
