"""Validate YAML data against a model, with every problem at its file:line:col."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from klantladder.errors import InputError, Problem
from klantladder.models.base import DEFER_CROSS_CHECKS, Issue, Location
from klantladder.yamlsource import YamlDocument

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_document(
    document: YamlDocument,
    model: type[ModelT],
    *,
    languages: list[str] | None = None,
    data: Any = None,
) -> ModelT:
    """Validate ``document`` (or ``data`` loaded from it) as ``model``.

    Raises `InputError` with all problems, each mapped back to its YAML node.
    """
    payload = document.data if data is None else data
    if not isinstance(payload, dict):
        raise InputError([document.problem((), "expected a mapping of keys at the top level")])
    context = {"languages": languages or [], DEFER_CROSS_CHECKS: True}
    try:
        return model.model_validate(payload, context=context)
    except ValidationError as error:
        raise InputError(
            [_to_problem(document, model, details) for details in error.errors()]
        ) from None


def raise_issues(document: YamlDocument, issues: Iterable[Issue], prefix: Location = ()) -> None:
    """Raise the cross-check issues of a validated model as an `InputError`."""
    problems = [document.problem((*prefix, *loc), message) for loc, message in issues]
    if problems:
        raise InputError(problems)


def issue_problems(document: YamlDocument, issues: Iterable[Issue]) -> list[Problem]:
    """Turn cross-check issues into problems at their places."""
    return [document.problem(loc, message) for loc, message in issues]


def _to_problem(document: YamlDocument, model: type[BaseModel], details: ErrorDetails) -> Problem:
    location = tuple(details["loc"])
    kind = details["type"]
    if kind == "extra_forbidden":
        key = location[-1]
        message = f"unknown key {key!r}"
        allowed = _allowed_keys(model, location[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1)
        if close:
            message += f" (did you mean {close[0]!r}?)"
        elif allowed:
            message += f"; allowed here: {', '.join(allowed)}"
        return document.problem(location, message, key=True)
    if kind == "missing":
        return document.problem(location[:-1], f"missing required key {location[-1]!r}")
    if kind == "union_tag_invalid":
        context = details.get("ctx", {})
        return document.problem(
            (*location, "kind"),
            f"kind {context.get('tag')!r} is not one of {context.get('expected_tags')}",
        )
    if kind == "union_tag_not_found":
        return document.problem(location, "missing required key 'kind'")
    message = details["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    named = [part for part in document.resolve(location) if isinstance(part, str)]
    if named and kind != "value_error":
        message = f"{named[-1]}: {message[0].lower()}{message[1:]}"
    return document.problem(location, message)


def _allowed_keys(model: type[BaseModel], location: Location) -> list[str]:
    """The field names a mapping at ``location`` accepts, for 'did you mean' hints."""
    current: Any = model
    for part in location:
        current = _descend(current, part)
        if current is None:
            return []
    current = _unwrap_model(current, None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [field.alias or name for name, field in current.model_fields.items()]
    return []


def _descend(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap_model(annotation, part)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return field.annotation if field else annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap_model(annotation: Any, tag: str | int | None) -> Any:
    """Strip Annotated and unions; in a tagged union pick the member named ``tag``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [
            _unwrap_model(member, None)
            for member in typing.get_args(annotation)
            if member is not type(None)
        ]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        for member in models:
            kind = member.model_fields.get("kind")
            if kind is not None and tag in typing.get_args(kind.annotation):
                return member
        if len(models) == 1:
            return models[0]
        return members[0] if len(members) == 1 else annotation
    return annotation
