"""The one Jinja environment factory for the report and the handouts.

Packaged templates come from ``report_templates/``; a user's ``--templates``
folder overrides single templates, and can extend an original by its
``klantladder/`` name, e.g. ``{% extends "klantladder/report.html" %}``.
Autoescape is always on; an unknown name in a template is an error.
"""

from __future__ import annotations

import datetime as dt
import string
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)

from klantladder.errors import InputError, NotFoundError, RenderError
from klantladder.formatting import format_count, format_score
from klantladder.models.base import localize
from klantladder.report.charts import MISSING
from klantladder.resources import templates_dir
from klantladder.yamlsource import load_yaml_file

ORIGINALS_PREFIX = "klantladder"


def template_environment(language: str, user_templates: Path | None = None) -> Environment:
    """A Jinja environment for ``language``: packaged templates, optionally overridden."""
    packaged = FileSystemLoader(templates_dir())
    loaders: list[Any] = []
    if user_templates is not None:
        if not user_templates.is_dir():
            raise NotFoundError(f"{user_templates}: no such templates folder")
        loaders.append(FileSystemLoader(user_templates))
    loaders += [packaged, PrefixLoader({ORIGINALS_PREFIX: packaged})]
    environment = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    labels = report_labels(language)
    environment.globals["labels"] = labels
    environment.globals["lang"] = language
    environment.filters["t"] = lambda text: localize(text, language)
    environment.filters["score"] = lambda value, decimals=2: (
        MISSING if value is None else format_score(value, language, decimals)
    )
    environment.filters["fill"] = _fill
    environment.filters["number"] = lambda value: format_count(value, language)
    environment.filters["longdate"] = lambda day: long_date(day, labels)
    return environment


def _fill(template: str, **values: Any) -> str:
    return string.Template(template).safe_substitute({k: str(v) for k, v in values.items()})


def long_date(day: dt.date, labels: dict[str, Any]) -> str:
    """A date written out, e.g. '1 maart 2026' or '1 March 2026'."""
    return f"{day.day} {labels['months'][day.month - 1]} {day.year}"


@cache
def report_labels(language: str) -> dict[str, Any]:
    """The report's interface texts in ``language`` (``report_templates/labels.<lang>.yaml``)."""
    path = templates_dir() / f"labels.{language}.yaml"
    if not path.is_file():
        have = sorted(p.name.split(".")[1] for p in templates_dir().glob("labels.*.yaml"))
        raise NotFoundError(f"the report has no {language!r} texts (it has: {', '.join(have)})")
    data = load_yaml_file(path).data
    if not isinstance(data, dict):
        raise InputError.single(path, "expected a mapping of labels")
    return data


def render_template(environment: Environment, name: str, context: dict[str, Any]) -> str:
    """Render a template, turning template mistakes into a clear `RenderError`."""
    try:
        return environment.get_template(name).render(context)
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise RenderError(f"{where}: template syntax error: {error.message}") from None
    except TemplateError as error:
        raise RenderError(f"template {name}: {error}") from None
