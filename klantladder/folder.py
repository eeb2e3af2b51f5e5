"""Assessment folders: ``assessment.yaml`` plus the answers in ``responses/``.

How answers are stored is the business of `klantladder.store`; this module
loads the folder as a whole and starts new ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from klantladder.collector import collector_paused
from klantladder.errors import InputError, NotFoundError, OutputExistsError, Problem
from klantladder.fileio import dump_yaml, write_atomic
from klantladder.loading import (
    load_questionnaire_file,
    load_shipped_questionnaire,
    shipped_questionnaire_files,
)
from klantladder.models.assessment import Assessment, Privacy, QuestionnaireRef, Response
from klantladder.models.questionnaire import Questionnaire
from klantladder.models.result import ScoreResult
from klantladder.scoring import score
from klantladder.store.checks import answer_problem, check_answers
from klantladder.store.layout import (
    ASSESSMENT_FILE,
    GITIGNORE_FILE,
    KEY_FILE,
    RESPONSES_DIR,
    STATE_DIR,
    yaml_path,
)
from klantladder.store.loader import load_responses
from klantladder.store.writer import save_response
from klantladder.validation import validate_document
from klantladder.yamlsource import YamlDocument, load_yaml_file

__all__ = [
    "ASSESSMENT_FILE",
    "RESPONSES_DIR",
    "AssessmentFolder",
    "answer_problem",
    "check_answers",
    "init_assessment",
    "load_assessment",
    "load_assessment_file",
    "load_responses",
    "questionnaire_for",
    "response_path",
    "save_response",
]

GITIGNORE = f"""\
# Written by klantladder init. Personal data and working files stay out of git:
# the key file maps respondent codes to names; .klantladder/ holds locks and
# unfinished writes; reports, handouts and the open answers' export are made
# again from the folder.
/{KEY_FILE}
/{STATE_DIR}/
/report-*.pdf
/report-*.html
/summary-*.pdf
/answers-*.csv
"""


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
            with collector_paused():
                return score(self.questionnaire, self.responses, self.assessment, self.language)
        except ValueError as error:
            raise InputError.single(self.path / RESPONSES_DIR, str(error)) from None

    @property
    def language(self) -> str:
        """The language the questionnaire was loaded in."""
        return self.questionnaire.languages[0]


def response_path(folder: Path, respondent: str) -> Path:
    """Where an interviewed respondent's answers are stored."""
    return yaml_path(folder, respondent)


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
    if language is not None:
        language = language.strip().lower()  # "EN" is English too
    wanted = language or assessment.language
    if reference.file is not None:
        questionnaire = load_questionnaire_file(folder / reference.file)
    else:
        shipped = [
            f
            for f in shipped_questionnaire_files()
            if f.id == reference.id and f.version == reference.version
        ]
        if language is not None and shipped and language not in {f.language for f in shipped}:
            # the language asked for is missing, not anything in assessment.yaml
            have = ", ".join(f.language for f in shipped)
            raise NotFoundError(
                f"{folder}: no {language!r} version of questionnaire {reference.id!r} "
                f"version {reference.version} (languages: {have})"
            )
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
    privacy: Privacy = "pseudonymous",
    force: bool = False,
) -> Path:
    """Start an assessment folder; refuse a non-empty folder unless ``force``.

    Writes ``assessment.yaml``, an empty ``responses/`` and a ``.gitignore``
    that keeps the key file, working state and reports out of git. With
    ``force`` only ``assessment.yaml`` is rewritten (and a missing
    ``.gitignore`` added): responses are never removed. Without
    ``questionnaire_version`` the latest shipped version is used.
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
            privacy=privacy,
        )
    except ValidationError as error:  # an option's value: name the option
        raise InputError(
            [
                Problem(_OPTIONS.get(str(loc[0]), f"--{loc[0]}"), None, None, _plain(message))
                for loc, message in ((d["loc"], d["msg"]) for d in error.errors())
            ]
        ) from None
    (folder / RESPONSES_DIR).mkdir(parents=True, exist_ok=True)
    path = folder / ASSESSMENT_FILE
    data = assessment.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["privacy"] = assessment.privacy  # the promise to respondents, always in sight
    write_atomic(path, dump_yaml(data))
    gitignore = folder / GITIGNORE_FILE
    if not gitignore.exists():
        write_atomic(gitignore, GITIGNORE)
    return path


_OPTIONS = {"language": "--lang", "questionnaire": "--questionnaire", "privacy": "--privacy"}


def _plain(message: str) -> str:
    """A pydantic message without its prefix, starting in lower case: 'should not be empty'."""
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if message == "String should have at least 1 character":
        return "should not be empty"
    return message[:1].lower() + message[1:]
