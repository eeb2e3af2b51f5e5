"""Which tool made an export, and what each of its columns holds.

Each tool writes its own metadata columns (response id, start and end time,
e-mail...) around the question columns. `detect_layout` recognises the tool
from the header row(s) and sorts the columns into metadata and questions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Literal, get_args

from klantladder.errors import InputError
from klantladder.importing.table import Sheet

Tool = Literal["msforms", "googleforms", "qualtrics", "limesurvey", "typeform", "csv"]
TOOLS: tuple[Tool, ...] = get_args(Tool)
TOOL_NAMES: dict[Tool, str] = {
    "msforms": "Microsoft Forms",
    "googleforms": "Google Forms",
    "qualtrics": "Qualtrics",
    "limesurvey": "LimeSurvey",
    "typeform": "Typeform",
    "csv": "plain CSV",
}


class Role(Enum):
    """What a column holds."""

    QUESTION = "question"
    RESPONSE_ID = "response id"
    RESPONDENT = "respondent"
    NAME = "name"
    STARTED = "started"
    COMPLETED = "completed"
    IGNORED = "ignored"


# Metadata columns per tool, by header (compared case-insensitively). The
# Dutch spellings are those of the tools' Dutch interfaces.
_METADATA: dict[Tool, dict[str, Role]] = {
    "msforms": {
        "id": Role.RESPONSE_ID,
        "start time": Role.STARTED,
        "begintijd": Role.STARTED,
        "completion time": Role.COMPLETED,
        "tijd van voltooien": Role.COMPLETED,
        "voltooiingstijd": Role.COMPLETED,
        "email": Role.IGNORED,
        "e-mail": Role.IGNORED,
        "name": Role.NAME,
        "naam": Role.NAME,
        "last modified time": Role.IGNORED,
        "tijd van laatste wijziging": Role.IGNORED,
        "total points": Role.IGNORED,
        "quiz feedback": Role.IGNORED,
    },
    "googleforms": {
        "timestamp": Role.COMPLETED,
        "tijdstempel": Role.COMPLETED,
        "email address": Role.IGNORED,
        "e-mailadres": Role.IGNORED,
        "score": Role.IGNORED,
    },
    "qualtrics": {
        "startdate": Role.STARTED,
        "enddate": Role.COMPLETED,
        "responseid": Role.RESPONSE_ID,
    },
    "limesurvey": {
        "id": Role.RESPONSE_ID,
        "response id": Role.RESPONSE_ID,
        "submitdate": Role.COMPLETED,
        "date submitted": Role.COMPLETED,
        "startdate": Role.STARTED,
        "date started": Role.STARTED,
        "lastpage": Role.IGNORED,
        "last page": Role.IGNORED,
        "startlanguage": Role.IGNORED,
        "start language": Role.IGNORED,
        "seed": Role.IGNORED,
        "datestamp": Role.IGNORED,
        "date last action": Role.IGNORED,
        "token": Role.IGNORED,
        "ipaddr": Role.IGNORED,
        "ip address": Role.IGNORED,
        "refurl": Role.IGNORED,
        "referrer url": Role.IGNORED,
    },
    "typeform": {
        "#": Role.RESPONSE_ID,
        "start date (utc)": Role.STARTED,
        "submit date (utc)": Role.COMPLETED,
        "stage date (utc)": Role.IGNORED,
        "network id": Role.IGNORED,
        "tags": Role.IGNORED,
        "ending": Role.IGNORED,
    },
    "csv": {
        "respondent": Role.RESPONDENT,
        "name": Role.NAME,
        "started": Role.STARTED,
        "completed": Role.COMPLETED,
    },
}

# Qualtrics names its metadata in the ImportId row; questions have QID... ids.
_QUALTRICS_IMPORT_IDS = {
    "startDate": Role.STARTED,
    "endDate": Role.COMPLETED,
    "_recordId": Role.RESPONSE_ID,
}


@dataclass(frozen=True)
class Column:
    """One column of an export."""

    index: int
    header: str
    role: Role
    label: str | None = None
    import_id: str | None = None

    @property
    def key(self) -> str:
        """What a mapping file calls this column: the ImportId for Qualtrics, else the header."""
        return self.import_id or self.header

    @property
    def number(self) -> int:
        """1-based column number, as a spreadsheet counts."""
        return self.index + 1


@dataclass(frozen=True)
class Layout:
    """An export's tool, its header rows and its columns."""

    tool: Tool
    header_rows: int
    columns: tuple[Column, ...]

    def questions(self) -> list[Column]:
        """The columns that hold answers."""
        return [column for column in self.columns if column.role is Role.QUESTION]

    def first(self, role: Role) -> Column | None:
        """The first column with a role."""
        return next((column for column in self.columns if column.role is role), None)


def detect_tool(sheet: Sheet, question_ids: set[str]) -> Tool:
    """Recognise the tool that made an export from its header rows."""
    if not sheet.rows or not any(cell.strip() for cell in sheet.rows[0]):
        raise InputError.single(sheet.name, "the file is empty; expected a header row", 1, 1)
    headers = [cell.strip() for cell in sheet.rows[0]]
    folded = {header.casefold() for header in headers}
    if {"StartDate", "EndDate", "ResponseId"} <= set(headers) and _has_import_ids(sheet):
        return "qualtrics"
    if {"id", "submitdate", "lastpage", "startlanguage"} <= folded or {
        "response id",
        "date submitted",
        "last page",
        "start language",
    } <= folded:
        return "limesurvey"
    first = headers[0].casefold()
    if first == "id" and folded & {"start time", "begintijd"}:
        return "msforms"
    if first in ("timestamp", "tijdstempel"):
        return "googleforms"
    if first == "#" and "submit date (utc)" in folded:
        return "typeform"
    if "respondent" in folded or folded & question_ids:
        return "csv"
    shown = ", ".join(repr(header) for header in headers[:4])
    raise InputError.single(
        sheet.name,
        f"not a survey export klantladder knows: the headers ({shown}, ...) fit none of "
        f"{', '.join(TOOL_NAMES[tool] for tool in TOOLS)}; give --from TOOL, or use question "
        f"ids as the headers of a plain CSV",
        1,
        1,
    )


def _has_import_ids(sheet: Sheet) -> bool:
    return len(sheet.rows) >= 3 and any(
        cell.strip().startswith('{"ImportId"') for cell in sheet.rows[2]
    )


def detect_layout(sheet: Sheet, tool: Tool, question_ids: set[str]) -> Layout:
    """Sort the columns of an export made by ``tool`` into metadata and questions."""
    if tool == "qualtrics":
        return _qualtrics_layout(sheet, question_ids)
    headers = [cell.strip() for cell in sheet.rows[0]] if sheet.rows else []
    metadata = _METADATA[tool]
    columns = tuple(
        Column(index, header, metadata.get(header.casefold(), Role.QUESTION))
        for index, header in enumerate(headers)
    )
    return Layout(tool, 1, columns)


def _qualtrics_layout(sheet: Sheet, question_ids: set[str]) -> Layout:
    if not _has_import_ids(sheet):
        raise InputError.single(
            sheet.name,
            'not a Qualtrics export: row 3 holds no {"ImportId": ...} cells; download the '
            "data table as CSV or XLSX with its three header rows",
            3,
            1,
        )
    columns = []
    for index, header in enumerate(sheet.rows[0]):
        label = sheet.cell(1, index)
        import_id = _import_id(sheet.cell(2, index))
        if import_id is None:
            raise InputError.single(
                sheet.name,
                f"column {header.strip()!r}: row 3 should hold its ImportId, like "
                f'{{"ImportId":"QID1"}}',
                3,
                index + 1,
            )
        if import_id.startswith("QID") or import_id.removesuffix("_TEXT") in question_ids:
            role = Role.QUESTION
        else:
            role = _QUALTRICS_IMPORT_IDS.get(import_id) or _METADATA["qualtrics"].get(
                header.strip().casefold(), Role.IGNORED
            )
        columns.append(Column(index, header.strip(), role, label, import_id))
    return Layout("qualtrics", 3, tuple(columns))


def _import_id(cell: str) -> str | None:
    try:
        data = json.loads(cell)
    except ValueError:
        return None
    value = data.get("ImportId") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None
