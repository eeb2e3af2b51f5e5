"""klantladder: measure customer-centricity on the five-rung klantladder.

The public API is listed in ``__all__``. Names are imported on first use, so
that ``klantladder --help`` does not pay for pydantic or WeasyPrint.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "AssessmentFolder": "klantladder.folder",
    "CatalogEntry": "klantladder.loading",
    "InputError": "klantladder.errors",
    "KlantladderError": "klantladder.errors",
    "NotFoundError": "klantladder.errors",
    "OutputExistsError": "klantladder.errors",
    "Problem": "klantladder.errors",
    "Questionnaire": "klantladder.models.questionnaire",
    "Response": "klantladder.models.assessment",
    "ScoreResult": "klantladder.models.result",
    "check_file": "klantladder.checking",
    "init_assessment": "klantladder.folder",
    "json_schemas": "klantladder.schemas",
    "load_assessment": "klantladder.folder",
    "load_method": "klantladder.loading",
    "load_questionnaire": "klantladder.loading",
    "score": "klantladder.scoring",
    "shipped_catalog": "klantladder.loading",
}

__all__ = [
    "AssessmentFolder",
    "CatalogEntry",
    "InputError",
    "KlantladderError",
    "NotFoundError",
    "OutputExistsError",
    "Problem",
    "Questionnaire",
    "Response",
    "ScoreResult",
    "__version__",
    "check_file",
    "init_assessment",
    "json_schemas",
    "load_assessment",
    "load_method",
    "load_questionnaire",
    "score",
    "shipped_catalog",
]

if TYPE_CHECKING:
    from klantladder.checking import check_file
    from klantladder.errors import (
        InputError,
        KlantladderError,
        NotFoundError,
        OutputExistsError,
        Problem,
    )
    from klantladder.folder import AssessmentFolder, init_assessment, load_assessment
    from klantladder.loading import CatalogEntry, load_method, load_questionnaire, shipped_catalog
    from klantladder.models.assessment import Response
    from klantladder.models.questionnaire import Questionnaire
    from klantladder.models.result import ScoreResult
    from klantladder.schemas import json_schemas
    from klantladder.scoring import score


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'klantladder' has no attribute {name!r}")
