"""Commands that set things up and check them: init, questionnaires, validate, schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from klantladder.cli.common import (
    PrivacyMode,
    echo,
    echo_problems,
    handle_errors,
    markup,
    stdin_is_terminal,
)


@handle_errors
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder to create for the assessment.")
    ],
    organisation: Annotated[
        str | None, typer.Option(metavar="NAME", help="Name of the organisation assessed.")
    ] = None,
    sector: Annotated[
        str | None, typer.Option(metavar="SECTOR", help="Sector, e.g. 'zorg' or 'ICT'.")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="Date of the assessment, YYYY-MM-DD.", show_default="today"
        ),
    ] = None,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            help="Shipped questionnaire id (see 'klantladder questionnaires').",
            show_default="intake",
        ),
    ] = None,
    questionnaire_version: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Version of the shipped questionnaire; an older one only to repeat an "
            "earlier assessment exactly.",
            show_default="the latest",
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--lang", metavar="LANG", help="Language: nl or en.", show_default="nl"),
    ] = None,
    assessor: Annotated[
        str | None, typer.Option(metavar="NAME", help="Who carries out the assessment.")
    ] = None,
    privacy: Annotated[
        PrivacyMode,
        typer.Option(
            metavar="anonymous|pseudonymous|named",
            help="anonymous: no names at all; pseudonymous: codes, names only in the "
            "git-ignored respondents.key.yaml; named: the same, and the report says answers "
            "are not anonymous.",
        ),
    ] = PrivacyMode.pseudonymous,
    force: Annotated[
        bool, typer.Option("--force", help="Use a non-empty folder; responses are kept.")
    ] = False,
) -> None:
    """Start an assessment folder: assessment.yaml, an empty responses/ folder and a .gitignore.

    A missing option is asked for when a terminal is attached. The .gitignore
    keeps the key file (names), working files and reports out of git.
    """
    from klantladder.folder import init_assessment

    if stdin_is_terminal():
        organisation = organisation or typer.prompt("Organisation")
        sector = sector or (typer.prompt("Sector", default="", show_default=False) or None)
        questionnaire = questionnaire or typer.prompt("Questionnaire", default="intake")
        language = language or typer.prompt("Language (nl/en)", default="nl")
        assessor = assessor or (typer.prompt("Assessor", default="", show_default=False) or None)
        date = date or typer.prompt("Date", default=dt.date.today().isoformat())
    if not organisation:
        raise typer.BadParameter(
            "give --organisation (no terminal to ask it)", param_hint="'--organisation'"
        )
    try:
        day = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise typer.BadParameter(
            f"{date!r} is not a date like 2026-03-31", param_hint="'--date'"
        ) from None
    path = init_assessment(
        folder,
        organisation=organisation,
        questionnaire_id=questionnaire or "intake",
        questionnaire_version=questionnaire_version,
        language=language or "nl",
        date=day,
        sector=sector,
        assessor=assessor,
        privacy=privacy.value,
        force=force,
    )
    echo(f"created {path}")
    echo(f"next: klantladder interview {folder}  (or: klantladder import {folder} EXPORT)")


@handle_errors
def questionnaires() -> None:
    """List the shipped questionnaires: id, version, languages, questions."""
    from rich.console import Console
    from rich.table import Table

    from klantladder.loading import shipped_catalog

    table = Table("id", "version", "languages", "questions", "minutes", "title")
    for entry in shipped_catalog():
        table.add_row(
            markup(entry.id),
            str(entry.version),
            markup(", ".join(entry.languages)),
            str(entry.questions),
            str(entry.minutes or ""),
            markup(entry.title),
        )
    Console(width=120).print(table)


@handle_errors
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Questionnaire, method, assessment, response or brand files, or folders.",
        ),
    ],
) -> None:
    """Check files and report every problem as file:line:col: message."""
    from klantladder.checking import check_file
    from klantladder.errors import InputError, KlantladderError

    problems = 0
    for path in files:
        try:
            echo(f"ok: {path}: {check_file(path)}")
        except InputError as error:
            problems += echo_problems(error.problems)
        except KlantladderError as error:
            problems += 1
            echo(f"error: {error}", err=True)
    if problems > 1:
        echo(f"{problems} problems found.", err=True)
    if problems:
        raise typer.Exit(1)


@handle_errors
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="KIND",
            help="questionnaire, method, assessment or response; all when omitted.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FOLDER", help="Write KIND.schema.json files here."),
    ] = None,
) -> None:
    """Print or write the JSON Schema of the file formats, for editor autocompletion."""
    from klantladder.errors import NotFoundError
    from klantladder.fileio import write_atomic
    from klantladder.schemas import json_schemas

    schemas = json_schemas()
    if kind is not None:
        if kind not in schemas:
            raise NotFoundError(f"no schema {kind!r}; choose from {', '.join(schemas)}")
        schemas = {kind: schemas[kind]}
    if out is None:
        document = next(iter(schemas.values())) if kind else schemas
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    for name, content in schemas.items():
        path = out / f"{name}.schema.json"
        write_atomic(path, json.dumps(content, indent=2, ensure_ascii=False) + "\n")
        echo(f"wrote {path}")
