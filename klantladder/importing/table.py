"""Reading a survey export (CSV or XLSX) into rows of text cells.

Whatever the file, the rest of the import sees a `Sheet`: rows of strings, the
file's name for messages, and notes worth telling the user (such as a fallback
to the Windows-1252 encoding). Rows and columns are numbered from 1 in every
message, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from klantladder.errors import InputError
from klantladder.limits import MAX_EXPORT_BYTES, read_input_bytes

XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t")


@dataclass
class Sheet:
    """The cells of an export as text, row by row."""

    name: str
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)

    def cell(self, row: int, column: int) -> str:
        """The text at a 0-based row and column; '' past the end of a short row."""
        cells = self.rows[row]
        return cells[column].strip() if column < len(cells) else ""


def read_sheet(path: Path) -> Sheet:
    """Read a CSV or XLSX file; raise `InputError` naming the place of any problem."""
    name = str(path)
    data = read_input_bytes(path, limit=MAX_EXPORT_BYTES, what="an export file")
    if path.suffix.lower() in XLSX_SUFFIXES or data.startswith(ZIP_MAGIC):
        return _read_xlsx(path, data)
    return _read_csv(name, data)


def _read_csv(name: str, data: bytes) -> Sheet:
    text, notes = _decode(name, data)
    if "\x00" in text:
        raise InputError.single(name, "not a text file (it holds NUL bytes); export as CSV or XLSX")
    lines = text.splitlines()
    if lines and lines[0].lower().startswith("sep=") and len(lines[0]) == 5:
        delimiter = lines[0][4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = _sniff_delimiter(lines[0] if lines else "")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise InputError.single(name, f"not a readable CSV file: {error}") from None
    return Sheet(name, rows, notes)


def _decode(name: str, data: bytes) -> tuple[str, list[str]]:
    """Decode export bytes: UTF-16 or UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise InputError.single(name, "not readable as UTF-16 text") from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        line, column = _place_of_byte(data, utf8_error.start)
        raise InputError.single(
            name,
            f"byte {data[utf8_error.start]:#04x} is neither UTF-8 nor Windows-1252 text; "
            f"save the export as 'CSV UTF-8'",
            line,
            column,
        ) from None
    line, column = _place_of_byte(data, utf8_error.start)
    return text, [
        f"{name}: not UTF-8 (first at row {line}, column {column}); read as Windows-1252 "
        f"(cp1252). Check accented letters, or save the export as 'CSV UTF-8'."
    ]


def _place_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """Row and column (cell number) of a byte offset, counting like a spreadsheet."""
    before = data[:offset].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    current = before.rsplit("\n", 1)[-1]
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    delimiter = _sniff_delimiter(header)
    return line, current.count(delimiter) + 1


def _sniff_delimiter(header: str) -> str:
    """The delimiter that splits the header line into the most cells (Dutch Excel uses ';')."""
    best, most = ",", 1
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(cells) > most:
            best, most = delimiter, len(cells)
    return best


def _read_xlsx(path: Path, data: bytes) -> Sheet:
    # openpyxl is imported here: it is only needed for workbooks.
    import openpyxl

    name = str(path)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [
                [_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            workbook.close()
    except Exception as error:  # a damaged workbook fails in zipfile, XML or openpyxl itself
        raise InputError.single(
            name,
            f"not a readable XLSX workbook; is it damaged or cut off? ({type(error).__name__})",
        ) from None
    while rows and not any(rows[-1]):
        rows.pop()
    return Sheet(name, rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
