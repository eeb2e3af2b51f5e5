"""Which tool made an export, where its header is, and what each column holds.

`detect_layout` looks for a tool's header in the first rows (a title or a
blank row above the header is skipped, as in a Microsoft Forms workbook that
someone gave a title), recognises the tool and its layout from the header
row(s), and sorts the columns into metadata, contact data and questions:

* Qualtrics: the current export (three header rows: names, question texts and
  ``{"ImportId": ...}``), the older Insights export (``{'ImportId': ...}``),
  the legacy export (two header rows: ``V1``... and ``ResponseID``...) and an
  export whose two extra header rows were deleted;
* SurveyMonkey: two header rows, the question and then ``Response``,
  ``Open-Ended Response`` or an option's label (one column per option);
* LimeSurvey (codes or full headings), Microsoft Forms, Google Forms (its own
  CSV and the linked sheet), Typeform (its CSV and its Google Sheets
  integration) and a plain CSV: one header row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from klantladder.errors import InputError
from klantladder.importing.table import Sheet
from klantladder.importing.tools import (
    METADATA,
    QUALTRICS_IMPORT_IDS,
    SURVEYMONKEY_SINGLE,
    TOOL_NAMES,
    TOOLS,
    Role,
    Tool,
)

__all__ = ["TOOLS", "TOOL_NAMES", "Column", "Layout", "Role", "Tool", "detect_layout"]

# How many rows above the header (a title, a date, a blank row) are looked past.
MAX_TITLE_ROWS = 5
_IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:\s*["']([^"']+)["']""")
_LEGACY_CODE = re.compile(r"^V\d+$")
_QUALTRICS_RESPONSE_ID = re.compile(r"^R_[A-Za-z0-9]+$")


class Variant(Enum):
    """A layout of a tool's export, as the import summary names it."""

    STANDARD = "export"
    QUALTRICS_CURRENT = "export (three header rows)"
    QUALTRICS_INSIGHTS = "Insights export (three header rows, {'ImportId': ...})"
    QUALTRICS_LEGACY = "legacy export (two header rows)"
    QUALTRICS_ONE_ROW = "export without its second and third header rows"
    SURVEYMONKEY = "export (two header rows)"
    TYPEFORM_SHEETS = "Google Sheets integration"


@dataclass(frozen=True)
class Column:
    """One column of an export."""

    index: int
    header: str
    role: Role
    label: str | None = None
    import_id: str | None = None
    contact: str | None = None

    @property
    def key(self) -> str:
        """What a mapping file calls this column: the ImportId for Qualtrics, else the header."""
        return self.import_id or self.header

    @property
    def number(self) -> int:
        """1-based column number, as a spreadsheet counts."""
        return self.index + 1

    @property
    def shown(self) -> str:
        """The header as a person reads it (the question text where the key is a code)."""
        return self.label or self.header


@dataclass(frozen=True)
class Layout:
    """An export's tool, where its header rows are, and its columns."""

    tool: Tool
    header_row: int
    header_rows: int
    columns: tuple[Column, ...]
    variant: Variant = Variant.STANDARD
    title: str | None = None

    @property
    def data_start(self) -> int:
        """0-based index of the first data row."""
        return self.header_row + self.header_rows

    @property
    def key_row(self) -> int:
        """1-based row that holds the columns' keys (a Qualtrics ImportId, else the header)."""
        if self.variant in (Variant.QUALTRICS_CURRENT, Variant.QUALTRICS_INSIGHTS):
            return self.header_row + 3
        return self.header_row + 1

    @property
    def description(self) -> str:
        """The tool and layout in words, for the import summary."""
        return f"{TOOL_NAMES[self.tool]} {self.variant.value}"

    def questions(self) -> list[Column]:
        """The columns that hold answers."""
        return [column for column in self.columns if column.role is Role.QUESTION]

    def first(self, role: Role) -> Column | None:
        """The first column with a role."""
        return next((column for column in self.columns if column.role is role), None)

    def contacts(self) -> list[Column]:
        """The columns that hold personal data."""
        return [column for column in self.columns if column.role is Role.CONTACT]


def _folded(sheet: Sheet, row: int) -> list[str]:
    if row >= len(sheet.rows):
        return []
    return [cell.strip().casefold() for cell in sheet.rows[row]]


def _signature(
    sheet: Sheet, row: int, question_ids: set[str], wanted: Tool | None
) -> tuple[Tool, Variant, int] | None:
    """The tool, layout and number of header rows when ``row`` is a tool's header row."""
    cells = _folded(sheet, row)
    if not any(cells):
        return None
    folded = set(cells)
    candidates: list[tuple[Tool, Variant, int] | None] = [
        _qualtrics(sheet, row, folded),
        ("limesurvey", Variant.STANDARD, 1)
        if {"id", "submitdate", "lastpage", "startlanguage"} <= folded
        or {"response id", "date submitted", "last page", "start language"} <= folded
        or {"antwoord id", "datum ingediend", "laatste pagina", "starttaal"} <= folded
        else None,
        ("surveymonkey", Variant.SURVEYMONKEY, 2)
        if folded & {"respondent id", "respondent-id"}
        and folded & {"collector id", "collector-id", "verzamelprogramma-id"}
        else None,
        ("msforms", Variant.STANDARD, 1)
        if cells[0] == "id"
        and folded & {"start time", "begintijd"}
        and folded & {"completion time", "tijd van voltooien", "voltooiingstijd"}
        else None,
        ("googleforms", Variant.STANDARD, 1) if cells[0] in ("timestamp", "tijdstempel") else None,
        ("typeform", Variant.STANDARD, 1)
        if cells[0] == "#" and folded & {"submit date (utc)", "response type"}
        else None,
        ("typeform", Variant.TYPEFORM_SHEETS, 1) if {"submitted at", "token"} <= folded else None,
        ("csv", Variant.STANDARD, 1)
        if "respondent" in folded or folded & {i.casefold() for i in question_ids}
        else None,
    ]
    for found in candidates:
        if found is not None and (wanted is None or found[0] == wanted):
            return found
    return None


def _qualtrics(sheet: Sheet, row: int, folded: set[str]) -> tuple[Tool, Variant, int] | None:
    if _folded(sheet, row)[:1] == ["v1"] and {"responseid", "startdate"} <= set(
        _folded(sheet, row + 1)
    ):
        return ("qualtrics", Variant.QUALTRICS_LEGACY, 2)
    if not {"startdate", "enddate", "responseid"} <= folded:
        return None
    third = sheet.rows[row + 2] if row + 2 < len(sheet.rows) else []
    import_ids = [cell.strip() for cell in third if _IMPORT_ID.match(cell.strip())]
    if import_ids:
        insights = all(cell.startswith("{'") for cell in import_ids)
        variant = Variant.QUALTRICS_INSIGHTS if insights else Variant.QUALTRICS_CURRENT
        return ("qualtrics", variant, 3)
    position = _folded(sheet, row).index("responseid")
    if row + 1 < len(sheet.rows) and _QUALTRICS_RESPONSE_ID.match(sheet.cell(row + 1, position)):
        return ("qualtrics", Variant.QUALTRICS_ONE_ROW, 1)
    return None


def detect_layout(sheet: Sheet, tool: Tool | None, question_ids: set[str]) -> Layout:
    """Find the header, recognise the tool (or check the given one) and sort the columns."""
    if not any(any(cell.strip() for cell in row) for row in sheet.rows):
        raise InputError.single(sheet.name, "the file is empty; expected a header row", 1, 1)
    for row in range(min(MAX_TITLE_ROWS + 1, len(sheet.rows))):
        found = _signature(sheet, row, question_ids, tool)
        if found is not None:
            chosen, variant, count = found
            return _build(sheet, chosen, variant, row, count, question_ids)
    if tool == "qualtrics":
        raise InputError.single(
            sheet.name,
            "not a Qualtrics export: no header row with StartDate, EndDate and ResponseId above a "
            'row 3 of {"ImportId": ...} cells; download the data table as CSV or XLSX',
            1,
            1,
        )
    if tool == "surveymonkey":
        raise InputError.single(
            sheet.name,
            "not a SurveyMonkey export: no header row with 'Respondent ID' and 'Collector ID'; "
            "export All Responses Data as CSV or XLSX",
            1,
            1,
        )
    if tool is not None:
        first = next(i for i, row in enumerate(sheet.rows) if any(c.strip() for c in row))
        return _build(sheet, tool, Variant.STANDARD, first, 1, question_ids)
    headers = [cell.strip() for cell in sheet.rows[0]]
    shown = ", ".join(repr(header) for header in headers[:4])
    raise InputError.single(
        sheet.name,
        f"not a survey export klantladder knows: the headers ({shown}, ...) fit none of "
        f"{', '.join(TOOL_NAMES[tool] for tool in TOOLS)}; give --from TOOL, or use question "
        f"ids as the headers of a plain CSV",
        1,
        1,
    )


def _title(sheet: Sheet, header_row: int) -> str | None:
    texts = [cell.strip() for row in sheet.rows[:header_row] for cell in row if cell.strip()]
    return " ".join(texts)[:200] if texts else None


def _build(
    sheet: Sheet,
    tool: Tool,
    variant: Variant,
    row: int,
    count: int,
    question_ids: set[str],
) -> Layout:
    if variant in (Variant.QUALTRICS_CURRENT, Variant.QUALTRICS_INSIGHTS):
        columns = _qualtrics_columns(sheet, row, question_ids)
    elif variant is Variant.QUALTRICS_LEGACY:
        columns = _legacy_columns(sheet, row)
    elif variant is Variant.SURVEYMONKEY:
        columns = _surveymonkey_columns(sheet, row)
    else:
        metadata = METADATA[tool]
        columns = []
        for index, cell in enumerate(sheet.rows[row]):
            header = cell.strip()
            role, contact = metadata.get(header.casefold(), (Role.QUESTION, None))
            columns.append(Column(index, header, role, contact=contact))
    return Layout(tool, row, count, tuple(columns), variant, _title(sheet, row))


def _qualtrics_columns(sheet: Sheet, row: int, question_ids: set[str]) -> list[Column]:
    columns = []
    for index, cell in enumerate(sheet.rows[row]):
        header = cell.strip()
        label = sheet.cell(row + 1, index) or None
        match = _IMPORT_ID.match(sheet.cell(row + 2, index))
        if match is None:
            if header or label:
                raise InputError.single(
                    sheet.name,
                    f"column {header!r}: row {row + 3} should hold its ImportId, like "
                    f'{{"ImportId":"QID1"}}',
                    row + 3,
                    index + 1,
                )
            columns.append(Column(index, "", Role.IGNORED))
            continue
        import_id = match[1]
        if import_id.endswith("_DO"):  # the order in which choices were shown
            role, contact = Role.IGNORED, None
        elif import_id.startswith("QID") or import_id.removesuffix("_TEXT") in question_ids:
            role, contact = Role.QUESTION, None
        else:
            role, contact = QUALTRICS_IMPORT_IDS.get(
                import_id.casefold(),
                QUALTRICS_IMPORT_IDS.get(header.casefold(), (Role.IGNORED, None)),
            )
        columns.append(Column(index, header, role, label, import_id, contact))
    return columns


def _legacy_columns(sheet: Sheet, row: int) -> list[Column]:
    columns = []
    for index, cell in enumerate(sheet.rows[row]):
        code = cell.strip()
        name = sheet.cell(row + 1, index)
        known = QUALTRICS_IMPORT_IDS.get(name.casefold()) or QUALTRICS_IMPORT_IDS.get(
            code.casefold()
        )
        if known is not None:
            role, contact = known
        elif _LEGACY_CODE.match(code) or not (code or name):
            role, contact = Role.IGNORED, None
        else:
            role, contact = Role.QUESTION, None
        columns.append(Column(index, code, role, name or None, contact=contact))
    return columns


def _surveymonkey_columns(sheet: Sheet, row: int) -> list[Column]:
    metadata = METADATA["surveymonkey"]
    columns = []
    question = ""
    for index, cell in enumerate(sheet.rows[row]):
        header = cell.strip()
        below = sheet.cell(row + 1, index)
        if header.casefold() in metadata:
            role, contact = metadata[header.casefold()]
            columns.append(Column(index, header, role, contact=contact))
            question = ""
            continue
        question = header or question
        if not below or below.casefold() in SURVEYMONKEY_SINGLE:
            name = question
        else:
            name = f"{question} [{below}]" if question else below
        columns.append(Column(index, name, Role.QUESTION))
    return columns
