"""Optional report chapters: the trend against earlier assessments, and the benchmark."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from klantladder.formatting import format_score
from klantladder.models.method import Method
from klantladder.models.result import ScoreResult

if TYPE_CHECKING:
    from klantladder.models.benchmark import Benchmark
    from klantladder.models.comparison import Comparison, DimensionChange, OverallChange
from klantladder.report.charts import ChangeRow, Palette, change_svg
from klantladder.report.context import phase_bands


def _signed(value: float, language: str) -> str:
    text = format_score(abs(value), language)
    return f"+{text}" if value > 0 else (f"\u2212{text}" if value < 0 else f"\u00b1{text}")


def trend_context(
    comparison: Comparison,
    method: Method,
    palette: Palette,
    labels: dict[str, Any],
    language: str,
) -> dict[str, Any]:
    """The trend chapter: like-for-like changes from the first to the last assessment."""
    span = comparison.span
    first, last = comparison.assessments[span.earlier], comparison.assessments[span.later]
    rows: list[ChangeRow] = []
    if span.overall is not None:
        overall = span.overall
        rows.append(
            ChangeRow(
                labels["overall_score"],
                overall.earlier,
                overall.later,
                _change_text(overall, labels, language),
                emphasis=True,
                muted=not overall.meaningful,
            )
        )
    for dimension_id in comparison.dimension_ids:
        change = span.change(dimension_id)
        if change is not None:
            rows.append(
                ChangeRow(
                    change.title,
                    change.earlier,
                    change.later,
                    _change_text(change, labels, language),
                    muted=not change.meaningful,
                )
            )
        elif (missing := span.not_compared_reason(dimension_id)) is not None:
            rows.append(ChangeRow(missing.title, None, None, labels["not_compared_short"]))
    dates = [item.date for item in comparison.assessments]
    chart = change_svg(
        rows,
        phase_bands(method, language),
        palette,
        str(first.date.year)
        if len({d.year for d in dates}) == len(dates)
        else first.date.isoformat(),
        str(last.date.year)
        if len({d.year for d in dates}) == len(dates)
        else last.date.isoformat(),
        labels["trend"],
    )
    return {
        "comparison": comparison,
        "span": span,
        "own_scores": _own_scores(comparison, labels, language),
        "overall_change": "\u2013"
        if span.overall is None
        else _short_change(span.overall, labels, language),
        "chart": Markup(chart),
        "partial": any(not change.complete for change in span.dimensions),
    }


def _own_scores(
    comparison: Comparison, labels: dict[str, Any], language: str
) -> list[dict[str, Any]]:
    """Per dimension each assessment's own score and phase, and the like-for-like change."""
    rows = []
    for dimension_id in comparison.dimension_ids:
        change = comparison.span.change(dimension_id)
        cells, title = [], dimension_id
        for assessment in comparison.assessments:
            own = next((d for d in assessment.dimensions if d.id == dimension_id), None)
            if own is None or own.score is None or own.phase is None:
                cells.append("\u2013")
                continue
            title = own.title
            cells.append(f"{format_score(own.score, language)} · {own.phase.name}")
        rows.append(
            {
                "title": title,
                "cells": cells,
                "change": "\u2013" if change is None else _short_change(change, labels, language),
            }
        )
    return rows


def _short_change(
    change: DimensionChange | OverallChange, labels: dict[str, Any], language: str
) -> str:
    """The change, its partial mark, and 'within the measurement uncertainty' unless meaningful."""
    text = _signed(change.change, language) + ("" if change.complete else " *")
    return text if change.meaningful else f"{text}, {labels['within_uncertainty']}"


def _change_text(
    change: DimensionChange | OverallChange, labels: dict[str, Any], language: str
) -> str:
    text = (
        f"{format_score(change.earlier, language)} → {format_score(change.later, language)} "
        f"({_signed(change.change, language)})"
    )
    text = text if change.complete else text + " *"
    return text if change.meaningful else f"{text}, {labels['within_uncertainty']}"


def benchmark_context(result: ScoreResult, benchmark: Benchmark) -> dict[str, Any]:
    """The portfolio part of the benchmark chapter, in result order."""
    return {
        "benchmark": benchmark,
        "rows": [benchmark.dimension(d.id) for d in result.dimensions],
    }
