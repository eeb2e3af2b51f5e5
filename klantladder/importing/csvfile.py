"""Reading a CSV export: its encoding, its delimiter, and every cell within the limits.

Encodings: UTF-16 (with its BOM), UTF-8 with or without BOM, and Windows-1252
(what Excel writes for "CSV" on a Dutch or English Windows). A file that mixes
UTF-8 and Windows-1252 (rows pasted together from two sources) is read part by
part, each in its own encoding, with a note; a byte that is neither is refused
at its row and column. Problems in the CSV structure itself (a quote that is
never closed, a stray quote, a cell over the length limit, too many rows or
columns) are refused with the row and column where they start.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from klantladder.errors import InputError, Problem
from klantladder.limits import MAX_CELL_CHARS, MAX_EXPORT_COLUMNS, MAX_EXPORT_ROWS

DELIMITERS = (";", ",", "\t")
_CP1252_ERRORS = "klantladder-cp1252"
# Bytes that Windows-1252 leaves undefined.
_UNDEFINED_CP1252 = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
MAX_CELL_PROBLEMS = 25
_LINE_END = re.compile(r"\r\n|\r|\n")


class _NotCp1252(ValueError):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the bytes that are no UTF-8 as Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    raw = error.object[error.start : error.end]
    for index, byte in enumerate(raw):
        if byte in _UNDEFINED_CP1252:
            raise _NotCp1252(error.start + index)
    return bytes(raw).decode("cp1252"), error.end


codecs.register_error(_CP1252_ERRORS, _windows_1252)


def decode(name: str, data: bytes) -> tuple[str, list[str]]:
    """Decode export bytes; return the text and notes for the user. Raise `InputError`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise InputError.single(name, "not readable as UTF-16 text") from None
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as error:
        first = error.start
    try:
        text = body.decode("utf-8", errors=_CP1252_ERRORS)
    except _NotCp1252 as error:
        row, column = place_of_byte(body, error.offset)
        raise InputError.single(
            name,
            f"byte {body[error.offset]:#04x} is neither UTF-8 nor Windows-1252 text; save "
            f"the export as 'CSV UTF-8'",
            row,
            column,
        ) from None
    row, column = place_of_byte(body, first)
    if any(ord(char) > 127 for char in body.decode("utf-8", errors="ignore")):
        return text, [
            f"{name}: mixes UTF-8 and Windows-1252 (cp1252) text (the first Windows-1252 "
            f"byte at row {row}, column {column}); each part was read in its own encoding. "
            f"Check accented letters, or save the export as 'CSV UTF-8'."
        ]
    return text, [
        f"{name}: not UTF-8 (first at row {row}, column {column}); read as Windows-1252 "
        f"(cp1252). Check accented letters, or save the export as 'CSV UTF-8'."
    ]


def place_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """Row and column (cell number) of a byte offset, counting like a spreadsheet."""
    before = data[:offset].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    current = before.rsplit("\n", 1)[-1]
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    return line, current.count(sniff_delimiter(header)) + 1


def sniff_delimiter(header: str) -> str:
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


def read_csv_rows(name: str, data: bytes) -> tuple[list[list[str]], list[str]]:
    """The rows of a CSV export as text cells, and notes; raise `InputError`."""
    text, notes = decode(name, data)
    if "\x00" in text:
        raise InputError.single(name, "not a text file (it holds NUL bytes); export as CSV or XLSX")
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter = first_line[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = sniff_delimiter(first_line)
    return _parse(name, text, delimiter), notes


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    # The csv module refuses long fields without saying where; we check lengths
    # ourselves, with the row and column, so its own limit only has to be out of the way.
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _parse(name: str, text: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    problems: list[Problem] = []
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    with _field_limit(len(text) + 1):
        while True:
            start_line = reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                number = len(rows) + 1
                column, what = _quote_problem(text[_line_start(text, start_line) :], delimiter)
                problems.append(Problem(name, number, column, what))
                break
            number = len(rows) + 1
            if number > MAX_EXPORT_ROWS + 3:
                raise InputError.single(
                    name,
                    f"more than {MAX_EXPORT_ROWS:,} rows; an export may hold at most "
                    f"{MAX_EXPORT_ROWS:,} responses",
                    number,
                )
            if len(row) > MAX_EXPORT_COLUMNS:
                raise InputError.single(
                    name,
                    f"{len(row):,} cells in this row; an export may have at most "
                    f"{MAX_EXPORT_COLUMNS:,} columns",
                    number,
                    MAX_EXPORT_COLUMNS + 1,
                )
            for index, cell in enumerate(row):
                if len(cell) > MAX_CELL_CHARS and len(problems) < MAX_CELL_PROBLEMS:
                    problems.append(
                        Problem(
                            name,
                            number,
                            index + 1,
                            f"cell of {len(cell):,} characters; a cell may hold at most "
                            f"{MAX_CELL_CHARS:,} (as in Excel)",
                        )
                    )
            rows.append(row)
    if problems:
        raise InputError(problems)
    return rows


def _line_start(text: str, lines_read: int) -> int:
    """Offset of the line after ``lines_read`` lines, counting line ends as the csv module does."""
    if lines_read == 0:
        return 0
    for count, match in enumerate(_LINE_END.finditer(text), start=1):
        if count == lines_read:
            return match.end()
    return len(text)


def _quote_problem(rest: str, delimiter: str) -> tuple[int, str]:
    """The column of the first malformed quoted cell in a record, and what is wrong with it."""
    column = 1
    position = 0
    length = len(rest)
    while position < length:
        if rest[position] == '"':
            position += 1
            while True:
                end = rest.find('"', position)
                if end < 0:
                    return column, (
                        "a quote opened in this cell is never closed; the rest of the file "
                        "would be one cell. Close the quote or remove it"
                    )
                if rest[end + 1 : end + 2] == '"':
                    position = end + 2
                    continue
                position = end + 1
                break
            if position < length and rest[position] not in (delimiter, "\r", "\n"):
                return column, (
                    "a quote in this cell is followed by more text; write a quote inside "
                    'a quoted cell as two quotes ("")'
                )
        while position < length and rest[position] not in (delimiter, "\r", "\n"):
            position += 1
        if position >= length or rest[position] in "\r\n":
            break
        position += 1
        column += 1
    return column, "this row is no valid CSV"
