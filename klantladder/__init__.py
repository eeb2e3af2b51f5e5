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
    "Benchmark": "klantladder.models.benchmark",
    "CalibrationReport": "klantladder.models.calibrating",
    "CatalogEntry": "klantladder.loading",
    "Comparison": "klantladder.models.comparison",
    "InputError": "klantladder.errors",
    "KlantladderError": "klantladder.errors",
    "NotFoundError": "klantladder.errors",
    "OutputExistsError": "klantladder.errors",
    "Problem": "klantladder.errors",
    "Questionnaire": "klantladder.models.questionnaire",
    "Response": "klantladder.models.assessment",
    "ScoreResult": "klantladder.models.result",
    "calibrate": "klantladder.calibration",
    "check_file": "klantladder.checking",
    "compare": "klantladder.overtime.compare",
    "compare_assessments": "klantladder.overtime.compare",
    "init_assessment": "klantladder.folder",
    "json_schemas": "klantladder.schemas",
    "load_assessment": "klantladder.folder",
    "load_method": "klantladder.loading",
    "load_portfolio": "klantladder.overtime.portfolio",
    "load_questionnaire": "klantladder.loading",
    "percentiles": "klantladder.overtime.portfolio",
    "score": "klantladder.scoring",
    "shipped_catalog": "klantladder.loading",
    "write_calibration": "klantladder.calibration",
}

__all__ = [
    "AssessmentFolder",
    "Benchmark",
    "CalibrationReport",
    "CatalogEntry",
    "Comparison",
    "InputError",
    "KlantladderError",
    "NotFoundError",
    "OutputExistsError",
    "Problem",
    "Questionnaire",
    "Response",
    "ScoreResult",
    "__version__",
    "calibrate",
    "check_file",
    "compare",
    "compare_assessments",
    "init_assessment",
    "json_schemas",
    "load_assessment",
    "load_method",
    "load_portfolio",
    "load_questionnaire",
    "percentiles",
    "score",
    "shipped_catalog",
    "write_calibration",
]

if TYPE_CHECKING:
    from klantladder.calibration import calibrate, write_calibration
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
    from klantladder.models.benchmark import Benchmark
    from klantladder.models.calibrating import CalibrationReport
    from klantladder.models.comparison import Comparison
    from klantladder.models.questionnaire import Questionnaire
    from klantladder.models.result import ScoreResult
    from klantladder.overtime.compare import compare, compare_assessments
    from klantladder.overtime.portfolio import load_portfolio, percentiles
    from klantladder.schemas import json_schemas
    from klantladder.scoring import score


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'klantladder' has no attribute {name!r}")
