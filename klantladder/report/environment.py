"""The one Jinja environment factory for the report and the handouts.

Packaged templates come from ``report_templates/``; a user's ``--templates``
folder overrides single templates, and can extend an original by its
``klantladder/`` name, e.g. ``{% extends "klantladder/report.html" %}``.
Autoescape is always on; an unknown name in a template is an error.

Every template runs in the sandbox of `klantladder.report.sandbox`; a user's
template is read only from inside its folder (no absolute names, no ``..``, no
symlink out), as UTF-8 of at most `MAX_TEMPLATE_BYTES`. Rendering stops after
`MAX_TEMPLATE_SECONDS` or `MAX_HTML_BYTES` of output, and any mistake in a
template (recursion included) is a `RenderError` naming the template.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.loaders import split_template_path

from klantladder.errors import InputError, KlantladderError, NotFoundError, RenderError
from klantladder.formatting import format_count, format_score
from klantladder.limits import (
    MAX_HTML_BYTES,
    MAX_TEMPLATE_BYTES,
    MAX_TEMPLATE_SECONDS,
    read_input_bytes,
    time_limit,
)
from klantladder.models.base import localize
from klantladder.report.charts import MISSING
from klantladder.report.sandbox import ReportSandbox
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
        loaders.append(FolderLoader(user_templates))
    loaders += [packaged, PrefixLoader({ORIGINALS_PREFIX: packaged})]
    environment = ReportSandbox(
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


class FolderLoader(BaseLoader):
    """Templates from one folder, never from outside it, read within the limits."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The text of ``template``; `TemplateNotFound` lets the packaged one answer."""
        if template.startswith("/"):
            raise RenderError(
                f"template name {template!r} is absolute; name templates by their "
                "path inside the templates folder"
            )
        path = self.folder.joinpath(*split_template_path(template))  # refuses ".."
        if not path.exists():
            raise TemplateNotFound(template)
        data = read_input_bytes(
            path, limit=MAX_TEMPLATE_BYTES, what="a template", within=self.folder
        )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError.single(
                path, f"not UTF-8 text (byte {error.start}); save the template as UTF-8"
            ) from None
        modified = path.stat().st_mtime
        return text, str(path), lambda: path.exists() and path.stat().st_mtime == modified


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
    """Render a template, turning template mistakes into a clear `RenderError`.

    The error names the template file and line where the mistake is; rendering
    stops after `MAX_TEMPLATE_SECONDS` and past `MAX_HTML_BYTES` of output.
    """
    try:
        with time_limit(
            MAX_TEMPLATE_SECONDS,
            f"template {name}: still rendering after {MAX_TEMPLATE_SECONDS} seconds; stopped "
            f"(does a loop in it run without end?)",
        ):
            return _render_bounded(environment, name, context)
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}"
        raise RenderError(f"{where}: template syntax error: {error.message}") from None
    except KlantladderError:
        raise
    except RecursionError as error:
        place = _template_place(error, name)
        if place.startswith("template "):  # no template ran yet: reading it recursed
            raise RenderError(f"{place}: nested too deeply to read") from None
        raise RenderError(
            f"{place}: the template includes or extends itself, or a macro calls itself, "
            f"without end"
        ) from None
    except SyntaxError as error:  # Python refused the code Jinja made of it
        raise RenderError(f"template {name}: nested too deeply to compile ({error.msg})") from None
    except MemoryError as error:
        raise RenderError(
            f"{_template_place(error, name)}: the template needs too much memory"
        ) from None
    except TemplateError as error:
        raise RenderError(f"{_template_place(error, name)}: {error}") from None
    except Exception as error:  # a template can raise anything: 1/0, "a" + 1, ...
        raise RenderError(
            f"{_template_place(error, name)}: {type(error).__name__}: {error}"
        ) from None


def _render_bounded(environment: Environment, name: str, context: dict[str, Any]) -> str:
    parts: list[str] = []
    size = 0
    for part in environment.get_template(name).generate(context):
        size += len(part)
        if size > MAX_HTML_BYTES:
            raise RenderError(
                f"template {name}: makes more than {MAX_HTML_BYTES // (1024 * 1024)} MiB of "
                f"HTML; refused"
            )
        parts.append(part)
    return "".join(parts)


def _template_place(error: BaseException, name: str) -> str:
    """``file:line`` of the innermost template frame in the traceback, else the template name."""
    place = f"template {name}"
    traceback = error.__traceback__
    while traceback is not None:
        # Jinja rewrites a template's frames to carry its file name and line.
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(_TEMPLATE_SUFFIXES):
            place = f"{filename}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return place


_TEMPLATE_SUFFIXES = (".html", ".css", ".svg", ".txt", ".jinja", ".j2")
