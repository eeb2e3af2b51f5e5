"""Load questionnaires and methods, shipped or custom, with exact error places.

Shipped files follow a naming rule that makes lookup cheap:
``questionnaires/<id>.v<version>.<language>.yaml`` (every version stays shipped,
so an assessment keeps the questionnaire it was started with) and
``questionnaires/method/<id>.<language>.yaml``. A test checks that every shipped
file's name matches its id, version and language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klantladder.errors import InputError, NotFoundError, Problem
from klantladder.models.method import Method
from klantladder.models.questionnaire import Questionnaire
from klantladder.resources import questionnaires_dir
from klantladder.validation import issue_problems, raise_issues, validate_document
from klantladder.yamlsource import YamlDocument, load_yaml_file

YAML_SUFFIXES = (".yaml", ".yml")


def load_method(path: Path) -> Method:
    """Load and check a method file."""
    document = load_yaml_file(path)
    method = validate_document(document, Method, languages=_declared_languages(document.data))
    raise_issues(document, method.consistency_issues())
    return method


def load_questionnaire(
    source: str | Path, language: str | None = None, version: int | None = None
) -> Questionnaire:
    """Load a questionnaire from a file path, or a shipped one by id, language and version.

    Without ``version`` a shipped questionnaire comes in its latest version. Ids
    and paths are told apart by their type, never by what happens to exist in
    the working directory: a `Path` is a file; a string is a shipped
    questionnaire's id, unless it names a file (it ends in ``.yaml``/``.yml`` or
    holds a ``/``). A method given by reference (``method: klantladder`` or a
    relative path) is loaded and checked too; its problems are reported in its
    own file.
    """
    if isinstance(source, Path) or source.endswith(YAML_SUFFIXES) or "/" in source:
        return load_questionnaire_file(Path(source))
    return load_shipped_questionnaire(source, language, version)


def load_shipped_questionnaire(
    questionnaire_id: str, language: str | None = None, version: int | None = None
) -> Questionnaire:
    """Load a shipped questionnaire by id, in ``language`` (the first one when None).

    Without ``version``, the latest version.
    """
    return load_questionnaire_file(shipped_questionnaire_file(questionnaire_id, language, version))


def load_questionnaire_file(path: Path) -> Questionnaire:
    """Load and check one questionnaire file."""
    document = load_yaml_file(path)
    data = document.data
    languages = _declared_languages(data)
    problems: list[Problem] = []
    method_path: Path | None = None
    if isinstance(data, dict) and isinstance(data.get("method"), str):
        try:
            method_path = _method_path(document, data["method"], path.parent, languages)
            data = {**data, "method": load_method(method_path)}
        except InputError as error:
            # Report the questions' problems too; the method stays an unresolved reference.
            problems += error.problems
    try:
        questionnaire = validate_document(document, Questionnaire, languages=languages, data=data)
    except InputError as error:
        raise InputError(problems + error.problems) from None
    if problems:
        raise InputError(problems)
    issues = questionnaire.consistency_issues()
    evidence = questionnaire.evidence_issues()
    if isinstance(document.data.get("method"), dict):
        issues += [
            (("method", *loc), message)
            for loc, message in (*questionnaire.content.consistency_issues(), *evidence)
        ]
    problems = issue_problems(document, issues)
    if method_path is not None and evidence:
        problems += issue_problems(load_yaml_file(method_path), evidence)
    if problems:
        raise InputError(problems)
    return questionnaire


def _method_path(document: YamlDocument, reference: str, base: Path, languages: list[str]) -> Path:
    """The method file a questionnaire refers to: a path, or a shipped method's id."""
    if reference.endswith(YAML_SUFFIXES):
        candidate = base / reference
        if not candidate.is_file():
            raise InputError(
                [document.problem(("method",), f"method file {str(candidate)!r} not found")]
            )
        return candidate
    if len(languages) != 1:
        raise InputError(
            [
                document.problem(
                    ("method",),
                    f"shipped method {reference!r} comes as one file per language: declare one "
                    f"language here and make a questionnaire file for each language",
                )
            ]
        )
    path = shipped_method_file(reference, languages[0])
    if not path.is_file():
        known = ", ".join(sorted({_shipped_id(p) for p in _method_dir().glob("*.yaml")})) or "none"
        raise InputError(
            [
                document.problem(
                    ("method",),
                    f"no shipped method {reference!r} in {languages[0]!r} (shipped: {known}); "
                    f"give a path ending in .yaml for your own method file",
                )
            ]
        )
    return path


def _declared_languages(data: Any) -> list[str]:
    if isinstance(data, dict) and isinstance(data.get("languages"), list):
        return [lang for lang in data["languages"] if isinstance(lang, str)]
    return []


def _method_dir() -> Path:
    return questionnaires_dir() / "method"


def _shipped_id(path: Path) -> str:
    return path.name.split(".")[0]


def shipped_method_file(method_id: str, language: str) -> Path:
    """Path of a shipped method file (it may not exist)."""
    return _method_dir() / f"{method_id}.{language}.yaml"


_SHIPPED_NAME = re.compile(
    r"^(?P<id>[a-z0-9][a-z0-9_-]*)\.v(?P<version>[1-9][0-9]*)\.(?P<lang>[a-z]{2})\.yaml$"
)


@dataclass(frozen=True, order=True)
class ShippedFile:
    """A shipped questionnaire file, as its name describes it."""

    id: str
    version: int
    language: str
    path: Path


def shipped_questionnaire_files() -> list[ShippedFile]:
    """Every shipped questionnaire file, by id, version and language."""
    found = []
    for path in questionnaires_dir().glob("*.yaml"):
        match = _SHIPPED_NAME.match(path.name)
        if match:
            found.append(ShippedFile(match["id"], int(match["version"]), match["lang"], path))
    return sorted(found)


def latest_version(questionnaire_id: str) -> int:
    """The newest shipped version of a questionnaire; `NotFoundError` if none is shipped."""
    versions = [f.version for f in shipped_questionnaire_files() if f.id == questionnaire_id]
    if not versions:
        raise NotFoundError(_unknown_questionnaire(questionnaire_id))
    return max(versions)


def shipped_questionnaire_file(
    questionnaire_id: str, language: str | None, version: int | None = None
) -> Path:
    """Path of a shipped questionnaire in a language and version; `NotFoundError` if none.

    Without ``version`` the latest version; without ``language`` its first language.
    """
    files = [f for f in shipped_questionnaire_files() if f.id == questionnaire_id]
    if not files:
        raise NotFoundError(_unknown_questionnaire(questionnaire_id))
    wanted_version = version or max(f.version for f in files)
    of_version = [f for f in files if f.version == wanted_version]
    if not of_version:
        have = ", ".join(str(v) for v in sorted({f.version for f in files}))
        raise NotFoundError(
            f"questionnaire {questionnaire_id!r} has no version {wanted_version} "
            f"(shipped versions: {have})"
        )
    if language is None:
        return of_version[0].path
    for candidate in of_version:
        if candidate.language == language:
            return candidate.path
    have = ", ".join(f.language for f in of_version)
    raise NotFoundError(
        f"questionnaire {questionnaire_id!r} version {wanted_version} has no {language!r} "
        f"version (it has: {have})"
    )


def _unknown_questionnaire(questionnaire_id: str) -> str:
    known = ", ".join(sorted({f.id for f in shipped_questionnaire_files()})) or "none"
    return f"no shipped questionnaire {questionnaire_id!r} (shipped: {known})"


@dataclass(frozen=True)
class CatalogEntry:
    """One shipped questionnaire, over its language versions."""

    id: str
    version: int
    languages: tuple[str, ...]
    title: str
    questions: int
    minutes: int | None


def shipped_catalog() -> list[CatalogEntry]:
    """The shipped questionnaires, one entry per id and version, each loaded and checked."""
    by_version: dict[tuple[str, int], list[Questionnaire]] = {}
    for shipped in shipped_questionnaire_files():
        questionnaire = load_questionnaire_file(shipped.path)
        by_version.setdefault((questionnaire.id, questionnaire.version), []).append(questionnaire)
    entries = []
    for (questionnaire_id, version), languages in by_version.items():
        first = languages[0]
        title = first.title if isinstance(first.title, str) else next(iter(first.title.values()))
        entries.append(
            CatalogEntry(
                id=questionnaire_id,
                version=version,
                languages=tuple(lang for q in languages for lang in q.languages),
                title=title,
                questions=len(first.questions),
                minutes=first.minutes,
            )
        )
    return entries
