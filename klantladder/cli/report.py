"""``klantladder report``: the PDF (or HTML) a consultant hands to a board."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from klantladder.cli.common import echo, handle_errors


class Format(StrEnum):
    """Output formats of the report."""

    pdf = "pdf"
    html = "html"


@handle_errors
def report(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Assessment folder.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Output file.",
            show_default="FOLDER/report-<date>.pdf",
        ),
    ] = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", metavar="pdf|html", help="pdf, or one self-contained html file."),
    ] = Format.pdf,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang", metavar="LANG", help="nl or en.", show_default="the assessment's language"
        ),
    ] = None,
    brand: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Brand file: name, logo, colours, footer, confidentiality mark.",
            show_default="assessment's brand",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            metavar="FOLDER",
            help="Folder of templates that override (or extend) the shipped ones.",
        ),
    ] = None,
    previous: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="FOLDER",
            help="Earlier assessment folder(s) of the organisation: adds the trend chapter. "
            "Repeat for more years.",
        ),
    ] = None,
    benchmark: Annotated[
        Path | None,
        typer.Option(
            metavar="FOLDER",
            help="Folder of other organisations' results (klantladder score --json -o): "
            "adds percentile ranks.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file.")] = False,
    accessible: Annotated[
        bool,
        typer.Option(help="Tagged PDF (PDF/UA-1) for screen readers."),
    ] = True,
) -> None:
    """Render the report: phase and why, profile, building blocks and tips, focus, segments."""
    from klantladder.report.render import render_report

    path = render_report(
        folder,
        output=output,
        fmt=fmt.value,
        language=language,
        brand_file=brand,
        templates=templates,
        force=force,
        accessible=accessible,
        previous=previous or (),
        benchmark=benchmark,
    )
    echo(f"wrote {path}")
