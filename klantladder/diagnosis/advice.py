"""Advice that follows the data: the phase's frame plus each advised dimension's own step.

The overall phase's building blocks stay the frame of the advice chapter. On top
of that every advised dimension gets advice for its own step (its level -> level
+ 1): the bottleneck (the dimension that holds the phase down) always, and each
focus dimension. Items come from every phase of the method, chosen by the
dimensions and steps they declare; every item carries a numbered reference to
its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from klantladder.models.base import localize
from klantladder.models.method import Method, Phase, SourcedItem
from klantladder.models.result import DimensionResult, ScoreResult

AdviceRole = Literal["bottleneck", "focus"]
ItemGroup = Literal["building_blocks", "tips", "pitfalls"]


@dataclass(frozen=True)
class AdviceItem:
    """A building block, tip or pitfall as the report shows it."""

    title: str
    text: str
    source: str
    reference: int


@dataclass(frozen=True)
class DimensionAdvice:
    """Advice for one dimension's own step."""

    dimension: str
    title: str
    roles: tuple[AdviceRole, ...]
    score: float
    level: int
    phase: str
    next_phase: str
    next_step: str
    tips: tuple[AdviceItem, ...]
    pitfalls: tuple[AdviceItem, ...]


@dataclass(frozen=True)
class Reference:
    """A numbered entry of a chapter's source list."""

    number: int
    source: str
    name: str
    title: str | None
    year: int | None
    note: str | None
    cited_in: int | None


class References:
    """Numbers sources in order of first citation, for one chapter."""

    def __init__(self, method: Method, language: str) -> None:
        """Start an empty list for ``method``'s sources."""
        self._method = method
        self._language = language
        self._numbers: dict[str, int] = {}

    def cite(self, source_id: str) -> int:
        """The number of a source, numbering it at its first citation."""
        if source_id not in self._numbers:
            self._numbers[source_id] = len(self._numbers) + 1
            cited_in = self._method.source(source_id).cited_in
            if cited_in is not None:
                self.cite(cited_in)
        return self._numbers[source_id]

    def entries(self) -> tuple[Reference, ...]:
        """The numbered source list."""
        entries = []
        for source_id, number in sorted(self._numbers.items(), key=lambda pair: pair[1]):
            source = self._method.source(source_id)
            entries.append(
                Reference(
                    number=number,
                    source=source_id,
                    name=localize(source.name, self._language),
                    title=localize(source.title, self._language) if source.title else None,
                    year=source.year,
                    note=localize(source.note, self._language) if source.note else None,
                    cited_in=self._numbers.get(source.cited_in) if source.cited_in else None,
                )
            )
        return tuple(entries)

    def item(self, item: SourcedItem) -> AdviceItem:
        """An item in the report's language with its reference number."""
        return AdviceItem(
            title=localize(item.title, self._language),
            text=localize(item.text, self._language),
            source=item.source,
            reference=self.cite(item.source),
        )


@dataclass(frozen=True)
class AdviceChapter:
    """Everything the advice chapter shows, in reading order."""

    phase: str
    level: int
    building_blocks: tuple[AdviceItem, ...]
    dimensions: tuple[DimensionAdvice, ...]
    tips: tuple[AdviceItem, ...]
    pitfalls: tuple[AdviceItem, ...]
    references: tuple[Reference, ...]


def bottleneck(result: ScoreResult, top_level: int = 5) -> str | None:
    """The dimension that holds the phase down most: the lowest score on the lowest rung.

    Ties go to the dimension listed first. None when the weakest rung is the top one.
    """
    weakest = [
        (d.mean, index, d.id)
        for index, d in enumerate(result.dimensions)
        if d.id in result.overall.weakest
        and d.mean is not None
        and d.phase is not None
        and d.phase.level < top_level
    ]
    return min(weakest)[2] if weakest else None


def advised_dimensions(
    result: ScoreResult, top_level: int = 5
) -> list[tuple[str, tuple[AdviceRole, ...]]]:
    """The bottleneck first, then the focus dimensions, each with its roles."""
    focus = [point.dimension for point in result.focus]
    ordered: list[str] = []
    neck = bottleneck(result, top_level)
    if neck is not None:
        ordered.append(neck)
    ordered += [dimension for dimension in focus if dimension not in ordered]
    advised = []
    for dimension in ordered:
        roles: tuple[AdviceRole, ...] = (
            *(("bottleneck",) if dimension == neck else ()),
            *(("focus",) if dimension in focus else ()),
        )
        advised.append((dimension, roles))
    return advised


def items_for_step(
    method: Method, dimension_id: str, level: int, group: ItemGroup
) -> list[SourcedItem]:
    """The items of one kind that serve a dimension's step from ``level``.

    Items listed under the phase at ``level`` come first, then the most specific
    ones (serving fewer dimensions), then the method's order.
    """
    found: list[tuple[int, int, int, SourcedItem]] = []
    order = 0
    for phase in method.phases:
        for item in getattr(phase, group):
            order += 1
            if dimension_id in item.dimensions and level in item.serves_steps(phase.level):
                home = 0 if phase.level == level else 1
                found.append((home, len(item.dimensions), order, item))
    found.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in found]


def dimension_tips(method: Method, dimension_id: str, level: int) -> list[SourcedItem]:
    """The tips a dimension gets for its step from ``level``: the advice chapter's and the plan's.

    The tips tagged for the dimension that serve that step, best first (see
    `items_for_step`), at most the method's ``tips_per_dimension``.
    """
    limit = method.diagnosis.tips_per_dimension
    return items_for_step(method, dimension_id, level, "tips")[:limit]


@dataclass(frozen=True)
class _Chosen:
    dimension: DimensionResult
    roles: tuple[AdviceRole, ...]
    tips: list[SourcedItem]
    pitfalls: list[SourcedItem]


def _choose(
    method: Method, dimension: DimensionResult, roles: tuple[AdviceRole, ...]
) -> _Chosen | None:
    if dimension.phase is None or dimension.mean is None:
        return None
    level = dimension.phase.level
    if level >= len(method.phases):
        return None
    rules = method.diagnosis
    return _Chosen(
        dimension,
        roles,
        dimension_tips(method, dimension.id, level),
        items_for_step(method, dimension.id, level, "pitfalls")[: rules.pitfalls_per_dimension],
    )


def _dimension_advice(
    method: Method, chosen: _Chosen, references: References, language: str
) -> DimensionAdvice:
    dimension = chosen.dimension
    assert dimension.phase is not None and dimension.mean is not None
    level = dimension.phase.level
    return DimensionAdvice(
        dimension=dimension.id,
        title=dimension.title,
        roles=chosen.roles,
        score=dimension.mean,
        level=level,
        phase=dimension.phase.name,
        next_phase=localize(method.phase_at(level + 1).name, language),
        next_step=localize(method.dimension(dimension.id).next_steps[level], language),
        tips=tuple(references.item(item) for item in chosen.tips),
        pitfalls=tuple(references.item(item) for item in chosen.pitfalls),
    )


def _general(
    phase: Phase, group: ItemGroup, levels: dict[str, int], shown: list[SourcedItem]
) -> list[SourcedItem]:
    """The phase's own items for its step that fit a dimension at that level, not yet shown.

    An item for no dimension in particular always fits; one for some dimensions
    fits when one of them stands at the phase's level, so that no advice is
    aimed at a step the organisation's dimensions have already taken.
    """
    chosen = []
    for item in getattr(phase, group):
        if phase.level not in item.serves_steps(phase.level) or any(item is s for s in shown):
            continue
        if not item.dimensions or any(levels.get(d) == phase.level for d in item.dimensions):
            chosen.append(item)
    return chosen


def advice_chapter(method: Method, result: ScoreResult, language: str) -> AdviceChapter:
    """The advice chapter: the phase's building blocks, advice per advised dimension, the rest."""
    phase = method.phase(result.overall.phase.id)
    rules = method.diagnosis
    references = References(method, language)
    building_blocks = tuple(references.item(item) for item in phase.building_blocks)
    chosen = [
        picked
        for dimension_id, roles in advised_dimensions(result, len(method.phases))
        if (picked := _choose(method, result.dimension(dimension_id), roles)) is not None
    ]
    dimensions = tuple(_dimension_advice(method, c, references, language) for c in chosen)
    shown = [item for c in chosen for item in (*c.tips, *c.pitfalls)]
    levels = {d.id: d.phase.level for d in result.dimensions if d.phase is not None}
    tips = _general(phase, "tips", levels, shown)[: rules.phase_tips]
    pitfalls = _general(phase, "pitfalls", levels, shown)[: rules.phase_pitfalls]
    return AdviceChapter(
        phase=localize(phase.name, language),
        level=phase.level,
        building_blocks=building_blocks,
        dimensions=dimensions,
        tips=tuple(references.item(item) for item in tips),
        pitfalls=tuple(references.item(item) for item in pitfalls),
        references=references.entries(),
    )
