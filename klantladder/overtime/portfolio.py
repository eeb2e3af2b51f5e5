"""A consultant's portfolio of scored assessments, and percentile ranks against it.

A portfolio is a folder of JSON results as ``klantladder score DIR --json -o
FILE`` writes them. An organisation is placed among the *other*
organisations in it (see `percentiles`); the benchmark names none of them.
"""

from __future__ import annotations

import copy
import datetime as dt
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from klantladder import __version__
from klantladder.errors import InputError, NotFoundError, Problem
from klantladder.jsonsource import load_json_file
from klantladder.limits import MAX_PORTFOLIO_RESULTS
from klantladder.models.benchmark import (
    MIN_PEERS,
    Benchmark,
    DimensionPercentile,
    Percentile,
    Skipped,
)
from klantladder.models.result import RESULT_FORMAT, ScoreResult
from klantladder.scoring.reliability import ALPHA_BAR, ITEM_REST_BAR, RELIABILITY_MIN_N
from klantladder.scoring.stats import rounded
from klantladder.scoring.uncertainty import INTERVAL_MIN_N

_RESULT_KEYS = frozenset({"questionnaire", "dimensions", "overall"})


def load_portfolio(folder: Path) -> list[ScoreResult]:
    """Read every ``*.json`` result in a folder (not its subfolders), by file name.

    Every bad file is reported with its name, JSON syntax errors with line and
    column, all at once in one `InputError`.
    """
    if not folder.is_dir():
        raise NotFoundError(f"{folder}: no such portfolio folder")
    paths = sorted(folder.glob("*.json"))
    if len(paths) > MAX_PORTFOLIO_RESULTS:
        raise InputError.single(
            folder,
            f"holds {len(paths):,} results; a portfolio may hold at most {MAX_PORTFOLIO_RESULTS:,}",
        )
    if not paths:
        raise InputError.single(
            folder,
            "no results (*.json) in this portfolio folder; "
            "write them with 'klantladder score DIR --json -o FILE'",
        )
    results: list[ScoreResult] = []
    problems: list[Problem] = []
    for path in paths:
        if path.name.startswith("."):
            problems.append(Problem(str(path), None, None, "a hidden file; rename or remove it"))
            continue
        try:
            results.append(_load_result(path, folder))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return results


def _load_result(path: Path, folder: Path) -> ScoreResult:
    name = str(path)
    data = load_json_file(path, within=folder)
    if not isinstance(data, dict) or not set(data) >= _RESULT_KEYS:
        raise InputError.single(
            name, "not a klantladder score result (from 'klantladder score --json')"
        )
    if data.get("format") == 1:
        data = upgrade_format_1(data)
    if data.get("format") != RESULT_FORMAT:
        raise InputError.single(
            name,
            f"result format {data.get('format')!r}; this klantladder reads formats 1 and "
            f"{RESULT_FORMAT}",
        )
    try:
        return ScoreResult.model_validate(data)
    except ValidationError as error:
        raise InputError(
            [
                Problem(name, None, None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in error.errors()
            ]
        ) from None


def upgrade_format_1(data: dict[str, Any]) -> dict[str, Any]:
    """A format 1 result in format 2: what format 1 did not compute is marked unknown.

    Intervals, borders and the road stay empty; reliability is empty; scoring
    info gets the values format 1 results were made with. Segments are dropped:
    format 1 did not protect small groups against subtraction, and a benchmark
    does not need them. Scores and phases are kept as they were.
    """
    upgraded = copy.deepcopy(data)
    upgraded["format"] = 2
    for dimension in upgraded.get("dimensions", []):
        if isinstance(dimension, dict):
            dimension.setdefault("interval", None)
            dimension.setdefault("border", None)
    overall = upgraded.get("overall")
    if isinstance(overall, dict):
        for key in ("interval", "mean_border", "border", "road"):
            overall.setdefault(key, None)
    upgraded["segments"] = []
    upgraded["gaps"] = []
    upgraded.setdefault("reliability", [])
    scoring = upgraded.get("scoring")
    if isinstance(scoring, dict):
        scoring.setdefault("confidence", 0.95)
        scoring.setdefault("interval_min_n", INTERVAL_MIN_N)
        scoring.setdefault("reliability_min_n", RELIABILITY_MIN_N)
        scoring.setdefault("alpha_bar", ALPHA_BAR)
        scoring.setdefault("item_rest_bar", ITEM_REST_BAR)
    return upgraded


def benchmark(result: ScoreResult, portfolio_folder: Path) -> Benchmark:
    """Percentile ranks of ``result`` against the portfolio in a folder."""
    return percentiles(result, load_portfolio(portfolio_folder))


def percentiles(result: ScoreResult, portfolio: Sequence[ScoreResult]) -> Benchmark:
    """Place an organisation's result among the other organisations of a portfolio.

    The peers are the portfolio's results of the same method, without any
    result of the organisation itself (same name, any date: an organisation is
    not its own peer), and with each other organisation once, by its latest
    result. Organisations are told apart by name, ignoring case and spacing.
    A figure (a dimension, or overall) gets a percentile rank only when at
    least `MIN_PEERS` peers have a score on it; see `Percentile` for the
    definition.
    """
    method = result.questionnaire.method_id
    own = _organisation_key(result)
    latest: dict[str, ScoreResult] = {}
    other_method = own_organisation = earlier = unnamed = 0
    for candidate in portfolio:
        key = _organisation_key(candidate)
        if candidate.questionnaire.method_id != method:
            other_method += 1
        elif key is None:
            unnamed += 1
        elif key == own:
            own_organisation += 1
        elif key in latest:
            earlier += 1
            if _date(candidate) > _date(latest[key]):
                latest[key] = candidate
        else:
            latest[key] = candidate
    peers = list(latest.values())
    dimensions = [
        DimensionPercentile(
            id=dimension.id,
            title=dimension.title,
            **_figure(
                dimension.mean, [_dimension_score(peer, dimension.id) for peer in peers]
            ).model_dump(),
        )
        for dimension in result.dimensions
    ]
    return Benchmark(
        generator=f"klantladder {__version__}",
        method_id=method,
        min_peers=MIN_PEERS,
        peers=len(peers),
        dimensions=dimensions,
        overall=_figure(result.overall.score, [peer.overall.score for peer in peers]),
        skipped=Skipped(
            other_method=other_method,
            own_organisation=own_organisation,
            earlier_results=earlier,
            without_organisation=unnamed,
        ),
    )


def percentile_rank(score: float, peers: Sequence[float]) -> float:
    """Share of ``peers`` below ``score``, ties counted half, in percent (one decimal).

    Scores compare rounded to two decimals, as results show them.
    """
    if not peers:
        raise ValueError("a percentile rank needs at least one peer score")
    own = rounded(score)
    lower = sum(1 for value in peers if rounded(value) < own)
    equal = sum(1 for value in peers if rounded(value) == own)
    return round(100 * (lower + equal / 2) / len(peers), 1)


def _figure(score: float | None, values: list[float | None]) -> Percentile:
    scores = [value for value in values if value is not None]
    suppressed = len(scores) < MIN_PEERS
    return Percentile(
        score=score,
        peers=len(scores),
        suppressed=suppressed,
        percentile=None if suppressed or score is None else percentile_rank(score, scores),
        median=None if suppressed else rounded(statistics.median(scores)),
    )


def _dimension_score(result: ScoreResult, dimension_id: str) -> float | None:
    return next((d.mean for d in result.dimensions if d.id == dimension_id), None)


def _organisation_key(result: ScoreResult) -> str | None:
    if result.assessment is None:
        return None
    return " ".join(result.assessment.organisation.casefold().split())


def _date(result: ScoreResult) -> dt.date:
    assert result.assessment is not None
    return result.assessment.date
