"""Printable handouts from the same templates, brand and safe renderer as the report.

* questionnaire: a paper questionnaire with tick boxes, typed in later with
  ``klantladder interview`` (the keys match the numbers on paper);
* ladder: a landscape poster of the five phases and their signs;
* cards: a card per phase and per building block, tip and pitfall, four A6
  cards per A4 sheet with cut marks;
* summary: one page with the group's result, large enough for the wall.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any, Literal

from markupsafe import Markup

from klantladder.errors import NotFoundError
from klantladder.fileio import check_output, write_atomic
from klantladder.folder import (
    AssessmentFolder,
    load_assessment,
    load_assessment_file,
    questionnaire_for,
)
from klantladder.loading import load_shipped_questionnaire
from klantladder.models.assessment import Privacy
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    Questionnaire,
)
from klantladder.privacy import promise
from klantladder.report.brand import LoadedBrand, assessment_brand, load_brand
from klantladder.report.charts import Palette
from klantladder.report.context import (
    AssetLinks,
    brand_context,
    font_css,
    ladder_chart,
    ordered_dimensions,
)
from klantladder.report.environment import render_template, report_labels, template_environment
from klantladder.report.fonts import text_width
from klantladder.report.render import ReportSource, html_to_pdf
from klantladder.report.wording import install_wording, questionnaire_texts, register

HandoutKind = Literal["questionnaire", "ladder", "cards", "summary"]
PaperSize = Literal["a4", "a3"]

# Root font sizes per paper size. The poster and the wall summary are read from
# three metres away: on A3 no body text is smaller than 18 pt and phase names
# are at least 28 pt. The A4 version is the same page reduced (A3 x 0.707), a
# copy for the table.
_POSTER_SIZE = {"a4": "12.75pt", "a3": "18pt"}
_WALL_SIZE = {"a4": "12.75pt", "a3": "18pt"}
_MARGIN = {"a4": "8.5mm", "a3": "12mm"}
_CARDS_PER_SHEET = 4
SIGNS_ON_POSTER = 3
"""At most this many signs per phase on the poster: enough to recognise a phase at
a glance, large enough to read from the back of the room. The phase cards carry
them all; fewer are shown when the method's texts would not fit on one sheet."""
# Phase names under the wall summary's ladder, in chart units: 28.5 pt on A3,
# where the ladder is the page's full width.
_WALL_PHASE_NAME = 16.5
DEFAULT_RETURN_TO = "form_return_default"


def _tints(palette: Palette, method: Method) -> tuple[dict[int, str], dict[int, str]]:
    """A fill per phase that darkens with the level, and a readable text colour on it."""
    tints = {p.level: palette.tint(0.2 + 0.8 * (p.level - 1) / 4) for p in method.phases}
    return tints, {level: palette.text_on(colour) for level, colour in tints.items()}


def _common(brand: LoadedBrand) -> dict[str, Any]:
    links = AssetLinks(inline=False)
    return {"brand": brand_context(brand, links), "fonts": font_css(links)}


def page_counter_css(template: str) -> Markup:
    """A label such as 'Pagina $page van $pages' as a CSS ``content`` value with counters.

    The text parts become CSS strings, with quotes, backslashes and ``<``
    escaped, so the value is safe inside a ``<style>`` element.
    """
    parts = re.split(r"(\$pages|\$page)", template)
    values = []
    for part in parts:
        if part == "$page":
            values.append("counter(page)")
        elif part == "$pages":
            values.append("counter(pages)")
        elif part:
            text = part.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ")
            values.append(f'"{text}"')
    return Markup(" ".join(values))


def _questionnaire_context(
    questionnaire: Questionnaire,
    language: str,
    labels: dict[str, Any],
    return_to: str | None,
    privacy: Privacy,
) -> dict[str, Any]:
    from klantladder.exporting import condition_answers

    method = questionnaire.content
    numbers = {question.id: n for n, question in enumerate(questionnaire.questions, start=1)}
    informal = register(questionnaire_texts(questionnaire, language)) == "informal"
    suffix = "_informal" if informal else ""
    questions = []
    for number, question in enumerate(questionnaire.questions, start=1):
        dimension = None
        if isinstance(question, LadderQuestion | LikertQuestion):
            dimension = localize(method.dimension(question.dimension).title, language)
        routing = None
        if question.when is not None:  # on paper the respondent routes: say when to answer
            key = "routing_paper_in" if question.when.in_ is not None else "routing_paper_not_in"
            routing = string.Template(labels[key + suffix]).safe_substitute(
                number=numbers[question.when.question],
                answers=condition_answers(question.when, questionnaire, language),
            )
        questions.append(
            {"number": number, "question": question, "dimension": dimension, "routing": routing}
        )
    return {
        "questionnaire": questionnaire,
        "questions": questions,
        "agreement": method.answer_labels.agreement,
        "unknown": method.answer_labels.unknown,
        "page_size": "A4",
        "intro": labels["questionnaire_intro_informal" if informal else "questionnaire_intro"],
        "page_counter": page_counter_css(labels["form_page"]),
        "return_to": return_to or labels[DEFAULT_RETURN_TO],
        "privacy": privacy,
        "promise": promise(language, privacy, method.scoring.min_group_size, informal=informal),
    }


# The A3 poster's geometry in millimetres (handout_ladder.html, handout.css); the
# A4 poster is the same page reduced, so one estimate serves both.
_PT = 25.4 / 72
_POSTER_BODY = 18 * _PT * 1.2  # one line of 1rem text at line-height 1.2
_POSTER_COLUMN = (420 - 2 * 12 - 4 * 3.5) / 5
_POSTER_ROOM = 297 - 2 * 12 - 27 - 16  # the page less title and foot
_POSTER_STEP = 3.5


def _lines(text: str, width_mm: float, weight: int = 400) -> int:
    """How many lines of 18 pt ``text`` take in ``width_mm`` (greedy wrap at spaces)."""
    lines, current = 0, ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, 18, weight) * _PT > width_mm:
            lines, current = lines + 1, word
        else:
            current = candidate
    return lines + (1 if current else 0)


def poster_signs(method: Method, language: str, most: int = SIGNS_ON_POSTER) -> int:
    """The number of signs per phase that lets every column of the poster fit (at least one).

    Estimated from the packaged font's glyph widths and the poster's geometry.
    """
    levels = len(method.phases)
    for count in range(most, 0, -1):
        tallest = 0.0
        for phase in method.phases:
            head = 2 * 28.8 * _PT * 1.1 + 3.5
            summary = _lines(localize(phase.summary, language), _POSTER_COLUMN - 6, 600)
            signs = sum(
                _lines(localize(sign.text, language), _POSTER_COLUMN - 9.5)
                for sign in phase.signs[:count]
            )
            height = (
                (levels - phase.level) * _POSTER_STEP
                + head
                + (summary + 1 + signs) * _POSTER_BODY  # the 1 is the signs' heading
                + 8
                + count
            )
            tallest = max(tallest, height)
        if tallest <= _POSTER_ROOM:
            return count
    return 1


def _poster_context(
    method: Method, palette: Palette, size: PaperSize, language: str
) -> dict[str, Any]:
    tints, tint_text = _tints(palette, method)
    cited = sorted(
        {localize(method.source(s.source).name, language) for p in method.phases for s in p.tips}
    )
    shown = poster_signs(method, language)
    shortened = any(len(phase.signs) > shown for phase in method.phases)
    return {
        "method": method,
        "tints": tints,
        "tint_text": tint_text,
        "page_size": size.upper(),
        "base_size": _POSTER_SIZE[size],
        "margin": _MARGIN[size],
        "signs_shown": shown,
        "more_signs": shortened,
        "sources": "; ".join(cited),
    }


def _cards_context(
    method: Method, palette: Palette, labels: dict[str, Any], language: str, phase_id: str | None
) -> dict[str, Any]:
    tints, tint_text = _tints(palette, method)
    cards: list[dict[str, Any]] = []
    for phase in method.phases:
        if phase_id is not None and phase.id != phase_id:
            continue
        name = localize(phase.name, language)
        cards.append(
            {
                "kind": "phase",
                "level": phase.level,
                "phase": name,
                "label": labels["card_phase"],
                "title": name,
                "text": localize(phase.summary, language),
                "signs": [localize(sign.text, language) for sign in phase.signs],
            }
        )
        for kind, items in (
            ("card_building_block", phase.building_blocks),
            ("card_tip", phase.tips),
            ("card_pitfall", phase.pitfalls),
        ):
            for item in items:
                cards.append(
                    {
                        "kind": "item",
                        "level": phase.level,
                        "phase": name,
                        "label": labels[kind],
                        "title": localize(item.title, language),
                        "text": localize(item.text, language),
                        "source": localize(method.source(item.source).name, language),
                    }
                )
    sheets = [cards[i : i + _CARDS_PER_SHEET] for i in range(0, len(cards), _CARDS_PER_SHEET)]
    return {"method": method, "sheets": sheets, "tints": tints, "tint_text": tint_text}


def handout_html(
    kind: HandoutKind,
    *,
    language: str | None = None,
    quick: bool = False,
    assessment: AssessmentFolder | None = None,
    brand: LoadedBrand | None = None,
    size: PaperSize = "a3",
    phase: str | None = None,
    templates: Path | None = None,
    return_to: str | None = None,
    privacy: Privacy = "pseudonymous",
    questionnaire: Questionnaire | None = None,
) -> ReportSource:
    """The HTML of a handout; the summary needs an ``assessment``.

    ``return_to`` says on every page of the questionnaire where to hand it in.
    The paper questionnaire promises what ``privacy`` keeps, and asks for a
    code, a name or nothing accordingly; ``questionnaire`` prints an
    assessment's own questionnaire instead of a shipped one.
    """
    loaded_brand = brand or load_brand(None)
    palette = Palette(loaded_brand.brand.primary_colour, loaded_brand.brand.secondary_colour)
    context = _common(loaded_brand)
    if kind == "summary":
        if assessment is None:
            raise ValueError("the summary handout needs an assessment folder")
        language = assessment.language
        labels = report_labels(language)
        result = assessment.score()
        method = assessment.questionnaire.content
        context |= {
            "assessment": assessment.assessment,
            "result": result,
            "phase": method.phase(result.overall.phase.id),
            "dimensions": ordered_dimensions(method, result),
            "focus_ids": {point.dimension for point in result.focus},
            "ladder": ladder_chart(
                method,
                result,
                palette,
                labels,
                language,
                name_size=_WALL_PHASE_NAME,
                here="group_here",
            ),
            "page_size": size.upper(),
            "base_size": _WALL_SIZE[size],
            "margin": _MARGIN[size],
        }
    else:
        language = language or "nl"
        labels = report_labels(language)
        questionnaire = questionnaire or load_shipped_questionnaire(
            "quickscan" if quick else "intake", language
        )
        method = questionnaire.content
        if kind == "questionnaire":
            context |= _questionnaire_context(questionnaire, language, labels, return_to, privacy)
        elif kind == "ladder":
            context |= _poster_context(method, palette, size, language)
        else:
            if phase is not None and phase not in {p.id for p in method.phases}:
                known = ", ".join(p.id for p in method.phases)
                raise NotFoundError(f"no phase {phase!r}; phases: {known}")
            context |= _cards_context(method, palette, labels, language, phase)
    environment = template_environment(language, templates)
    install_wording(environment, labels)
    html = render_template(environment, f"handout_{kind}.html", context)
    return ReportSource(html, (loaded_brand.logo,) if loaded_brand.logo else ())


def default_handout_name(kind: HandoutKind, language: str, quick: bool) -> str:
    """File name of a handout when no output is given."""
    if kind == "questionnaire":
        return f"questionnaire-{'quickscan' if quick else 'intake'}-{language}.pdf"
    return f"{kind}-{language}.pdf"


def render_handout(
    kind: HandoutKind,
    *,
    output: Path | None = None,
    language: str | None = None,
    quick: bool = False,
    folder: Path | None = None,
    brand_file: Path | None = None,
    size: PaperSize = "a3",
    phase: str | None = None,
    templates: Path | None = None,
    force: bool = False,
    return_to: str | None = None,
    privacy: Privacy | None = None,
) -> Path:
    """Render a handout to PDF; never overwrites without ``force``.

    The summary is of the assessment in ``folder``. The questionnaire is the
    one of the assessment in ``folder`` (its language and privacy mode) when
    given, else the shipped intake (or, with ``quick``, the quick scan) for
    ``privacy`` (default pseudonymous); the other handouts are of the method.
    """
    own: Questionnaire | None = None
    if kind == "questionnaire" and folder is not None:
        document, described = load_assessment_file(folder)
        own = questionnaire_for(folder, document, described, language)
        language = language or described.language
        privacy = privacy or described.privacy
        folder = None
    assessment = load_assessment(folder, language) if folder is not None else None
    if output is None:
        if assessment is not None:
            output = assessment.path / f"summary-{assessment.assessment.date.isoformat()}.pdf"
        else:
            output = Path(default_handout_name(kind, language or "nl", quick))
    check_output(output, force=force)
    if assessment is not None:
        brand = assessment_brand(assessment.path, brand_file, assessment.assessment.brand)
    else:
        brand = load_brand(brand_file)
    source = handout_html(
        kind,
        language=language,
        quick=quick,
        assessment=assessment,
        brand=brand,
        size=size,
        phase=phase,
        templates=templates,
        return_to=return_to,
        privacy=privacy or "pseudonymous",
        questionnaire=own,
    )
    write_atomic(output, html_to_pdf(source), force=force)
    return output
