"""Reading a survey export (CSV or XLSX) into rows of text cells.

Whatever the file, the rest of the import sees a `Sheet`: rows of strings, the
file's name for messages, and notes worth telling the user (such as a fallback
to the Windows-1252 encoding). Rows and columns are numbered from 1 in every
message, as a spreadsheet shows them. `klantladder.importing.csvfile` and
`klantladder.importing.xlsxfile` do the reading, each within the stated limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from klantladder.importing.csvfile import read_csv_rows
from klantladder.importing.xlsxfile import read_xlsx_rows
from klantladder.limits import MAX_EXPORT_BYTES, read_input_bytes

XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"


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
        return Sheet(name, read_xlsx_rows(name, data))
    rows, notes = read_csv_rows(name, data)
    return Sheet(name, rows, notes)
