"""Getting answers in and forms out: interview, import and export-form."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klantladder.cli.common import handle_errors

if TYPE_CHECKING:
    from klantladder.importing import Tool
    from klantladder.interview import Choice


class QuestionnaireChoice(StrEnum):
    """The --questionnaire choices of interview."""

    quick = "quick"
    full = "full"


class SourceTool(StrEnum):
    """The --from choices of import."""

    msforms = "msforms"
    googleforms = "googleforms"
    qualtrics = "qualtrics"
    limesurvey = "limesurvey"
    typeform = "typeform"
    csv = "csv"


class FormTarget(StrEnum):
    """The --to choices of export-form."""

    qualtrics = "qualtrics"
    limesurvey = "limesurvey"
    csv = "csv"


@handle_errors
def interview(
    folder: Annotated[Path, typer.Argument(help="Assessment folder.")],
    respondent: Annotated[
        str | None,
        typer.Option(
            help="The respondent's code (r017) to resume, or a name: kept only in "
            "respondents.key.yaml, never in the answers (not in an anonymous assessment).",
            show_default="a new code",
        ),
    ] = None,
    questionnaire: Annotated[
        QuestionnaireChoice | None,
        typer.Option(
            help="quick (quick scan) or full (intake): must be the assessment's own "
            "questionnaire, which is the default."
        ),
    ] = None,
    continue_other: Annotated[
        bool,
        typer.Option(
            "--continue",
            help="Add to a respondent whose answers came from elsewhere (an import).",
        ),
    ] = False,
) -> None:
    """Interview one respondent in the terminal; every answer is saved at once.

    Answer with one key: 1-5 for a statement or agreement, 0 for don't know,
    b to go back, s to skip, q to stop. The respondent's file is named by a
    code (r001, r002, ...); run again with the same --respondent (code or name)
    to resume at the first question not yet answered or skipped.
    """
    from rich.console import Console

    from klantladder.cli.interviewing import InterviewScreen, show_summary
    from klantladder.cli.keys import Keyboard
    from klantladder.interview import Interview

    choice: Choice | None = questionnaire.value if questionnaire else None
    console = Console(highlight=False, soft_wrap=True)
    with Interview.open(
        folder, respondent, choice=choice, continue_other=continue_other
    ) as session:
        if session.finished:
            console.print("Every question has been answered or skipped already.")
        else:
            console.print(
                f"Interview of [bold]{session.response.respondent}[/bold]: {session.path}"
            )
            console.print(session.promise(), markup=False)
        done = InterviewScreen(session, console, Keyboard()).run()
        show_summary(console, session)
    if not done:
        console.print(
            f"Stopped. Resume with: klantladder interview {folder} "
            f"--respondent {session.response.respondent}",
            highlight=False,
        )


@handle_errors
def import_(
    folder: Annotated[Path, typer.Argument(help="Assessment folder.")],
    export: Annotated[Path, typer.Argument(help="The survey tool's CSV or XLSX export.")],
    source: Annotated[
        SourceTool | None,
        typer.Option("--from", help="The tool that made the export.", show_default="detected"),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="Mapping file: which question each column answers."),
    ] = None,
    make_mapping: Annotated[
        bool,
        typer.Option(
            "--make-mapping",
            help="Only write a mapping file with the best match per column, to check and confirm.",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="With --make-mapping: where.", show_default="EXPORT.mapping.yaml"
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With --make-mapping: overwrite the file.")
    ] = False,
    keep_contact: Annotated[
        bool,
        typer.Option(
            "--keep-contact",
            help="Keep names and contact details of the export in respondents.key.yaml "
            "(never in the answers); by default they are dropped.",
        ),
    ] = False,
) -> None:
    """Import answers from a survey tool's export (CSV or XLSX) into responses/.

    Qualtrics and LimeSurvey columns map by their ids; other columns by a header
    that is exactly a question's text, or through a mapping file. Every row is
    checked first: on any problem nothing is written. Rows imported before are
    skipped.
    """
    from klantladder.importing import import_export
    from klantladder.importing import make_mapping as write_mapping

    tool: Tool | None = source.value if source else None
    if make_mapping:
        path = write_mapping(folder, export, tool, output, force=force)
        typer.echo(f"wrote {path}")
        typer.echo(
            "check every entry, set confirmed: true, then run: "
            f"klantladder import {folder} {export} --mapping {path}"
        )
        return
    report = import_export(folder, export, tool, mapping, keep_contact=keep_contact)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    outcome = report.outcome
    parts = [f"imported {len(report.added)} responses into {folder / 'responses'}"]
    if outcome.updated:
        parts.append(f"updated {len(outcome.updated)} with a newer edit")
    if report.duplicates:
        parts.append(f"skipped {report.duplicates} imported before")
    if outcome.forgotten:
        parts.append(f"skipped {outcome.forgotten} erased on request")
    typer.echo(f"{report.tool_name}: " + "; ".join(parts))
    if report.contacts:
        where = (
            "kept in respondents.key.yaml"
            if keep_contact
            else "dropped (--keep-contact keeps them in respondents.key.yaml)"
        )
        typer.echo(f"names or contact details of {report.contacts} respondents: {where}")


@handle_errors
def export_form(
    folder: Annotated[Path, typer.Argument(help="Assessment folder.")],
    to: Annotated[
        FormTarget,
        typer.Option(help="qualtrics (Advanced Format TXT), limesurvey (TSV) or csv (a sheet)."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write.", show_default="in the assessment folder"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file.")] = False,
) -> None:
    """Write the assessment's questionnaire as a form a survey tool imports.

    The tool's export of that survey then imports without a mapping file.
    """
    from klantladder.exporting import export_form as write_form

    path = write_form(folder, to.value, output, force=force)
    typer.echo(f"wrote {path}")
