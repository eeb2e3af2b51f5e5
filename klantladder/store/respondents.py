"""One respondent: found by code or name, claimed for an interview, shown, or forgotten.

Names live only in the key file. A respondent is named on the command line by
code (``r017``, ``qualtrics-0003``) or, unless the assessment is anonymous, by
the name or a contact detail the key file holds for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from klantladder.errors import InputError, NotFoundError
from klantladder.models.assessment import Privacy, Response
from klantladder.models.questionnaire import Questionnaire
from klantladder.store.batch import batch_bytes
from klantladder.store.keys import (
    Forgotten,
    KeyEntry,
    KeyFile,
    codes_named,
    forgotten_bytes,
    identity,
    identity_hash,
    key_file_bytes,
    load_forgotten,
    load_key_file,
    refuse_ambiguous,
)
from klantladder.store.layout import (
    INTERVIEW_CODE,
    INTERVIEW_DIGITS,
    INTERVIEW_PREFIX,
    LOCKS_DIR,
    YAML_SUFFIXES,
    forgotten_file,
    key_file,
    responses_dir,
    state_dir,
    yaml_path,
)
from klantladder.store.loader import StoredResponse, load_stored
from klantladder.store.locks import RespondentLock, folder_lock
from klantladder.store.transaction import Transaction
from klantladder.store.writer import batch_respondents, next_codes, response_yaml

SESSION_TOOLS = frozenset({"interview"})


@dataclass(frozen=True)
class Found:
    """A respondent as the store knows them."""

    code: str
    stored: StoredResponse | None
    key: KeyEntry | None

    @property
    def response(self) -> Response | None:
        """Their answers, if any were given."""
        return self.stored.response if self.stored else None


@dataclass
class Seat:
    """A respondent claimed for one session: the code, its held lock, what is stored."""

    code: str
    lock: RespondentLock
    response: Response | None
    new_name: bool


def _state(folder: Path, questionnaire: Questionnaire) -> tuple[list[StoredResponse], KeyFile]:
    stored, problems = load_stored(folder, questionnaire)
    if problems:
        raise InputError(problems)
    return stored, load_key_file(folder)


def find(folder: Path, questionnaire: Questionnaire, who: str) -> Found | None:
    """The respondent ``who`` names (a code, a name or a contact detail), or None."""
    with folder_lock(folder):
        stored, keys = _state(folder, questionnaire)
    return _find(stored, keys, who)


def _find(stored: list[StoredResponse], keys: KeyFile, who: str) -> Found | None:
    by_code = {entry.response.respondent: entry for entry in stored}
    text = who.strip()
    if text in by_code or text in keys.respondents:
        return Found(text, by_code.get(text), keys.respondents.get(text))
    codes = codes_named(keys, text)
    if len(codes) > 1:
        raise refuse_ambiguous(codes)
    if codes:
        return Found(codes[0], by_code.get(codes[0]), keys.respondents[codes[0]])
    return None


def require(folder: Path, questionnaire: Questionnaire, who: str) -> Found:
    """Like `find`, but a respondent nobody knows is an error."""
    found = find(folder, questionnaire, who)
    if found is None:
        raise NotFoundError(
            f"{folder}: no respondent {who!r} (neither a respondent code nor a name or contact "
            f"detail in the key file)"
        )
    return found


def claim(
    folder: Path,
    questionnaire: Questionnaire,
    who: str | None,
    *,
    privacy: Privacy,
    continue_other: bool = False,
) -> Seat:
    """Claim a respondent for an interview: find or assign the code and take its lock.

    ``who`` is a code, a name (kept only in the key file) or None for a new
    code. A respondent whose answers came from elsewhere (an import, a
    workshop, a hand-made file) is refused unless ``continue_other``; an
    imported one is then moved from its batch to its own file first.
    """
    with folder_lock(folder):
        stored, keys = _state(folder, questionnaire)
        forgotten = load_forgotten(folder)
        found = _find(stored, keys, who) if who else None
        if found is None and who and INTERVIEW_CODE.match(who.strip()):
            code = who.strip()
            if code in forgotten.codes:
                raise InputError.single(
                    "forgotten.yaml", f"respondent {code} was erased; their code is not used again"
                )
            found = Found(code, None, None)
        if found is not None:
            return _seat_existing(folder, questionnaire, found, stored, continue_other)
        if continue_other:
            raise NotFoundError(
                f"{folder}: no respondent {who!r} to continue; leave out --continue to start one"
            )
        if who and privacy == "anonymous":
            raise InputError.single(
                "assessment.yaml",
                "this assessment is anonymous: names are never stored. Leave out --respondent "
                "for a new respondent code, or give the code of one to resume",
            )
        taken = (
            {entry.response.respondent for entry in stored}
            | set(keys.respondents)
            | set(forgotten.codes)
        )
        lock = _free_code(folder, taken)
        if who:
            keys.respondents[lock.respondent] = KeyEntry(name=who.strip())
            with Transaction(folder, "a respondent's name into the key file") as change:
                change.write(key_file(folder), key_file_bytes(keys))
                change.commit()
        return Seat(lock.respondent, lock, None, bool(who))


def new_code(folder: Path, also_taken: Iterable[str] = ()) -> RespondentLock:
    """A new respondent code (``rNNN``) for a session without a name, with its lock held.

    The code is free: no response file or import batch holds it, the key file
    and the erased respondents do not know it, it is not in ``also_taken``
    (codes a caller has handed out itself), and no other session holds its
    lock. It is taken under the folder lock, so two sessions (interviews,
    workshop participants, in any process) never get the same code; it reads
    names of files and batch codes only, never the answers. The caller
    releases the lock when the session ends.
    """
    with folder_lock(folder):
        taken = set(also_taken) | set(batch_respondents(folder))
        taken |= set(load_key_file(folder).respondents) | set(load_forgotten(folder).codes)
        root = responses_dir(folder)
        if root.is_dir():
            taken |= {path.stem for path in root.iterdir() if path.suffix.lower() in YAML_SUFFIXES}
        return _free_code(folder, taken)


def _free_code(folder: Path, taken: set[str]) -> RespondentLock:
    """The next interview code no one has or is using, with its lock held."""
    used = set(taken)
    while True:
        [code] = next_codes(INTERVIEW_PREFIX, INTERVIEW_DIGITS, used, 1)
        lock = RespondentLock(folder, code)
        if lock.try_acquire():
            return lock
        used.add(code)


def _seat_existing(
    folder: Path,
    questionnaire: Questionnaire,
    found: Found,
    stored: list[StoredResponse],
    continue_other: bool,
) -> Seat:
    lock = RespondentLock(folder, found.code).acquire()
    try:
        entry = found.stored
        if entry is not None:
            source = entry.response.source
            own = source is not None and source.tool in SESSION_TOOLS
            if not own and not continue_other:
                origin = (
                    f"imported from {source.tool}" + (f" ({source.file})" if source.file else "")
                    if source is not None
                    else "written by hand or by another tool"
                )
                raise InputError.single(
                    entry.place,
                    f"respondent {found.code} already has answers {origin}; to add to them in "
                    f"this interview, give --continue",
                )
            if entry.row is not None:
                _move_to_own_file(folder, questionnaire, entry, stored)
        return Seat(found.code, lock, found.response, False)
    except BaseException:
        lock.release()
        raise


def _move_to_own_file(
    folder: Path,
    questionnaire: Questionnaire,
    entry: StoredResponse,
    stored: list[StoredResponse],
) -> None:
    """Take a respondent out of its batch into ``responses/<code>.yaml``, in one transaction."""
    code = entry.response.respondent
    with Transaction(folder, f"respondent {code} out of {entry.path.name}") as change:
        change.write(yaml_path(folder, code), response_yaml(entry.response))
        _drop_from_batch(change, questionnaire, entry, stored)
        change.commit()


def _drop_from_batch(
    change: Transaction,
    questionnaire: Questionnaire,
    entry: StoredResponse,
    stored: list[StoredResponse],
) -> None:
    rest = sorted(
        (e for e in stored if e.path == entry.path and e.row is not None and e is not entry),
        key=lambda e: e.row or 0,
    )
    if rest:
        change.write(entry.path, batch_bytes(questionnaire, [e.response for e in rest]))
    else:
        change.delete(entry.path)


@dataclass(frozen=True)
class Forgetting:
    """What `forget` removed."""

    code: str
    removed: tuple[str, ...]
    written: tuple[Path, ...]


def forget(folder: Path, questionnaire: Questionnaire, who: str) -> Forgetting:
    """Erase a respondent: answers, key entry and identity, in one transaction.

    The code and a one-way hash of the import identity go into
    ``forgotten.yaml``, so the code is never given out again and a re-import
    of the same export skips them.
    """
    with folder_lock(folder):
        stored, keys = _state(folder, questionnaire)
        found = _find(stored, keys, who)
        if found is None:
            raise NotFoundError(
                f"{folder}: no respondent {who!r} (neither a respondent code nor a name or "
                f"contact detail in the key file)"
            )
        removed: list[str] = []
        with (
            RespondentLock(folder, found.code),
            Transaction(folder, f"erasing respondent {found.code}") as change,
        ):
            entry = found.stored
            if entry is not None:
                removed.append(f"answers ({entry.place})")
                if entry.row is None:
                    change.delete(entry.path)
                else:
                    _drop_from_batch(change, questionnaire, entry, stored)
            if found.code in keys.respondents:
                del keys.respondents[found.code]
                change.write(key_file(folder), key_file_bytes(keys))
                removed.append("key file entry (name, contact details)")
            tombstones = load_forgotten(folder)
            known = identity(entry.response.source) if entry else None
            update = Forgotten(
                codes=sorted({*tombstones.codes, found.code}),
                keys=sorted({*tombstones.keys, *([identity_hash(known)] if known else [])}),
            )
            if known:
                removed.append("import identity (kept only as a one-way hash)")
            change.write(forgotten_file(folder), forgotten_bytes(update))
            written = change.commit()
        (state_dir(folder) / LOCKS_DIR / f"{found.code}.lock").unlink(missing_ok=True)
        return Forgetting(found.code, tuple(removed), written)


def _questionnaire(folder: Path) -> Questionnaire:
    from klantladder.folder import load_assessment_file, questionnaire_for

    document, assessment = load_assessment_file(folder)
    return questionnaire_for(folder, document, assessment)


def show_respondent(folder: Path, who: str) -> Found:
    """Everything the folder stores about one respondent (code, name or contact detail)."""
    return require(folder, _questionnaire(folder), who)


def forget_respondent(folder: Path, who: str) -> Forgetting:
    """Erase one respondent (see `forget`)."""
    return forget(folder, _questionnaire(folder), who)
