"""The report's diagnosis chapters: signs with evidence, advice per step, quotes, sources.

Gathers what `klantladder.diagnosis` decides for one assessment folder into the
template context: the signs the summary shows, the advice chapter, the quotes
chapter, the open answers of the answers appendix and the numbered sources of
the reference figures.
"""

from __future__ import annotations

from typing import Any

from klantladder.diagnosis.advice import References, advice_chapter, advised_dimensions
from klantladder.diagnosis.quotes import (
    AnswerReader,
    appendix_answers,
    open_answers,
    select_quotes,
)
from klantladder.diagnosis.signs import summary_signs, weigh_signs
from klantladder.errors import KlantladderError
from klantladder.folder import AssessmentFolder
from klantladder.loading import load_questionnaire
from klantladder.models.method import Method
from klantladder.models.result import ScoreResult


def diagnosis_context(folder: AssessmentFolder, result: ScoreResult) -> dict[str, Any]:
    """The template context of the diagnosis chapters."""
    language = result.questionnaire.language
    questionnaire = folder.questionnaire
    method = questionnaire.content
    weighed = weigh_signs(questionnaire, folder.responses, language)
    answers = open_answers(questionnaire, folder.responses)
    answer_language = folder.assessment.language
    reader = AnswerReader(_answer_method(folder), answer_language)
    advised = [dimension for dimension, _ in advised_dimensions(result, len(method.phases))]
    quotes = select_quotes(method, questionnaire, answers, advised, reader, language)
    figure_sources = References(method, language)
    return {
        "signs": summary_signs(weighed, result.overall.phase.level),
        "advice": advice_chapter(method, result, language),
        "quote_selection": quotes,
        "quotes_translated": language != answer_language,
        "open_answers": appendix_answers(method, questionnaire, answers, quotes, reader, language),
        "figure_refs": {f.id: figure_sources.cite(f.source) for f in method.reference_figures},
        "figure_sources": figure_sources.entries(),
    }


def _answer_method(folder: AssessmentFolder) -> Method:
    """The method in the language the respondents answered in, for keywords and non-answers.

    A report in another language reads the answers with the assessment
    language's words, so both reports quote the same answers.
    """
    method = folder.questionnaire.content
    wanted = folder.assessment.language
    reference = folder.assessment.questionnaire
    if folder.language == wanted or reference.file is not None:
        return method
    try:
        return load_questionnaire(reference.id, wanted).content
    except KlantladderError:
        return method
