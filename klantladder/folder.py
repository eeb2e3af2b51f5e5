"""Assessment folders: ``assessment.yaml`` plus ``responses/<respondent>.yaml``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from klantladder.errors import InputError, NotFoundError, OutputExistsError, Problem
from klantladder.fileio import dump_yaml, write_atomic
from klantladder.loading import (
    load_questionnaire_file,
    load_shipped_questionnaire,
    shipped_questionnaire_files,
)
from klantladder.models.assessment import UNKNOWN, Assessment, QuestionnaireRef, Response
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Questionnaire,
)
from klantladder.models.result import ScoreResult
from klantladder.routing import not_asked
from klantladder.scoring import score
from klantladder.validation import validate_document
from klantladder.yamlsource import YamlDocument, load_yaml_file

ASSESSMENT_FILE = "assessment.yaml"
RESPONSES_DIR = "responses"


@dataclass(frozen=True)
class AssessmentFolder:
    """A loaded and checked assessment folder."""

    path: Path
    assessment: Assessment
    questionnaire: Questionnaire
    responses: tuple[Response, ...]

    def score(self) -> ScoreResult:
        """Score the folder's responses (see `klantladder.scoring.score`).

        The folder is immutable, so the result is computed once and reused by
        the report, the comparison and the benchmark.
        """
        return self._result

    @cached_property
    def _result(self) -> ScoreResult:
        if not self.responses:
            raise InputError.single(
                self.path / RESPONSES_DIR,
                "no responses yet; run 'klantladder interview' or 'import'",
            )
        try:
            return score(self.questionnaire, self.responses, self.assessment, self.language)
        except ValueError as error:
            raise InputError.single(self.path / RESPONSES_DIR, str(error)) from None

    @property
    def language(self) -> str:
        """The language the questionnaire was loaded in."""
        return self.questionnaire.languages[0]


def response_path(folder: Path, respondent: str) -> Path:
    """Where a respondent's answers are stored."""
    return folder / RESPONSES_DIR / f"{respondent}.yaml"


def load_assessment_file(folder: Path) -> tuple[YamlDocument, Assessment]:
    """Load and validate ``assessment.yaml`` of a folder."""
    if not folder.is_dir():
        raise NotFoundError(f"{folder}: no such assessment folder")
    path = folder / ASSESSMENT_FILE
    if not path.is_file():
        raise NotFoundError(f"{folder}: no {ASSESSMENT_FILE}; start one with 'klantladder init'")
    document = load_yaml_file(path)
    return document, validate_document(document, Assessment)


def questionnaire_for(
    folder: Path, document: YamlDocument, assessment: Assessment, language: str | None = None
) -> Questionnaire:
    """Load the questionnaire an assessment names, in its language or ``language``."""
    reference = assessment.questionnaire
    wanted = language or assessment.language
    if reference.file is not None:
        questionnaire = load_questionnaire_file(folder / reference.file)
    else:
        try:
            questionnaire = load_shipped_questionnaire(reference.id, wanted, reference.version)
        except NotFoundError as error:
            shipped_ids = {shipped.id for shipped in shipped_questionnaire_files()}
            field = "version" if reference.id in shipped_ids else "id"
            raise InputError([document.problem(("questionnaire", field), str(error))]) from None
    if questionnaire.id != reference.id or questionnaire.version != reference.version:
        raise InputError(
            [
                document.problem(
                    ("questionnaire", "id" if questionnaire.id != reference.id else "version"),
                    f"assessment uses questionnaire {reference.id!r} version {reference.version}, "
                    f"but found {questionnaire.id!r} version {questionnaire.version}; keep a copy "
                    f"of the old version and name it under questionnaire.file",
                )
            ]
        )
    if wanted not in questionnaire.languages:
        raise InputError(
            [document.problem(("language",), f"questionnaire has no {wanted!r} version")]
        )
    if len(questionnaire.languages) > 1:
        questionnaire = questionnaire.model_copy(update={"languages": [wanted]})
    problems = expected_phase_problems(document, assessment, questionnaire)
    if problems:
        raise InputError(problems)
    return questionnaire


def expected_phase_problems(
    document: YamlDocument, assessment: Assessment, questionnaire: Questionnaire
) -> list[Problem]:
    """`expected` and `acceptable` must name phases of the questionnaire's method."""
    phases = [phase.id for phase in questionnaire.content.phases]
    named: list[tuple[tuple[str | int, ...], str]] = []
    if assessment.expected is not None:
        named.append((("expected",), assessment.expected))
    named += [(("acceptable", i), phase) for i, phase in enumerate(assessment.acceptable)]
    return [
        document.problem(where, f"unknown phase {phase!r}; phases: {', '.join(phases)}")
        for where, phase in named
        if phase not in phases
    ]


def load_assessment(folder: Path, language: str | None = None) -> AssessmentFolder:
    """Load an assessment folder: its description, questionnaire and all responses.

    Every problem in every response file is reported at once.
    """
    document, assessment = load_assessment_file(folder)
    questionnaire = questionnaire_for(folder, document, assessment, language)
    responses, problems = load_responses(folder, questionnaire)
    if problems:
        raise InputError(problems)
    return AssessmentFolder(folder, assessment, questionnaire, tuple(responses))


def load_responses(
    folder: Path, questionnaire: Questionnaire
) -> tuple[list[Response], list[Problem]]:
    """Load and check every response file; return the good ones and all problems."""
    responses: list[Response] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in sorted((folder / RESPONSES_DIR).glob("*.yaml")):
        try:
            document = load_yaml_file(path)
            response = validate_document(document, Response)
        except InputError as error:
            problems += error.problems
            continue
        found = check_answers(document, response, questionnaire)
        if response.respondent in seen:
            found.append(
                document.problem(
                    ("respondent",),
                    f"respondent {response.respondent!r} also answers in "
                    f"{seen[response.respondent].name}",
                )
            )
        seen[response.respondent] = path
        problems += found
        if not found:
            responses.append(response)
    return responses, problems


def check_answers(
    document: YamlDocument, response: Response, questionnaire: Questionnaire
) -> list[Problem]:
    """Problems with a response's answers against its questionnaire, at their places."""
    problems: list[Problem] = []
    if response.questionnaire.id != questionnaire.id:
        problems.append(
            document.problem(
                ("questionnaire", "id"),
                f"answers questionnaire {response.questionnaire.id!r}, "
                f"but the assessment uses {questionnaire.id!r}",
            )
        )
    elif response.questionnaire.version != questionnaire.version:
        problems.append(
            document.problem(
                ("questionnaire", "version"),
                f"answers version {response.questionnaire.version} of {questionnaire.id!r}, "
                f"but the assessment uses version {questionnaire.version}",
            )
        )
    by_id = {question.id: question for question in questionnaire.questions}
    for question_id, value in response.answers.items():
        location = ("answers", question_id)
        question = by_id.get(question_id)
        if question is None:
            problems.append(
                document.problem(location, f"unknown question {question_id!r}", key=True)
            )
            continue
        message = answer_problem(question, value)
        if message:
            problems.append(document.problem(location, message))
    for question_id in response.skipped:
        if question_id not in by_id:
            problems.append(document.problem(("skipped",), f"unknown question {question_id!r}"))
    if not problems:
        for question_id in sorted(not_asked(questionnaire, response.answers)):
            if question_id in response.answers:
                condition = by_id[question_id].when
                assert condition is not None
                problems.append(
                    document.problem(
                        ("answers", question_id),
                        f"question {question_id!r} is not asked with the answer given to "
                        f"{condition.question!r}; remove this answer",
                        key=True,
                    )
                )
    return problems


def answer_problem(
    question: LadderQuestion | LikertQuestion | ProfileQuestion | OpenQuestion, value: object
) -> str | None:
    """What is wrong with an answer to a question, or None if it is fine."""
    if value == UNKNOWN:
        if isinstance(question, OpenQuestion) or not question.allow_unknown:
            return f"question {question.id!r} has no 'unknown' answer"
        return None
    if isinstance(question, LadderQuestion | LikertQuestion):
        if not isinstance(value, int) or not 1 <= value <= 5:
            allowed = "1-5 or 'unknown'" if question.allow_unknown else "1-5"
            return f"answer {value!r} is out of range; expected {allowed}"
        return None
    if isinstance(question, ProfileQuestion):
        chosen = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not question.multiple:
            return f"question {question.id!r} takes one option, not a list"
        options = [option.id for option in question.options]
        for item in chosen:
            if item not in options:
                return (
                    f"{item!r} is not an option of {question.id!r}; options: {', '.join(options)}"
                )
        return None
    if not isinstance(value, str):
        return f"question {question.id!r} takes a text answer"
    return None


def init_assessment(
    folder: Path,
    *,
    organisation: str,
    questionnaire_id: str,
    language: str,
    questionnaire_version: int | None = None,
    date: dt.date | None = None,
    sector: str | None = None,
    assessor: str | None = None,
    force: bool = False,
) -> Path:
    """Start an assessment folder; refuse a non-empty folder unless ``force``.

    With ``force`` only ``assessment.yaml`` is rewritten: responses are never removed.
    Without ``questionnaire_version`` the latest shipped version is used.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputExistsError(folder, "a file with that name")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise OutputExistsError(folder, "folder is not empty and")
    questionnaire = load_shipped_questionnaire(questionnaire_id, language, questionnaire_version)
    try:
        assessment = Assessment(
            organisation=organisation,
            sector=sector,
            date=date or dt.date.today(),
            questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
            language=language,
            assessor=assessor,
        )
    except ValidationError as error:  # an option's value: name the option
        raise InputError(
            [
                Problem(_OPTIONS.get(str(loc[0]), f"--{loc[0]}"), None, None, message)
                for loc, message in ((d["loc"], d["msg"]) for d in error.errors())
            ]
        ) from None
    (folder / RESPONSES_DIR).mkdir(parents=True, exist_ok=True)
    path = folder / ASSESSMENT_FILE
    write_atomic(
        path,
        dump_yaml(assessment.model_dump(mode="json", exclude_none=True, exclude_defaults=True)),
    )
    return path


_OPTIONS = {"language": "--lang", "questionnaire": "--questionnaire"}


def save_response(folder: Path, response: Response) -> Path:
    """Write a respondent's file atomically (every interview answer goes through here)."""
    path = response_path(folder, response.respondent)
    write_atomic(
        path,
        dump_yaml(response.model_dump(mode="json", exclude_none=True)),
    )
    return path
