"""The scoring engine: answers to levels, scores, phases, segments and the why.

`levels` is the floor (answer levels, per-respondent scores, `ScoredResponses`);
`uncertainty` (intervals), `road` (the overall rule and the road to the next
phase), `reliability`, `segments` (with complementary suppression), `explain`
and `engine` build on it, and nothing below imports upward.
"""

from klantladder.scoring.engine import score
from klantladder.scoring.levels import (
    ScoredItem,
    ScoredResponses,
    answer_level,
    gap_to_next,
    phase_for,
    phase_ref,
    respondent_scores,
    scored_items,
)

__all__ = [
    "ScoredItem",
    "ScoredResponses",
    "answer_level",
    "gap_to_next",
    "phase_for",
    "phase_ref",
    "respondent_scores",
    "score",
    "scored_items",
]
