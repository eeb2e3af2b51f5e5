"""The method: phases, dimensions, scoring rules, explanations and sources.

A method is shared by every questionnaire built on it (the intake and the quick
scan use the same one), so their results compare.
"""

from __future__ import annotations

import itertools
import string
from typing import Annotated, Literal

from pydantic import Field, PositiveInt, ValidationInfo, field_validator, model_validator

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
from klantladder.models.diagnosis import DiagnosisRules, Sign, Words

LEVELS = (1, 2, 3, 4, 5)
Level = Annotated[int, Field(ge=1, le=5, description="A rung of the ladder, 1 to 5.")]


StepLevel = Annotated[
    int,
    Field(
        ge=1,
        le=5,
        description="Level a step starts from: 1 is Negeren -> Verzamelen; 5 is staying on top.",
    ),
]


class Source(StrictModel):
    """Where a piece of method content comes from."""

    id: Identifier = Field(description="Id that building blocks, tips and figures refer to.")
    name: Text = Field(description="Who published it: the organisation(s), e.g. 'Blauw / PVKO'.")
    year: int | None = Field(default=None, ge=1900, le=2100, description="Year of publication.")
    title: Text | None = Field(
        default=None, description="Title of the article or study, exactly as published."
    )
    note: Text | None = Field(
        default=None,
        description="Context in a few words, e.g. what the article is about; never in `name`.",
    )
    cited_in: Identifier | None = Field(
        default=None,
        description="Id of the source that quotes this one, for figures known second-hand.",
    )


class SourcedItem(StrictModel):
    """A building block, tip or pitfall, attributed to its source."""

    title: Text = Field(description="Short title, a few words.")
    text: Text = Field(description="The item itself, one or two sentences.")
    source: Identifier = Field(description="Id of an entry under `sources`.")
    dimensions: list[Identifier] = Field(
        default_factory=list,
        description=(
            "Ids of the dimensions the item serves; the report gives it as advice for those "
            "dimensions' own step. Empty: the item serves the phase as a whole."
        ),
    )
    steps: list[StepLevel] = Field(
        default_factory=list,
        description=(
            "The steps the item serves, by the level they start from (2: Verzamelen -> "
            "Analyseren). Empty: the step from the phase it is listed under."
        ),
    )

    def serves_steps(self, phase_level: int) -> list[int]:
        """The steps this item serves when listed under the phase at ``phase_level``."""
        return self.steps or [phase_level]


class Phase(StrictModel):
    """One rung of the klantladder."""

    id: Identifier = Field(description="Phase id, e.g. negeren.")
    level: Level
    name: Text = Field(description="Name of the phase as shown to readers.")
    summary: Text = Field(
        description="One sentence that defines the phase, true of any organisation in it."
    )
    description: Text = Field(description="A paragraph describing the phase in general.")
    signs: list[Sign] = Field(
        min_length=1,
        description="Signs by which an organisation recognises the phase, with their evidence.",
    )
    building_blocks: list[SourcedItem] = Field(
        default_factory=list, description="Building blocks (bouwstenen) for the next step."
    )
    tips: list[SourcedItem] = Field(
        default_factory=list, description="Concrete tips for the step to the next phase."
    )
    pitfalls: list[SourcedItem] = Field(
        default_factory=list, description="Pitfalls to avoid on the way up."
    )


class Dimension(StrictModel):
    """An aspect of customer-centricity measured on the ladder."""

    id: Identifier = Field(description="Dimension id, referred to by questions.")
    title: Text = Field(description="Short title.")
    description: Text = Field(description="What the dimension covers.")
    weight: float = Field(default=1.0, gt=0, le=10, description="Weight in the overall score.")
    link: Identifier | None = Field(
        default=None, description="Optional id of the link (schakel) this dimension belongs to."
    )
    next_steps: dict[int, Text] = Field(
        description="For each level 1-4: the next step towards the level above."
    )
    keywords: Words = Field(
        default_factory=list,
        description=(
            "Words that link an open answer to this dimension, matched at the start of a word "
            "without case ('afgerekend', 'kpi'); several words match as a phrase."
        ),
    )

    @field_validator("next_steps")
    @classmethod
    def _next_steps_for_levels_one_to_four(cls, steps: dict[int, Text]) -> dict[int, Text]:
        missing = [str(level) for level in (1, 2, 3, 4) if level not in steps]
        extra = [str(level) for level in steps if level not in (1, 2, 3, 4)]
        if missing:
            raise ValueError(f"no next step for level {', '.join(missing)}")
        if extra:
            raise ValueError(f"level {', '.join(extra)} has no next step; only levels 1-4 do")
        return dict(sorted(steps.items()))


class OverallRule(StrictModel):
    """How the overall phase follows from the dimension scores."""

    rule: Literal["capped_by_weakest", "weakest", "mean"] = Field(
        description=(
            "capped_by_weakest: the phase of the weighted mean, but at most "
            "`max_steps_above_weakest` rungs above the weakest dimension; weakest: the phase "
            "of the weakest dimension; mean: the phase of the weighted mean."
        )
    )
    max_steps_above_weakest: int = Field(
        default=1, ge=0, le=4, description="For capped_by_weakest: allowed rungs above the weakest."
    )


class ScoringRules(StrictModel):
    """Thresholds and rules that turn answers into scores and phases."""

    thresholds: dict[Identifier, float] = Field(
        description=(
            "Minimum score for each phase above level 1, by phase id. Each lies in (1, 5] and "
            "they rise from phase to phase; they need not lie in equal bands of the scale."
        )
    )
    overall: OverallRule
    likert_fraction: dict[int, float] = Field(
        description=(
            "For an agreement answer 1-5 on a statement that evidences level L: the share of "
            "the way from level 1 to L that the answer earns (1 -> 0.0, 5 -> 1.0)."
        )
    )
    min_group_size: PositiveInt = Field(
        default=3, description="A segment with fewer respondents is never shown."
    )
    focus_dimensions: int = Field(
        default=2, ge=1, le=3, description="How many dimensions the report proposes as focus."
    )
    disagreement_questions: int = Field(
        default=5, ge=0, le=20, description="How many questions with most disagreement to list."
    )
    confidence: float = Field(
        default=0.95,
        ge=0.5,
        lt=1.0,
        description=(
            "Confidence level of the intervals around scores (a t-interval over respondents); "
            "a score whose interval straddles a threshold is 'on the border'."
        ),
    )

    @field_validator("likert_fraction")
    @classmethod
    def _likert_fraction_complete_and_rising(cls, fraction: dict[int, float]) -> dict[int, float]:
        if sorted(fraction) != list(LEVELS):
            raise ValueError("needs exactly the answers 1, 2, 3, 4 and 5")
        values = [fraction[level] for level in LEVELS]
        if values[0] != 0.0 or values[-1] != 1.0:
            raise ValueError("must give 0.0 for answer 1 and 1.0 for answer 5")
        if any(later < earlier for earlier, later in itertools.pairwise(values)):
            raise ValueError("must not fall as agreement rises")
        return dict(sorted(fraction.items()))


class ReferenceFigure(StrictModel):
    """A published figure the report cites, e.g. from the NKM."""

    id: Identifier
    value: float | None = Field(
        default=None, description="The figure itself; omitted for a finding in words."
    )
    unit: Literal["percent", "percentage_points", "count", "finding"] = Field(
        description="How to read `value`; 'finding' is a result in words, without a number."
    )
    text: Text = Field(description="What the figure says, without the number.")
    items: list[Text] = Field(
        default_factory=list, description="Optional list the finding consists of."
    )
    source: Identifier = Field(description="Id of an entry under `sources`.")
    year: int = Field(ge=1900, le=2100, description="Year the figure refers to.")
    phases: list[Identifier] = Field(
        default_factory=list,
        description=(
            "For a percentage of organisations in certain phases: those phase ids, so the "
            "report can say whether the organisation is among them."
        ),
    )

    @model_validator(mode="after")
    def _value_unless_finding(self) -> ReferenceFigure:
        if (self.value is None) != (self.unit == "finding"):
            raise ValueError("give a value for a number, and none for a finding in words")
        return self


class AnswerLabels(StrictModel):
    """Labels for the answer scales that every questionnaire shares."""

    agreement: dict[int, Text] = Field(description="Labels of agreement answers 1-5.")
    unknown: Text = Field(description="Label of the 'don't know / not applicable' answer.")
    unknown_spellings: list[Text] = Field(
        default_factory=list,
        description=(
            "Other ways respondents and survey tools write 'don't know' (such as n.v.t., nvt, "
            "geen mening); an import reads each as the 'don't know' answer."
        ),
    )

    @field_validator("agreement")
    @classmethod
    def _five_agreement_labels(cls, labels: dict[int, Text]) -> dict[int, Text]:
        if sorted(labels) != list(LEVELS):
            raise ValueError("needs exactly the labels for answers 1 to 5")
        return dict(sorted(labels.items()))


# Placeholders each explanation template may use; checked when a method loads.
EXPLANATION_FIELDS: dict[str, frozenset[str]] = {
    "mean_phase": frozenset({"score", "phase"}),
    "capped": frozenset({"phase", "weakest", "weakest_phase", "steps"}),
    "weakest_rule": frozenset({"phase", "weakest", "weakest_phase"}),
    "holds_back": frozenset({"dimension", "score", "phase"}),
    "lifts": frozenset({"dimension", "next_phase", "gap", "threshold", "score", "phase"}),
    "top": frozenset({"phase"}),
    "focus": frozenset({"dimension", "reason"}),
    "focus_weakest": frozenset({"phase"}),
    "focus_closest": frozenset({"gap", "next_phase"}),
    "list_and": frozenset({"first", "last"}),
    "border": frozenset({"lower", "upper"}),
    "border_wide": frozenset({"lower", "upper"}),
    "mean_interval": frozenset({"score", "low", "high", "phase"}),
    "mean_border": frozenset({"score", "low", "high", "border"}),
    "no_interval": frozenset({"minimum"}),
    "phase_border": frozenset({"phase", "border"}),
    "road_mean": frozenset({"next_phase", "score", "threshold", "gap"}),
    "road_mean_rest": frozenset(
        {"next_phase", "score", "threshold", "gap", "dimensions", "after", "remaining"}
    ),
    "road_mean_follows": frozenset({"next_phase", "score", "threshold", "after", "dimensions"}),
    "focus_border": frozenset({"gap", "next_phase", "phase", "border"}),
    "focus_nearest": frozenset({"gap", "next_phase"}),
}


class Explanations(StrictModel):
    """Sentence templates from which the 'why this phase' text is built.

    Placeholders are written ``$name``; see each field for the names it may use.
    """

    mean_phase: Text = Field(description="Placeholders: $score, $phase.")
    capped: Text = Field(description="Placeholders: $phase, $weakest, $weakest_phase, $steps.")
    weakest_rule: Text = Field(description="Placeholders: $phase, $weakest, $weakest_phase.")
    holds_back: Text = Field(description="Placeholders: $dimension, $score, $phase.")
    lifts: Text = Field(
        description=(
            "The road: a dimension that must reach a threshold first. $dimension, $next_phase "
            "(the organisation's next phase), $phase (the phase the dimension must reach), "
            "$score, $threshold, $gap (all the dimension's own)."
        )
    )
    top: Text = Field(description="Said when the organisation is in the top phase. $phase.")
    focus: Text = Field(description="One focus dimension and why. $dimension, $reason.")
    focus_weakest: Text = Field(description="Reason: lowest rung. $phase.")
    focus_closest: Text = Field(
        description="Reason: closest to the next phase, by more than the margin. $gap, $next_phase."
    )
    phase_counts: dict[int, Text] = Field(
        description="A number of phases in words for $steps of `capped`: 1-4, e.g. 'one phase'."
    )
    list_and: Text = Field(description="The last two names of a list joined. $first, $last.")
    border: Text = Field(description="An interval across one threshold. $lower, $upper.")
    border_wide: Text = Field(
        description="An interval across more than one threshold. $lower, $upper."
    )
    mean_interval: Text = Field(
        description="The mean with its interval, within one phase. $score, $low, $high, $phase."
    )
    mean_border: Text = Field(
        description="The mean with an interval across a threshold. $score, $low, $high, $border."
    )
    no_interval: Text = Field(
        description="Said when there are too few respondents for intervals. $minimum."
    )
    phase_border: Text = Field(
        description="The overall phase is not firm within the intervals. $phase, $border."
    )
    road_mean: Text = Field(
        description=(
            "The road: the mean must reach the next threshold (no dimension must first). "
            "$next_phase, $score, $threshold, $gap."
        )
    )
    road_mean_rest: Text = Field(
        description=(
            "The road: the mean must rise beyond what the dimension conditions bring. "
            "$next_phase, $score, $threshold, $gap, $dimensions, $after, $remaining."
        )
    )
    road_mean_follows: Text = Field(
        description=(
            "The road: the dimension conditions lift the mean over the threshold by themselves. "
            "$next_phase, $score, $threshold, $after, $dimensions."
        )
    )
    focus_border: Text = Field(
        description=(
            "Reason: closest to the next phase, but within the margin. "
            "$gap, $next_phase, $phase, $border."
        )
    )
    focus_nearest: Text = Field(
        description="Reason: closest to the next phase, margin unknown. $gap, $next_phase."
    )

    @field_validator("phase_counts")
    @classmethod
    def _counts_one_to_four(cls, counts: dict[int, Text]) -> dict[int, Text]:
        if sorted(counts) != [1, 2, 3, 4]:
            raise ValueError("needs exactly the counts 1, 2, 3 and 4")
        return dict(sorted(counts.items()))

    @model_validator(mode="after")
    def _known_placeholders(self) -> Explanations:
        for name, allowed in EXPLANATION_FIELDS.items():
            value = getattr(self, name)
            texts = [value] if isinstance(value, str) else list(value.values())
            for text in texts:
                used = _placeholders(text)
                unknown = used - allowed
                if unknown:
                    raise ValueError(
                        f"{name}: unknown placeholder ${', $'.join(sorted(unknown))}; "
                        f"allowed: ${', $'.join(sorted(allowed))}"
                    )
        return self


def _placeholders(template: str) -> set[str]:
    names: set[str] = set()
    for match in string.Template.pattern.finditer(template):
        if match.group("invalid") is not None:
            raise ValueError(f"bad placeholder in {template!r}; write $name or $$ for a $")
        name = match.group("named") or match.group("braced")
        if name:
            names.add(name)
    return names


class Method(StrictModel):
    """Method content shared by questionnaires: the ladder and how it is scored."""

    id: Identifier = Field(description="Method id that questionnaires refer to.")
    version: PositiveInt = Field(description="Version of the method content.")
    languages: list[LanguageCode] = Field(min_length=1, description="Languages of the texts.")
    title: Text = Field(description="Name of the method.")
    phases: list[Phase] = Field(description="The five phases, levels 1 to 5.")
    dimensions: list[Dimension] = Field(min_length=1, description="The dimensions measured.")
    links: dict[Identifier, Text] = Field(
        default_factory=dict, description="Optional groups of dimensions (schakels), id -> title."
    )
    scoring: ScoringRules
    explanations: Explanations
    diagnosis: DiagnosisRules = Field(
        default_factory=DiagnosisRules,
        description="How the report weighs evidence and chooses advice and quotes.",
    )
    answer_labels: AnswerLabels
    sources: list[Source] = Field(default_factory=list, description="Sources that items cite.")
    reference_figures: list[ReferenceFigure] = Field(
        default_factory=list, description="Published figures the report cites."
    )

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Method:
        self.phases.sort(key=lambda phase: phase.level)
        raise_unless_deferred(self.consistency_issues(), info)
        return self

    def consistency_issues(self) -> list[Issue]:
        """Cross checks between parts of the method, each with its location."""
        issues: list[Issue] = []
        if sorted(phase.level for phase in self.phases) != list(LEVELS):
            issues.append((("phases",), "phases must have the levels 1, 2, 3, 4 and 5, once each"))
        issues += duplicate_ids("phases", "phase", [phase.id for phase in self.phases])
        issues += duplicate_ids("dimensions", "dimension", [d.id for d in self.dimensions])
        issues += duplicate_ids("sources", "source", [source.id for source in self.sources])
        issues += duplicate_ids(
            "reference_figures", "reference figure", [f.id for f in self.reference_figures]
        )
        if not issues:
            issues += self.threshold_issues()
        source_ids = {source.id for source in self.sources}
        issues += self._item_issues(source_ids)
        for index, source in enumerate(self.sources):
            if source.cited_in is not None and (
                source.cited_in not in source_ids or source.cited_in == source.id
            ):
                issues.append(
                    (
                        ("sources", index, "cited_in"),
                        f"cited_in must name another source, not {source.cited_in!r}",
                    )
                )
        phase_ids = {phase.id for phase in self.phases}
        for index, figure in enumerate(self.reference_figures):
            for number, phase_id in enumerate(figure.phases):
                if phase_id not in phase_ids:
                    issues.append(
                        (
                            ("reference_figures", index, "phases", number),
                            f"unknown phase {phase_id!r}",
                        )
                    )
            if figure.source not in source_ids:
                issues.append(
                    (("reference_figures", index, "source"), f"unknown source {figure.source!r}")
                )
        for index, dimension in enumerate(self.dimensions):
            if dimension.link is not None and dimension.link not in self.links:
                issues.append((("dimensions", index, "link"), f"unknown link {dimension.link!r}"))
        return issues

    def _item_issues(self, source_ids: set[str]) -> list[Issue]:
        """Every building block, tip and pitfall cites a known source and known dimensions."""
        issues: list[Issue] = []
        dimension_ids = {dimension.id for dimension in self.dimensions}
        for index, phase in enumerate(self.phases):
            for group in ("building_blocks", "tips", "pitfalls"):
                for number, item in enumerate(getattr(phase, group)):
                    where: Location = ("phases", index, group, number)
                    if item.source not in source_ids:
                        issues.append(((*where, "source"), f"unknown source {item.source!r}"))
                    for position, dimension_id in enumerate(item.dimensions):
                        if dimension_id not in dimension_ids:
                            issues.append(
                                (
                                    (*where, "dimensions", position),
                                    f"unknown dimension {dimension_id!r}",
                                )
                            )
                    if len(set(item.dimensions)) != len(item.dimensions):
                        issues.append(((*where, "dimensions"), "names a dimension twice"))
                    if len(set(item.steps)) != len(item.steps):
                        issues.append(((*where, "steps"), "names a step twice"))
        return issues

    def threshold_issues(self) -> list[Issue]:
        """Checks of `scoring.thresholds`: one per phase above level 1, each in (1, 5], rising.

        A threshold is not tied to its band of equal parts of the scale: respondents
        use the answer scale compressed, so fitted thresholds may lie well off it.
        """
        issues: list[Issue] = []
        where: Location = ("scoring", "thresholds")
        expected = {phase.id for phase in self.phases if phase.level > 1}
        given = set(self.scoring.thresholds)
        for phase_id in sorted(given - expected):
            issues.append(((*where, phase_id), f"{phase_id!r} is not a phase above level 1"))
        for phase_id in sorted(expected - given):
            issues.append((where, f"no threshold for phase {phase_id!r}"))
        if issues:
            return issues
        lowest, highest = LEVELS[0], LEVELS[-1]
        previous: Phase | None = None
        for phase in self.phases[1:]:
            threshold = self.scoring.thresholds[phase.id]
            if not lowest < threshold <= highest:
                issues.append(
                    (
                        (*where, phase.id),
                        f"threshold of {phase.id} is {threshold}; it must lie above {lowest} "
                        f"and at most {highest}",
                    )
                )
                continue  # the next is compared with the last threshold in range
            if previous is not None and threshold <= self.scoring.thresholds[previous.id]:
                issues.append(
                    (
                        (*where, phase.id),
                        f"threshold of {phase.id} is {threshold}; it must lie above that of "
                        f"{previous.id} ({self.scoring.thresholds[previous.id]}): thresholds "
                        f"rise from phase to phase",
                    )
                )
            previous = phase
        return issues

    def phase(self, phase_id: str) -> Phase:
        """Return the phase with this id."""
        return next(phase for phase in self.phases if phase.id == phase_id)

    def phase_at(self, level: int) -> Phase:
        """Return the phase at a level 1-5."""
        return self.phases[level - 1]

    def dimension(self, dimension_id: str) -> Dimension:
        """Return the dimension with this id."""
        return next(d for d in self.dimensions if d.id == dimension_id)

    def source(self, source_id: str) -> Source:
        """Return the source with this id."""
        return next(source for source in self.sources if source.id == source_id)

    def evidence_questions(self) -> set[str]:
        """Ids of every question that a phase sign names as evidence."""
        return {
            evidence.question
            for phase in self.phases
            for sign in phase.signs
            for evidence in sign.evidence
        }
