"""Segments, perception gaps and disagreement over many respondents.

Privacy: a segment with fewer respondents than the method's minimum group size
is counted but never shown, and no figure is derived from it.
"""

from __future__ import annotations

from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.result import Disagreement, PerceptionGap, SegmentGroup, SegmentResult
from klantladder.scoring.levels import ScoredResponses
from klantladder.scoring.stats import rounded, spread


def members_by_option(scored: ScoredResponses, question_id: str) -> dict[str, list[int]]:
    """Indices of the respondents who chose each option of a profile question."""
    members: dict[str, list[int]] = {}
    for index, response in enumerate(scored.responses):
        value = response.answers.get(question_id)
        chosen = value if isinstance(value, list) else [value]
        for option in chosen:
            if isinstance(option, str):
                members.setdefault(option, []).append(index)
    return members


def segment_groups(scored: ScoredResponses, language: str) -> list[SegmentGroup]:
    """For each profile question, the segments large enough to show."""
    minimum = scored.questionnaire.content.scoring.min_group_size
    groups = []
    for question in scored.questionnaire.profile_questions:
        if not question.segment:  # a question of fact that only routes, not a group of people
            continue
        members = members_by_option(scored, question.id)
        shown = []
        suppressed = 0
        for option in question.options:
            chosen = members.get(option.id, [])
            if not chosen:
                continue
            if len(chosen) < minimum:
                suppressed += 1
                continue
            means = scored.dimension_means(chosen)
            shown.append(
                SegmentResult(
                    option=option.id,
                    label=localize(option.label, language),
                    n=len(chosen),
                    overall=scored.overall(means),
                    dimensions=means,
                )
            )
        groups.append(
            SegmentGroup(
                question=question.id,
                title=localize(question.text, language),
                segments=shown,
                suppressed_groups=suppressed,
            )
        )
    return groups


def perception_gaps(
    groups: list[SegmentGroup], method: Method, language: str
) -> list[PerceptionGap]:
    """Per profile question and dimension, the largest difference between shown segments."""
    gaps = []
    for group in groups:
        for dimension in method.dimensions:
            valued = [
                (segment.dimensions[dimension.id], segment)
                for segment in group.segments
                if segment.dimensions.get(dimension.id) is not None
            ]
            if len(valued) < 2:
                continue
            high_score, high = max(valued, key=lambda pair: (pair[0] or 0.0, pair[1].option))
            low_score, low = min(valued, key=lambda pair: (pair[0] or 0.0, pair[1].option))
            assert high_score is not None and low_score is not None
            difference = round(high_score - low_score, 2)
            if difference <= 0:
                continue
            gaps.append(
                PerceptionGap(
                    question=group.question,
                    dimension=dimension.id,
                    dimension_title=localize(dimension.title, language),
                    high=high.option,
                    high_label=high.label,
                    high_score=high_score,
                    low=low.option,
                    low_label=low.label,
                    low_score=low_score,
                    difference=difference,
                )
            )
    gaps.sort(key=lambda gap: (-gap.difference, gap.question, gap.dimension))
    return gaps


def disagreement(scored: ScoredResponses, language: str) -> list[Disagreement]:
    """The scored questions on which respondents' answers differ most."""
    method = scored.questionnaire.content
    minimum = max(method.scoring.min_group_size, 2)
    spreads = []
    for question in scored.questionnaire.scored_questions:
        answers = scored.answers[question.id]
        if len(answers) < minimum:
            continue
        counts = {level: answers.count(level) for level in range(1, 6)}
        spreads.append(
            Disagreement(
                question=question.id,
                dimension=question.dimension,
                text=localize(question.text, language),
                sd=rounded(spread([float(a) for a in answers])),
                n=len(answers),
                counts=counts,
            )
        )
    spreads.sort(key=lambda item: (-item.sd, item.question))
    return [item for item in spreads[: method.scoring.disagreement_questions] if item.sd > 0]
