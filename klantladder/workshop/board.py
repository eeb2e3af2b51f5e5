"""What the facilitator's screen shows: the folder scored by the scoring engine, as charts.

The scores come from `klantladder.scoring.score` over the folder's responses,
exactly as ``klantladder score`` computes them (key findings included), and the charts are the
report's own SVG charts, so the projector and the PDF look alike. Groups and
perception gaps are the engine's, which never shows a group below the
minimum group size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from klantladder.folder import AssessmentFolder
from klantladder.models.assessment import Assessment, Response
from klantladder.models.base import localize
from klantladder.models.questionnaire import Questionnaire
from klantladder.models.result import ScoreResult
from klantladder.report.charts import Palette, Rung, ladder_svg
from klantladder.report.context import dimension_charts, segment_heatmaps
from klantladder.report.diagnosis import folder_findings
from klantladder.report.environment import report_labels
from klantladder.scoring import score
from klantladder.workshop import storage
from klantladder.workshop.participants import Counts

BOARD_FORMAT = 1
MAX_GAPS = 6
MAX_QUOTES = 6
QUOTE_CHARS = 280


@dataclass(frozen=True)
class BoardSource:
    """What the board is computed from, apart from the responses."""

    folder: Path
    questionnaire: Questionnaire
    assessment: Assessment
    language: str
    palette: Palette
    environment: Environment


@dataclass(frozen=True)
class Board:
    """One state of the facilitator's screen: the data endpoint's JSON and the live HTML."""

    data: dict[str, Any]
    html: str


def compute_board(source: BoardSource, counts: Counts, closed: bool) -> Board:
    """Score the folder's responses now and render the live part of the screen."""
    responses, problems = storage.read_responses(source.folder, source.questionnaire)
    result = _score(source, responses)
    data = {
        "format": BOARD_FORMAT,
        "closed": closed,
        "participants": {
            "joined": counts.joined,
            "started": counts.started,
            "finished": counts.finished,
        },
        "respondents": len(responses),
        "problems": [str(problem) for problem in problems],
        "result": None if result is None else result.model_dump(mode="json"),
    }
    context = {
        "counts": counts,
        "closed": closed,
        "respondents": len(responses),
        "problems": [str(problem) for problem in problems],
        "result": result,
        "minimum": source.questionnaire.content.scoring.min_group_size,
        **_charts(source, result, responses),
        "quotes": _quotes(source, responses),
    }
    html = source.environment.get_template("_board.html").render(context)
    return Board(data, html)


def _score(source: BoardSource, responses: list[Response]) -> ScoreResult | None:
    if not responses:
        return None
    try:
        result = score(source.questionnaire, responses, source.assessment, source.language)
    except ValueError:  # no response has a scored answer yet
        return None
    folder = AssessmentFolder(
        source.folder, source.assessment, source.questionnaire, tuple(responses)
    )
    findings = folder_findings(folder, result, report_labels(source.language))
    return result.model_copy(update={"findings": findings})


def _charts(
    source: BoardSource, result: ScoreResult | None, responses: list[Response]
) -> dict[str, Any]:
    method = source.questionnaire.content
    labels = report_labels(source.language)
    if result is None:
        rungs = [Rung(p.level, localize(p.name, source.language)) for p in method.phases]
        empty = ladder_svg(
            rungs, 0, [], source.palette, labels["group_here"], labels["ladder_title"]
        )
        return {"ladder": Markup(empty), "profile": None, "heatmaps": [], "gaps": []}
    charts = dimension_charts(
        method, result, source.palette, labels, source.language, here="group_here"
    )
    return {
        "ladder": charts["ladder"],
        "profile": charts["profile"],
        "heatmaps": segment_heatmaps(
            source.questionnaire, responses, result, source.palette, labels, source.language
        ),
        "gaps": result.gaps[:MAX_GAPS],
    }


def _quotes(source: BoardSource, responses: list[Response]) -> list[dict[str, Any]]:
    """Open answers per question, once enough people answered it, in an order that hides who.

    The order is by a hash of the text, never by time, so the screen does not
    show which answer just came in.
    """
    minimum = source.questionnaire.content.scoring.min_group_size
    quotes = []
    for question in source.questionnaire.open_questions:
        texts = [
            text.strip()
            for response in responses
            if isinstance(text := response.answers.get(question.id), str) and text.strip()
        ]
        if len(texts) < minimum:
            continue
        texts.sort(key=lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest())
        shown = [_shorten(text) for text in texts[:MAX_QUOTES]]
        quotes.append({"question": localize(question.text, source.language), "answers": shown})
    return quotes


def _shorten(text: str) -> str:
    if len(text) <= QUOTE_CHARS:
        return text
    return text[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
