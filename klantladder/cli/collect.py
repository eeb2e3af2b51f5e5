"""Getting answers in and forms out: interview, import and export-form."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from klantladder.cli.common import echo, handle_errors, markup, stdin_is_terminal

if TYPE_CHECKING:
    from klantladder.importing import Conflict, Tool
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
    surveymonkey = "surveymonkey"
    csv = "csv"


class FormTarget(StrEnum):
    """The --to choices of export-form."""

    qualtrics = "qualtrics"
    limesurvey = "limesurvey"
    csv = "csv"


@handle_errors
def interview(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Assessment folder.")],
    respondent: Annotated[
        str | None,
        typer.Option(
            metavar="CODE|NAME",
            help="The respondent's code (r017) to resume, or a name: kept only in "
            "respondents.key.yaml, never in the answers (not in an anonymous assessment).",
            show_default="a new code",
        ),
    ] = None,
    questionnaire: Annotated[
        QuestionnaireChoice | None,
        typer.Option(
            metavar="quick|full",
            help="quick (quick scan) or full (intake): must be the assessment's own "
            "questionnaire, which is the default.",
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

    from klantladder.cli.interviewing import (
        InterviewScreen,
        interview_labels,
        name_prompt,
        say,
        show_summary,
    )
    from klantladder.cli.keys import Keyboard
    from klantladder.interview import Interview

    if respondent is None and stdin_is_terminal():
        question = name_prompt(folder)  # None: an anonymous assessment takes no names
        if question is not None:
            respondent = typer.prompt(question, default="", show_default=False).strip() or None
    choice: Choice | None = questionnaire.value if questionnaire else None
    console = Console(highlight=False)
    with Interview.open(
        folder, respondent, choice=choice, continue_other=continue_other
    ) as session:
        chrome = interview_labels(session.language)
        if session.finished:
            console.print(say(chrome, "interview_all_done"))
        else:
            console.print(
                say(
                    chrome,
                    "interview_of",
                    respondent=session.response.respondent,
                    path=session.path,
                )
            )
            console.print(markup(session.promise()))
        done = InterviewScreen(session, console, Keyboard()).run()
        show_summary(console, session)
    if not done:
        command = f"klantladder interview {folder} --respondent {session.response.respondent}"
        console.print(say(chrome, "interview_stopped", command=command), highlight=False)


@handle_errors
def import_(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Assessment folder.")],
    export: Annotated[
        Path, typer.Argument(metavar="EXPORT", help="The survey tool's CSV or XLSX export.")
    ],
    source: Annotated[
        SourceTool | None,
        typer.Option(
            "--from",
            metavar="TOOL",
            help="The tool that made the export: msforms, googleforms, qualtrics, limesurvey, "
            "typeform or csv.",
            show_default="detected",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Mapping file: which question each column answers."),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show the summary of what would happen; write nothing."),
    ] = False,
    include_partial: Annotated[
        bool,
        typer.Option(
            "--include-partial",
            help="Also import responses the tool marks as partial (not finished).",
        ),
    ] = False,
    keep_contact: Annotated[
        bool,
        typer.Option(
            "--keep-contact",
            help="Keep e-mail, name, IP address and other contact columns in the key file "
            "(respondents.key.yaml), never in responses; by default they are dropped.",
        ),
    ] = False,
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
            "--output",
            "-o",
            metavar="FILE",
            help="With --make-mapping: where.",
            show_default="EXPORT.mapping.yaml",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With --make-mapping: overwrite the file.")
    ] = False,
) -> None:
    """Import answers from a survey tool's export (CSV or XLSX) into the assessment.

    The tool and its layout are detected. A response imported before is
    recognised and left alone (or updated by a newer edit); previews, tests,
    partial responses and rows without answers are skipped and counted; contact
    columns are dropped. Every row is checked first: on any problem nothing is
    written. The summary says where every row went. In a plain CSV, 0 answers
    a ladder or agreement question as don't know, as on the paper form.
    """
    from klantladder.importing import import_export
    from klantladder.importing import make_mapping as write_mapping

    tool: Tool | None = source.value if source else None
    if make_mapping:
        path = write_mapping(folder, export, tool, output, force=force)
        echo(f"wrote {path}")
        echo(
            "check every entry, set confirmed: true, then run: "
            f"klantladder import {folder} {export} --mapping {path}"
        )
        return
    summary = import_export(
        folder,
        export,
        tool,
        mapping,
        include_partial=include_partial,
        keep_contact=keep_contact,
        dry_run=dry_run,
        resolver=_ask if stdin_is_terminal() and not dry_run else None,
    )
    for note in summary.notes:
        echo(f"note: {note}", err=True)
    for line in summary.lines():
        echo(line)


def _ask(conflict: Conflict) -> int | None:
    """At a terminal: let the person choose between rows that are one response."""
    from klantladder.importing.settle import differences

    if conflict.stored is not None:
        row = conflict.rows[0]
        echo(
            f"Row {row.row} ({conflict.label}) is already in the folder as "
            f"{conflict.stored.respondent} with other answers "
            f"({differences(conflict.stored, row.response)}); the export does not say which "
            f"is newer."
        )
        answer = typer.prompt("Keep the folder's answers (k) or stop the import (s)?", default="s")
        return 0 if answer.strip().lower().startswith("k") else None
    numbers = [str(row.row) for row in conflict.rows]
    echo(
        f"Rows {', '.join(numbers)} are all {conflict.label}, with different answers "
        f"({differences(conflict.rows[0].response, conflict.rows[-1].response)})."
    )
    answer = typer.prompt(f"Which row holds the real answers ({'/'.join(numbers)}), or s to stop?")
    choice = answer.strip()
    return numbers.index(choice) if choice in numbers else None


@handle_errors
def export_form(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Assessment folder.")],
    to: Annotated[
        FormTarget,
        typer.Option(
            metavar="qualtrics|limesurvey|csv",
            help="qualtrics (Advanced Format TXT), limesurvey (TSV) or csv (a sheet).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File to write.",
            show_default="in the assessment folder",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file.")] = False,
) -> None:
    """Write the assessment's questionnaire as a form a survey tool imports.

    The tool's export of that survey then imports without a mapping file.
    """
    from klantladder.exporting import export_form as write_form

    path = write_form(folder, to.value, output, force=force)
    echo(f"wrote {path}")
