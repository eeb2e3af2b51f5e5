"""Compare assessments over time, like for like.

Each pair of assessments (every assessment against the one before it, and the
first against the last) is compared per dimension on the questions that
correspond between their questionnaires only (see `klantladder.correspondence`):
both assessments are re-scored by the scoring engine on those questions, so a
change never mixes different questions. Dimensions that cannot be compared are
listed with the reason.

Each change carries its margin, sqrt(m1² + m2²) of the two like-for-like
scores' margins (`klantladder.scoring.uncertainty`), and is meaningful only
when it is larger than that margin: larger than the uncertainty of both
measurements. A change with an unknown margin (too few respondents) is never
called meaningful.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from klantladder import __version__
from klantladder.errors import InputError, KlantladderError, Problem
from klantladder.folder import ASSESSMENT_FILE, AssessmentFolder, load_assessment
from klantladder.loading import shipped_questionnaire_file
from klantladder.models.base import localize
from klantladder.models.comparison import (
    AssessmentSummary,
    Comparison,
    ComparisonNote,
    DimensionChange,
    DimensionScore,
    Direction,
    LeftOutQuestion,
    NotCompared,
    NotComparedReason,
    OverallChange,
    OverallScore,
    QuestionLink,
    Step,
    StepNote,
)
from klantladder.models.method import Method
from klantladder.models.questionnaire import Questionnaire
from klantladder.models.result import ScoreResult
from klantladder.overtime.correspondence import (
    Correspondence,
    Link,
    correspondence,
    declaration_issues,
)
from klantladder.routing import without_routed_out
from klantladder.scoring.levels import ScoredResponses
from klantladder.scoring.stats import rounded, weighted_mean
from klantladder.scoring.uncertainty import (
    combined_margin,
    mean_margin,
    meaningful,
    weighted_margin,
)
from klantladder.validation import issue_problems
from klantladder.yamlsource import load_yaml_file


@dataclass(frozen=True)
class _Scored:
    folder: AssessmentFolder
    result: ScoreResult

    @property
    def questionnaire(self) -> Questionnaire:
        return self.folder.questionnaire

    @property
    def date(self) -> dt.date:
        return self.folder.assessment.date


def compare(folders: Sequence[Path], language: str | None = None) -> Comparison:
    """Compare two or more assessment folders, oldest first.

    ``language`` names dimensions and phases (default: each assessment's own
    language; titles of changes in the latest one's). Every problem in every
    folder (a folder that does not exist, a bad file, no responses) is reported
    at once as an `InputError`. Raises ValueError when fewer than two folders
    are given.
    """
    if len(folders) < 2:
        raise ValueError("compare needs two or more assessment folders")
    problems: list[Problem] = []
    loaded: list[AssessmentFolder] = []
    for path in folders:
        try:
            loaded.append(load_assessment(path, language))
        except InputError as error:
            problems += error.problems
        except KlantladderError as error:
            problems.append(Problem(str(path), None, None, _without_prefix(error, path)))
    try:
        scored = _score_all(loaded)
    except InputError as error:
        problems += error.problems
    if problems:
        raise InputError(problems)
    return _compare(scored, language)


def compare_assessments(
    folders: Sequence[AssessmentFolder], language: str | None = None
) -> Comparison:
    """Compare loaded assessment folders (see `compare`)."""
    if len(folders) < 2:
        raise ValueError("compare needs two or more assessment folders")
    return _compare(_score_all(folders), language)


def _score_all(folders: Sequence[AssessmentFolder]) -> list[_Scored]:
    problems: list[Problem] = []
    scored: list[_Scored] = []
    for folder in folders:
        try:
            scored.append(_Scored(folder, folder.score()))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return scored


def _compare(scored: list[_Scored], language: str | None) -> Comparison:
    scored = sorted(scored, key=lambda item: item.date)  # stable: equal dates keep their order
    _check_methods(scored)
    _check_declarations(scored)
    language = language or scored[-1].folder.language
    steps = [_step(scored, index, index + 1, language) for index in range(len(scored) - 1)]
    return Comparison(
        generator=f"klantladder {__version__}",
        language=language,
        assessments=[_summary(item) for item in scored],
        steps=steps,
        span=steps[0] if len(scored) == 2 else _step(scored, 0, len(scored) - 1, language),
        notes=_notes(scored),
    )


def _without_prefix(error: KlantladderError, path: Path) -> str:
    return str(error).removeprefix(f"{path}: ")


def _check_methods(scored: list[_Scored]) -> None:
    first = scored[0]
    for item in scored[1:]:
        if item.questionnaire.content.id != first.questionnaire.content.id:
            raise InputError.single(
                item.folder.path / ASSESSMENT_FILE,
                f"questionnaire {item.questionnaire.id!r} is built on method "
                f"{item.questionnaire.content.id!r}, but {first.folder.path} uses method "
                f"{first.questionnaire.content.id!r}; scores of different methods do not compare",
            )


def _check_declarations(scored: list[_Scored]) -> None:
    """Check each newer version's declarations against the older version at hand."""
    problems: list[Problem] = []
    checked: set[tuple[str, int, int]] = set()
    for first in scored:
        for second in scored:
            older, newer = first.questionnaire, second.questionnaire
            key = (older.id, older.version, newer.version)
            if key in checked:
                continue
            issues = declaration_issues(older, newer)
            if issues:
                checked.add(key)
                problems += issue_problems(load_yaml_file(_questionnaire_path(second)), issues)
    if problems:
        raise InputError(problems)


def _questionnaire_path(item: _Scored) -> Path:
    reference = item.folder.assessment.questionnaire
    if reference.file is not None:
        return item.folder.path / reference.file
    return shipped_questionnaire_file(reference.id, item.folder.language, reference.version)


def _summary(item: _Scored) -> AssessmentSummary:
    result = item.result
    return AssessmentSummary(
        folder=str(item.folder.path),
        organisation=item.folder.assessment.organisation,
        date=item.date,
        questionnaire=result.questionnaire,
        respondents=result.respondents,
        dimensions=[
            DimensionScore(
                id=d.id, title=d.title, score=d.mean, phase=d.phase, n=d.n, interval=d.interval
            )
            for d in result.dimensions
        ],
        overall=OverallScore(
            score=result.overall.score,
            phase=result.overall.phase,
            interval=result.overall.interval,
        ),
    )


def _notes(scored: list[_Scored]) -> list[ComparisonNote]:
    notes: list[ComparisonNote] = []
    names = {" ".join(item.folder.assessment.organisation.casefold().split()) for item in scored}
    if len(names) > 1:
        notes.append("different_organisations")
    if len({item.date for item in scored}) < len(scored):
        notes.append("same_date")
    return notes


def _step(scored: list[_Scored], first: int, second: int, language: str) -> Step:
    earlier, later = scored[first], scored[second]
    pairing = correspondence(earlier.questionnaire, later.questionnaire)
    confidence = later.questionnaire.content.scoring.confidence
    earlier_scored = _rescored(earlier, pairing.questions("earlier"))
    later_scored = _rescored(later, pairing.questions("later"))
    earlier_means = _means(earlier_scored, confidence)
    later_means = _means(later_scored, confidence)
    same_scoring = _same_scoring(earlier.questionnaire.content, later.questionnaire.content)
    measured = (_measured(earlier.questionnaire), _measured(later.questionnaire))
    changes: list[DimensionChange] = []
    not_compared: list[NotCompared] = []
    for dimension in _dimension_order(earlier.questionnaire, later.questionnaire):
        title = _title(dimension, later.questionnaire, earlier.questionnaire, language=language)
        left_out = _left_out(pairing, dimension, language)
        links = [link for link in pairing.links if link.dimension == dimension]
        reason = _reason(dimension, measured, same_scoring=same_scoring, linked=bool(links))
        before, after = earlier_means.get(dimension), later_means.get(dimension)
        if reason is None:
            if before is None:
                reason = "no_answers_earlier"
            elif after is None:
                reason = "no_answers_later"
            else:
                changes.append(_change(dimension, title, before, after, links, left_out))
                continue
        not_compared.append(
            NotCompared(id=dimension, title=title, reason=reason, left_out=left_out)
        )
    return Step(
        earlier=first,
        later=second,
        dimensions=changes,
        not_compared=not_compared,
        overall=_overall(
            changes,
            later.questionnaire.content,
            (earlier_scored, later_scored),
            complete=not not_compared,
        ),
        notes=_step_notes(earlier.questionnaire, later.questionnaire, pairing),
    )


def _reason(
    dimension: str,
    measured: tuple[set[str], set[str]],
    *,
    same_scoring: bool,
    linked: bool,
) -> NotComparedReason | None:
    """Why a dimension cannot be compared, before looking at the answers."""
    if dimension not in measured[0]:
        return "not_in_earlier"
    if dimension not in measured[1]:
        return "not_in_later"
    if not same_scoring:
        return "scoring_differs"
    if not linked:
        return "no_corresponding_questions"
    return None


def _change(
    dimension: str,
    title: str,
    before: _Mean,
    after: _Mean,
    links: list[Link],
    left_out: list[LeftOutQuestion],
) -> DimensionChange:
    change = rounded(after.score - before.score)
    margin = combined_margin(before.margin, after.margin)
    return DimensionChange(
        id=dimension,
        title=title,
        earlier=before.score,
        later=after.score,
        change=change,
        direction=_direction(change),
        margin=margin,
        meaningful=meaningful(change, margin),
        complete=not left_out,
        questions=[
            QuestionLink(earlier=list(link.earlier), later=list(link.later), change=link.change)
            for link in links
        ],
        left_out=left_out,
    )


@dataclass(frozen=True)
class _Mean:
    score: float
    margin: float | None


def _rescored(item: _Scored, questions: set[str]) -> ScoredResponses:
    """An assessment scored on the given questions only, by the scoring engine."""
    questionnaire = item.questionnaire
    restricted = questionnaire.model_copy(
        update={"questions": [q for q in questionnaire.questions if q.id in questions]}
    )
    # Which questions a respondent was asked follows from the whole questionnaire.
    asked = []
    for response in item.folder.responses:
        kept, dropped = without_routed_out(questionnaire, response.answers)
        asked.append(response.model_copy(update={"answers": kept}) if dropped else response)
    return ScoredResponses.build(restricted, asked)


def _means(scored: ScoredResponses, confidence: float) -> dict[str, _Mean]:
    """Each scored dimension's mean with its margin."""
    found = {}
    for dimension, value in scored.dimension_means(range(len(scored.responses))).items():
        if value is not None:
            values = [v for v in scored.dimension_columns[dimension] if v is not None]
            found[dimension] = _Mean(value, mean_margin(values, confidence))
    return found


def _same_scoring(first: Method, second: Method) -> bool:
    """Whether answers become scores the same way in both assessments.

    Only the agreement fractions turn answers into levels; thresholds and the
    overall rule turn scores into phases, and each assessment keeps its own
    phase, so different thresholds do not stop a like-for-like score change.
    """
    return first.scoring.likert_fraction == second.scoring.likert_fraction


def _measured(questionnaire: Questionnaire) -> set[str]:
    return {q.dimension for q in questionnaire.scored_questions}


def _dimension_order(earlier: Questionnaire, later: Questionnaire) -> list[str]:
    ids = [d.id for d in later.content.dimensions]
    return ids + [d.id for d in earlier.content.dimensions if d.id not in ids]


def _title(dimension: str, *questionnaires: Questionnaire, language: str) -> str:
    for questionnaire in questionnaires:
        for candidate in questionnaire.content.dimensions:
            if candidate.id == dimension:
                return localize(candidate.title, language)
    return dimension


def _left_out(pairing: Correspondence, dimension: str, language: str) -> list[LeftOutQuestion]:
    return [
        LeftOutQuestion(
            question=item.question,
            side=item.side,
            reason=item.reason,
            note=None if item.note is None else localize(item.note, language),
        )
        for item in pairing.unpaired
        if item.dimension == dimension
    ]


def _overall(
    changes: list[DimensionChange],
    method: Method,
    scored: tuple[ScoredResponses, ScoredResponses],
    *,
    complete: bool,
) -> OverallChange | None:
    if not changes:
        return None
    all_weights = {d.id: d.weight for d in method.dimensions}
    weights = {c.id: all_weights.get(c.id, 1.0) for c in changes}
    before = weighted_mean((c.earlier, weights[c.id]) for c in changes)
    after = weighted_mean((c.later, weights[c.id]) for c in changes)
    assert before is not None and after is not None
    change = rounded(rounded(after) - rounded(before))
    confidence = method.scoring.confidence
    margin = combined_margin(*(weighted_margin(side, weights, confidence) for side in scored))
    return OverallChange(
        dimensions=[c.id for c in changes],
        earlier=rounded(before),
        later=rounded(after),
        change=change,
        direction=_direction(change),
        margin=margin,
        meaningful=meaningful(change, margin),
        complete=complete and all(c.complete for c in changes),
    )


def _direction(change: float) -> Direction:
    if change > 0:
        return "up"
    if change < 0:
        return "down"
    return "same"


def _step_notes(
    earlier: Questionnaire, later: Questionnaire, pairing: Correspondence
) -> list[StepNote]:
    notes: list[StepNote] = []
    if earlier.id != later.id:
        notes.append("different_questionnaires")
    if pairing.pairing == "declarations_skipped":
        notes.append("changes_not_applied")
    return notes
