"""The one-page executive summary: what a board member reads if they read one page.

Everything on it comes from the result and the folder: the phase, why (the
result's own sentences), the road to the next phase, the focus points with
their reason and next step, what to decide (the action plan), one line each
for the trend and the benchmark when given, and the consultant's conclusion.
Key findings are a separate list (``findings``) that the template shows only
when it holds any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from klantladder.formatting import format_score
from klantladder.models.result import ScoreResult
from klantladder.report.wording import counted, number_in_words

if TYPE_CHECKING:
    from klantladder.actions import PlannedActions
    from klantladder.models.benchmark import Benchmark
    from klantladder.models.comparison import Comparison

DECISIONS_PER_FOCUS = 1
"""The executive page asks a decision on the first action of each focus dimension."""


def explanation_parts(result: ScoreResult) -> tuple[list[str], str | None]:
    """The 'why' sentences and the road to the next phase, from ``result.explanation``.

    The explanation ends with one sentence per focus point; the sentence before
    them is the road (what lifts the organisation to the next phase, or how it
    stays on top); the sentences before that say why it is in its phase.
    """
    sentences = list(result.explanation)
    own = sentences[: len(sentences) - len(result.focus)] if result.focus else sentences
    if not own:
        return [], None
    return own[:-1], own[-1]


def _signed(value: float, language: str) -> str:
    text = format_score(abs(value), language)
    return f"+{text}" if value > 0 else (f"\u2212{text}" if value < 0 else f"\u00b1{text}")


def trend_line(comparison: Comparison, labels: dict[str, Any], language: str) -> str | None:
    """One sentence on the like-for-like change since the first earlier assessment."""
    span = comparison.span
    overall = span.overall
    if overall is None:
        return None
    first = comparison.assessments[span.earlier]
    last = comparison.assessments[span.later]
    months = labels["months"]
    entry = labels["exec_trend"] if overall.complete else labels["exec_trend_partial"]
    return counted(
        entry,
        len(overall.dimensions),
        labels,
        date=f"{first.date.day} {months[first.date.month - 1]} {first.date.year}",
        earlier=format_score(overall.earlier, language),
        later=format_score(overall.later, language),
        change=_signed(overall.change, language),
        earlier_phase=first.overall.phase.name,
        later_phase=last.overall.phase.name,
    )


def benchmark_line(benchmark: Benchmark, labels: dict[str, Any], language: str) -> str:
    """One sentence on the overall percentile rank among the portfolio's organisations."""
    overall = benchmark.overall
    if overall.suppressed or overall.percentile is None or overall.median is None:
        return counted(
            labels["exec_benchmark_too_few"],
            overall.peers,
            labels,
            minimum=number_in_words(benchmark.min_peers, labels),
        )
    return counted(
        labels["exec_benchmark"],
        overall.peers,
        labels,
        percentile=format_score(overall.percentile, language, 0),
        median=format_score(overall.median, language),
    )


def decisions(planned: PlannedActions | None, result: ScoreResult) -> list[dict[str, Any]]:
    """Per focus dimension its first action, with owner and deadline when the plan has them.

    Without focus dimensions, the plan's first action.
    """
    if planned is None:
        return []
    titles = {d.id: d.title for d in result.dimensions}
    actions = planned.plan.actions
    if result.focus:
        chosen = [
            action
            for point in result.focus
            for action in [a for a in actions if a.dimension == point.dimension][
                :DECISIONS_PER_FOCUS
            ]
        ]
    else:
        chosen = actions[:1]
    return [{"title": titles.get(a.dimension, a.dimension), "action": a} for a in chosen]


def executive_context(
    result: ScoreResult,
    labels: dict[str, Any],
    *,
    planned: PlannedActions | None,
    conclusion: str | None,
    comparison: Comparison | None = None,
    benchmark: Benchmark | None = None,
) -> dict[str, Any]:
    """The executive page's context; ``findings`` stays empty until key findings exist."""
    language = result.questionnaire.language
    why, road = explanation_parts(result)
    return {
        "why": why,
        "road": road,
        "focus": [
            {"point": point, "dimension": result.dimension(point.dimension)}
            for point in result.focus
        ],
        "decisions": decisions(planned, result),
        "proposed": planned.proposed if planned else False,
        "trend": trend_line(comparison, labels, language) if comparison else None,
        "benchmark": benchmark_line(benchmark, labels, language) if benchmark else None,
        "conclusion": conclusion,
        "findings": [],
    }
