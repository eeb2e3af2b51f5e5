"""The interview engine: which question comes next, and every answer saved at once.

`Interview` knows nothing of terminals: a user interface (the terminal
interview, the workshop's web pages) asks it for the current question, hands it
answers, and moves back or skips. Every change is written to
``responses/<code>.yaml`` atomically before the call returns, so an
interrupted interview resumes where it stopped. Which question comes next is
decided here only, for every user interface. An open interview holds its
respondent's lock: a second session for the same respondent is refused.

A question whose `when` condition does not hold is not asked: going forward
and back passes over it, and when a changed answer routes around a question
that was answered before, that answer is removed in the same save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

from klantladder.errors import InputError
from klantladder.folder import (
    answer_problem,
    load_assessment_file,
    questionnaire_for,
    response_path,
    save_response,
)
from klantladder.models.assessment import (
    UNKNOWN,
    Assessment,
    Privacy,
    QuestionnaireRef,
    Response,
    ResponseSource,
)
from klantladder.models.base import localize
from klantladder.models.questionnaire import LadderQuestion, LikertQuestion, Question, Questionnaire
from klantladder.privacy import promise
from klantladder.routing import not_asked
from klantladder.scoring import score
from klantladder.store.locks import RespondentLock
from klantladder.store.respondents import claim

Choice = Literal["quick", "full"]
QUESTIONNAIRE_CHOICES: dict[Choice, str] = {"quick": "quickscan", "full": "intake"}
Answer = int | str | list[str]
MAX_NAME_LENGTH = 200  # a person's name, kept in the key file
Tool = Literal["interview", "workshop"]
Saver = Callable[[Path, Response], object]
"""Writes a response into an assessment folder (atomically)."""


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
    not_asked: int = 0


def new_response(questionnaire: Questionnaire, respondent: str, *, tool: Tool) -> Response:
    """A respondent's response to a questionnaire, started now, with no answers yet.

    It holds the respondent's code only; a name lives in the key file, if anywhere.
    """
    return Response(
        respondent=respondent,
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        started=dt.datetime.now().replace(microsecond=0),
        source=ResponseSource(tool=tool),
    )


class Interview:
    """One respondent answering a questionnaire, question by question.

    ``save`` writes each change; by default `save_response`, the atomic write
    of every answer. ``lock`` is the respondent's lock the session holds (released
    by `close`), and ``privacy`` the assessment's mode, for `promise`.
    """

    def __init__(
        self,
        folder: Path,
        questionnaire: Questionnaire,
        response: Response,
        language: str,
        lock: RespondentLock | None = None,
        privacy: Privacy = "pseudonymous",
        save: Saver = save_response,
    ) -> None:
        self.folder = folder
        self.questionnaire = questionnaire
        self.response = response
        self.language = language
        self.lock = lock
        self.privacy: Privacy = privacy
        self.questions = list(questionnaire.questions)
        self._ids = {question.id for question in self.questions}
        self._save = save
        self.index = self._next_open(0)

    @classmethod
    def open(
        cls,
        folder: Path,
        respondent: str | None = None,
        *,
        choice: Choice | None = None,
        continue_other: bool = False,
    ) -> Interview:
        """Start or resume the interview of a respondent, holding their lock until `close`.

        ``respondent`` is a code (``r017``), a name, or None for a new code. A
        name is kept only in ``respondents.key.yaml`` and finds the same code
        next time; an anonymous assessment takes no names. Answers that came
        from elsewhere (an import) are continued only with ``continue_other``.
        """
        if respondent is not None and len(respondent) > MAX_NAME_LENGTH:
            raise InputError.single(
                "--respondent",
                f"a name of {len(respondent)} characters; at most {MAX_NAME_LENGTH}",
            )
        document, assessment = load_assessment_file(folder)
        check_choice(assessment, choice)
        questionnaire = questionnaire_for(folder, document, assessment)
        seat = claim(
            folder,
            questionnaire,
            respondent,
            privacy=assessment.privacy,
            continue_other=continue_other,
        )
        response = seat.response or new_response(questionnaire, seat.code, tool="interview")
        return cls(
            folder, questionnaire, response, assessment.language, seat.lock, assessment.privacy
        )

    def promise(self) -> str:
        """What the respondent is promised about their answers, true for the privacy mode."""
        from klantladder.report.wording import questionnaire_texts, register

        minimum = self.questionnaire.content.scoring.min_group_size
        texts = questionnaire_texts(self.questionnaire, self.language)
        informal = register(texts) == "informal"  # speak as the questions do
        return promise(self.language, self.privacy, minimum, informal=informal)

    def close(self) -> None:
        """End the session: let another one take this respondent."""
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> Interview:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def path(self) -> Path:
        """The respondent's file."""
        return response_path(self.folder, self.response.respondent)

    @property
    def not_asked(self) -> set[str]:
        """Ids of the questions the answers so far route around for certain.

        A question whose condition looks at a question still open (neither
        answered nor skipped) may yet be asked, so it still counts.
        """
        out = not_asked(self.questionnaire, self.response.answers)
        response = self.response
        return {
            question.id
            for question in self.questions
            if question.id in out
            and question.when is not None
            and (
                question.when.question in response.answers
                or question.when.question in response.skipped
                or question.when.question in out
            )
        }

    @property
    def asked(self) -> list[int]:
        """Positions of the questions this respondent is (or may yet be) asked."""
        out = self.not_asked
        return [i for i, question in enumerate(self.questions) if question.id not in out]

    @property
    def total(self) -> int:
        """How many questions this respondent is asked, given the answers so far."""
        return len(self.asked)

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
        """The 1-based number of the current question among the questions asked."""
        if self.index is None:
            return self.total
        return sum(1 for i in self.asked if i < self.index) + 1

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
        """Go to the previous question asked; False when already at the first."""
        position = len(self.questions) if self.index is None else self.index
        earlier = [i for i in self.asked if i < position]
        if not earlier:
            return False
        self.index = earlier[-1]
        return True

    def summary(self) -> Summary:
        """Counts, and the respondent's own phase when any scored question was answered."""
        answers = self.response.answers
        out = self.not_asked
        ids = {question.id for question in self.questions} - out
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
            not_asked=len(out),
        )

    def _require_current(self) -> Question:
        question = self.current
        if question is None:
            raise ValueError("the interview is over")
        return question

    def asks(self, question: Question) -> bool:
        """Whether this respondent is asked the question, given their answers so far.

        The one place every user interface (the terminal, the workshop) asks: a
        question of another questionnaire is never asked, and one the routing
        passes over for certain (see `not_asked`) is not asked either.
        """
        return question.id in self._ids and question.id not in self.not_asked

    def _is_open(self, question: Question, out: set[str]) -> bool:
        return (
            question.id not in self.response.answers
            and question.id not in self.response.skipped
            and question.id not in out
        )

    def _next_open(self, start: int) -> int | None:
        """The first open question from ``start`` on, else from the beginning, else None."""
        count = len(self.questions)
        order = list(range(start, count)) + list(range(0, min(start, count)))
        out = self.not_asked
        return next((i for i in order if self._is_open(self.questions[i], out)), None)

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
        # An earlier answer may now route around questions answered before: drop those.
        out = not_asked(self.questionnaire, answers)
        answers = {key: value for key, value in answers.items() if key not in out}
        skipped = [question_id for question_id in skipped if question_id not in out]
        update: dict[str, object] = {"answers": answers, "skipped": skipped}
        if completed is not None:
            update["completed"] = completed
        response = self.response.model_copy(update=update)
        self._save(self.folder, response)
        self.response = response
