"""The session on disk, so that a restart (even after ``kill -9``) continues it.

``.klantladder/workshop/`` (git-ignored working state, readable by the owner
only) holds:

* ``session.json``: the join token, the facilitator token, when the session
  started and whether it is closed. The facilitator token is kept as it is so
  that a restart prints the same facilitator link and the projector's open page
  reconnects by itself; whoever can read this file can read the responses too.
* ``participants.jsonl``: one line per event, appended and fsynced: a
  participant joined (the SHA-256 of their cookie token, never the token) and
  a participant was given a respondent code. The code is recorded before the
  first answer is written, so no crash can give one code to two participants.
  A line cut short by a crash is the last one, and is ignored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationError

from klantladder.errors import InputError
from klantladder.fileio import write_atomic
from klantladder.models.base import Identifier, StrictModel
from klantladder.workshop.tokens import new_join_token, new_secret_token

SESSION_DIR = Path(".klantladder") / "workshop"
SESSION_FILE = "session.json"
PARTICIPANTS_FILE = "participants.jsonl"
Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Token = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,128}$")]


class SessionRecord(StrictModel):
    """``session.json``."""

    format: Literal[1] = Field(default=1, description="Version of this file's format.")
    join: Token = Field(description="The token in the participants' link.")
    facilitator: Token = Field(description="The token of the facilitator's link.")
    started: dt.datetime = Field(description="When the session was started.")
    closed: bool = Field(default=False, description="True once the facilitator closed it.")


class ParticipantEvent(StrictModel):
    """One line of ``participants.jsonl``."""

    participant: Hash = Field(description="SHA-256 of the participant's cookie token.")
    respondent: Identifier | None = Field(
        default=None, description="The respondent code given to the participant, once given."
    )


@dataclass
class SessionState:
    """A session as loaded: its tokens, whether it is closed, and who joined."""

    record: SessionRecord
    participants: dict[str, str | None] = field(default_factory=dict)
    """Token hash -> respondent code (None until the participant's first answer)."""
    continued: bool = False
    """True when the session existed before this start."""


class SessionFile:
    """Reads and appends the session's files; safe to call from several threads."""

    def __init__(self, folder: Path) -> None:
        self.directory = folder / SESSION_DIR
        self._lock = threading.Lock()

    @property
    def record_path(self) -> Path:
        """``session.json``."""
        return self.directory / SESSION_FILE

    @property
    def participants_path(self) -> Path:
        """``participants.jsonl``."""
        return self.directory / PARTICIPANTS_FILE

    def open(self, *, new: bool = False) -> SessionState:
        """Continue the folder's session, or start one (always, with ``new``)."""
        self._prepare()
        if not new and self.record_path.is_file():
            record = self._read_record()
            return SessionState(record, self._read_participants(), continued=True)
        record = SessionRecord(
            join=new_join_token(),
            facilitator=new_secret_token(),
            started=dt.datetime.now().replace(microsecond=0),
        )
        with self._lock:
            self.participants_path.write_bytes(b"")
            self._write_record(record)
        return SessionState(record)

    def save(self, record: SessionRecord) -> None:
        """Write ``session.json`` again (the session was closed or reopened)."""
        with self._lock:
            self._write_record(record)

    def joined(self, participant: str) -> None:
        """Record that a participant (their token hash) joined."""
        self._append(ParticipantEvent(participant=participant))

    def coded(self, participant: str, respondent: str) -> None:
        """Record the respondent code given to a participant."""
        self._append(ParticipantEvent(participant=participant, respondent=respondent))

    def _prepare(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.directory, 0o700)

    def _write_record(self, record: SessionRecord) -> None:
        write_atomic(self.record_path, record.model_dump_json(indent=2) + "\n")

    def _read_record(self) -> SessionRecord:
        path = self.record_path
        try:
            return SessionRecord.model_validate_json(path.read_bytes())
        except (ValidationError, ValueError) as error:
            first = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            raise InputError.single(
                path, f"not a workshop session file ({first}); start afresh with --new-session"
            ) from None

    def _read_participants(self) -> dict[str, str | None]:
        path = self.participants_path
        if not path.is_file():
            return {}
        lines = path.read_bytes().split(b"\n")
        participants: dict[str, str | None] = {}
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                event = ParticipantEvent.model_validate_json(line)
            except ValidationError:
                if number == len(lines):
                    break  # no newline after it: the last line, cut short by a crash
                message = "not a workshop participants file; start afresh with --new-session"
                raise InputError.single(path, message, number) from None
            code = event.respondent or participants.get(event.participant)
            participants[event.participant] = code
        return participants

    def _append(self, event: ParticipantEvent) -> None:
        line = event.model_dump_json(exclude_none=True) + "\n"
        with self._lock, self.participants_path.open("a", encoding="utf-8") as stream:
            stream.write(line)
            stream.flush()
            os.fsync(stream.fileno())
