"""Everything the report templates show, gathered from the folder and its result."""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from klantladder.folder import AssessmentFolder
from klantladder.formatting import format_score
from klantladder.models.assessment import UNKNOWN
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.result import ScoreResult
from klantladder.report.brand import LoadedBrand
from klantladder.report.charts import (
    Band,
    HeatColumn,
    Mark,
    Palette,
    ProfileBar,
    Rung,
    heatmap_svg,
    ladder_svg,
    profile_svg,
)
from klantladder.report.fonts import FAMILY, packaged_font_faces


@dataclass(frozen=True)
class AssetLinks:
    """How the HTML refers to fonts and the logo: file URLs, or inline data URIs."""

    inline: bool

    def url(self, path: Path) -> str:
        """A URL for a file that the renderer is allowed to read."""
        if not self.inline:
            return path.resolve().as_uri()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def font_css(links: AssetLinks) -> Markup:
    """@font-face rules for the packaged font."""
    rules = [
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {face.weight}; '
        f'font-style: {face.style}; src: url("{links.url(face.path)}"); }}'
        for face in packaged_font_faces()
    ]
    return Markup("\n".join(rules))


def brand_context(
    loaded_brand: LoadedBrand, links: AssetLinks, assessor: str | None = None
) -> dict[str, Any]:
    """What templates know of the brand."""
    brand = loaded_brand.brand
    return {
        "name": brand.name,
        "primary": brand.primary_colour,
        "secondary": brand.secondary_colour,
        "on_primary": Palette(brand.primary_colour, brand.secondary_colour).text_on(
            brand.primary_colour
        ),
        "footer": brand.footer,
        "assessor": assessor or brand.assessor,
        "logo": links.url(loaded_brand.logo) if loaded_brand.logo else None,
    }


def report_context(
    folder: AssessmentFolder,
    result: ScoreResult,
    loaded_brand: LoadedBrand,
    labels: dict[str, Any],
    links: AssetLinks,
) -> dict[str, Any]:
    """The template context of the report."""
    language = result.questionnaire.language
    method = folder.questionnaire.content
    brand = loaded_brand.brand
    palette = Palette(brand.primary_colour, brand.secondary_colour)
    phase = method.phase(result.overall.phase.id)
    top = phase.level == len(method.phases)
    return {
        "result": result,
        "assessment": folder.assessment,
        "questionnaire": folder.questionnaire,
        "method": method,
        "phase": phase,
        "next_phase": None if top else method.phase_at(phase.level + 1),
        "dimensions": _dimensions(folder, result),
        "sources": {source.id: localize(source.name, language) for source in method.sources},
        "brand": brand_context(loaded_brand, links, folder.assessment.assessor),
        "fonts": font_css(links),
        "charts": dimension_charts(method, result, palette, labels, language),
        "heatmaps": segment_heatmaps(result, palette, labels, language),
        "quotes": _quotes(folder, language),
        "answers": _answer_table(folder, result, language),
        "profiles": _profile_counts(folder, result, language),
        "figures": method.reference_figures,
    }


def _dimensions(folder: AssessmentFolder, result: ScoreResult) -> list[dict[str, Any]]:
    method = folder.questionnaire.content
    focus = {point.dimension for point in result.focus}
    return [
        {
            "number": index + 1,
            "result": dimension,
            "method": method.dimension(dimension.id),
            "focus": dimension.id in focus,
        }
        for index, dimension in enumerate(result.dimensions)
    ]


def ladder_chart(
    method: Method, result: ScoreResult, palette: Palette, labels: dict[str, Any], language: str
) -> Markup:
    """The ladder with the organisation's rung and a numbered mark per dimension."""
    rungs = [Rung(p.level, localize(p.name, language)) for p in method.phases]
    marks = [
        Mark(index + 1, dimension.phase.level)
        for index, dimension in enumerate(result.dimensions)
        if dimension.phase is not None
    ]
    return Markup(
        ladder_svg(
            rungs,
            result.overall.phase.level,
            marks,
            palette,
            labels["here"],
            labels["ladder_title"],
        )
    )


def dimension_charts(
    method: Method, result: ScoreResult, palette: Palette, labels: dict[str, Any], language: str
) -> dict[str, Markup]:
    """The ladder and the dimension profile (the report's and the workshop screen's)."""
    focus = {point.dimension for point in result.focus}
    bars = [
        ProfileBar(
            title=d.title,
            score=d.mean,
            spread=d.sd,
            score_text="" if d.mean is None else format_score(d.mean, language),
            focus=d.id in focus,
        )
        for d in result.dimensions
    ]
    return {
        "ladder": ladder_chart(method, result, palette, labels, language),
        "profile": Markup(
            profile_svg(
                bars,
                phase_bands(method, language),
                palette,
                labels["focus_mark"],
                labels["profile_title"],
            )
        ),
    }


def phase_bands(method: Method, language: str) -> list[Band]:
    """The score range of each phase, for chart backgrounds."""
    edges = [1.0, *(method.scoring.thresholds[p.id] for p in method.phases[1:]), 5.0]
    return [
        Band(localize(phase.name, language), edges[i], edges[i + 1])
        for i, phase in enumerate(method.phases)
    ]


def segment_heatmaps(
    result: ScoreResult, palette: Palette, labels: dict[str, Any], language: str
) -> list[dict[str, Any]]:
    """A heatmap per profile question with segments large enough to show."""
    rows = [d.title for d in result.dimensions]
    everyone = HeatColumn(
        labels["everyone"], result.respondents, [d.mean for d in result.dimensions]
    )
    maps = []
    for group in result.segments:
        if not group.segments:
            continue
        columns = [everyone] + [
            HeatColumn(s.label, s.n, [s.dimensions.get(d.id) for d in result.dimensions])
            for s in group.segments
        ]
        svg = heatmap_svg(rows, columns, palette, lambda v: format_score(v, language), group.title)
        maps.append({"group": group, "svg": Markup(svg)})
    return maps


def _quotes(folder: AssessmentFolder, language: str) -> list[dict[str, Any]]:
    quotes = []
    for question in folder.questionnaire.open_questions:
        answers = [
            text.strip()
            for response in folder.responses
            if isinstance(text := response.answers.get(question.id), str) and text.strip()
        ]
        if answers:
            quotes.append({"question": localize(question.text, language), "answers": answers})
    return quotes


def _answer_table(
    folder: AssessmentFolder, result: ScoreResult, language: str
) -> list[dict[str, Any]]:
    """Per dimension, per scored question: how many gave each answer."""
    questionnaire = folder.questionnaire
    sections = []
    for dimension in result.dimensions:
        rows = []
        for question in questionnaire.scored_questions:
            if question.dimension != dimension.id:
                continue
            values = [r.answers.get(question.id) for r in folder.responses]
            counts = [sum(1 for v in values if v == level) for level in range(1, 6)]
            rows.append(
                {
                    "id": question.id,
                    "kind": question.kind,
                    "text": localize(question.text, language),
                    "counts": counts,
                    "unknown": sum(1 for v in values if v == UNKNOWN),
                    "n": sum(counts),
                }
            )
        sections.append({"dimension": dimension, "rows": rows})
    return sections


def _profile_counts(
    folder: AssessmentFolder, result: ScoreResult, language: str
) -> list[dict[str, Any]]:
    """How many respondents chose each profile option; small counts are not shown exactly."""
    minimum = result.scoring.min_group_size
    tables = []
    for question in folder.questionnaire.profile_questions:
        rows = []
        for option in question.options:
            count = sum(
                1 for r in folder.responses if _chose(r.answers.get(question.id), option.id)
            )
            rows.append(
                {
                    "label": localize(option.label, language),
                    "count": count,
                    "small": 0 < count < minimum,
                }
            )
        tables.append(
            {
                "question": localize(question.text, language),
                "rows": rows,
                "multiple": question.multiple,
            }
        )
    return tables


def _chose(value: object, option: str) -> bool:
    return value == option or (isinstance(value, list) and option in value)
