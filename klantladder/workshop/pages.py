"""The workshop's own Jinja environment and its packaged files (templates, CSS, JS, fonts).

Autoescape is on and an unknown name is an error, so every text from a
participant or a questionnaire is escaped. Static files are served from a
table built at start from one packaged folder: a request names a key in that
table, never a path, so no request can reach another file.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from klantladder.formatting import format_score
from klantladder.models.base import localize
from klantladder.report.charts import MISSING
from klantladder.report.environment import report_labels
from klantladder.report.fonts import packaged_font_faces
from klantladder.report.wording import emphasised

CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
}


def package_folder(name: str) -> Path:
    """A folder that ships inside ``klantladder/workshop/``."""
    return Path(str(resources.files("klantladder.workshop").joinpath(name)))


def page_environment(language: str) -> Environment:
    """The Jinja environment of the workshop's pages in ``language``."""
    environment = Environment(
        loader=FileSystemLoader(package_folder("templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    labels = report_labels(language)
    environment.globals["labels"] = labels["workshop"]
    environment.globals["report"] = labels
    environment.globals["lang"] = language
    environment.filters["t"] = lambda text: localize(text, language)
    environment.filters["fill"] = _fill
    environment.filters["emphasised"] = emphasised
    environment.filters["score"] = lambda value, decimals=1: (
        MISSING if value is None else format_score(value, language, decimals)
    )
    return environment


def _fill(template: str, **values: Any) -> str:
    return string.Template(template).safe_substitute({k: str(v) for k, v in values.items()})


@dataclass(frozen=True)
class Asset:
    """A file the server may send, read once at start."""

    body: bytes
    content_type: str


@cache
def static_assets() -> dict[str, Asset]:
    """The packaged CSS and JavaScript, by file name."""
    return {
        path.name: Asset(path.read_bytes(), CONTENT_TYPES[path.suffix])
        for path in sorted(package_folder("static").iterdir())
        if path.is_file() and path.suffix in CONTENT_TYPES
    }


@cache
def font_assets() -> dict[str, Asset]:
    """The report's font (when installed), by file name, so screens look like the report."""
    faces = packaged_font_faces()
    return {face.path.name: Asset(face.path.read_bytes(), "font/ttf") for face in faces}


def font_faces_css() -> str:
    """@font-face rules for the fonts in `font_assets`."""
    return "".join(
        f'@font-face{{font-family:"Source Sans Pro";font-weight:{face.weight};'
        f'font-style:{face.style};src:url("/fonts/{face.path.name}") format("truetype");}}\n'
        for face in packaged_font_faces()
    )
