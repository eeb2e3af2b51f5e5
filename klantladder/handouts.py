"""Printable handouts from the same templates, brand and safe renderer as the report.

* questionnaire: a paper questionnaire with tick boxes, typed in later with
  ``klantladder interview`` (the keys match the numbers on paper);
* ladder: a landscape poster of the five phases and their signs;
* cards: a card per phase and per building block, tip and pitfall, four A6
  cards per A4 sheet with cut marks;
* summary: one page with the group's result, large enough for the wall.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from klantladder.errors import NotFoundError, OutputExistsError
from klantladder.fileio import write_atomic
from klantladder.folder import (
    AssessmentFolder,
    load_assessment,
    load_assessment_file,
    questionnaire_for,
)
from klantladder.loading import load_questionnaire
from klantladder.models.assessment import Privacy
from klantladder.models.base import localize
from klantladder.models.method import Method
from klantladder.models.questionnaire import LadderQuestion, LikertQuestion, Questionnaire
from klantladder.privacy import promise
from klantladder.report.brand import LoadedBrand, load_brand
from klantladder.report.charts import Palette
from klantladder.report.context import AssetLinks, brand_context, font_css, ladder_chart
from klantladder.report.environment import render_template, report_labels, template_environment
from klantladder.report.render import ReportSource, html_to_pdf

HandoutKind = Literal["questionnaire", "ladder", "cards", "summary"]
PaperSize = Literal["a4", "a3"]

# Root font sizes per paper size: the A3 version is the A4 one enlarged, so both
# keep the same layout. The wall summary is read from three metres away.
_POSTER_SIZE = {"a4": "8.4pt", "a3": "11.8pt"}
_WALL_SIZE = {"a4": "15pt", "a3": "21pt"}
_CARDS_PER_SHEET = 4


def _tints(palette: Palette, method: Method) -> tuple[dict[int, str], dict[int, str]]:
    """A fill per phase that darkens with the level, and a readable text colour on it."""
    tints = {p.level: palette.tint(0.2 + 0.8 * (p.level - 1) / 4) for p in method.phases}
    return tints, {level: palette.text_on(colour) for level, colour in tints.items()}


def _common(brand: LoadedBrand) -> dict[str, Any]:
    links = AssetLinks(inline=False)
    return {"brand": brand_context(brand, links), "fonts": font_css(links)}


def _questionnaire_context(
    questionnaire: Questionnaire, language: str, privacy: Privacy
) -> dict[str, Any]:
    method = questionnaire.content
    questions = []
    for number, question in enumerate(questionnaire.questions, start=1):
        dimension = None
        if isinstance(question, LadderQuestion | LikertQuestion):
            dimension = localize(method.dimension(question.dimension).title, language)
        questions.append({"number": number, "question": question, "dimension": dimension})
    return {
        "questionnaire": questionnaire,
        "questions": questions,
        "agreement": method.answer_labels.agreement,
        "unknown": method.answer_labels.unknown,
        "page_size": "A4",
        "privacy": privacy,
        "promise": promise(language, privacy, method.scoring.min_group_size),
    }


def _poster_context(
    method: Method, palette: Palette, size: PaperSize, language: str
) -> dict[str, Any]:
    tints, tint_text = _tints(palette, method)
    cited = sorted(
        {localize(method.source(s.source).name, language) for p in method.phases for s in p.tips}
    )
    return {
        "method": method,
        "tints": tints,
        "tint_text": tint_text,
        "page_size": size.upper(),
        "base_size": _POSTER_SIZE[size],
        "step_offset": 5 if size == "a4" else 7,
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
                "signs": [localize(sign, language) for sign in phase.signs],
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
    size: PaperSize = "a4",
    phase: str | None = None,
    templates: Path | None = None,
    privacy: Privacy = "pseudonymous",
    questionnaire: Questionnaire | None = None,
) -> ReportSource:
    """The HTML of a handout; the summary needs an ``assessment``.

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
            "focus_ids": {point.dimension for point in result.focus},
            "ladder": ladder_chart(method, result, palette, labels, language),
            "page_size": size.upper(),
            "base_size": _WALL_SIZE[size],
        }
    else:
        language = language or "nl"
        labels = report_labels(language)
        questionnaire = questionnaire or load_questionnaire(
            "quickscan" if quick else "intake", language
        )
        method = questionnaire.content
        if kind == "questionnaire":
            context |= _questionnaire_context(questionnaire, language, privacy)
        elif kind == "ladder":
            context |= _poster_context(method, palette, size, language)
        else:
            if phase is not None and phase not in {p.id for p in method.phases}:
                known = ", ".join(p.id for p in method.phases)
                raise NotFoundError(f"no phase {phase!r}; phases: {known}")
            context |= _cards_context(method, palette, labels, language, phase)
    environment = template_environment(language, templates)
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
    size: PaperSize = "a4",
    phase: str | None = None,
    templates: Path | None = None,
    force: bool = False,
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
    if output.exists() and not force:
        raise OutputExistsError(output)
    if brand_file is None and assessment is not None and assessment.assessment.brand:
        brand_file = assessment.path / assessment.assessment.brand
    source = handout_html(
        kind,
        language=language,
        quick=quick,
        assessment=assessment,
        brand=load_brand(brand_file),
        size=size,
        phase=phase,
        templates=templates,
        privacy=privacy or "pseudonymous",
        questionnaire=own,
    )
    write_atomic(output, html_to_pdf(source), force=force)
    return output
