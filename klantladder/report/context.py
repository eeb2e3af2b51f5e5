"""Everything the report templates show, gathered from the folder and its result."""

from __future__ import annotations

import base64
import mimetypes
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from markupsafe import Markup

from klantladder.folder import AssessmentFolder
from klantladder.formatting import format_score
from klantladder.models.assessment import UNKNOWN, Response
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.questionnaire import OpenQuestion, Questionnaire
from klantladder.models.result import DimensionResult, ScoreResult
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
from klantladder.report.diagnosis import diagnosis_context
from klantladder.report.fonts import FAMILY, packaged_font_faces
from klantladder.scoring.levels import ScoredResponses, answer_columns


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
        "confidential": brand.confidential,
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
    tallies = _tallies(folder)
    return {
        "result": result,
        # Said after what the consultant wrote in the assessment's language when the
        # report is in another: the cover's sector and assessor, notes and actions.
        "entered": "" if folder.assessment.language == language else f" ({labels['as_entered']})",
        "assessment": folder.assessment,
        "questionnaire": folder.questionnaire,
        "method": method,
        "phase": phase,
        "next_phase": None if top else method.phase_at(phase.level + 1),
        "dimensions": _dimensions(folder, result),
        "brand": brand_context(loaded_brand, links, folder.assessment.assessor),
        "fonts": font_css(links),
        "charts": dimension_charts(method, result, palette, labels, language),
        "heatmaps": segment_heatmaps(
            folder.questionnaire, folder.responses, result, palette, labels, language
        ),
        "segment_names": {
            group.question: profile_label(folder.questionnaire, group.question, language)
            or group.title
            for group in result.segments
        },
        "links": link_groups(method, language),
        "answers": _answer_table(folder, result, language, tallies),
        "profiles": _profile_counts(folder, result, language, tallies),
        "reliability": _reliability(folder, result, language),
        "figures": method.reference_figures,
        **diagnosis_context(folder, result),
    }


def ordered_dimensions(method: Method, result: ScoreResult) -> list[DimensionResult]:
    """The result's dimensions grouped by the method's links, in the links' order.

    Within a link, and for dimensions without a link (last), the method's
    order holds. Every chart, list and number in the report uses this order.
    """
    links = list(method.links)
    declared = {d.id: index for index, d in enumerate(method.dimensions)}

    def key(dimension: DimensionResult) -> tuple[int, int]:
        link = method.dimension(dimension.id).link
        return (links.index(link) if link in links else len(links), declared[dimension.id])

    return sorted(result.dimensions, key=key)


def link_title(method: Method, dimension_id: str, language: str) -> str | None:
    """The title of the link a dimension belongs to, if the method groups it."""
    link = method.dimension(dimension_id).link
    return localize(method.links[link], language) if link in method.links else None


def _dimensions(folder: AssessmentFolder, result: ScoreResult) -> list[dict[str, Any]]:
    method = folder.questionnaire.content
    language = folder.language
    focus = {point.dimension for point in result.focus}
    return [
        {
            "number": index + 1,
            "result": dimension,
            "method": method.dimension(dimension.id),
            "focus": dimension.id in focus,
            "link": link_title(method, dimension.id, language),
        }
        for index, dimension in enumerate(ordered_dimensions(method, result))
    ]


def link_groups(method: Method, language: str) -> list[dict[str, Any]]:
    """The method's links with the titles of their dimensions, for the reading guide."""
    return [
        {
            "title": localize(title, language),
            "dimensions": [
                localize(d.title, language) for d in method.dimensions if d.link == link_id
            ],
        }
        for link_id, title in method.links.items()
    ]


def ladder_chart(
    method: Method,
    result: ScoreResult,
    palette: Palette,
    labels: dict[str, Any],
    language: str,
    name_size: float = 13.0,
    here: str = "here",
) -> Markup:
    """The ladder with the organisation's rung and a numbered mark per dimension.

    Marks are numbered in `ordered_dimensions` order, as the report's lists are.
    ``here`` is the label of the mark over the rung: the report speaks to its
    reader, the wall and the workshop screen to the group ("group_here").
    """
    rungs = [Rung(p.level, localize(p.name, language)) for p in method.phases]
    marks = [
        Mark(index + 1, dimension.phase.level)
        for index, dimension in enumerate(ordered_dimensions(method, result))
        if dimension.phase is not None
    ]
    return Markup(
        ladder_svg(
            rungs,
            result.overall.phase.level,
            marks,
            palette,
            labels[here],
            labels["ladder_title"],
            name_size,
        )
    )


def dimension_charts(
    method: Method,
    result: ScoreResult,
    palette: Palette,
    labels: dict[str, Any],
    language: str,
    here: str = "here",
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
            group=link_title(method, d.id, language),
        )
        for d in ordered_dimensions(method, result)
    ]
    return {
        "ladder": ladder_chart(method, result, palette, labels, language, here=here),
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


def profile_label(questionnaire: Questionnaire, question_id: str, language: str) -> str | None:
    """The short name of a profile question (its ``label``), or None when it has none."""
    question = next((q for q in questionnaire.profile_questions if q.id == question_id), None)
    return localize(question.label, language) if question and question.label else None


MAX_HEATMAP_GROUPS = 8
"""Group columns a heatmap shows at most beside "everyone": more no longer read on A4.

With more groups the largest ``MAX_HEATMAP_GROUPS - 1`` are shown and the rest,
small groups included, are folded into one "other" column, shown only when it
reaches the minimum group size itself.
"""


def segment_heatmaps(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    result: ScoreResult,
    palette: Palette,
    labels: dict[str, Any],
    language: str,
) -> list[dict[str, Any]]:
    """A heatmap per profile question with segments large enough to show (report and workshop).

    More than `MAX_HEATMAP_GROUPS` groups fold into 'Overige' (see there).
    """
    dimensions = ordered_dimensions(questionnaire.content, result)
    rows = [d.title for d in dimensions]
    everyone = HeatColumn(labels["everyone"], result.respondents, [d.mean for d in dimensions])
    maps = []
    for group in result.segments:
        if not group.segments:
            continue
        name = profile_label(questionnaire, group.question, language) or group.title
        shown = list(group.segments)
        folded = 0
        other: HeatColumn | None = None
        if len(shown) > MAX_HEATMAP_GROUPS:
            largest = sorted(shown, key=lambda s: -s.n)[: MAX_HEATMAP_GROUPS - 1]
            kept = {segment.option for segment in largest}
            shown = [segment for segment in shown if segment.option in kept]
            folded = len(group.segments) - len(shown) + group.suppressed_groups
            other = _other_column(
                questionnaire,
                responses,
                result,
                dimensions,
                group.question,
                kept,
                labels["other_groups"],
            )
        columns = [everyone] + [
            HeatColumn(s.label, s.n, [s.dimensions.get(d.id) for d in dimensions]) for s in shown
        ]
        if other is not None:
            columns.append(other)
        svg = heatmap_svg(
            rows, columns, palette, lambda v: format_score(v, language), name, group_label=name
        )
        maps.append(
            {
                "group": group,
                "name": name,
                "svg": Markup(svg),
                "shown": len(shown),
                "folded": folded,
            }
        )
    return maps


def _other_column(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    result: ScoreResult,
    dimensions: list[DimensionResult],
    question: str,
    kept: set[str],
    label: str,
) -> HeatColumn | None:
    """The respondents of every group not shown on its own, if they are enough to show."""
    members = [
        response
        for response in responses
        if any(
            isinstance(option, str) and option not in kept
            for option in _chosen(response.answers.get(question))
        )
    ]
    if len(members) < result.scoring.min_group_size:
        return None
    scored = ScoredResponses.build(questionnaire, members)
    means = scored.dimension_means(range(len(members)))
    return HeatColumn(label, len(members), [means.get(d.id) for d in dimensions])


def _chosen(value: object) -> list[object]:
    if value is None or value == UNKNOWN:
        return []
    return value if isinstance(value, list) else [value]


def _tallies(folder: AssessmentFolder) -> dict[str, Counter[object]]:
    """How often each answer was given, per closed question (each option of a multi-select)."""
    ids = [q.id for q in folder.questionnaire.questions if not isinstance(q, OpenQuestion)]
    given = [response.answers for response in folder.responses]
    tallies: dict[str, Counter[object]] = {}
    for question_id, column in zip(ids, answer_columns(given, ids), strict=True):
        lists = [value for value in column if isinstance(value, list)]
        if lists:
            tally = Counter(value for value in column if not isinstance(value, list))
            tally.update(chain.from_iterable(lists))
        else:
            tally = Counter(column)
        tally.pop(None, None)  # no answer
        tallies[question_id] = tally
    return tallies


def _answer_table(
    folder: AssessmentFolder,
    result: ScoreResult,
    language: str,
    tallies: dict[str, Counter[object]],
) -> list[dict[str, Any]]:
    """Per dimension, per scored question: how many gave each answer."""
    questionnaire = folder.questionnaire
    sections = []
    for dimension in ordered_dimensions(questionnaire.content, result):
        rows = []
        for question in questionnaire.scored_questions:
            if question.dimension != dimension.id:
                continue
            tally = tallies[question.id]
            counts = [tally[level] for level in range(1, 6)]
            rows.append(
                {
                    "id": question.id,
                    "kind": question.kind,
                    "text": localize(question.text, language),
                    "counts": counts,
                    "unknown": tally[UNKNOWN],
                    "n": sum(counts),
                }
            )
        sections.append({"dimension": dimension, "rows": rows})
    return sections


def _profile_counts(
    folder: AssessmentFolder,
    result: ScoreResult,
    language: str,
    tallies: dict[str, Counter[object]],
) -> list[dict[str, Any]]:
    """How many respondents chose each profile option, as far as it may be shown.

    A count is given only for a group the segments chapter shows, and 0 for an
    option nobody chose as long as no option of the question is hidden; every
    other count is None, so that no small group follows from the total minus
    the counts shown (complementary suppression). A 0 beside hidden groups would
    tell how many groups share the rest: three hidden groups holding three
    people would each be one person.
    """
    shown = {
        (group.question, segment.option): segment.n
        for group in result.segments
        for segment in group.segments
    }
    tables = []
    for question in folder.questionnaire.profile_questions:
        rows = []
        for option in question.options:
            chosen = tallies[question.id][option.id] > 0
            rows.append(
                {
                    "label": localize(option.label, language),
                    "count": shown.get((question.id, option.id), None if chosen else 0),
                }
            )
        if any(row["count"] is None for row in rows):
            for row in rows:
                if row["count"] == 0:
                    row["count"] = None
        tables.append(
            {
                "question": localize(question.label or question.text, language),
                "rows": rows,
                "multiple": question.multiple,
            }
        )
    return tables


def _reliability(
    folder: AssessmentFolder, result: ScoreResult, language: str
) -> list[dict[str, Any]]:
    """Per dimension its reliability, with the flagged questions' texts."""
    questionnaire = folder.questionnaire
    rows = []
    for item in result.reliability:
        low = [
            {
                "text": localize(questionnaire.question(rest.question).text, language),
                "correlation": rest.correlation,
            }
            for rest in item.item_rest
            if rest.low
        ]
        rows.append(
            {
                "title": item.title,
                "n": item.n,
                "status": item.status,
                "alpha": item.alpha,
                "alpha_low": item.alpha_low,
                "low_items": low,
            }
        )
    return rows
