"""Broken and hostile exports: refused fast, at their row and column, never read wrongly."""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from importhelpers import IMPORTS, bilingual_folder, csv_to_xlsx, respondents, saved, snapshot
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.errors import InputError
from klantladder.importing import import_export
from klantladder.importing.table import read_sheet
from klantladder.limits import MAX_CELL_CHARS, MAX_EXPORT_COLUMNS, MAX_EXPORT_ROWS

runner = CliRunner()

HEADER = (
    "respondent,leiderschap.feedback,leiderschap.uitdragen,feedback.meten-en-delen_per-afdeling,"
    "feedback.opvolgen,afdeling,kanalen,belemmering"
)


def refused(tmp_path: Path, export: Path) -> list[str]:
    """Import that must fail: the stderr lines, after checking that nothing changed."""
    folder = bilingual_folder(tmp_path)
    before = snapshot(folder)
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    assert snapshot(folder) == before
    return result.stderr.splitlines()


def write(tmp_path: Path, data: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rewrite_part(path: Path, part: str, change: dict[bytes, bytes]) -> None:
    """Change bytes in one part of a workbook, as a hand-made or hostile file would."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    data = parts[part]
    for old, new in change.items():
        assert old in data
        data = data.replace(old, new)
    parts[part] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)


def small_workbook(tmp_path: Path, cell: object = "Staf") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["respondent", "afdeling"])
    sheet.append(["r1", cell])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    return path


# --- CSV ------------------------------------------------------------------------------


def test_an_unclosed_quote_is_named_at_its_row_and_column(tmp_path: Path) -> None:
    export = write(
        tmp_path,
        (
            f"{HEADER}\nr1,3,4,3,2,staf,chat,\n"
            f'r2,3,4,3,2,staf,"chat,Te weinig tijd\nr3,2,2,2,2,staf,,\n'
        ).encode(),
    )
    assert refused(tmp_path, export) == [
        f"{export}:3:7: a quote opened in this cell is never closed; the rest of the file would "
        f"be one cell. Close the quote or remove it"
    ]


def test_a_stray_quote_after_a_quoted_cell(tmp_path: Path) -> None:
    export = write(tmp_path, f'{HEADER}\nr1,3,4,3,2,staf,"chat"x,\n'.encode())
    assert refused(tmp_path, export) == [
        f"{export}:2:7: a quote in this cell is followed by more text; write a quote inside a "
        f'quoted cell as two quotes ("")'
    ]


def test_an_over_long_cell_is_named_at_its_row_and_column(tmp_path: Path) -> None:
    long = "x" * (MAX_CELL_CHARS + 1)
    export = write(
        tmp_path, f"{HEADER}\nr1,3,4,3,2,staf,chat,\nr2,3,4,3,2,staf,chat,{long}\n".encode()
    )
    assert refused(tmp_path, export) == [
        f"{export}:3:8: cell of {MAX_CELL_CHARS + 1:,} characters; a cell may hold at most "
        f"{MAX_CELL_CHARS:,} (as in Excel)"
    ]


def test_too_many_columns(tmp_path: Path) -> None:
    export = write(tmp_path, ("a," * MAX_EXPORT_COLUMNS + "a\n").encode())
    assert refused(tmp_path, export) == [
        f"{export}:1:{MAX_EXPORT_COLUMNS + 1}: {MAX_EXPORT_COLUMNS + 1:,} cells in this row; an "
        f"export may have at most {MAX_EXPORT_COLUMNS:,} columns"
    ]


def test_too_many_rows(tmp_path: Path) -> None:
    body = "r,3,4,3,2,staf,chat,\n" * (MAX_EXPORT_ROWS + 5)
    export = write(tmp_path, f"{HEADER}\n{body}".encode())
    assert refused(tmp_path, export) == [
        f"{export}:{MAX_EXPORT_ROWS + 4}: more than {MAX_EXPORT_ROWS:,} rows; an export may hold "
        f"at most {MAX_EXPORT_ROWS:,} responses"
    ]


def test_a_mix_of_utf8_and_windows_1252_is_read_right_with_a_note(tmp_path: Path) -> None:
    # Two rows pasted together: one saved as UTF-8, one as Windows-1252.
    data = (
        f"{HEADER}\n".encode()
        + "r1,3,4,3,2,staf,chat,café crème\n".encode()
        + "r2,3,4,3,2,staf,chat,Renée\u2019s idee\n".encode("cp1252")
    )
    export = write(tmp_path, data)
    folder = bilingual_folder(tmp_path)
    result = runner.invoke(app, ["import", str(folder), str(export)])
    assert result.exit_code == 0, result.stderr
    assert [r["answers"]["belemmering"] for r in saved(folder)] == [
        "café crème",
        "Renée\u2019s idee",
    ]
    assert (
        f"note: {export}: mixes UTF-8 and Windows-1252 (cp1252) text (the first Windows-1252 "
        f"byte at row 3, column 8)" in result.stderr
    )


def test_a_byte_neither_utf8_nor_windows_1252(tmp_path: Path) -> None:
    export = write(tmp_path, f"{HEADER}\nr1,3,4,3,2,staf,chat,caf\x81\n".encode("latin-1"))
    assert refused(tmp_path, export) == [
        f"{export}:2:8: byte 0x81 is neither UTF-8 nor Windows-1252 text; save the export as "
        f"'CSV UTF-8'"
    ]


# --- XLSX -----------------------------------------------------------------------------


def test_a_formula_without_a_saved_result_is_refused_with_its_cell(tmp_path: Path) -> None:
    path = small_workbook(tmp_path, '=IF(1,"Staf","Operatie")')
    assert refused(tmp_path, path) == [
        f'{path}:2:2: cell B2 holds the formula \'=IF(1,"Staf","Operatie")\' without a saved '
        f"result; open the workbook in Excel, save it, and import again (or paste the values)"
    ]


def test_a_formula_with_its_saved_result_reads_the_result(tmp_path: Path) -> None:
    path = small_workbook(tmp_path, '=IF(1,"Staf","Operatie")')
    rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        {b"<v />": b"<v>Staf</v>", b'<c r="B2">': b'<c r="B2" t="str">'},
    )
    folder = bilingual_folder(tmp_path)
    import_export(folder, path)
    assert saved(folder)[0]["answers"] == {"afdeling": "staf"}


def test_a_sheet_that_declares_a_million_rows_is_refused_before_loading(tmp_path: Path) -> None:
    path = small_workbook(tmp_path)
    rewrite_part(path, "xl/worksheets/sheet1.xml", {b'ref="A1:B2"': b'ref="A1:XFD1048576"'})
    assert refused(tmp_path, path) == [
        f'{path}: the sheet declares 1,048,576 rows (<dimension ref="A1:XFD1048576"); an export '
        f"may hold at most {MAX_EXPORT_ROWS:,} responses"
    ]


def _declare_size(path: Path, part: str, size: int) -> None:
    """Make the zip's central directory declare another unpacked size for a part."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == name:
            struct.pack_into("<I", data, start + 24, size)
        start += 4
    path.write_bytes(bytes(data))


def test_a_zip_bomb_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    path = small_workbook(tmp_path)
    _declare_size(path, "xl/worksheets/sheet1.xml", 3_000_000_000)
    tracemalloc.start()
    with pytest.raises(InputError) as error:
        read_sheet(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert str(error.value) == (
        f"{path}: the workbook unpacks to 2,861 MiB; at most 512 MiB is read (is it a zip bomb?)"
    )
    assert peak < 5_000_000


def test_a_part_that_unpacks_a_thousandfold_is_refused(tmp_path: Path) -> None:
    path = small_workbook(tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    padding = b" " * (20 * 1024 * 1024)
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<sheetData>", b"<sheetData>" + padding
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    lines = refused(tmp_path, path)
    assert lines[0].startswith(f"{path}: part xl/worksheets/sheet1.xml unpacks ")
    assert lines[0].endswith("-fold; a real workbook shrinks at most 100-fold (is it a zip bomb?)")


def test_a_workbook_cut_off_halfway(tmp_path: Path) -> None:
    whole = csv_to_xlsx(IMPORTS / "msforms/en.csv", tmp_path / "whole.xlsx")
    export = write(tmp_path, whole.read_bytes()[: whole.stat().st_size // 2], "forms.xlsx")
    assert refused(tmp_path, export) == [
        f"{export}: not a readable XLSX workbook; is it damaged or cut off? (BadZipFile)"
    ]
    assert respondents(bilingual_folder(tmp_path, name="other")) == 0
