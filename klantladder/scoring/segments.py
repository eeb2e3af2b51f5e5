"""Segments, perception gaps and disagreement over many respondents.

Privacy: a segment with fewer respondents than the method's minimum group size
is counted but never shown, and no figure is derived from it. Complementary
suppression makes sure that no figure of such a small group can be worked out
from the shown figures and the totals either.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from itertools import compress, repeat

from klantladder.models.base import localize
from klantladder.models.result import Disagreement, PerceptionGap, SegmentGroup, SegmentResult
from klantladder.scoring.levels import ScoredResponses
from klantladder.scoring.stats import rounded, spread
from klantladder.scoring.uncertainty import combined_margin, mean_margin, meaningful


def members_by_option(scored: ScoredResponses, question_id: str) -> dict[str, list[int]]:
    """Indices of the respondents who chose each option of a profile question."""
    members: dict[str, list[int]] = {}
    for index, value in zip(scored.indices, scored.profile_columns[question_id], strict=True):
        chosen = value if isinstance(value, list) else [value]
        for option in chosen:
            if isinstance(option, str):
                members.setdefault(option, []).append(index)
    return members


def segment_groups(scored: ScoredResponses, language: str) -> list[SegmentGroup]:
    """For each profile question, the segments that can be shown without exposing anyone.

    A group smaller than the method's minimum group size is never shown. Beyond
    that, no figure of fewer people may follow by subtraction from what is shown
    and the totals (complementary suppression, see `_protect`).
    """
    minimum = scored.questionnaire.content.scoring.min_group_size
    everyone = frozenset(scored.indices)
    dimension_ids = [d.id for d in scored.questionnaire.content.dimensions]

    def answered(dimension: str) -> frozenset[int]:
        """Who has a score in a dimension; `everyone` when nobody lacks one.

        Made when needed, one at a time: at 100,000 respondents each set costs 7 MB.
        """
        column = scored.dimension_columns[dimension]
        if None not in column:
            return everyone
        return frozenset(compress(scored.indices, map(operator.is_not, column, repeat(None))))

    groups = []
    for question in scored.questionnaire.profile_questions:
        if not question.segment:  # a question of fact that only routes, not a group of people
            continue
        members = members_by_option(scored, question.id)
        present = [
            (option, frozenset(members.pop(option.id)))
            for option in question.options
            if members.get(option.id)
        ]
        del members
        shown = {option.id: chosen for option, chosen in present if len(chosen) >= minimum}
        small = len(present) - len(shown)
        complementary = _protect(shown, everyone, minimum, multiple=question.multiple)
        left_out = [chosen for option, chosen in present if option.id not in shown]
        hidden = _hidden_dimensions(
            shown,
            dimension_ids,
            answered,
            minimum,
            multiple=question.multiple,
            left_out=left_out,
        )
        results = []
        for option, _ in present:
            if option.id not in shown:
                continue
            chosen = shown[option.id]
            means = scored.dimension_means(sorted(chosen))
            for dimension in hidden[option.id]:
                means[dimension] = None
            suppressed = [
                d for d in dimension_ids if d in hidden[option.id] and chosen & answered(d)
            ]
            results.append(
                SegmentResult(
                    option=option.id,
                    label=localize(option.label, language),
                    n=len(chosen),
                    # the overall would give a hidden mean away through the others
                    overall=None if suppressed else scored.overall(means),
                    dimensions=means,
                    suppressed_dimensions=suppressed,
                )
            )
        groups.append(
            SegmentGroup(
                question=question.id,
                title=localize(question.text, language),
                segments=results,
                suppressed_groups=small + complementary,
                complementary=complementary,
            )
        )
    return groups


def _exposed(size: int, minimum: int) -> bool:
    """Whether a set of this many people, derived from shown figures, is too small to show."""
    return 0 < size < minimum


def _protect(
    shown: dict[str, frozenset[int]], everyone: frozenset[int], minimum: int, *, multiple: bool
) -> int:
    """Leave out shown groups until no small set of people follows by subtraction.

    Single choice: the smallest shown group joins the people in no shown group.
    Multiple choice: a group that nearly everyone chose is left out itself.
    Changes ``shown`` in place; returns how many groups were left out.
    """
    dropped = 0
    while shown:
        culprits = _culprits(shown, everyone, minimum, multiple=multiple)
        if not culprits:
            break
        order = list(shown)
        del shown[min(culprits, key=lambda o: (len(shown[o]), -order.index(o)))]
        dropped += 1
    return dropped


def _culprits(
    shown: dict[str, frozenset[int]],
    base: frozenset[int],
    minimum: int,
    *,
    multiple: bool,
    left_out: Sequence[frozenset[int]] = (),
) -> list[str]:
    """The shown groups one of which must go, so that nothing hidden follows by subtraction.

    Whoever reads the figures knows the total (``base``, within which the groups
    are counted) and every shown group's size and means. What follows must be
    neither a small set of people nor exactly a group that is left out (a left-out
    group's mean on a dimension that its small neighbour did not answer).
    """
    hidden = {group & base for group in left_out} - {frozenset()}

    def revealing(rest: frozenset[int]) -> bool:
        return _exposed(len(rest), minimum) or rest in hidden

    if multiple:
        # how groups overlap is not shown: only the people outside each group follow
        return [o for o, chosen in shown.items() if revealing(base - chosen)]
    # groups do not overlap: the people in no shown group follow by subtraction
    rest = base.difference(*shown.values())
    return list(shown) if revealing(rest) else []


def _hidden_dimensions(
    shown: dict[str, frozenset[int]],
    dimensions: list[str],
    answered: Callable[[str], frozenset[int]],
    minimum: int,
    *,
    multiple: bool,
    left_out: list[frozenset[int]],
) -> dict[str, set[str]]:
    """Per shown group, the dimensions whose mean it must not show.

    A mean over fewer than the minimum is hidden; then, per dimension, the
    smallest remaining means are hidden until neither a small set of the people
    who answered that dimension nor exactly a left-out group follows by
    subtraction (the dimension's n is shown).
    """
    hidden: dict[str, set[str]] = {option: set() for option in shown}
    for dimension in dimensions:
        base = answered(dimension)
        # A group within the base is its own visible part: no copy (4 MB at 100,000).
        visible = {o: chosen if chosen <= base else chosen & base for o, chosen in shown.items()}
        visible = {o: chosen for o, chosen in visible.items() if len(chosen) >= minimum}
        while visible:
            culprits = _culprits(visible, base, minimum, multiple=multiple, left_out=left_out)
            if not culprits:
                break
            order = list(visible)
            del visible[min(culprits, key=lambda o: (len(visible[o]), -order.index(o)))]
        for option in shown:
            if option not in visible:
                hidden[option].add(dimension)
    return hidden


def perception_gaps(
    groups: list[SegmentGroup], scored: ScoredResponses, language: str
) -> list[PerceptionGap]:
    """Per profile question and dimension, the largest difference between shown segments.

    Each gap carries the two groups' sizes and the uncertainty of the difference,
    sqrt(m1² + m2²) of the margins of the two groups' means, as a change over time
    does; it is meaningful only when it is larger than that.
    """
    method = scored.questionnaire.content
    confidence = method.scoring.confidence
    gaps = []
    for group in groups:
        members = members_by_option(scored, group.question)
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
            column = scored.dimension_columns[dimension.id]
            combined = combined_margin(
                _group_margin(column, members[high.option], confidence),
                _group_margin(column, members[low.option], confidence),
            )
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
                    high_n=high.n,
                    low_n=low.n,
                    margin=combined,
                    meaningful=meaningful(difference, combined),
                )
            )
    gaps.sort(key=lambda gap: (-gap.difference, gap.question, gap.dimension))
    return gaps


def _group_margin(
    column: list[float | None], members: list[int], confidence: float
) -> float | None:
    """The margin of a group's mean on one dimension, over the members who scored it."""
    return mean_margin([v for i in members if (v := column[i]) is not None], confidence)


def disagreement(scored: ScoredResponses, language: str) -> list[Disagreement]:
    """The scored questions on which respondents' answers differ most."""
    method = scored.questionnaire.content
    minimum = max(method.scoring.min_group_size, 2)
    spreads = []
    for question in scored.questionnaire.scored_questions:
        answers = scored.given(question.id)
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
