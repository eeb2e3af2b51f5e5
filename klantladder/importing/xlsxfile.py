"""Reading an XLSX export: the limits first, then the first worksheet's cells as text.

An XLSX file is a zip of XML parts. Before openpyxl parses anything, the
parts' sizes (as the zip declares them; Python's zipfile never unpacks more
than declared) and the first sheet's ``<dimension ref>`` are checked against
the limits, so neither a zip bomb nor a sheet that claims a million columns
costs more than a glance. While the rows stream in, rows, columns and cell
lengths are checked again, since a dimension may lie.

A formula cell is read by its cached value, the result Excel saved; a formula
without one (a workbook written by a program that never calculated it) is
refused with the cell named, never read as empty.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from itertools import zip_longest
from typing import Any

from klantladder.errors import InputError, Problem
from klantladder.importing.dates import round_to_second
from klantladder.limits import (
    MAX_CELL_CHARS,
    MAX_EXPORT_COLUMNS,
    MAX_EXPORT_ROWS,
    MAX_XLSX_PARTS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
    MIB,
)

# Small parts may shrink a lot honestly (a style sheet of repeats); the ratio
# only says something about parts of some size.
RATIO_FROM_BYTES = 10 * MIB
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\""
)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FIRST_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb"(\w+)=\"([^\"]*)\"")
CHUNK = 1 << 20


def column_letters(number: int) -> str:
    """The letters of a 1-based column number, as a spreadsheet names it (1 -> A, 28 -> AB)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def read_xlsx_rows(name: str, data: bytes) -> list[list[str]]:
    """The first worksheet's rows as text cells; raise `InputError` naming the problem."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged(name, "BadZipFile") from None
    with archive:
        sheet_part = _inspect(name, archive)
        has_formulas = _has_formulas(archive, sheet_part)
    try:
        return _load(name, data, has_formulas)
    except InputError:
        raise
    except Exception as error:  # a damaged workbook fails in zipfile, XML or openpyxl itself
        raise _damaged(name, type(error).__name__) from None


def _damaged(name: str, what: str) -> InputError:
    return InputError.single(
        name, f"not a readable XLSX workbook; is it damaged or cut off? ({what})"
    )


def _inspect(name: str, archive: zipfile.ZipFile) -> str:
    """Check the parts' sizes and the first sheet's dimension; return the sheet's part name."""
    parts = archive.infolist()
    if len(parts) > MAX_XLSX_PARTS:
        raise InputError.single(
            name, f"the workbook has {len(parts):,} parts; at most {MAX_XLSX_PARTS:,} are read"
        )
    total = sum(part.file_size for part in parts)
    if total > MAX_XLSX_UNPACKED_BYTES:
        raise InputError.single(
            name,
            f"the workbook unpacks to {total / MIB:,.0f} MiB; at most "
            f"{MAX_XLSX_UNPACKED_BYTES // MIB} MiB is read (is it a zip bomb?)",
        )
    for part in parts:
        if part.file_size >= RATIO_FROM_BYTES and part.file_size > MAX_XLSX_RATIO * max(
            part.compress_size, 1
        ):
            raise InputError.single(
                name,
                f"part {part.filename} unpacks {part.file_size // max(part.compress_size, 1):,}"
                f"-fold; a real workbook shrinks at most {MAX_XLSX_RATIO}-fold (is it a zip bomb?)",
            )
    sheet = _first_sheet_part(archive)
    if sheet is None:
        raise _damaged(name, "no worksheet")
    with archive.open(sheet) as stream:
        head = stream.read(64 * 1024)
    match = _DIMENSION.search(head)
    if match and match[3] and match[4]:
        first_row = int(match[2] or 1)
        first_column = _column_number(match[1].decode()) if match[1] else 1
        rows = int(match[4]) - first_row + 1
        columns = _column_number(match[3].decode()) - first_column + 1
        if rows > MAX_EXPORT_ROWS + 3:
            raise InputError.single(
                name,
                f"the sheet declares {rows:,} rows ({match[0].decode()}); an export may hold at "
                f"most {MAX_EXPORT_ROWS:,} responses",
            )
        if columns > MAX_EXPORT_COLUMNS:
            raise InputError.single(
                name,
                f"the sheet declares {columns:,} columns ({match[0].decode()}); an export may "
                f"have at most {MAX_EXPORT_COLUMNS:,}",
            )
    return sheet


def _first_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet, as openpyxl would take it."""
    names = set(archive.namelist())
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    first = _FIRST_SHEET.search(workbook)
    if first is None:
        return None
    for element in _RELATIONSHIP.findall(relations):
        attributes = dict(_ATTRIBUTE.findall(element))
        if attributes.get(b"Id") == first[1]:
            target = attributes.get(b"Target", b"").decode()
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return part if part in names else None
    return None


def _has_formulas(archive: zipfile.ZipFile, sheet: str) -> bool:
    """Whether the sheet holds any formula, found by streaming its XML (cheap)."""
    tail = b""
    with archive.open(sheet) as stream:
        while chunk := stream.read(CHUNK):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-8:]
    return False


def _load(name: str, data: bytes, has_formulas: bool) -> list[list[str]]:
    # openpyxl is imported here: it is only needed for workbooks.
    import openpyxl

    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formulas = (
        openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        if has_formulas
        else None
    )
    try:
        return _rows(name, values, formulas)
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


def _sheet_rows(workbook: Any) -> Iterator[tuple[Any, ...]]:
    sheet = workbook.worksheets[0]
    # The declared dimension was checked; without it, rows come as long as they really are.
    sheet.reset_dimensions()
    yield from sheet.iter_rows(values_only=True)


def _rows(name: str, values: Any, formulas: Any | None) -> list[list[str]]:
    rows: list[list[str]] = []
    problems: list[Problem] = []
    pairs = (
        zip_longest(_sheet_rows(values), _sheet_rows(formulas), fillvalue=())
        if formulas is not None
        else ((row, ()) for row in _sheet_rows(values))
    )
    for number, (row, written) in enumerate(pairs, start=1):
        if number > MAX_EXPORT_ROWS + 3:
            raise InputError.single(
                name, f"more than {MAX_EXPORT_ROWS:,} rows; an export may hold at most that many"
            )
        if len(row) > MAX_EXPORT_COLUMNS:
            raise InputError.single(
                name,
                f"a row of {len(row):,} cells; an export may have at most "
                f"{MAX_EXPORT_COLUMNS:,} columns",
                number,
                MAX_EXPORT_COLUMNS + 1,
            )
        cells = []
        for index, value in enumerate(row):
            formula = written[index] if index < len(written) else None
            if value is None and isinstance(formula, str) and formula.startswith("="):
                problems.append(
                    Problem(
                        name,
                        number,
                        index + 1,
                        f"cell {column_letters(index + 1)}{number} holds the formula "
                        f"{formula[:60]!r} without a saved result; open the workbook in Excel, "
                        f"save it, and import again (or paste the values)",
                    )
                )
                cells.append("")
                continue
            text = _cell_text(value)
            if len(text) > MAX_CELL_CHARS:
                problems.append(
                    Problem(
                        name,
                        number,
                        index + 1,
                        f"cell of {len(text):,} characters; a cell may hold at most "
                        f"{MAX_CELL_CHARS:,}",
                    )
                )
                text = ""
            cells.append(text)
        rows.append(cells)
        if len(problems) >= 25:
            break
    if problems:
        raise InputError(problems)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return round_to_second(value).isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
