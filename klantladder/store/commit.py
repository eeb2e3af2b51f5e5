"""Committing an import: new respondents, newer revisions, and nobody twice or lost.

The importer reads an export and hands over one `IncomingResponse` per real
respondent, each with its identity key. `commit_import` decides, under the
folder lock and against what the folder holds at that moment, what each one
is: new (a code ``<tool>-NNNN`` and a row in a new batch), an update (a newer
revision: its answers replace the stored ones where they are), unchanged, or
erased before (a tombstone: skipped). Everything is written in one
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from klantladder.errors import InputError, Problem
from klantladder.models.assessment import QuestionnaireRef, Response, ResponseSource
from klantladder.models.questionnaire import Questionnaire
from klantladder.routing import Router, routes
from klantladder.store.batch import answers_as_stored, batch_bytes
from klantladder.store.checks import (
    answer_problem,
    not_asked_answers,
    not_asked_problem,
    questionnaire_problem,
    quick_check,
)
from klantladder.store.keys import (
    KeyEntry,
    identity,
    identity_hash,
    key_file_bytes,
    load_forgotten,
    load_key_file,
    qualified,
)
from klantladder.store.layout import (
    BATCH_PATTERN,
    IMPORT_DIGITS,
    batch_path,
    key_file,
    responses_dir,
    yaml_path,
)
from klantladder.store.loader import StoredResponse, load_stored
from klantladder.store.locks import RespondentLock, folder_lock, reading
from klantladder.store.transaction import Transaction
from klantladder.store.writer import next_codes, response_yaml

MAX_KEY_CHARS = 500


@dataclass(frozen=True)
class IncomingResponse:
    """One respondent of an export, as the importer read it."""

    key: str
    """Identity key computed by the importer (stable across export spellings); the store
    compares it qualified by the tool (`klantladder.store.keys.qualified`)."""
    revision: str | None
    """ISO 8601 time of the last edit when the tool has one; a newer revision updates."""
    response: Response
    """Answers, times and source; ``respondent`` is a placeholder: the store assigns the code."""
    contact: dict[str, str] = field(default_factory=dict)
    """Contact and name fields found in the export (empty when none)."""
    legacy: tuple[str, ...] = ()
    """The keys imports before identity keys stored for this row (its response id, its row
    hash), so a response they imported is still recognised; see `klantladder.store.keys`."""


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did (or, on a dry run, would do)."""

    added: tuple[str, ...]
    """Respondent codes added."""
    updated: tuple[str, ...]
    """Codes whose answers were replaced by a newer revision."""
    unchanged: int
    """Keys already there with the same or an older revision."""
    forgotten: int
    """Keys erased before (tombstone): skipped."""
    written: tuple[Path, ...]
    """Files written (empty on a dry run)."""


@dataclass(frozen=True)
class _Item:
    identity: str
    legacy: tuple[str, ...]
    revision: str | None
    response: Response
    contact: dict[str, str]


def commit_import(
    folder: Path,
    incoming: Sequence[IncomingResponse],
    *,
    keep_contact: bool = False,
    dry_run: bool = False,
) -> ImportOutcome:
    """Store the respondents of one import in one transaction; see the module text.

    With ``keep_contact`` the contact fields go into ``respondents.key.yaml``
    (never into the responses); without it they are dropped. With ``dry_run``
    nothing is written. Raises `InputError` for a response that does not fit
    the questionnaire or a key that occurs twice, and `BusyError` when an
    update would touch a respondent that is being interviewed right now.
    """
    from klantladder.folder import load_assessment_file, questionnaire_for

    document, assessment = load_assessment_file(folder)
    questionnaire = questionnaire_for(folder, document, assessment)
    if keep_contact and assessment.privacy == "anonymous":
        raise InputError(
            [
                document.problem(
                    ("privacy",),
                    "this assessment is anonymous: contact details are never kept; import "
                    "without --keep-contact",
                )
            ]
        )
    items = _prepare(incoming, questionnaire)
    # A dry run reads as any reader does: it leaves no trace, not even a lock file.
    with reading(folder) if dry_run else folder_lock(folder):
        stored, problems = load_stored(folder, questionnaire)
        if problems:
            raise InputError(problems)
        plan = _Plan(folder, questionnaire, stored, keep_contact)
        for item in items:
            plan.place(item)
        if dry_run:
            return plan.outcome(())
        return plan.outcome(plan.write())


def _prepare(incoming: Sequence[IncomingResponse], questionnaire: Questionnaire) -> list[_Item]:
    """Check what the importer hands over; it should never fail, but a store trusts nobody."""
    items: list[_Item] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    questions = {question.id: question for question in questionnaire.questions}
    checks = {question.id: quick_check(question) for question in questionnaire.questions}
    reference = QuestionnaireRef.model_construct(
        id=questionnaire.id, version=questionnaire.version, file=None
    )
    compiled = routes(questionnaire)
    router = Router(questionnaire, compiled)
    for number, item in enumerate(incoming, start=1):
        source = item.response.source
        where = (source.file if source and source.file else None) or "import"
        messages = []
        if source is None:
            messages.append("has no source (tool, file)")
        if not item.key or len(item.key) > MAX_KEY_CHARS or not item.key.isprintable():
            messages.append(f"has no usable identity key ({item.key[:40]!r})")
        if item.revision is not None and _instant(item.revision) is None:
            messages.append(f"revision {item.revision!r} is not an ISO 8601 time")
        wrong = questionnaire_problem(item.response, questionnaire)
        if wrong:
            messages.append(wrong[1])
        for question_id, value in item.response.answers.items():
            check = checks.get(question_id)
            if check is None:
                messages.append(f"unknown question {question_id!r}")
            elif not check(value):
                messages.append(answer_problem(questions[question_id], value) or "not allowed")
        if not messages and compiled:
            for question_id in not_asked_answers(questionnaire, item.response.answers, router):
                messages.append(not_asked_problem(questionnaire, question_id))
        if source is not None and item.key:
            who = qualified(source.tool, item.key)
            if who in seen:
                messages.append(
                    f"holds the same respondent as response {seen[who]} (key {item.key!r})"
                )
            seen.setdefault(who, number)
        if messages:
            problems += [Problem(where, None, None, f"response {number}: {m}") for m in messages]
            continue
        assert source is not None
        contact = dict(item.contact)
        if item.response.name:
            contact.setdefault("name", item.response.name)
        stored_source = ResponseSource.model_construct(
            tool=source.tool,
            key=item.key,
            file=source.file,
            form=source.form,
            revision=item.revision,
            response_id=None,
            row_hash=None,
        )
        # Checked above, so built without validating again (every field given: see batch.py).
        response = Response.model_construct(
            respondent=item.response.respondent,
            name=None,
            questionnaire=reference,
            started=item.response.started,
            completed=item.response.completed,
            source=stored_source,
            answers=answers_as_stored(item.response.answers, questions, router)[0],
            skipped=[],
        )
        legacy = tuple(qualified(source.tool, key) for key in item.legacy if key)
        items.append(
            _Item(qualified(source.tool, item.key), legacy, item.revision, response, contact)
        )
    if problems:
        raise InputError(problems)
    return items


def _instant(text: str | None) -> dt.datetime | None:
    """An ISO 8601 time to compare by; a time without zone counts as UTC."""
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _newer(item: _Item, old: Response) -> bool:
    """Whether an incoming revision replaces what is stored."""
    new_time = _instant(item.revision)
    if new_time is None:
        return False
    old_time = _instant(old.source.revision if old.source else None)
    if old_time is None:
        return (item.response.answers, item.response.started, item.response.completed) != (
            old.answers,
            old.started,
            old.completed,
        )
    return new_time > old_time


class _Plan:
    """What an import will write, worked out against the folder as it is under the lock."""

    def __init__(
        self,
        folder: Path,
        questionnaire: Questionnaire,
        stored: list[StoredResponse],
        keep_contact: bool,
    ) -> None:
        self.folder = folder
        self.questionnaire = questionnaire
        self.stored = stored
        self.keep_contact = keep_contact
        self.keys = load_key_file(folder) if keep_contact else None
        self.keys_changed = False
        forgotten = load_forgotten(folder)
        self.tombstones = set(forgotten.keys)
        self.by_identity: dict[str, StoredResponse] = {}
        for entry in stored:
            found = identity(entry.response.source)
            if found:
                self.by_identity[found] = entry
        self.taken = {entry.response.respondent for entry in stored} | set(forgotten.codes)
        if keep_contact:
            self.taken |= set(load_key_file(folder).respondents)
        self.last: dict[str, int] = {}
        self.added: list[Response] = []
        self.updated: dict[str, Response] = {}
        self.unchanged = 0
        self.forgotten = 0
        self.claimed: set[str] = set()

    def place(self, item: _Item) -> None:
        known = (item.identity, *item.legacy)
        if any(identity_hash(each) in self.tombstones for each in known):
            self.forgotten += 1
            return
        existing = self.by_identity.get(item.identity)
        if existing is None:
            # An older import's response id or row hash names one stored response; the first
            # row that claims it is that response, any later one a respondent of its own.
            legacy = (self.by_identity.get(each) for each in item.legacy)
            existing = next(
                (e for e in legacy if e and e.response.respondent not in self.claimed), None
            )
        if existing is None:
            tool = item.response.source.tool if item.response.source else "csv"
            code = self._next_code(f"{tool}-")
            self.added.append(item.response.model_copy(update={"respondent": code}))
            self._keep(code, item.contact)
            return
        code = existing.response.respondent
        if code in self.claimed:  # claimed by an older key first: that row is this respondent
            self.unchanged += 1
            return
        self.claimed.add(code)
        if _newer(item, existing.response):
            self.updated[code] = item.response.model_copy(update={"respondent": code})
        else:
            self.unchanged += 1
        self._keep(code, item.contact)

    def _next_code(self, prefix: str) -> str:
        """The next free ``<tool>-NNNN``; the highest taken number is found once per tool."""
        if prefix not in self.last:
            self.last[prefix] = 0
            last = next_codes(prefix, IMPORT_DIGITS, self.taken, 1)[0]
            self.last[prefix] = int(last[len(prefix) :]) - 1
        number = self.last[prefix]
        while True:
            number += 1
            code = f"{prefix}{number:0{IMPORT_DIGITS}d}"
            if code not in self.taken:
                self.last[prefix] = number
                self.taken.add(code)
                return code

    def _keep(self, code: str, contact: dict[str, str]) -> None:
        if not self.keep_contact or not contact or self.keys is None:
            return
        entry = self.keys.respondents.get(code) or KeyEntry()
        merged = {**entry.contact, **contact}
        if merged != entry.contact or code not in self.keys.respondents:
            self.keys.respondents[code] = entry.model_copy(update={"contact": merged})
            self.keys_changed = True

    def outcome(self, written: tuple[Path, ...]) -> ImportOutcome:
        return ImportOutcome(
            added=tuple(response.respondent for response in self.added),
            updated=tuple(self.updated),
            unchanged=self.unchanged,
            forgotten=self.forgotten,
            written=written,
        )

    def write(self) -> tuple[Path, ...]:
        first = [*self.added, *self.updated.values()][:1]
        name = first[0].source.file if first and first[0].source else None
        description = f"import of {name}" if name else "import"
        locks = [RespondentLock(self.folder, code) for code in self._updated_files()]
        try:
            for lock in locks:
                lock.acquire()
            with Transaction(self.folder, description) as change:
                if self.added:
                    change.write(self._new_batch(), batch_bytes(self.questionnaire, self.added))
                self._write_updates(change)
                if self.keys_changed and self.keys is not None:
                    change.write(key_file(self.folder), key_file_bytes(self.keys))
                return change.commit()
        finally:
            for lock in locks:
                lock.release()

    def _updated_files(self) -> list[str]:
        return [
            entry.response.respondent
            for entry in self.stored
            if entry.row is None and entry.response.respondent in self.updated
        ]

    def _write_updates(self, change: Transaction) -> None:
        batches: dict[Path, list[StoredResponse]] = defaultdict(list)
        touched: set[Path] = set()
        for entry in self.stored:
            if entry.row is None:
                if entry.response.respondent in self.updated:
                    replacement = self.updated[entry.response.respondent]
                    change.write(
                        yaml_path(self.folder, replacement.respondent), response_yaml(replacement)
                    )
                continue
            batches[entry.path].append(entry)
            if entry.response.respondent in self.updated:
                touched.add(entry.path)
        for path in sorted(touched):
            rows = sorted(batches[path], key=lambda entry: entry.row or 0)
            responses = [self.updated.get(e.response.respondent, e.response) for e in rows]
            change.write(path, batch_bytes(self.questionnaire, responses))

    def _new_batch(self) -> Path:
        numbers = [0]
        root = responses_dir(self.folder)
        if root.is_dir():
            for path in root.iterdir():
                match = BATCH_PATTERN.match(path.name)
                if match:
                    numbers.append(int(match[1]))
        return batch_path(self.folder, max(numbers) + 1)
