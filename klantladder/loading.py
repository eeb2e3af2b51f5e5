"""Load questionnaires and methods, shipped or custom, with exact error places.

Shipped files follow a naming rule that makes lookup cheap:
``questionnaires/<id>.<language>.yaml`` and
``questionnaires/method/<id>.<language>.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klantladder.errors import InputError, NotFoundError, Problem
from klantladder.models.method import Method
from klantladder.models.questionnaire import Questionnaire
from klantladder.resources import questionnaires_dir
from klantladder.validation import raise_issues, validate_document
from klantladder.yamlsource import YamlDocument, load_yaml_file

YAML_SUFFIXES = (".yaml", ".yml")


def load_method(path: Path) -> Method:
    """Load and check a method file."""
    document = load_yaml_file(path)
    method = validate_document(document, Method, languages=_declared_languages(document.data))
    raise_issues(document, method.consistency_issues())
    return method


def load_questionnaire(source: str | Path, language: str | None = None) -> Questionnaire:
    """Load a questionnaire from a file path, or a shipped one by id and language.

    Ids and paths are told apart by their type, never by what happens to exist
    in the working directory: a `Path` is a file; a string is a shipped
    questionnaire's id, unless it names a file (it ends in ``.yaml``/``.yml`` or
    holds a ``/``). A method given by reference (``method: klantladder`` or a
    relative path) is loaded and checked too; its problems are reported in its
    own file.
    """
    if isinstance(source, Path) or source.endswith(YAML_SUFFIXES) or "/" in source:
        return load_questionnaire_file(Path(source))
    return load_shipped_questionnaire(source, language)


def load_shipped_questionnaire(questionnaire_id: str, language: str | None = None) -> Questionnaire:
    """Load a shipped questionnaire by id, in ``language`` (the first one when None)."""
    return load_questionnaire_file(shipped_questionnaire_file(questionnaire_id, language))


def load_questionnaire_file(path: Path) -> Questionnaire:
    """Load and check one questionnaire file."""
    document = load_yaml_file(path)
    data = document.data
    languages = _declared_languages(data)
    problems: list[Problem] = []
    if isinstance(data, dict) and isinstance(data.get("method"), str):
        try:
            data = {
                **data,
                "method": _resolve_method(document, data["method"], path.parent, languages),
            }
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
    if isinstance(document.data.get("method"), dict):
        issues += [
            (("method", *loc), message)
            for loc, message in questionnaire.content.consistency_issues()
        ]
    raise_issues(document, issues)
    return questionnaire


def _resolve_method(
    document: YamlDocument, reference: str, base: Path, languages: list[str]
) -> Method:
    if reference.endswith(YAML_SUFFIXES):
        candidate = base / reference
        if not candidate.is_file():
            raise InputError(
                [document.problem(("method",), f"method file {str(candidate)!r} not found")]
            )
        return load_method(candidate)
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
    return load_method(path)


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


def shipped_questionnaire_file(questionnaire_id: str, language: str | None) -> Path:
    """Path of a shipped questionnaire in a language; raise `NotFoundError` if none."""
    matches = sorted(questionnaires_dir().glob(f"{questionnaire_id}.*.yaml"))
    if not matches:
        known = ", ".join(entry.id for entry in shipped_catalog()) or "none"
        raise NotFoundError(f"no shipped questionnaire {questionnaire_id!r} (shipped: {known})")
    if language is None:
        return matches[0]
    wanted = questionnaires_dir() / f"{questionnaire_id}.{language}.yaml"
    if not wanted.is_file():
        have = ", ".join(p.name.split(".")[1] for p in matches)
        raise NotFoundError(
            f"questionnaire {questionnaire_id!r} has no {language!r} version (it has: {have})"
        )
    return wanted


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
    """The shipped questionnaires, each loaded and checked."""
    by_id: dict[str, list[Questionnaire]] = {}
    for path in sorted(questionnaires_dir().glob("*.yaml")):
        questionnaire = load_questionnaire_file(path)
        by_id.setdefault(questionnaire.id, []).append(questionnaire)
    entries = []
    for questionnaire_id, versions in by_id.items():
        first = versions[0]
        title = first.title if isinstance(first.title, str) else next(iter(first.title.values()))
        entries.append(
            CatalogEntry(
                id=questionnaire_id,
                version=first.version,
                languages=tuple(lang for q in versions for lang in q.languages),
                title=title,
                questions=len(first.questions),
                minutes=first.minutes,
            )
        )
    return entries
