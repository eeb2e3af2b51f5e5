"""The participants of a session and their answers, through the interview engine.

Each participant is known by the token in their cookie. Their first answer
gives them the next free respondent code (recorded in the session file before
anything is written), and from then on every answer goes through the same
`Interview` engine as the terminal interview: the same check of the answer,
the same decision which question comes next, the same atomic write, the same
response file (source tool ``workshop``). One participant's requests are
handled one at a time, so two tabs of one phone never make two respondents.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from klantladder.folder import answer_problem
from klantladder.interview import Answer, Interview, new_response
from klantladder.models.assessment import Response
from klantladder.models.questionnaire import Question, Questionnaire
from klantladder.workshop import storage
from klantladder.workshop.answers import Rejected
from klantladder.workshop.security import Bucket
from klantladder.workshop.session import SessionFile, SessionState
from klantladder.workshop.settings import Limits
from klantladder.workshop.tokens import new_secret_token, token_hash


class SessionFull(Exception):
    """The session has as many participants as its limit allows."""


class Busy(Exception):
    """Another session (a terminal interview, another server) holds this respondent."""


@dataclass
class Participant:
    """One participant: a phone's cookie, and once they answered, a respondent."""

    token_hash: str
    bucket: Bucket
    respondent: str | None = None
    response: Response | None = None
    mutex: threading.Lock = field(default_factory=threading.Lock)

    @property
    def started(self) -> bool:
        """Whether at least one answer is saved."""
        return self.response is not None

    @property
    def finished(self) -> bool:
        """Whether every question is answered or passed over."""
        return self.response is not None and self.response.completed is not None


@dataclass(frozen=True)
class Counts:
    """How many participants have started and finished."""

    joined: int
    started: int
    finished: int


class Registry:
    """Every participant of the session; all methods are safe to call from several threads."""

    def __init__(
        self,
        folder: Path,
        questionnaire: Questionnaire,
        language: str,
        session_file: SessionFile,
        state: SessionState,
        limits: Limits,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.folder = folder
        self.questionnaire = questionnaire
        self.language = language
        self.limits = limits
        self.locks = storage.RespondentLocks(folder)
        self.on_change = on_change
        self._session_file = session_file
        self._by_hash: dict[str, Participant] = {}
        self._reserved: set[str] = set()
        self._join_mutex = threading.Lock()
        self._claim_mutex = threading.Lock()
        for hashed, code in state.participants.items():
            participant = self._new(hashed)
            if code is not None:
                participant.respondent = code
                participant.response = storage.read_response(folder, questionnaire, code)
                self._reserved.add(code)
                self.locks.hold(code)

    def _new(self, hashed: str) -> Participant:
        participant = Participant(hashed, Bucket(self.limits.burst, self.limits.per_second))
        self._by_hash[hashed] = participant
        return participant

    def join(self) -> tuple[str, Participant]:
        """A new participant and the token for their cookie; `SessionFull` at the limit."""
        with self._join_mutex:
            if len(self._by_hash) >= self.limits.max_participants:
                raise SessionFull
            token = new_secret_token()
            hashed = token_hash(token)
            self._session_file.joined(hashed)
            return token, self._new(hashed)

    def find(self, token: str | None) -> Participant | None:
        """The participant holding ``token``, if any."""
        if not token or len(token) > 128:
            return None
        return self._by_hash.get(token_hash(token))

    def counts(self) -> Counts:
        """Participants joined, started and finished."""
        with self._join_mutex:
            everyone = list(self._by_hash.values())
        return Counts(
            joined=len(everyone),
            started=sum(1 for p in everyone if p.started),
            finished=sum(1 for p in everyone if p.finished),
        )

    def question(self, question_id: str) -> Question:
        """The questionnaire's question with this id; `Rejected` when there is none."""
        for question in self.questionnaire.questions:
            if question.id == question_id:
                return question
        raise Rejected(f"unknown question {question_id!r}")

    def interview(self, participant: Participant) -> Interview:
        """The participant's interview, at the first question still open (read only)."""
        response = participant.response or new_response(
            self.questionnaire, participant.respondent or "r000", tool="workshop"
        )
        return Interview(self.folder, self.questionnaire, response, self.language, save=_refuse)

    def answer(self, participant: Participant, question_id: str, value: Answer | None) -> Interview:
        """Save an answer (None passes over the question); the interview, moved on.

        The question and the answer are checked before anything is written, so a
        refused answer (`Rejected`) leaves the folder and the session as they were.
        """
        question = self.question(question_id)
        problem = None if value is None else answer_problem(question, value)
        if problem:
            raise Rejected(problem)
        with participant.mutex:
            respondent = self._respondent_of(participant)
            response = participant.response or new_response(
                self.questionnaire, respondent, tool="workshop"
            )
            interview = Interview(
                self.folder, self.questionnaire, response, self.language, save=_checked_save
            )
            interview.go_to(question.id)
            if not interview.asks(question):
                raise Rejected(f"question {question.id!r} is not asked with the answers given")
            try:
                if value is None:
                    interview.skip()
                else:
                    interview.answer(value)
            except ValueError as error:
                raise Rejected(str(error)) from None
            participant.response = interview.response
        self.on_change()
        return interview

    def _respondent_of(self, participant: Participant) -> str:
        """The participant's respondent code, taken now if they have none; locked for us."""
        if participant.respondent is not None:
            if not self.locks.hold(participant.respondent):
                raise Busy
            return participant.respondent
        with self._claim_mutex:
            code = storage.claim_code(self.folder, self.locks, self._reserved)
            self._reserved.add(code)
            self._session_file.coded(participant.token_hash, code)
        participant.respondent = code
        return code

    def close(self) -> None:
        """Let go of every respondent lock (the server stops)."""
        self.locks.release_all()


def _checked_save(folder: Path, response: Response) -> None:
    """Validate the whole response with the file format's model, then write it."""
    try:
        Response.model_validate(response.model_dump())
    except ValidationError as error:
        raise Rejected(error.errors()[0]["msg"]) from None
    storage.save(folder, response)


def _refuse(folder: Path, response: Response) -> None:
    raise RuntimeError("a read-only interview does not save")
