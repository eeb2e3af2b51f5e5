"""The interview engine: which question comes next, and every answer saved at once.

`Interview` knows nothing of terminals: a user interface (the terminal
interview, the workshop's web pages) asks it for the current question, hands it
answers, and moves back or skips. Every change is written to
``responses/<respondent>.yaml`` atomically before the call returns, so an
interrupted interview resumes where it stopped. Which question comes next is
decided here only, for every user interface.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from klantladder.errors import InputError
from klantladder.folder import (
    answer_problem,
    check_answers,
    load_assessment_file,
    questionnaire_for,
    response_path,
    save_response,
)
from klantladder.models.assessment import (
    UNKNOWN,
    Assessment,
    QuestionnaireRef,
    Response,
    ResponseSource,
)
from klantladder.models.base import localize
from klantladder.models.questionnaire import LadderQuestion, LikertQuestion, Question, Questionnaire
from klantladder.scoring import score
from klantladder.validation import validate_document
from klantladder.yamlsource import load_yaml_file

Choice = Literal["quick", "full"]
QUESTIONNAIRE_CHOICES: dict[Choice, str] = {"quick": "quickscan", "full": "intake"}
Answer = int | str | list[str]
Tool = Literal["interview", "workshop"]
Saver = Callable[[Path, Response], object]
"""Writes a response into an assessment folder (atomically)."""


def respondent_id(name: str) -> str:
    """A respondent id made from a name: 'José de Vries' becomes 'jose-de-vries'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_.]+", "-", ascii_name.lower()).strip("-._")
    if not slug:
        raise InputError.single("--respondent", f"{name!r} holds no letters or digits for an id")
    return slug[:64].rstrip("-._")


def check_choice(assessment: Assessment, choice: Choice | None) -> None:
    """Refuse a --questionnaire choice that is not the assessment's own questionnaire.

    An assessment names one questionnaire, and all its responses answer that
    one, so the choice can only confirm it.
    """
    if choice is None:
        return
    wanted = QUESTIONNAIRE_CHOICES[choice]
    used = assessment.questionnaire.id
    if wanted != used:
        names = {value: key for key, value in QUESTIONNAIRE_CHOICES.items()}
        hint = f" (--questionnaire {names[used]})" if used in names else ""
        raise InputError.single(
            "assessment.yaml",
            f"this assessment uses questionnaire {used!r}{hint}, not {wanted!r}; start another "
            f"assessment for it with 'klantladder init DIR --questionnaire {wanted}'",
        )


@dataclass(frozen=True)
class Summary:
    """The outcome of one respondent's interview."""

    answered: int
    unknown: int
    skipped: int
    total: int
    phase: str | None
    score: float | None


def new_response(
    questionnaire: Questionnaire, respondent: str, *, tool: Tool, name: str | None = None
) -> Response:
    """A respondent's response to a questionnaire, started now, with no answers yet."""
    return Response(
        respondent=respondent,
        name=name if name and name != respondent else None,
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        started=dt.datetime.now().replace(microsecond=0),
        source=ResponseSource(tool=tool),
    )


class Interview:
    """One respondent answering a questionnaire, question by question.

    ``save`` writes each change; by default `save_response`, the atomic write
    of every answer.
    """

    def __init__(
        self,
        folder: Path,
        questionnaire: Questionnaire,
        response: Response,
        language: str,
        save: Saver = save_response,
    ) -> None:
        self.folder = folder
        self.questionnaire = questionnaire
        self.response = response
        self.language = language
        self.questions = list(questionnaire.questions)
        self._ids = {question.id for question in self.questions}
        self._save = save
        self.index = self._next_open(0)

    @classmethod
    def open(
        cls,
        folder: Path,
        respondent: str,
        *,
        name: str | None = None,
        choice: Choice | None = None,
    ) -> Interview:
        """Start or resume the interview of a respondent in an assessment folder."""
        document, assessment = load_assessment_file(folder)
        check_choice(assessment, choice)
        questionnaire = questionnaire_for(folder, document, assessment)
        path = response_path(folder, respondent)
        if path.exists():
            saved = load_yaml_file(path)
            response = validate_document(saved, Response)
            problems = check_answers(saved, response, questionnaire)
            if problems:
                raise InputError(problems)
        else:
            response = new_response(questionnaire, respondent, tool="interview", name=name)
        return cls(folder, questionnaire, response, assessment.language)

    @property
    def path(self) -> Path:
        """The respondent's file."""
        return response_path(self.folder, self.response.respondent)

    @property
    def total(self) -> int:
        """How many questions the questionnaire has."""
        return len(self.questions)

    @property
    def finished(self) -> bool:
        """Whether every question is answered or skipped."""
        return self.index is None

    @property
    def current(self) -> Question | None:
        """The question to ask now, or None when the interview is over."""
        return None if self.index is None else self.questions[self.index]

    @property
    def number(self) -> int:
        """The 1-based number of the current question."""
        return (self.index or 0) + 1

    def dimension_title(self, question: Question) -> str | None:
        """The title of the dimension a question measures, in the interview's language."""
        if isinstance(question, LadderQuestion | LikertQuestion):
            return localize(
                self.questionnaire.content.dimension(question.dimension).title, self.language
            )
        return None

    def given(self, question: Question) -> Answer | None:
        """The answer already given to a question, if any."""
        return self.response.answers.get(question.id)

    def answer(self, value: Answer) -> None:
        """Answer the current question, save, and move on; ValueError for a bad answer."""
        question = self._require_current()
        problem = answer_problem(question, value)
        if problem:
            raise ValueError(problem)
        answers = {**self.response.answers, question.id: value}
        skipped = [q for q in self.response.skipped if q != question.id]
        self._update(answers, skipped)
        self._advance()

    def skip(self) -> None:
        """Pass over the current question (it stays open for later), save, and move on."""
        question = self._require_current()
        answers = {k: v for k, v in self.response.answers.items() if k != question.id}
        skipped = [q for q in self.response.skipped if q != question.id] + [question.id]
        self._update(answers, skipped)
        self._advance()

    def go_to(self, question_id: str) -> None:
        """Make a question the current one, whether or not it is answered; KeyError if unknown."""
        for index, question in enumerate(self.questions):
            if question.id == question_id:
                self.index = index
                return
        raise KeyError(question_id)

    def back(self) -> bool:
        """Go to the previous question; False when already at the first."""
        position = self.total if self.index is None else self.index
        if position == 0:
            return False
        self.index = position - 1
        return True

    def summary(self) -> Summary:
        """Counts, and the respondent's own phase when any scored question was answered."""
        answers = self.response.answers
        ids = {question.id for question in self.questions}
        unknown = sum(1 for key, value in answers.items() if key in ids and value == UNKNOWN)
        try:
            result = score(self.questionnaire, [self.response], language=self.language)
        except ValueError:
            phase, value = None, None
        else:
            phase, value = result.overall.phase.name, result.overall.score
        return Summary(
            answered=sum(1 for key in answers if key in ids),
            unknown=unknown,
            skipped=len(self.response.skipped),
            total=self.total,
            phase=phase,
            score=value,
        )

    def _require_current(self) -> Question:
        question = self.current
        if question is None:
            raise ValueError("the interview is over")
        return question

    def asks(self, question: Question) -> bool:
        """Whether this respondent is asked the question, given their answers so far.

        The one place every user interface asks; today every question is asked,
        and routing conditions on earlier answers belong here.
        """
        return question.id in self._ids

    def _is_open(self, question: Question) -> bool:
        return (
            self.asks(question)
            and question.id not in self.response.answers
            and question.id not in self.response.skipped
        )

    def _next_open(self, start: int) -> int | None:
        """The first open question from ``start`` on, else from the beginning, else None."""
        order = list(range(start, self.total)) + list(range(0, min(start, self.total)))
        return next((i for i in order if self._is_open(self.questions[i])), None)

    def _advance(self) -> None:
        assert self.index is not None
        self.index = self._next_open(self.index + 1)
        if self.index is None and self.response.completed is None:
            self._update(
                self.response.answers,
                self.response.skipped,
                completed=dt.datetime.now().replace(microsecond=0),
            )

    def _update(
        self, answers: dict[str, Answer], skipped: list[str], completed: dt.datetime | None = None
    ) -> None:
        update: dict[str, object] = {"answers": answers, "skipped": skipped}
        if completed is not None:
            update["completed"] = completed
        response = self.response.model_copy(update=update)
        self._save(self.folder, response)
        self.response = response
