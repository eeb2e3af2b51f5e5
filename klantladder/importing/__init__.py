"""Importing survey tool exports (CSV and XLSX) into an assessment folder.

See `import_export` and `make_mapping`; the README's "Getting answers in"
section describes per tool how columns map to questions.
"""

from klantladder.importing.importer import import_export, make_mapping
from klantladder.importing.settle import Conflict, Resolver
from klantladder.importing.summary import ImportSummary
from klantladder.importing.tools import TOOL_NAMES, TOOLS, Tool

__all__ = [
    "TOOLS",
    "TOOL_NAMES",
    "Conflict",
    "ImportSummary",
    "Resolver",
    "Tool",
    "import_export",
    "make_mapping",
]
