"""``klantladder answers``: every open answer as a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klantladder.cli.common import handle_errors


@handle_errors
def answers(
    folder: Annotated[Path, typer.Argument(help="Assessment folder.", metavar="FOLDER")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="CSV file to write.",
            metavar="FILE",
            show_default="FOLDER/answers-<date>.csv",
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Language of the question texts.",
            show_default="the assessment's",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output file.")] = False,
) -> None:
    """Write every open answer (respondent code, question, answer) to a CSV file.

    The report quotes a selection; this file holds them all. Cells that a
    spreadsheet would run as a formula are prefixed with a quote.
    """
    from klantladder.open_answers import export_open_answers

    path, count = export_open_answers(folder, output, language=language, force=force)
    typer.echo(f"wrote {count} open answers to {path}")
