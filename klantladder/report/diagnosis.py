"""The report's diagnosis chapters: signs with evidence, advice per step, quotes, sources.

Gathers what `klantladder.diagnosis` decides for one assessment folder into the
template context: the signs the summary shows, the advice chapter, the quotes
chapter, the open answers of the answers appendix and the numbered sources of
the reference figures; and the key findings, for the report and for
``klantladder score``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from klantladder.collector import collector_paused
from klantladder.diagnosis.advice import References, advice_chapter, advised_dimensions
from klantladder.diagnosis.findings import FindingSources, key_findings
from klantladder.diagnosis.quotes import (
    AnswerReader,
    OpenAnswer,
    QuoteSelection,
    appendix_answers,
    open_answers,
    select_quotes,
)
from klantladder.diagnosis.signs import summary_signs, weigh_signs
from klantladder.errors import KlantladderError
from klantladder.folder import AssessmentFolder
from klantladder.loading import load_questionnaire
from klantladder.models.method import Method
from klantladder.models.result import KeyFinding, ScoreResult

if TYPE_CHECKING:
    from klantladder.models.benchmark import Benchmark
    from klantladder.models.comparison import Comparison


def diagnosis_context(folder: AssessmentFolder, result: ScoreResult) -> dict[str, Any]:
    """The template context of the diagnosis chapters."""
    with collector_paused():
        return _diagnosis_context(folder, result)


def _diagnosis_context(folder: AssessmentFolder, result: ScoreResult) -> dict[str, Any]:
    language = result.questionnaire.language
    questionnaire = folder.questionnaire
    method = questionnaire.content
    weighed = weigh_signs(questionnaire, folder.responses, language)
    answers = open_answers(questionnaire, folder.responses)
    reader = AnswerReader(_answer_method(folder), folder.assessment.language)
    quotes = _select_quotes(folder, result, answers, reader)
    figure_sources = References(method, language)
    return {
        "signs": summary_signs(weighed, result.overall.phase.level),
        "advice": advice_chapter(method, result, language),
        "quote_selection": quotes,
        "quotes_translated": language != folder.assessment.language,
        "open_answers": appendix_answers(method, questionnaire, answers, quotes, reader, language),
        "figure_refs": {f.id: figure_sources.cite(f.source) for f in method.reference_figures},
        "figure_sources": figure_sources.entries(),
    }


def folder_findings(
    folder: AssessmentFolder,
    result: ScoreResult,
    labels: dict[str, Any],
    *,
    quotes: QuoteSelection | None = None,
    comparison: Comparison | None = None,
    benchmark: Benchmark | None = None,
) -> list[KeyFinding]:
    """The key findings of an assessment folder (`klantladder.diagnosis.findings`).

    ``quotes``, the report's quote selection, is chosen here when not given, so
    that ``klantladder score`` and the report quote the same answer.
    """
    with collector_paused():
        if quotes is None:
            answers = open_answers(folder.questionnaire, folder.responses)
            reader = AnswerReader(_answer_method(folder), folder.assessment.language)
            quotes = _select_quotes(folder, result, answers, reader)
        sources = FindingSources(
            questionnaire=folder.questionnaire,
            responses=folder.responses,
            result=result,
            quotes=quotes,
            quotes_translated=result.questionnaire.language != folder.assessment.language,
            comparison=comparison,
            benchmark=benchmark,
        )
        return key_findings(sources, labels)


def result_with_findings(folder: AssessmentFolder) -> ScoreResult:
    """The folder's result with its key findings, as ``klantladder score`` gives it."""
    from klantladder.report.environment import report_labels

    result = folder.score()
    labels = report_labels(result.questionnaire.language)
    return result.model_copy(update={"findings": folder_findings(folder, result, labels)})


def _select_quotes(
    folder: AssessmentFolder,
    result: ScoreResult,
    answers: list[OpenAnswer],
    reader: AnswerReader,
) -> QuoteSelection:
    method = folder.questionnaire.content
    advised = [dimension for dimension, _ in advised_dimensions(result, len(method.phases))]
    return select_quotes(
        method, folder.questionnaire, answers, advised, reader, result.questionnaire.language
    )


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
